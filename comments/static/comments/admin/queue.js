/* The moderation queue by keyboard: j/k move between comments, a/r/s press
   the row's Approve, Reject or Spam button. The row's place is kept across
   the reload that follows a decision, so the next comment has the focus. */
(function () {
  "use strict";
  var KEY = "newsroom:queue-row";
  var BUTTONS = { a: "approve", r: "reject", s: "spam" };

  function rows() {
    return Array.prototype.slice.call(
      document.querySelectorAll("#result_list tbody tr")
    );
  }

  function focusRow(index) {
    var all = rows();
    if (!all.length) return;
    var row = all[Math.max(0, Math.min(index, all.length - 1))];
    all.forEach(function (other) { other.classList.remove("queue-current"); });
    row.classList.add("queue-current");
    row.focus();
  }

  function current() {
    return rows().indexOf(document.querySelector("#result_list tr.queue-current"));
  }

  function typing(target) {
    return target.closest("input, textarea, select, [contenteditable]") !== null;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var all = rows();
    if (!all.length) return;
    all.forEach(function (row) { row.tabIndex = -1; });
    document.addEventListener("submit", function (event) {
      if (event.target.id === "queue-moderate") {
        sessionStorage.setItem(KEY, String(Math.max(0, current())));
      }
    });
    var kept = sessionStorage.getItem(KEY);
    sessionStorage.removeItem(KEY);
    focusRow(kept === null ? 0 : parseInt(kept, 10));

    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) {
        return;
      }
      var index = current();
      if (event.key === "j") {
        focusRow(index + 1);
      } else if (event.key === "k") {
        focusRow(index - 1);
      } else if (BUTTONS[event.key] && index >= 0) {
        var button = rows()[index].querySelector(".queue-" + BUTTONS[event.key]);
        if (button) button.click();
      } else {
        return;
      }
      event.preventDefault();
    });
  });
})();
