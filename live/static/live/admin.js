// The live desk: Ctrl+Enter (or Cmd+Enter) posts the entry being written;
// deleting asks first.
(function () {
  "use strict";
  document.querySelectorAll("form[data-live-post]").forEach(function (form) {
    form.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        var button = form.querySelector("button[type=submit][name=action]");
        if (form.requestSubmit) {
          form.requestSubmit(button);
        } else {
          button.click();
        }
      }
    });
  });
  document.querySelectorAll("button[data-confirm]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      if (!window.confirm(button.dataset.confirm)) {
        event.preventDefault();
      }
    });
  });
})();
