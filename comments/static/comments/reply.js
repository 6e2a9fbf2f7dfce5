// One reply form per page: opening a comment's "Reply" moves the form under
// that comment and points it at it. Without this script the "Reply" opens a
// link to the comment's own page, which has the form.
(function () {
  "use strict";
  var form = document.getElementById("reply-form");
  if (!form) return;
  var parent = form.querySelector("input[name=parent]");
  var label = form.querySelector("label[for=reply-body]");
  var body = form.querySelector("#reply-body");

  document.addEventListener("toggle", function (event) {
    var reply = event.target;
    if (!reply.matches || !reply.matches("details.comment__reply") || !reply.open) return;
    document.querySelectorAll("details.comment__reply[open]").forEach(function (other) {
      if (other !== reply) other.open = false;
    });
    reply.querySelector(".comment__reply-fallback").hidden = true;
    parent.value = reply.dataset.comment;
    label.textContent = reply.dataset.label;
    reply.appendChild(form);
    form.hidden = false;
    body.focus();
  }, true);
})();
