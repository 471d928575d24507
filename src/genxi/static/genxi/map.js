// The maps (docs/maps.md): the configured tiles (#map-config, from {% map_config %}) or,
// with none, the base layer kept in regions.BaseFeature (estates, roads, rivers), drawn
// under the grids; grid, estate and road names as labels at the zooms they fit; each map
// starts framed on the viewer's own area (the grids the server answers are the viewer's).
// Coordinates arrive already in the tiles' datum (the server shifts them for GCJ-02).
(function () {
  const el = document.getElementById("map");
  if (!el) return;
  const cfgEl = document.getElementById("map-config");
  const cfg = cfgEl ? JSON.parse(cfgEl.textContent) : { kind: "none", layers: [] };
  const map = L.map(el, { zoomSnap: 0.5, maxZoom: 19, attributionControl: true });
  map.attributionControl.setPrefix(false);
  map.createPane("basemap").style.zIndex = 350; // under the grids (overlayPane, 400)
  map.createPane("labels").style.zIndex = 450;
  cfg.layers.forEach((t) => L.tileLayer(t.url, {
    subdomains: t.subdomains, attribution: t.attribution, maxZoom: 19, maxNativeZoom: t.maxZoom,
  }).addTo(map));
  if (!cfg.layers.length) el.classList.add("map-offline");

  // Names come from data: always set as text, never as HTML.
  function text(cls, value) {
    const span = document.createElement("span");
    span.className = cls;
    span.textContent = value;
    return span;
  }
  function label(layer, cls, value) {
    layer.bindTooltip(text("", value), {
      permanent: true, direction: "center", className: "map-label " + cls, pane: "labels",
    });
  }

  // Widths in pixels follow the zoom, as on a printed map: thin when far, wider when near.
  const widths = [];
  function scaled(px) { return Math.max(1, px * Math.min(1.6, Math.pow(2, map.getZoom() - 16))); }
  function restyle() {
    widths.forEach(([layer, px]) => layer.setStyle({ weight: scaled(px) }));
    const z = map.getZoom();
    el.classList.toggle("show-roads", z >= 14.5);
    el.classList.toggle("show-grids", z >= 15.5);
    el.classList.toggle("show-estates", z >= 15.5);
    el.classList.toggle("show-minor-roads", z >= 16);
    el.classList.toggle("show-communities", z >= 14.5 && z < 15.5);
  }

  const STYLE = {
    water: { stroke: false, fillColor: "#aad3df", fillOpacity: 1 },
    river: { color: "#aad3df", weight: 1, fillColor: "#aad3df", fillOpacity: 1 },
    green: { color: "#add19e", weight: 1, fillColor: "#cdebb0", fillOpacity: 1 },
    estate: { color: "#c9bfb0", weight: 1, fillColor: "#e8e2d8", fillOpacity: 1 },
  };
  function drawBasemap(data) {
    const group = L.layerGroup();
    data.features.forEach((f) => {
      const p = f.properties;
      if (p.kind === "road") {
        const main = p.rank === 1;
        const casing = L.geoJSON(f, { pane: "basemap", interactive: false,
          style: { color: "#c4bcae", weight: 1, lineCap: "round" } });
        const fill = L.geoJSON(f, { pane: "basemap", interactive: false,
          style: { color: main ? "#fdfcf8" : "#ffffff", weight: 1, lineCap: "round" } });
        widths.push([casing, main ? 9 : 6], [fill, main ? 7 : 4.5]);
        group.addLayer(casing).addLayer(fill);
        if (p.name) fill.eachLayer((l) => label(l, main ? "road-label" : "road-label minor", p.name));
        return;
      }
      const shape = L.geoJSON(f, { pane: "basemap", interactive: false, style: STYLE[p.kind] || STYLE.estate });
      group.addLayer(shape);
      if (p.name && p.kind === "estate") {
        // An estate's name near its north fence, clear of the grid names at the centre.
        const b = shape.getBounds();
        const at = L.latLng(b.getSouth() + 0.95 * (b.getNorth() - b.getSouth()), b.getCenter().lng);
        group.addLayer(L.marker(at, {
          pane: "labels", interactive: false, keyboard: false,
          icon: L.divIcon({ className: "map-label estate-label", html: text("", p.name), iconSize: null }),
        }));
      } else if (p.name) {
        shape.eachLayer((l) => label(l, p.kind === "green" ? "green-label" : "water-label", p.name));
      }
    });
    el.dataset.basemap = data.features.length;
    return group;
  }

  const palette = ["#b3261e", "#1e6bb3", "#2e7d32", "#8e24aa", "#ef6c00", "#00838f"];
  const communities = {};
  const focus = el.dataset.focus || "";
  function drawGrids(data) {
    const byCommunity = {};
    const layer = L.geoJSON(data, {
      style: (f) => {
        const c = f.properties.community;
        if (!(c in communities)) communities[c] = Object.keys(communities).length;
        const color = palette[communities[c] % palette.length];
        const mine = focus && f.properties.code.startsWith(focus);
        return { color, weight: mine ? 3 : 1.5, fillColor: color, fillOpacity: mine ? 0.22 : 0.1 };
      },
      onEachFeature: (f, l) => {
        label(l, "grid-label", f.properties.name);
        (byCommunity[f.properties.community] = byCommunity[f.properties.community] || []).push(l);
        l.on("click", () => { window.location = "/regions/" + f.properties.id + "/"; });
      },
    });
    // A community's name over its grids when they are too small to name one by one.
    const names = L.layerGroup();
    Object.keys(byCommunity).forEach((name) => {
      const bounds = L.featureGroup(byCommunity[name]).getBounds();
      names.addLayer(L.marker(bounds.getCenter(), {
        pane: "labels", interactive: false, keyboard: false,
        icon: L.divIcon({ className: "map-label community-label", html: text("", name), iconSize: null }),
      }));
    });
    return [layer, names];
  }

  function frame(layer) {
    // The viewer's own area (or the region a page is about), with room around it.
    let bounds = null;
    layer.eachLayer((l) => {
      if (!focus || l.feature.properties.code.startsWith(focus)) {
        bounds = bounds ? bounds.extend(l.getBounds()) : L.latLngBounds(l.getBounds().getSouthWest(), l.getBounds().getNorthEast());
      }
    });
    if (bounds) map.fitBounds(bounds, { padding: [24, 24], maxZoom: 17, animate: false });
    else map.setView([31.3, 120.6], 12);
  }

  const get = (url) => fetch(url, { credentials: "same-origin" }).then((r) => r.json());
  Promise.all([
    get(el.dataset.geojson),
    el.dataset.basemapUrl ? get(el.dataset.basemapUrl) : Promise.resolve(null),
  ]).then(([grids, base]) => {
    const [gridLayer, communityNames] = drawGrids(grids);
    frame(gridLayer);
    const overlays = {};
    if (base) {
      const baseLayer = drawBasemap(base);
      // Drawn when there are no tiles; over tiles it is one of the layers to switch on.
      if (!cfg.layers.length) baseLayer.addTo(map);
      overlays[el.dataset.basemapName || "base"] = baseLayer;
    }
    gridLayer.addTo(map);
    communityNames.addTo(map);
    overlays[el.dataset.gridsName || "grids"] = gridLayer;
    if (base) L.control.layers(null, overlays, { collapsed: true }).addTo(map);
    L.control.scale({ imperial: false }).addTo(map);
    map.on("zoomend", restyle);
    restyle();
    const info = document.getElementById("map-info");
    if (info) info.textContent = grids.features.length + " " + info.dataset.unit;
    el.dataset.loaded = grids.features.length;
  });
})();
