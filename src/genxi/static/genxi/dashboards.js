// The dashboards (docs/dashboards.md): each panel's data comes in the page's JSON block
// (#dashboard-data, core/panels.py says its shape per chart); line, bar and pie charts are
// drawn with ECharts, the density map with Leaflet over the configured tiles (#map-config,
// as map.js). A slice, bar or grid that has a list behind it leads there when clicked.
(function () {
  const block = document.getElementById("dashboard-data");
  if (!block) return;
  const panels = JSON.parse(block.textContent);
  const palette = ["#c23531", "#2f4554", "#61a0a8", "#d48265", "#91c7ae", "#749f83", "#ca8622", "#bda29a", "#6e7074", "#546570"];
  const charts = [];

  function go(url) { if (url) window.location.assign(url); }

  function axisChart(el, p) {
    const d = p.data;
    const line = p.chart === "line";
    const chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      color: palette,
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 40, right: 12, top: 30, bottom: 40, containLabel: true },
      // A line's days may skip labels; a bar's few categories are each named (slanted on a
      // narrow chart, where they would overlap).
      xAxis: { type: "category", data: d.x, axisLabel: line ? { hideOverlap: true } : {
        interval: 0, rotate: el.clientWidth / Math.max(1, d.x.length) < 80 ? 35 : 0,
        width: 90, overflow: "truncate",
      } },
      yAxis: { type: "value", minInterval: 1 },
      series: d.series.map((s, i) => ({
        name: s.name, type: line ? "line" : "bar", data: s.data, smooth: line,
        lineStyle: line && i > 0 ? { type: "dashed" } : undefined,
      })),
    });
    return chart;
  }

  function pieChart(el, p) {
    const items = p.data.items;
    const chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      color: palette,
      tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
      legend: { type: "scroll", bottom: 0 },
      series: [{ type: "pie", radius: ["35%", "65%"], top: 0, bottom: 30,
        data: items.map((it) => ({ name: it.name, value: it.value, url: it.url || "" })) }],
    });
    chart.on("click", (e) => go(e.data && e.data.url));
    return chart;
  }

  function densityMap(el, p) {
    const cfgEl = document.getElementById("map-config");
    const cfg = cfgEl ? JSON.parse(cfgEl.textContent) : { layers: [] };
    const map = L.map(el, { zoomSnap: 0.5, maxZoom: 19 });
    map.attributionControl.setPrefix(false);
    (cfg.layers || []).forEach((t) => L.tileLayer(t.url, {
      subdomains: t.subdomains, attribution: t.attribution, maxZoom: 19, maxNativeZoom: t.maxZoom,
    }).addTo(map));
    const max = Math.max(1, p.data.max);
    function fill(v) {
      if (!v) return "#f7f7f7";
      const k = Math.min(1, v / max);
      const steps = ["#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15"];
      return steps[Math.min(steps.length - 1, Math.floor(k * steps.length))];
    }
    const layer = L.geoJSON({ type: "FeatureCollection", features: p.data.features }, {
      style: (f) => ({ color: "#555", weight: 1, fillColor: fill(f.properties.value), fillOpacity: 0.75 }),
      onEachFeature: (f, lyr) => {
        const tip = document.createElement("span");
        tip.textContent = f.properties.name + ": " + f.properties.value;
        lyr.bindTooltip(tip);
        lyr.on("click", () => go(f.properties.url));
      },
    }).addTo(map);
    const bounds = layer.getBounds();
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [8, 8] });
    else map.setView([31.3, 120.6], 13);
    el.dataset.loaded = p.data.features.length;
    if (el.dataset.pointsUrl) {
      fetch(el.dataset.pointsUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then((r) => (r.ok ? r.json() : null))
        .then((pts) => casePoints(map, el, layer, bounds, pts))
        .catch(() => casePoints(map, el, layer, bounds, null));
    } else {
      casePoints(map, el, layer, bounds, null);
    }
    return null;
  }

  // The cases' bins, fetched after the page is drawn: heat, clusters and the layer control.
  function casePoints(map, el, layer, bounds, pts) {
    if (pts && pts.bins.length) {
      const heat = caseHeat(pts).addTo(map);
      const clusters = caseClusters(map, pts, el).addTo(map);
      const overlays = {};
      overlays[el.dataset.gridsLabel || "grids"] = layer;
      overlays[el.dataset.heatLabel || "heat"] = heat;
      overlays[el.dataset.clustersLabel || "clusters"] = clusters;
      L.control.layers(null, overlays, { collapsed: true }).addTo(map);
      if (!bounds.isValid()) map.fitBounds(L.latLngBounds(pts.bins.map((b) => [b[0], b[1]])), { padding: [16, 16] });
    }
    const note = el.parentElement && el.parentElement.querySelector(".map-without");
    if (note && pts && pts.without) {
      note.textContent = " " + note.dataset.text.replace("{n}", String(pts.without));
      note.hidden = false;
    }
    el.dataset.cases = pts ? pts.bins.reduce((t, b) => t + b[2], 0) : 0;
  }

  // The cases as heat: each server bin (about pts.metres a side) a soft circle, its size
  // and colour growing with its count.
  function caseHeat(pts) {
    const group = L.layerGroup();
    const max = Math.max(1, pts.max);
    const steps = ["#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026"];
    pts.bins.forEach((b) => {
      const k = Math.sqrt(b[2] / max);
      L.circle([b[0], b[1]], {
        radius: pts.metres * (0.3 + 0.5 * k), stroke: false, interactive: false,
        fillColor: steps[Math.min(steps.length - 1, Math.floor(k * steps.length))],
        fillOpacity: 0.35 + 0.35 * k,
      }).addTo(group);
    });
    return group;
  }

  // The place holding every path (the longest common chain of codes): a cluster's cases.
  function commonCode(paths) {
    let common = null;
    paths.forEach((path) => {
      const codes = path.split("/").filter(Boolean);
      if (common === null) { common = codes; return; }
      let i = 0;
      while (i < common.length && i < codes.length && common[i] === codes[i]) i += 1;
      common = common.slice(0, i);
    });
    return common && common.length ? common[common.length - 1] : "";
  }

  // Clusters: the bins gathered on the screen into cells of CELL pixels, redrawn on zoom;
  // each shows its count and leads to the case queue of its place, period and category.
  function caseClusters(map, pts, el) {
    const CELL = 64;
    const group = L.layerGroup();
    function draw() {
      group.clearLayers();
      const cells = new Map();
      pts.bins.forEach((b) => {
        const at = map.latLngToLayerPoint([b[0], b[1]]);
        const key = Math.floor(at.x / CELL) + ":" + Math.floor(at.y / CELL);
        const c = cells.get(key) || { n: 0, lat: 0, lon: 0, places: new Set() };
        c.n += b[2]; c.lat += b[0] * b[2]; c.lon += b[1] * b[2];
        c.places.add(pts.places[String(b[3])]);
        cells.set(key, c);
      });
      let shown = 0;
      cells.forEach((c) => {
        const size = c.n < 10 ? 30 : c.n < 100 ? 38 : 46;
        const icon = L.divIcon({
          className: "map-cluster", iconSize: [size, size],
          html: "<span>" + c.n + "</span>",
        });
        const code = commonCode(Array.from(c.places).filter(Boolean));
        const url = new URL(pts.queue, window.location.origin);
        if (code) url.searchParams.set("region", code);
        const marker = L.marker([c.lat / c.n, c.lon / c.n], { icon: icon, keyboard: true, title: String(c.n) });
        marker.on("click", () => go(url.pathname + url.search));
        marker.addTo(group);
        shown += 1;
      });
      el.dataset.clusters = shown;
    }
    map.on("zoomend", draw);
    group.on("add", draw);
    return group;
  }

  function empty(p) {
    if (p.chart === "pie") return !p.data.items.length;
    if (p.chart === "line" || p.chart === "bar") {
      return !p.data.series.some((s) => s.data.some((v) => v));
    }
    return false;
  }

  panels.forEach((p) => {
    const el = document.querySelector('[data-chart="' + p.key + '"]');
    if (!el) return;
    if (empty(p)) {  // nothing to draw: say so, in the page's language
      el.textContent = el.dataset.empty || "";
      el.classList.add("dashboard-empty", "text-muted");
      el.dataset.drawn = "0";
      return;
    }
    let chart = null;
    if (p.chart === "line" || p.chart === "bar") chart = axisChart(el, p);
    else if (p.chart === "pie") chart = pieChart(el, p);
    else if (p.chart === "map") chart = densityMap(el, p);
    if (chart) { charts.push(chart); el.dataset.drawn = "1"; }
  });
  window.addEventListener("resize", () => charts.forEach((c) => c.resize()));
})();
