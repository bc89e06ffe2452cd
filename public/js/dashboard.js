// The dashboard's charts: data from the page's JSON block (the CSP forbids inline scripts), drawn
// with the locally served Chart.js. The same numbers are in tables under each chart.
(function () {
  "use strict";
  // Live cards: the stream (public/js/live.js) names cards of the business that changed; they are
  // read again from the dashboard itself (the member's own scope and numbers) and swapped in
  // place, at most once a second however many changes arrive.
  const slot = document.querySelector('[data-slot="cards"]');
  if (slot && typeof window.fetch === "function" && typeof window.DOMParser === "function") {
    const wanted = new Set();
    let timer = null;
    const refresh = () => {
      timer = null;
      const names = Array.from(wanted);
      wanted.clear();
      window
        .fetch(window.location.pathname, {
          credentials: "same-origin",
          headers: { Accept: "text/html" },
        })
        .then((response) => (response.ok ? response.text() : Promise.reject(response.status)))
        .then((html) => {
          const page = new window.DOMParser().parseFromString(html, "text/html");
          names.forEach((name) => {
            const selector = '[data-card="' + name + '"]';
            const current = document.querySelector(selector);
            const fresh = page.querySelector(selector);
            if (!current || !fresh) return;
            const column = current.parentElement;
            const freshColumn = fresh.parentElement;
            if (column && freshColumn) column.innerHTML = freshColumn.innerHTML;
            const swapped = document.querySelector(selector);
            if (swapped) swapped.dataset.refreshed = String(Date.now());
          });
        })
        .catch(() => undefined);
    };
    document.addEventListener("crm:dashboard", (event) => {
      const cards = (event.detail && event.detail.cards) || [];
      cards.forEach((name) => {
        if (/^[a-z_]+$/.test(name) && document.querySelector('[data-card="' + name + '"]'))
          wanted.add(name);
      });
      if (wanted.size && timer === null) timer = window.setTimeout(refresh, 1000);
    });
  }
  const block = document.getElementById("dashboard-data");
  if (!block || typeof window.Chart === "undefined") return;
  let data;
  try {
    data = JSON.parse(block.textContent || "{}");
  } catch {
    return;
  }
  const Chart = window.Chart;
  const growth = document.getElementById("chart-growth-canvas");
  if (growth && data.growth) {
    const datasets = [];
    if (data.growth.customers)
      datasets.push({
        label: "Customers",
        data: data.growth.customers,
        borderColor: "#0d6efd",
        tension: 0.2,
      });
    if (data.growth.leads)
      datasets.push({
        label: "Leads",
        data: data.growth.leads,
        borderColor: "#198754",
        tension: 0.2,
      });
    new Chart(growth, {
      type: "line",
      data: { labels: data.growth.labels, datasets },
      options: { responsive: true, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    });
  }
  const stages = document.getElementById("chart-stages-canvas");
  if (stages && data.stages) {
    new Chart(stages, {
      type: "bar",
      data: {
        labels: data.stages.labels,
        datasets: [{ label: "Deals", data: data.stages.counts, backgroundColor: "#0d6efd" }],
      },
      options: {
        responsive: true,
        plugins: { legend: { display: false } },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
  }
})();
