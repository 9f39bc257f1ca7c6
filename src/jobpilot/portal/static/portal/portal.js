// JobPilot pages: small progressive enhancements. Every page works without this file.
(() => {
  "use strict";

  // Disclosure buttons: <button data-toggle="#menu" aria-controls="menu" aria-expanded="false">.
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-toggle]");
    if (!button) return;
    const target = document.querySelector(button.dataset.toggle);
    if (!target) return;
    const open = target.classList.toggle("open");
    button.setAttribute("aria-expanded", String(open));
  });

  // Filters outside their form (`form="search-form"`) and selects marked data-autosubmit search as they change.
  document.addEventListener("change", (event) => {
    const input = event.target;
    if (input.hasAttribute && input.hasAttribute("data-autosubmit") && input.form) input.form.requestSubmit();
  });

  // Escape closes an open menu (<details class="account-menu">) and gives focus back to its summary.
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    const menu = document.activeElement && document.activeElement.closest("details[open]");
    if (menu) {
      menu.open = false;
      menu.querySelector("summary").focus();
    }
  });

  // Employer sign-up: suggest the address from the company name until the user types one of their own.
  const source = document.querySelector("[data-slug-source]");
  const target = document.querySelector("[data-slug-target]");
  if (source && target) {
    let edited = target.value !== "";
    target.addEventListener("input", (event) => { if (event.isTrusted) edited = target.value !== ""; });
    source.addEventListener("input", () => {
      if (edited) return;
      target.value = source.value
        .normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
        .toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").replace(/^[^a-z]+/, "")
        .slice(0, 50).replace(/-+$/, "");
      target.dispatchEvent(new Event("input", { bubbles: true }));
    });
  }

  // Colour inputs show their hex code next to them.
  document.querySelectorAll("input[type=color][data-code]").forEach((input) => {
    const code = document.getElementById(input.dataset.code);
    input.addEventListener("input", () => { code.textContent = input.value; });
  });
})();
