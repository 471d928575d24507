// The early warnings' map: a circle per warning (red: hotspot, blue: recurrence, orange:
// surge) over the configured tiles ({% map_config %}, docs/maps.md), from the page's
// json_script (CSP: no inline script); labels are set as text, never as HTML.
(function () {
  const el = document.getElementById("warning-map");
  const data = document.getElementById("warning-data");
  if (!el || !data) return;
  const items = JSON.parse(data.textContent);
  const map = L.map(el);
  const cfgEl = document.getElementById("map-config");
  const cfg = cfgEl ? JSON.parse(cfgEl.textContent) : { layers: [] };
  cfg.layers.forEach((t) => L.tileLayer(t.url, {
    subdomains: t.subdomains, attribution: t.attribution, maxZoom: 19, maxNativeZoom: t.maxZoom,
  }).addTo(map));
  if (!cfg.layers.length) el.classList.add("map-offline");
  // A circle needs the map's view to measure itself: start on the first warning.
  map.setView(items.length ? [items[0].lat, items[0].lon] : [31.32, 120.6], items.length ? 16 : 12);
  const COLOR = { hotspot: "#b3261e", recurrence: "#1e6bb3", surge: "#ef6c00" };
  const shapes = items.map((w) => {
    const color = COLOR[w.kind] || "#555";
    const shape = L.circle([w.lat, w.lon], { radius: w.radius, color, fillColor: color, fillOpacity: 0.3, weight: 2 });
    const tip = document.createElement("div");
    const link = document.createElement("a");
    link.href = w.url;
    link.textContent = w.label;
    const count = document.createElement("div");
    count.textContent = w.count;
    tip.append(link, count);
    shape.bindPopup(tip);
    return shape.addTo(map);
  });
  if (shapes.length) map.fitBounds(L.featureGroup(shapes).getBounds(), { animate: false, maxZoom: 17, padding: [20, 20] });
  el.dataset.loaded = shapes.length;

  // Under the warnings, as on the grid map (map.js): with no tiles, the base layer (estates,
  // water, green) and the viewer's grids as outlines, drawn when they arrive.
  const get = (url) => fetch(url, { credentials: "same-origin" }).then((r) => (r.ok ? r.json() : null));
  map.createPane("basemap").style.zIndex = 350;
  const FILL = {
    water: { stroke: false, fillColor: "#aad3df", fillOpacity: 1 },
    river: { color: "#aad3df", weight: 1, fillColor: "#aad3df", fillOpacity: 1 },
    green: { color: "#add19e", weight: 1, fillColor: "#cdebb0", fillOpacity: 1 },
    estate: { color: "#c9bfb0", weight: 1, fillColor: "#e8e2d8", fillOpacity: 1 },
    road: { color: "#ffffff", weight: 4 },
  };
  if (!cfg.layers.length && el.dataset.basemapUrl) {
    get(el.dataset.basemapUrl).then((base) => {
      if (base) L.geoJSON(base, { pane: "basemap", interactive: false, style: (f) => FILL[f.properties.kind] || FILL.estate }).addTo(map);
    });
  }
  if (el.dataset.geojson) {
    get(el.dataset.geojson).then((grids) => {
      if (grids) L.geoJSON(grids, { pane: "basemap", interactive: false, style: { color: "#6d6d6d", weight: 1, dashArray: "4 3", fill: false } }).addTo(map);
    });
  }
})();
