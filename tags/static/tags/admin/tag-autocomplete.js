// Suggestions for the comma-separated tag input of the story form: existing
// tags first (with their story counts), and the existing tag when the text
// typed is a near-duplicate or an old, merged name. Below the input, flags on
// near-duplicates among the tags typed (the server's own check, which saving
// repeats), each with a button that puts the tag to use in its place.
// Plain input still works.
"use strict";
{
  const reasonText = {
    match: "",
    similar: "existing tag — use it instead",
    alias: "merged into this tag",
  };

  function currentToken(input) {
    const caret = input.selectionStart ?? input.value.length;
    const start = input.value.lastIndexOf(",", caret - 1) + 1;
    let end = input.value.indexOf(",", caret);
    if (end === -1) end = input.value.length;
    return { start, end, text: input.value.slice(start, end).trim() };
  }

  const splitNames = (value) =>
    value.split(",").map((name) => name.trim()).filter(Boolean);

  // Replace the tag `name` with `use` (or drop it when `use` is already there).
  function useTag(input, name, use) {
    const names = splitNames(input.value);
    const has = (wanted) => names.some((n) => n.toLowerCase() === wanted.toLowerCase());
    const kept = names.flatMap((n) => {
      if (n.toLowerCase() !== name.toLowerCase()) return [n];
      return has(use) ? [] : [use];
    });
    input.value = kept.length ? `${kept.join(", ")}, ` : "";
  }

  function setupFlags(input) {
    const flags = document.createElement("ul");
    flags.id = `${input.id}-flags`;
    flags.className = "tag-flags";
    flags.setAttribute("aria-live", "polite");
    flags.hidden = true;
    // Inside the input's wrapper: under the input, as wide as it.
    input.closest(".tag-autocomplete-wrap").append(flags);
    const described = input.getAttribute("aria-describedby");
    input.setAttribute("aria-describedby", [described, flags.id].filter(Boolean).join(" "));

    let request = 0;
    let timer = null;
    const render = (warnings) => {
      flags.replaceChildren();
      warnings.forEach((warning) => {
        const item = document.createElement("li");
        item.className = warning.blocking ? "tag-flags__flag" : "tag-flags__flag tag-flags__flag--notice";
        const text = document.createElement("span");
        text.textContent = warning.message;
        const button = document.createElement("button");
        button.type = "button";
        button.className = "button tag-flags__use";
        button.textContent = `Use “${warning.use}”`;
        button.addEventListener("click", () => {
          useTag(input, warning.name, warning.use);
          input.dispatchEvent(new Event("change"));
          input.focus();
        });
        item.append(text, " ", button);
        flags.append(item);
      });
      flags.hidden = warnings.length === 0;
    };
    const check = async () => {
      const mine = ++request;
      const names = splitNames(input.value);
      if (names.length === 0) return render([]);
      const url = `${input.dataset.checkUrl}?names=${encodeURIComponent(names.join(","))}`;
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (!response.ok || mine !== request) return;
      render((await response.json()).warnings);
    };
    const soon = () => {
      clearTimeout(timer);
      timer = setTimeout(check, 300);
    };
    input.addEventListener("input", soon);
    input.addEventListener("change", check);
    input.addEventListener("blur", check);
    if (input.value.trim()) check();
  }

  function setup(input) {
    const listbox = document.createElement("ul");
    listbox.id = `${input.id}-suggestions`;
    listbox.className = "tag-suggestions";
    listbox.setAttribute("role", "listbox");
    listbox.hidden = true;
    const wrapper = document.createElement("span");
    wrapper.className = "tag-autocomplete-wrap";
    input.before(wrapper);
    wrapper.append(input, listbox);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", listbox.id);
    input.setAttribute("aria-expanded", "false");

    let active = -1;
    let request = 0;

    const options = () => Array.from(listbox.querySelectorAll("[role=option]"));
    const close = () => {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    };
    const highlight = (index) => {
      const all = options();
      all.forEach((option, i) => option.setAttribute("aria-selected", String(i === index)));
      active = index;
      if (all[index]) input.setAttribute("aria-activedescendant", all[index].id);
    };
    const choose = (name) => {
      const token = currentToken(input);
      const before = input.value.slice(0, token.start).replace(/\s*$/, "");
      const after = input.value.slice(token.end).replace(/^,?\s*/, "");
      const prefix = before ? `${before} ` : "";
      input.value = `${prefix}${name}, ${after}`;
      const caret = (prefix + name + ", ").length;
      input.setSelectionRange(caret, caret);
      input.dispatchEvent(new Event("change"));
      close();
      input.focus();
    };

    const render = (results) => {
      listbox.replaceChildren();
      results.forEach((result, index) => {
        const option = document.createElement("li");
        option.id = `${listbox.id}-${index}`;
        option.setAttribute("role", "option");
        option.dataset.name = result.name;
        const name = document.createElement("span");
        name.className = "tag-suggestions__name";
        name.textContent = result.name;
        const count = document.createElement("span");
        count.className = "tag-suggestions__count";
        count.textContent = `${result.story_count} ${result.story_count === 1 ? "story" : "stories"}`;
        option.append(name, count);
        if (reasonText[result.reason]) {
          const reason = document.createElement("span");
          reason.className = "tag-suggestions__reason";
          reason.textContent = reasonText[result.reason];
          option.append(reason);
        }
        option.addEventListener("mousedown", (event) => {
          event.preventDefault();
          choose(result.name);
        });
        listbox.append(option);
      });
      listbox.hidden = results.length === 0;
      input.setAttribute("aria-expanded", String(results.length > 0));
      highlight(results.length ? 0 : -1);
    };

    input.addEventListener("input", async () => {
      const { text } = currentToken(input);
      if (!text) return close();
      const mine = ++request;
      const url = `${input.dataset.suggestUrl}?q=${encodeURIComponent(text)}`;
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (!response.ok || mine !== request) return;
      render((await response.json()).results);
    });
    input.addEventListener("keydown", (event) => {
      if (listbox.hidden) return;
      const count = options().length;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight((active + 1) % count);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight((active - 1 + count) % count);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        choose(options()[active].dataset.name);
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", close);
    if (input.dataset.checkUrl) setupFlags(input);
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("input.tag-autocomplete").forEach(setup);
  });
}
