// Charts of the satisfaction page (R-FB-5), drawn with ECharts from the page's own data.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  var percent = { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value} %" } };
  function draw(id, option) {
    var node = document.getElementById(id);
    if (!node || typeof echarts === "undefined") { return; }
    var chart = echarts.init(node, null, { renderer: "svg" });
    chart.setOption(option);
    node.dataset.drawn = "1";
    window.addEventListener("resize", function () { chart.resize(); });
  }
  draw("trend-chart", {
    grid: { left: 48, right: 16, top: 16, bottom: 32 },
    tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v + " %"; } },
    xAxis: { type: "category", data: data.months },
    yAxis: percent,
    series: [{ type: "line", data: data.rates, connectNulls: true, label: { show: true, formatter: "{c} %" } }]
  });
  draw("question-chart", {
    grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v + " %"; } },
    xAxis: percent,
    yAxis: { type: "category", data: data.questions, inverse: true,
             axisLabel: { width: 140, overflow: "truncate" } },
    series: [{ type: "bar", data: data.question_rates, label: { show: true, position: "right", formatter: "{c} %" } }]
  });
})();
