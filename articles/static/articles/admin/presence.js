// While a story's form is open, tell the server every minute, and show who
// else has it open; say goodbye when leaving so the warning clears at once.
"use strict";
{
  const INTERVAL = 60_000;

  function csrfToken() {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function start(banner) {
    const url = banner.dataset.presenceUrl;
    const names = banner.querySelector(".editing-presence__names");
    const beat = async () => {
      const body = new URLSearchParams({ csrfmiddlewaretoken: csrfToken() });
      const response = await fetch(url, { method: "POST", body, credentials: "same-origin" });
      if (!response.ok) return;
      const { others } = await response.json();
      names.textContent = others.join(", ");
      banner.hidden = others.length === 0;
    };
    setInterval(beat, INTERVAL);
    window.addEventListener("pagehide", () => {
      const body = new URLSearchParams({ csrfmiddlewaretoken: csrfToken(), leaving: "1" });
      navigator.sendBeacon(url, body);
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    const banner = document.querySelector(".editing-presence[data-presence-url]");
    if (banner) start(banner);
  });
}
