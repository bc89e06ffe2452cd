// The analytics page's charts: data from the page's JSON block (the CSP forbids inline scripts),
// drawn with the locally served Chart.js. Every chart has the same numbers in a table beside it,
// so nothing is lost without JavaScript or to a screen reader.
(function () {
  "use strict";
  const block = document.getElementById("analytics-data");
  if (!block || typeof window.Chart === "undefined") return;
  let data;
  try {
    data = JSON.parse(block.textContent || "{}");
  } catch {
    return;
  }
  const Chart = window.Chart;
  const blue = "#0d6efd";
  const green = "#198754";
  const grey = "#adb5bd";
  const money = (currency) => (value) => {
    try {
      return new Intl.NumberFormat(currency === "INR" ? "en-IN" : "en", {
        style: "currency",
        currency,
        maximumFractionDigits: 0,
      }).format(value);
    } catch {
      return String(value);
    }
  };
  const counts = { beginAtZero: true, ticks: { precision: 0 } };

  function bar(id, labels, datasets, options) {
    const canvas = document.getElementById(id);
    if (!canvas || !labels || labels.length === 0) return;
    new Chart(canvas, {
      type: "bar",
      data: { labels, datasets },
      options: Object.assign(
        // No animation: the numbers appear at once (and still, for people who dislike motion).
        {
          responsive: true,
          animation: false,
          plugins: { legend: { display: datasets.length > 1 } },
        },
        options || {},
      ),
    });
  }

  if (data.revenue) {
    const format = money(data.revenue.currency);
    bar(
      "chart-revenue",
      data.revenue.labels,
      [{ label: "Won revenue", data: data.revenue.values, backgroundColor: green }],
      { scales: { y: { beginAtZero: true, ticks: { callback: format } } } },
    );
  }
  if (data.sources)
    bar(
      "chart-sources",
      data.sources.labels,
      [{ label: "Leads", data: data.sources.values, backgroundColor: blue }],
      { indexAxis: "y", scales: { x: counts } },
    );
  if (data.campaigns)
    bar(
      "chart-campaigns",
      data.campaigns.labels,
      [{ label: "Leads", data: data.campaigns.values, backgroundColor: blue }],
      { indexAxis: "y", scales: { x: counts } },
    );
  if (data.stages)
    bar(
      "chart-stages",
      data.stages.labels,
      [{ label: "Deals", data: data.stages.values, backgroundColor: blue }],
      { scales: { y: counts } },
    );
  if (data.members) {
    const format = money(data.members.currency);
    bar(
      "chart-members",
      data.members.labels,
      [
        { label: "Won", data: data.members.won, backgroundColor: green },
        { label: "Target", data: data.members.target, backgroundColor: grey },
      ],
      { scales: { y: { beginAtZero: true, ticks: { callback: format } } } },
    );
  }
})();
