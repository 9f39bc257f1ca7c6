// Seeker dashboard charts (Chart.js, vendored). The numbers are also in the page as text for screen readers.
(() => {
  "use strict";
  const source = document.getElementById("chart-data");
  if (!source || !window.Chart) return;
  const data = JSON.parse(source.textContent);
  const style = getComputedStyle(document.documentElement);
  const primary = style.getPropertyValue("--brand-primary").trim() || "#4338ca";
  const accent = style.getPropertyValue("--brand-accent").trim() || "#0f766e";
  const common = {
    responsive: true,
    maintainAspectRatio: false,
    plugins: { legend: { display: false } },
    scales: { y: { beginAtZero: true, ticks: { precision: 0 } }, x: { grid: { display: false } } },
  };
  new window.Chart(document.getElementById("funnel-chart"), {
    type: "bar",
    data: {
      labels: data.funnel.labels,
      datasets: [{ data: data.funnel.values, backgroundColor: [primary, accent, "#16a34a"], borderRadius: 6 }],
    },
    options: { ...common, indexAxis: "y", scales: { x: { beginAtZero: true, ticks: { precision: 0 } }, y: { grid: { display: false } } } },
  });
  new window.Chart(document.getElementById("weeks-chart"), {
    type: "line",
    data: {
      labels: data.weeks.labels,
      datasets: [{ data: data.weeks.values, borderColor: primary, backgroundColor: primary + "22", fill: true, cubicInterpolationMode: "monotone", pointRadius: 3 }],
    },
    options: common,
  });
})();
