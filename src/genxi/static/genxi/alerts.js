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
})();
