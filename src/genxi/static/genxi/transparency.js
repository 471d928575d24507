// The public transparency page (docs/open-data.md): the solved cases by category, drawn
// from the page's JSON block (#solved-data) with the bundled ECharts (no inline script).
(function () {
  const block = document.getElementById("solved-data");
  const el = document.getElementById("solved-chart");
  if (!block || !el || typeof echarts === "undefined") return;
  const items = JSON.parse(block.textContent).items || [];
  if (!items.length) { el.textContent = el.dataset.empty || ""; el.classList.add("dashboard-empty", "text-muted"); el.dataset.drawn = "1"; return; }
  const names = items.map((it) => it.name).reverse();
  const values = items.map((it) => it.value).reverse();
  el.style.height = Math.max(160, 36 * items.length + 40) + "px";
  const chart = echarts.init(el, null, { renderer: "svg" });
  chart.setOption({
    color: ["#c23531"],
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: names, axisLabel: { width: 110, overflow: "truncate" } },
    series: [{ type: "bar", data: values, label: { show: true, position: "right" } }],
  });
  el.dataset.drawn = "1";
  window.addEventListener("resize", () => chart.resize());
})();
