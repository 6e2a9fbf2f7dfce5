// Autosave of the story form into the person's own draft copy (drafts/).
// Sent at most 2 s after the last keystroke (5 s while typing goes on), and
// when the page is hidden or left; kept in localStorage until the server has
// it; retried with backoff while the connection is down.
"use strict";
{
  const FIELDS = [
    "headline", "slug", "dek", "body", "hero_caption", "source_name", "source_url", "tags",
  ];
  const QUIET_MS = 2000;
  const MAX_WAIT_MS = 5000;
  const MAX_BACKOFF_MS = 30000;
  const KEEPALIVE_LIMIT = 60000; // browsers cap keepalive bodies at 64 KB
  let editor = null;
  let onEditorUpdate = () => {};

  // The body editor announces itself once built; it may come before or after
  // this page's DOMContentLoaded.
  document.addEventListener("prose-editor:ready", (event) => {
    if (event.detail.textarea.name !== "body") return;
    editor = event.detail.editor;
    editor.on("update", () => onEditorUpdate());
  });

  function csrfToken() {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function start(root) {
    const form = root.closest("form");
    const status = root.querySelector(".autosave-status");
    const offer = root.querySelector(".autosave-offer");
    const isNew = root.dataset.url.includes(root.dataset.placeholder);
    const newKey = root.dataset.newKey || crypto.randomUUID();
    const url = isNew ? root.dataset.url.replace(root.dataset.placeholder, newKey) : root.dataset.url;
    const storageKey = `newsroom-autosave:${isNew ? "new" : url}`;
    const loadedVersion = () => (form.elements.loaded_version ? form.elements.loaded_version.value : "");

    let lastSent = null;
    let timer = null;
    let firstUnsentAt = null;
    let failures = 0;
    let savedAt = null;
    let paused = Boolean(offer);
    let submitting = false;

    const collect = () => {
      const values = {};
      for (const name of FIELDS) {
        const field = form.elements[name];
        if (!field) continue;
        values[name] = name === "body" && editor ? editor.getHTML() : field.value;
      }
      return values;
    };
    const remember = (values, extra = {}) => {
      try {
        localStorage.setItem(
          storageKey,
          JSON.stringify({ url, values, base: loadedVersion(), at: Date.now(), ...extra }),
        );
      } catch (error) {
        // Storage full or disabled: the server copy still works.
      }
    };
    const recalled = () => {
      try {
        return JSON.parse(localStorage.getItem(storageKey) || "null");
      } catch (error) {
        return null;
      }
    };
    const forget = () => localStorage.removeItem(storageKey);

    const show = (text, state) => {
      status.textContent = text;
      status.dataset.state = state;
    };
    const showSaved = () => {
      if (!savedAt || status.dataset.state !== "saved") return;
      const seconds = (Date.now() - savedAt) / 1000;
      if (seconds < 45) show("Saved a few seconds ago", "saved");
      else if (seconds < 90) show("Saved a minute ago", "saved");
      else show(`Saved ${Math.round(seconds / 60)} minutes ago`, "saved");
    };
    setInterval(showSaved, 15000);

    const body = (values, extra = {}) =>
      new URLSearchParams({ ...values, base_version: loadedVersion(), csrfmiddlewaretoken: csrfToken(), ...extra });

    async function post(params, to = url) {
      return fetch(to, {
        method: "POST",
        body: params,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken() },
        keepalive: params.toString().length < KEEPALIVE_LIMIT,
      });
    }

    async function send() {
      clearTimeout(timer);
      timer = null;
      if (paused || submitting) return;
      const values = collect();
      const text = JSON.stringify(values);
      if (text === lastSent) return;
      firstUnsentAt = null;
      show("Saving…", "saving");
      let response;
      try {
        response = await post(body(values));
      } catch (error) {
        response = null;
      }
      if (response && response.redirected) {
        // The admin sent the request to its login page: the session has ended.
        show("Not saved: you are signed out. Sign in again in another tab; your text is kept in this browser.", "refused");
        return;
      }
      if (response && response.ok) {
        lastSent = text;
        failures = 0;
        savedAt = Date.now();
        // Typed while the request was out? Then the browser copy stays.
        if (JSON.stringify(collect()) === text) forget();
        show("Saved a few seconds ago", "saved");
        return;
      }
      if (response && response.status >= 400 && response.status < 500) {
        const answer = await response.json().catch(() => ({}));
        const reason = answer.error || "the server refused it (signed out, or no longer allowed to edit this story).";
        show(`Not saved: ${reason} Your text is kept in this browser.`, "refused");
        return;
      }
      failures += 1;
      show("Not saved — retrying", "retrying");
      const wait = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** failures);
      timer = setTimeout(send, wait);
    }

    const changed = () => {
      if (submitting) return;
      remember(collect());
      if (paused) return;
      const now = Date.now();
      firstUnsentAt = firstUnsentAt || now;
      clearTimeout(timer);
      timer = setTimeout(send, now - firstUnsentAt >= MAX_WAIT_MS ? 0 : QUIET_MS);
    };
    const flush = () => {
      if (paused || submitting) return;
      const values = collect();
      if (JSON.stringify(values) === lastSent) return;
      remember(values);
      navigator.sendBeacon(url, body(values));
    };

    onEditorUpdate = changed;
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("submit", () => {
      submitting = true;
      clearTimeout(timer);
      const kept = recalled();
      if (kept) remember(kept.values, { submitted: true, base: kept.base });
    });
    window.addEventListener("pagehide", flush);
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") flush();
    });
    window.addEventListener("online", () => {
      if (timer || status.dataset.state === "retrying") send();
    });

    // --- The offer: restore or discard ------------------------------------------

    const restore = () => {
      const values = JSON.parse(document.getElementById("autosave-values").textContent);
      for (const [name, value] of Object.entries(values)) {
        const field = form.elements[name];
        if (!field) continue;
        field.value = value;
        if (name === "body" && editor) editor.commands.setContent(value);
        // The tag box checks what is typed for near-duplicates as it changes.
        if (name === "tags") field.dispatchEvent(new Event("input", { bubbles: true }));
      }
      closeOffer("Restored your autosaved copy. Save the story to keep it.");
      lastSent = null;
      send();
    };
    const discard = async () => {
      forget();
      await post(body({}, { discard: "1" })).catch(() => null);
      closeOffer("Discarded the autosaved copy.");
      lastSent = JSON.stringify(collect());
    };
    const closeOffer = (message) => {
      offer.replaceChildren();
      const note = document.createElement("p");
      note.className = "autosave-done";
      note.textContent = message;
      offer.append(note);
      paused = false;
    };
    if (offer) {
      offer.querySelector(".autosave-restore").addEventListener("click", restore);
      offer.querySelector(".autosave-discard").addEventListener("click", discard);
      show("Autosave paused: restore or discard the autosaved copy first.", "paused");
    }

    // --- What the browser kept from last time --------------------------------------

    const kept = recalled();
    const failedSave = document.querySelector(".errornote");
    if (kept && kept.submitted) {
      // The form was sent. A new version (or, for a new story, any page but
      // the refused form) means it went through; otherwise keep the copy.
      const wentThrough = isNew ? !failedSave : kept.base !== loadedVersion();
      if (wentThrough) forget();
      else remember(kept.values, { base: kept.base });
    }
    const pending = recalled();
    const offerAt = Number(root.dataset.offerAt || 0) * 1000;
    if (pending && !failedSave && pending.at > offerAt) {
      // The server never got the newest copy: send it, then show the offer.
      paused = true;
      show("Saving…", "saving");
      post(body(pending.values, { base_version: pending.base }), pending.url)
        .then((response) => {
          if (!response.ok || response.redirected) throw new Error(String(response.status));
          forget();
          window.location.reload();
        })
        .catch(() => show("Not saved — retrying", "retrying"));
      return;
    }
    // What the form holds now is what the server has (or the saved story).
    const settle = () => {
      lastSent = JSON.stringify(collect());
    };
    settle();
    document.addEventListener("prose-editor:ready", settle);
  }

  document.addEventListener("DOMContentLoaded", () => {
    const root = document.querySelector(".autosave[data-url]");
    if (root) start(root);
  });
}
