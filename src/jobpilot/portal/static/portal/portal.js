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

// "Draft a cover letter" on the apply form: asks /api/v2/drafts/cover-letter/ (the session and the form's CSRF
// token) and fills the cover letter box; without the plan, says so with the upgrade link.
document.querySelectorAll("[data-draft-cover-letter]").forEach(function (button) {
  button.addEventListener("click", async function () {
    const form = button.closest("form");
    const box = form.querySelector("#cover_letter");
    const status = form.querySelector("#draft-status");
    const token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    if (box.value.trim() && !window.confirm("Replace what you wrote with a draft?")) return;
    button.disabled = true;
    status.textContent = "Drafting…";
    try {
      const response = await fetch(button.dataset.draftCoverLetter, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": token },
        body: JSON.stringify({ job_id: button.dataset.jobId }),
      });
      const body = await response.json();
      if (response.ok) {
        box.value = body.cover_letter;
        status.textContent = "Drafted from the posting and your profile. Make it yours before you send it.";
      } else {
        status.textContent = body.detail + " ";
        if (body.upgrade_url) {
          const link = document.createElement("a");
          link.href = body.upgrade_url;
          link.textContent = "See plans";
          status.appendChild(link);
        }
      }
    } catch (error) {
      status.textContent = "The draft could not be made. Try again.";
    } finally {
      button.disabled = false;
    }
  });
});
