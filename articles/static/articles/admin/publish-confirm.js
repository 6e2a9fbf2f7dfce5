// The story form's publishing panel: the "Schedule for …" button follows the
// go-live time as it is typed, and publishing, scheduling or unpublishing
// first asks, in a dialog that says what readers will see.
"use strict";
{
  const lang = document.documentElement.lang || "en-GB";

  // The admin's date box takes "2026-12-02" or, in en-gb, "02/12/2026".
  function parseDate(text) {
    let match = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$/.exec(text);
    if (match) return [+match[1], +match[2], +match[3]];
    match = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4})\s*$/.exec(text);
    if (match) {
      const year = match[3].length === 2 ? 2000 + +match[3] : +match[3];
      return [year, +match[2], +match[1]];
    }
    return null;
  }

  function parseTime(text) {
    const match = /^\s*(\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?\s*$/.exec(text);
    return match && +match[1] < 24 && +match[2] < 60 ? [+match[1], +match[2]] : null;
  }

  // "Tue 2 Dec, 06:00": the same shape as the server's label (articles/buttons.py).
  function when(dateText, timeText) {
    const date = parseDate(dateText), time = parseTime(timeText);
    if (!date || !time) return null;
    const day = new Date(Date.UTC(date[0], date[1] - 1, date[2]));
    if (day.getUTCDate() !== date[2]) return null;
    const part = (options) =>
      new Intl.DateTimeFormat(lang, { ...options, timeZone: "UTC" }).format(day);
    const pad = (n) => String(n).padStart(2, "0");
    return `${part({ weekday: "short" })} ${date[2]} ${part({ month: "short" })}, ${pad(time[0])}:${pad(time[1])}`;
  }

  function followSchedule(form) {
    const button = form.querySelector("input[name=_schedule]");
    const dateInput = form.querySelector("#id_go_live_at_0");
    const timeInput = form.querySelector("#id_go_live_at_1");
    if (!button || !dateInput || !timeInput) return;
    const update = () => {
      const text = when(dateInput.value, timeInput.value);
      button.value = text
        ? button.dataset.labelTemplate.replace("%s", text)
        : button.dataset.labelEmpty;
      button.disabled = !text;
    };
    // The admin's calendar and clock links set the boxes without an event.
    for (const input of [dateInput, timeInput]) {
      for (const type of ["input", "change", "blur"]) input.addEventListener(type, update);
    }
    setInterval(update, 500);
    update();
  }

  function confirmSteps(form, dialog) {
    const title = dialog.querySelector(".publish-confirm__title");
    const readers = dialog.querySelector(".publish-confirm__readers");
    const go = dialog.querySelector(".publish-confirm__go");
    form.addEventListener("click", (event) => {
      const button = event.target.closest("input[data-confirm]");
      if (!button) return;
      event.preventDefault();
      title.textContent = button.value;
      readers.textContent = button.dataset.confirm;
      go.textContent = button.value;
      go.onclick = () => {
        dialog.close();
        form.requestSubmit(button);
      };
      dialog.showModal();
    });
    dialog.querySelector(".publish-confirm__cancel").addEventListener("click", () => dialog.close());
  }

  document.addEventListener("DOMContentLoaded", () => {
    const form = document.querySelector("#article_form");
    const dialog = document.querySelector("dialog.publish-confirm");
    if (!form) return;
    followSchedule(form);
    if (dialog) confirmSteps(form, dialog);
  });
}
