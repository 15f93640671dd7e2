/* Charts of the reports (Chart.js, static/vendor/chartjs). Each <canvas data-chart="id">
   reads its configuration from the JSON script element with that id (Django's json_script):
   no inline script, so the Content-Security-Policy stays strict. A <select
   data-series-for="canvas id"> switches the dataset shown (the score histogram by position). */
(function () {
  "use strict";
  if (typeof Chart === "undefined") return;
  var charts = {};

  function config(spec) {
    var valueAxis = spec.horizontal ? "x" : "y";
    var scales = {};
    scales[spec.horizontal ? "y" : "x"] = { stacked: !!spec.stacked, ticks: { autoSkip: true } };
    scales[valueAxis] = { stacked: !!spec.stacked, beginAtZero: true, ticks: { precision: 0 } };
    if (spec.secondAxis) {
      scales.y1 = { position: "right", beginAtZero: true, grid: { drawOnChartArea: false }, ticks: { precision: 0 } };
    }
    var datasets = spec.datasets.map(function (dataset) {
      var copy = Object.assign({}, dataset);
      if (spec.horizontal) delete copy.yAxisID;
      return copy;
    });
    return {
      type: spec.type || "bar",
      data: { labels: spec.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        indexAxis: spec.horizontal ? "y" : "x",
        scales: scales,
        plugins: { legend: { display: datasets.length > 1, position: "bottom" } }
      }
    };
  }

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) return;
    var spec = JSON.parse(source.textContent);
    charts[canvas.id] = { chart: new Chart(canvas, config(spec)), spec: spec };
  });

  document.querySelectorAll("select[data-series-for]").forEach(function (select) {
    select.addEventListener("change", function () {
      var entry = charts[select.dataset.seriesFor];
      if (!entry || !entry.spec.series) return;
      var series = entry.spec.series[Number(select.value)];
      entry.chart.data.datasets[0].label = series.label;
      entry.chart.data.datasets[0].data = series.data;
      entry.chart.update();
    });
  });
})();
