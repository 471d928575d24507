// The grid map: polygons on a plain background; a tile layer only when one is configured.
(function () {
  const el = document.getElementById("map");
  if (!el) return;
  const map = L.map(el);
  if (el.dataset.tiles) {
    L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution || "" }).addTo(map);
  }
  const palette = ["#b3261e", "#1e6bb3", "#2e7d32", "#8e24aa", "#ef6c00", "#00838f"];
  fetch(el.dataset.geojson, { credentials: "same-origin" })
    .then((r) => r.json())
    .then((data) => {
      const communities = {};
      const layer = L.geoJSON(data, {
        style: (f) => {
          const c = f.properties.community;
          if (!(c in communities)) communities[c] = Object.keys(communities).length;
          const color = palette[communities[c] % palette.length];
          return { color, weight: 1, fillOpacity: 0.25 };
        },
        onEachFeature: (f, l) => {
          // Names come from data: set them as text, never as HTML.
          const tip = document.createElement("span");
          tip.textContent = f.properties.community + " · " + f.properties.name;
          l.bindTooltip(tip);
          l.on("click", () => { window.location = "/regions/" + f.properties.id + "/"; });
        },
      }).addTo(map);
      const info = document.getElementById("map-info");
      info.textContent = data.features.length + " " + info.dataset.unit;
      if (data.features.length) map.fitBounds(layer.getBounds(), { animate: false });
      else map.setView([31.3, 120.6], 12);
      el.dataset.loaded = data.features.length;
    });
})();
