// A sending campaign's results, live: a server-sent-event stream (/campaigns/:id/results/live)
// sends the send state, the progress and the count tiles whenever sends are recorded (at most once
// a second, and every 5 s in any case). The numbers are updated in place; when the send state
// changes (completed, paused, cancelled) the page reloads for its buttons, chart and recipients.
// Without JavaScript or EventSource the page refreshes itself every 5 s (<noscript> in the page).
(function () {
  "use strict";
  const badge = document.querySelector("[data-live-results]");
  if (!badge || typeof window.EventSource === "undefined") return;
  const initialState = badge.getAttribute("data-send-state");
  const source = new window.EventSource(badge.getAttribute("data-live-results"));
  const setText = (selector, text) => {
    const el = document.querySelector(selector);
    if (el) el.textContent = text;
  };
  source.addEventListener("results", (event) => {
    let data;
    try {
      data = JSON.parse(event.data);
    } catch {
      return;
    }
    if (data.state && data.state !== initialState) {
      source.close();
      window.location.reload();
      return;
    }
    const progress = document.querySelector("[data-progress]");
    if (progress) {
      progress.value = data.progressPct;
      progress.textContent = data.progressPct + "%";
    }
    setText("[data-done]", String(data.done));
    setText("[data-progress-pct]", String(data.progressPct));
    for (const tile of data.tiles || []) {
      setText('[data-count="' + tile.status + '"]', String(tile.count));
      if (tile.note) setText('[data-note="' + tile.status + '"]', tile.note);
    }
  });
})();
