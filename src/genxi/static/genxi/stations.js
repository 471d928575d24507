// The public map of service stations: a dot per station (green when open), from the
// page's json_script; names are set as text, never as HTML.
(function () {
  const el = document.getElementById("station-map");
  const data = document.getElementById("station-data");
  if (!el || !data) return;
  const items = JSON.parse(data.textContent);
  const map = L.map(el);
  // The configured tiles ({% map_config %}, docs/maps.md); the points come in their datum.
  const cfgEl = document.getElementById("map-config");
  const cfg = cfgEl ? JSON.parse(cfgEl.textContent) : { layers: [] };
  cfg.layers.forEach((t) => L.tileLayer(t.url, {
    subdomains: t.subdomains, attribution: t.attribution, maxZoom: 19, maxNativeZoom: t.maxZoom,
  }).addTo(map));
  const dots = items.map((s) => {
    const color = s.open ? "#2e7d32" : "#757575";
    const dot = L.circleMarker([s.lat, s.lon], { radius: 9, color, fillColor: color, fillOpacity: 0.8 });
    const tip = document.createElement("div");
    const name = document.createElement("a");
    name.href = s.url;
    name.textContent = s.name;
    const state = document.createElement("div");
    state.textContent = s.status;
    const offers = document.createElement("div");
    offers.textContent = s.amenities.join("、");
    tip.append(name, state, offers);
    dot.bindPopup(tip);
    return dot.addTo(map);
  });
  if (dots.length) map.fitBounds(L.featureGroup(dots).getBounds(), { animate: false, maxZoom: 16, padding: [20, 20] });
  else map.setView([31.32, 120.6], 12);
  el.dataset.loaded = dots.length;
})();
