// Search suggestions: as the seeker types in the search box, whole titles, skills, companies and places from
// GET /api/v1/jobs/suggest/ on this host (so an employer's careers portal suggests only its own terms), shown as
// an ARIA combobox: arrow keys move, Enter or a click picks and searches, Escape closes. Without this file the box
// is a plain search input.
(() => {
  "use strict";
  const input = document.querySelector("input[data-suggest]");
  if (!input || !input.form) return;
  const list = document.getElementById(input.dataset.suggestList);
  const status = document.getElementById(input.dataset.suggestStatus);
  const where = input.form.querySelector("input[name=location]");
  const KINDS = { title: "Job title", skill: "Skill", company: "Company", location: "Place" };
  const DELAY_MS = 150; // typing pauses shorter than this send nothing
  const MIN_CHARS = 2;
  let timer = 0;
  let pending = null;
  let items = [];
  let active = -1;

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("autocomplete", "off");

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function show(results) {
    items = results;
    active = -1;
    list.replaceChildren(...results.map((item, index) => {
      const option = document.createElement("li");
      option.id = `${list.id}-${index}`;
      option.className = "suggest-option";
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      const text = document.createElement("span");
      text.textContent = item.text;
      const kind = document.createElement("span");
      kind.className = "suggest-kind";
      kind.textContent = KINDS[item.kind] || item.kind;
      option.append(text, kind);
      // mousedown, not click: the box keeps its focus, so it does not close before the pick.
      option.addEventListener("mousedown", (event) => { event.preventDefault(); pick(index); });
      return option;
    }));
    status.textContent = results.length
      ? `${results.length} suggestion${results.length === 1 ? "" : "s"}; use the up and down arrows to choose.`
      : "";
    if (!results.length) return close();
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function move(step) {
    if (!items.length) return;
    if (list.hidden) { list.hidden = false; input.setAttribute("aria-expanded", "true"); }
    // Positions -1 (back in the box itself) .. n-1, wrapping around.
    active = ((active + 1 + step + items.length + 1) % (items.length + 1)) - 1;
    list.querySelectorAll("[role=option]").forEach((option, index) => {
      option.setAttribute("aria-selected", String(index === active));
    });
    if (active < 0) input.removeAttribute("aria-activedescendant");
    else {
      input.setAttribute("aria-activedescendant", `${list.id}-${active}`);
      document.getElementById(`${list.id}-${active}`).scrollIntoView({ block: "nearest" });
    }
  }

  function pick(index) {
    const item = items[index];
    if (item.kind === "location" && where) {
      where.value = item.text; // a place is where, not what
      input.value = "";
    } else {
      input.value = item.text;
    }
    close();
    items = [];
    input.form.requestSubmit();
  }

  async function fetchSuggestions(q) {
    if (pending) pending.abort();
    pending = new AbortController();
    try {
      const url = `${input.dataset.suggest}?${new URLSearchParams({ q, limit: "8" })}`;
      const response = await fetch(url, { headers: { Accept: "application/json" }, signal: pending.signal });
      if (!response.ok) return close();
      const body = await response.json();
      if (input.value.trim() === q && document.activeElement === input) show(body.results);
    } catch (error) {
      if (error.name !== "AbortError") close();
    }
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    const q = input.value.trim();
    if (q.length < MIN_CHARS) { items = []; return close(); }
    timer = setTimeout(() => fetchSuggestions(q), DELAY_MS);
  });

  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!items.length) return;
      event.preventDefault();
      move(event.key === "ArrowDown" ? 1 : -1);
    } else if (event.key === "Enter" && !list.hidden && active >= 0) {
      event.preventDefault();
      pick(active);
    } else if (event.key === "Escape" && !list.hidden) {
      event.preventDefault(); // keeps what was typed (a search box clears itself on Escape)
      close();
    }
  });

  input.addEventListener("blur", close);
  input.form.addEventListener("submit", () => { clearTimeout(timer); if (pending) pending.abort(); close(); });
})();
