// Charts of the 汇总 page: each element with data-chart names the json_script that holds its data
// ({labels, values}); data-kind "rate" draws percentages (销号率), "bars" counts. No inline script (CSP).
(function () {
  "use strict";
  function draw(el) {
    var source = document.getElementById(el.dataset.chart);
    if (!source || typeof echarts === "undefined") return;
    var data = JSON.parse(source.textContent);
    var rate = el.dataset.kind === "rate";
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      grid: { left: 8, right: 8, top: 16, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", valueFormatter: function (v) { return rate ? v + "%" : String(v); } },
      xAxis: { type: "category", data: data.labels, axisLabel: { interval: 0, rotate: el.clientWidth / Math.max(data.labels.length, 1) < 80 ? 40 : 0 } },
      yAxis: { type: "value", max: rate ? 100 : null, axisLabel: { formatter: rate ? "{value}%" : "{value}" } },
      series: [{ type: "bar", data: data.values, itemStyle: { color: rate ? "#2fb344" : "#206bc4" },
                 label: { show: data.labels.length <= 12, position: "top", formatter: rate ? "{c}%" : "{c}" } }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  function start() { document.querySelectorAll("[data-chart]").forEach(draw); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
