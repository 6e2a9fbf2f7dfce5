// A live story's page asks every ~15 s for entries newer than the newest it
// shows (an address the page cache and the CDN keep until the next entry),
// and offers them behind a "N new updates" button; the reader's place on the
// page never moves, neither when the button appears nor when they are added.
(function () {
  "use strict";
  var section = document.querySelector("[data-live-after]");
  if (!section || !window.fetch) {
    return;
  }
  var stream = section.querySelector(".live-entries--stream");
  var box = section.querySelector(".live-new");
  var button = box.querySelector("button");
  var base = section.dataset.liveAfter;
  var last = parseInt(section.dataset.liveLast, 10) || 0;
  var seconds = parseInt(section.dataset.livePoll, 10) || 15;
  var pending = [];
  var reloadInstead = false;
  var timer = null;
  // The page keeps the reader's place itself (below): the browser's own
  // scroll anchoring would move it a second time.
  document.documentElement.style.overflowAnchor = "none";

  function label(count) {
    if (reloadInstead) {
      return "Many new updates: reload the page";
    }
    return count === 1 ? "1 new update" : count + " new updates";
  }

  function poll() {
    fetch(base + last + "/", {
      credentials: "omit",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (data) {
        if (data.count > 0) {
          pending.unshift(data.html);
          last = data.last;
          reloadInstead = reloadInstead || data.more;
          var count = section.dataset.livePending
            ? parseInt(section.dataset.livePending, 10) + data.count
            : data.count;
          section.dataset.livePending = count;
          button.textContent = label(count);
          box.hidden = false;
        }
        if (data.live) {
          schedule();
        }
      })
      .catch(function () {
        schedule();
      });
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(poll, seconds * 1000);
  }

  button.addEventListener("click", function () {
    if (reloadInstead) {
      window.location.reload();
      return;
    }
    var reference = stream.firstElementChild;
    var above = stream.getBoundingClientRect().top < 0;
    var before = reference ? reference.getBoundingClientRect().top : 0;
    var holder = document.createElement("div");
    holder.innerHTML = pending.join("");
    var added = Array.prototype.slice.call(holder.children);
    added.forEach(function (entry) {
      entry.classList.add("live-entry--new");
      stream.insertBefore(entry, reference);
    });
    if (above && reference) {
      // Added above the reader's view: keep what they read where it was.
      window.scrollBy(0, reference.getBoundingClientRect().top - before);
    }
    if (added.length) {
      added[0].setAttribute("tabindex", "-1");
      added[0].focus({ preventScroll: true });
    }
    var empty = section.querySelector(".live-empty");
    if (empty) {
      empty.remove();
    }
    pending = [];
    delete section.dataset.livePending;
    box.hidden = true;
  });

  schedule();
})();
