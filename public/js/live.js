// The bell's unread count, live: a server-sent-event stream (/notifications/live) sends the count
// whenever the member's notifications change, from any web process. Without this script (or
// without EventSource) the bell shows the count of the page's load. The same stream names the
// dashboard cards of the business that changed; they are handed on as a "crm:dashboard" event
// (public/js/dashboard.js reloads them).
(function () {
  "use strict";
  const bell = document.querySelector('[data-slot="notifications"]');
  if (!bell || typeof window.EventSource === "undefined") return;
  const source = new window.EventSource("/notifications/live");
  source.addEventListener("unread", (event) => {
    let data;
    try {
      data = JSON.parse(event.data);
    } catch {
      return;
    }
    let badge = bell.querySelector(".badge");
    if (data.badge) {
      if (!badge) {
        badge = document.createElement("span");
        badge.className =
          "position-absolute top-0 start-100 translate-middle badge rounded-pill text-bg-danger";
        badge.setAttribute("aria-hidden", "true");
        bell.appendChild(badge);
      }
      badge.textContent = data.badge;
      bell.setAttribute("aria-label", "Notifications, " + data.badge + " unread");
    } else {
      if (badge) badge.remove();
      bell.setAttribute("aria-label", "Notifications");
    }
    bell.dataset.unread = String(data.count);
  });
  source.addEventListener("dashboard", (event) => {
    let data;
    try {
      data = JSON.parse(event.data);
    } catch {
      return;
    }
    if (!data || !Array.isArray(data.cards)) return;
    document.dispatchEvent(new window.CustomEvent("crm:dashboard", { detail: data }));
  });
  // Leaving the page closes the stream at once rather than when the browser gets to it.
  window.addEventListener("pagehide", () => source.close());
})();
