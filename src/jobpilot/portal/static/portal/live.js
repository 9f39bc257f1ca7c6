// Live notifications on the public site: the bell's count and, on the notifications page, the list itself.
// The websocket client (js/notifications.js) reconnects and replays what was missed.
(() => {
  "use strict";
  if (!window.JobPilotNotifications || !document.getElementById("bell")) return;
  // The connection's state, for styles and tests: <html data-live="open">.
  document.addEventListener("jobpilot:notifications-status", (event) => {
    document.documentElement.dataset.live = event.detail.status;
  });
  window.JobPilotNotifications.connect();

  document.addEventListener("jobpilot:notification", (event) => {
    const { data = {}, created_at: createdAt } = event.detail;
    const bell = document.getElementById("bell");
    const count = document.getElementById("bell-count");
    const unread = Number(bell.dataset.unread || 0) + 1;
    bell.dataset.unread = String(unread);
    count.textContent = String(unread);
    count.hidden = false;
    bell.classList.add("ring");
    setTimeout(() => bell.classList.remove("ring"), 1200);
    announce(data.title || "New notification");

    const list = document.getElementById("notification-list");
    if (list) {
      const empty = list.querySelector("[data-empty]");
      if (empty) empty.remove();
      const item = document.createElement("li");
      item.className = "notification is-unread";
      const body = document.createElement("div");
      const title = document.createElement("p");
      title.className = "notification-title";
      if (data.url) {
        const link = document.createElement("a");
        link.href = data.url;
        link.textContent = data.title || "";
        title.append(link);
      } else {
        title.textContent = data.title || "";
      }
      body.append(title);
      if (data.body) {
        const text = document.createElement("p");
        text.className = "small muted";
        text.textContent = data.body;
        body.append(text);
      }
      const time = document.createElement("time");
      time.className = "small muted";
      time.dateTime = createdAt || "";
      time.textContent = "just now";
      item.append(body, time);
      list.prepend(item);
    }

    // A page showing the seeker's applications (the tracker, one application) renders the changed state again
    // from the server, so it never contradicts the toast: the part marked data-live-refresh is swapped in place.
    if (data.tracked_application_id && window.htmx) {
      document.querySelectorAll("[data-live-refresh][id]").forEach((region) => {
        window.htmx.ajax("GET", window.location.href, {
          target: `#${region.id}`,
          select: `#${region.id}`,
          swap: "outerHTML",
        });
      });
    }
  });

  // A toast that screen readers announce; it leaves by itself.
  function announce(text) {
    let region = document.getElementById("toasts");
    if (!region) {
      region = document.createElement("div");
      region.id = "toasts";
      region.className = "toasts";
      region.setAttribute("role", "status");
      region.setAttribute("aria-live", "polite");
      document.body.append(region);
    }
    const toast = document.createElement("div");
    toast.className = "toast";
    toast.textContent = text;
    region.append(toast);
    setTimeout(() => toast.remove(), 6000);
  }
})();
