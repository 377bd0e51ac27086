// Charts of the 汇总 page: each element with data-chart names the json_script that holds its data
// ({labels, values}); data-kind "rate" draws percentages (销号率), "bars" counts (side by side when the data
// holds {labels, series} instead of values), "lines" one line per
// series ({labels, series: [{name, values}]}: figures over time). No inline script (CSP).
(function () {
  "use strict";
  function draw(el) {
    var source = document.getElementById(el.dataset.chart);
    if (!source || typeof echarts === "undefined") return;
    var data = JSON.parse(source.textContent);
    var rate = el.dataset.kind === "rate";
    var chart = echarts.init(el, null, { renderer: "svg" });
    if (el.dataset.kind === "lines") {
      var colours = ["#206bc4", "#2fb344", "#d63939"];
      chart.setOption({
        grid: { left: 8, right: 32, top: 32, bottom: 8, containLabel: true },
        legend: { top: 0 },
        tooltip: { trigger: "axis" },
        xAxis: { type: "category", data: data.labels, boundaryGap: false },
        yAxis: { type: "value", minInterval: 1 },
        series: data.series.map(function (s, i) {
          return { type: "line", name: s.name, data: s.values, showSymbol: data.labels.length <= 31,
                   itemStyle: { color: colours[i % colours.length] } };
        })
      });
      window.addEventListener("resize", function () { chart.resize(); });
      return;
    }
    chart.setOption({
      grid: { left: 8, right: 8, top: data.series ? 32 : 16, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", valueFormatter: function (v) { return rate ? v + "%" : String(v); } },
      xAxis: { type: "category", data: data.labels, axisLabel: { interval: 0, rotate: el.clientWidth / Math.max(data.labels.length, 1) < 80 ? 40 : 0 } },
      yAxis: { type: "value", max: rate ? 100 : null, axisLabel: { formatter: rate ? "{value}%" : "{value}" } },
      legend: data.series ? { top: 0 } : undefined,
      series: data.series ? data.series.map(function (s, i) {
        return { type: "bar", name: s.name, data: s.values, itemStyle: { color: ["#206bc4", "#d63939"][i % 2] },
                 label: { show: data.labels.length <= 12, position: "top" } };
      }) : [{ type: "bar", data: data.values, itemStyle: { color: rate ? "#2fb344" : "#206bc4" },
               label: { show: data.labels.length <= 12, position: "top", formatter: rate ? "{c}%" : "{c}" } }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  function start() { document.querySelectorAll("[data-chart]").forEach(draw); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
