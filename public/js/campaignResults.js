// A campaign's results chart: sent, delivered and read over time, from the page's JSON block
// (the CSP forbids inline scripts), drawn with the locally served Chart.js. The same numbers are
// in the table under the chart, so nothing is lost without JavaScript.
(function () {
  "use strict";
  const block = document.getElementById("delivery-data");
  const canvas = document.getElementById("delivery-chart");
  if (!block || !canvas || typeof window.Chart === "undefined") return;
  let data;
  try {
    data = JSON.parse(block.textContent || "{}");
  } catch {
    return;
  }
  if (!data.labels || data.labels.length === 0) return;
  const labels = data.labels.map((iso) =>
    new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }),
  );
  const line = (label, values, color) => ({
    label,
    data: values,
    borderColor: color,
    backgroundColor: color,
    tension: 0.2,
    pointRadius: 0,
  });
  new window.Chart(canvas, {
    type: "line",
    data: {
      labels,
      datasets: [
        line("Sent", data.sent, "#0d6efd"),
        line("Delivered", data.delivered, "#198754"),
        line("Read", data.read, "#6f42c1"),
      ],
    },
    options: {
      animation: false,
      responsive: true,
      aspectRatio: 2,
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
    },
  });
})();
