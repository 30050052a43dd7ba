// Dashboard charts (Chart.js). The numbers come from the page's JSON block
// (#dashboard-data); each chart repeats a table beside it, which screen readers
// and printing read instead. Redrawn after a filter change swaps the figures in.
(function () {
  "use strict";
  const charts = [];
  const palette = ["#0d6efd", "#ffc107", "#6c757d", "#198754"];

  function bar(id, labels, datasets, options) {
    const canvas = document.getElementById(id);
    if (!canvas || typeof Chart === "undefined") return;
    charts.push(
      new Chart(canvas, {
        type: "bar",
        data: { labels, datasets },
        options: Object.assign(
          {
            responsive: true,
            maintainAspectRatio: false,
            animation: false,
            plugins: { legend: { position: "bottom" } },
            scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
          },
          options || {},
        ),
      }),
    );
  }

  function draw() {
    while (charts.length) charts.pop().destroy();
    const source = document.getElementById("dashboard-data");
    if (!source) return;
    const data = JSON.parse(source.textContent);
    bar(
      "chart-stage-state",
      data.stages,
      data.byState.map((set, i) => ({ label: set.label, data: set.data, backgroundColor: palette[i % palette.length] })),
      { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } },
    );
    bar("chart-funnel", data.stages, [{ label: data.funnelLabel, data: data.funnel, backgroundColor: palette[0] }], {
      indexAxis: "y",
      scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
    });
    bar("chart-stage-time", data.stages, [
      { label: data.medianLabel, data: data.median, backgroundColor: palette[0] },
      { label: data.p90Label, data: data.p90, backgroundColor: palette[1] },
    ]);
    bar("chart-overdue", data.overdueRegions, [{ label: data.overdueLabel, data: data.overdue, backgroundColor: "#dc3545" }]);
  }

  document.addEventListener("DOMContentLoaded", draw);
  document.body.addEventListener("htmx:afterSettle", (event) => {
    if (event.target && event.target.id === "dashboard-body") draw();
  });
})();
