// One reply form per page: a comment's "Reply" moves the form under that
// comment and points it at it; pressed again, it puts the form away. Without
// this script "Reply" is a link to the comment's own page, which has the form.
(function () {
  "use strict";
  var form = document.getElementById("reply-form");
  if (!form) return;
  var parent = form.querySelector("input[name=parent]");
  var label = form.querySelector("label[for=reply-body]");
  var body = form.querySelector("#reply-body");
  var opened = null;

  document.querySelectorAll("a.comment__reply").forEach(function (reply) {
    reply.setAttribute("role", "button");
    reply.setAttribute("aria-expanded", "false");
    reply.setAttribute("aria-controls", "reply-form");
  });

  document.addEventListener("click", function (event) {
    var reply = event.target.closest && event.target.closest("a.comment__reply");
    if (!reply) return;
    event.preventDefault();
    if (opened) opened.setAttribute("aria-expanded", "false");
    if (opened === reply && !form.hidden) {
      form.hidden = true;
      opened = null;
      return;
    }
    var author = reply.closest("article").querySelector(".comment__author");
    // The comment's item is <li id="comment-<pk>">.
    parent.value = reply.closest("li.comment").id.slice("comment-".length);
    label.textContent = form.dataset.label.replace("{name}", author.textContent.trim());
    reply.closest(".comment__actions").after(form);
    form.hidden = false;
    reply.setAttribute("aria-expanded", "true");
    opened = reply;
    body.focus();
  });
})();
