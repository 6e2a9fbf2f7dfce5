// The live desk: Ctrl+Enter (or Cmd+Enter) posts the entry being written;
// deleting asks first.
(function () {
  "use strict";
  document.querySelectorAll("form[data-live-post]").forEach(function (form) {
    // Caught on the way down, before the editor reads Ctrl+Enter as a line break.
    form.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        event.stopPropagation();
        var button = form.querySelector("button[type=submit][name=action]");
        if (form.requestSubmit) {
          form.requestSubmit(button);
        } else {
          button.click();
        }
      }
    }, true);
  });
  document.querySelectorAll("button[data-confirm]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      if (!window.confirm(button.dataset.confirm)) {
        event.preventDefault();
      }
    });
  });
})();
