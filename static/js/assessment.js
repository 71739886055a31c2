// Self-assessment: draw each score's parts (known minimum, and the range still open) as a bar chart.
(function () {
  "use strict";

  function draw(element) {
    if (!window.echarts || element.dataset.drawn) return;
    var data = JSON.parse(element.dataset.chart);
    element.dataset.drawn = "1";
    var chart = window.echarts.init(element, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      grid: { left: 120, right: 24, top: 28, bottom: 24 },
      legend: { top: 0, data: ["已确定得分", "可能增加的得分"] },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "value", name: "分" },
      yAxis: { type: "category", data: data.labels, inverse: true },
      series: [
        { name: "已确定得分", type: "bar", stack: "score", data: data.min, itemStyle: { color: "#2e7d32" },
          label: { show: true, position: "inside", formatter: function (p) { return p.value ? String(p.value) : ""; } } },
        { name: "可能增加的得分", type: "bar", stack: "score", data: data.extra,
          itemStyle: { color: "#f0c36d" } }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function drawAll(root) {
    (root || document).querySelectorAll(".score-chart[data-chart]").forEach(draw);
  }

  // the three year columns follow the evaluation date: the three fiscal years before its year
  function labelYears() {
    var asOf = document.getElementById("id_as_of");
    var year = asOf && /^\d{4}/.test(asOf.value) ? parseInt(asOf.value.slice(0, 4), 10) : null;
    document.querySelectorAll("th[data-year]").forEach(function (th) {
      var k = parseInt(th.dataset.year, 10);
      th.textContent = year ? (year - 4 + k) + "年" : "第" + k + "年" + (k === 3 ? "（最近一年）" : "");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawAll(document);
    var asOf = document.getElementById("id_as_of");
    if (asOf) asOf.addEventListener("change", labelYears);
  });
  document.addEventListener("htmx:afterSettle", function (event) { drawAll(event.target); });
}());
