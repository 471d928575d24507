// Maps on case pages: pick a point (fills #id_lat/#id_lon), use GPS, or show a case's place.
// The map draws in the configured tiles' datum (#map-config, docs/maps.md); the fields and
// the server hold WGS-84, so a point is converted on its way in and out (datum.js).
(function () {
  const cfgEl = document.getElementById("map-config");
  const cfg = cfgEl ? JSON.parse(cfgEl.textContent) : { datum: "wgs84", layers: [] };
  const toTiles = (lat, lon) => window.genxiDatum.toTiles(lat, lon, cfg.datum);
  const fromTiles = (lat, lon) => window.genxiDatum.fromTiles(lat, lon, cfg.datum);
  function plainMap(el) {
    const map = L.map(el);
    cfg.layers.forEach((t) => L.tileLayer(t.url, {
      subdomains: t.subdomains, attribution: t.attribution, maxZoom: 19, maxNativeZoom: t.maxZoom,
    }).addTo(map));
    return map;
  }
  const pick = document.getElementById("pick-map");
  if (pick) {
    const map = plainMap(pick);
    map.setView([31.32, 120.6], 13);
    let marker = null;
    const info = document.getElementById("pick-info");
    // (lat, lon): a point on the map, in the tiles' datum; stored in WGS-84.
    function setPoint(mapLat, mapLon) {
      const [lat, lon] = fromTiles(mapLat, mapLon);
      const latInput = document.getElementById("id_lat");
      const lonInput = document.getElementById("id_lon");
      if (marker) marker.setLatLng([mapLat, mapLon]);
      else marker = L.marker([mapLat, mapLon]).addTo(map);
      if (latInput) { latInput.value = lat.toFixed(6); lonInput.value = lon.toFixed(6); }
      if (info) info.textContent = lat.toFixed(5) + ", " + lon.toFixed(5);
      if (pick.dataset.find) {
        window.location = "?lat=" + lat.toFixed(6) + "&lon=" + lon.toFixed(6);
      }
      document.body.dispatchEvent(new Event("pointpicked"));
    }
    if (pick.dataset.geojson) {
      fetch(pick.dataset.geojson).then((r) => r.json()).then((data) => {
        const layer = L.geoJSON(data, { style: { color: "#b3261e", weight: 1, fillOpacity: 0.08 } });
        layer.eachLayer((l) => l.on("click", (e) => setPoint(e.latlng.lat, e.latlng.lng)));
        layer.addTo(map);
        if (data.features.length) map.fitBounds(layer.getBounds(), { animate: false });
        pick.dataset.loaded = data.features.length;
      });
    }
    map.on("click", (e) => setPoint(e.latlng.lat, e.latlng.lng));
    const gps = document.getElementById("use-gps");
    if (gps && navigator.geolocation) {
      gps.addEventListener("click", () => navigator.geolocation.getCurrentPosition(
        (pos) => {  // GPS reads WGS-84: shown where the tiles draw it
          const at = toTiles(pos.coords.latitude, pos.coords.longitude);
          setPoint(at[0], at[1]);
          map.setView(at, 17);
        },
        () => { if (info) info.textContent = "✕"; }));
    }
  }
  const show = document.getElementById("case-map");
  if (show) {
    const at = toTiles(parseFloat(show.dataset.lat), parseFloat(show.dataset.lon));
    const map = plainMap(show);
    map.setView(at, 17);
    L.circleMarker(at, { radius: 8, color: "#b3261e" }).addTo(map);
  }
  // Resolving on a phone: attach the handler's position to the result.
  document.querySelectorAll("form.action-form .gps-lat").forEach((input) => {
    if (!navigator.geolocation) return;
    navigator.geolocation.getCurrentPosition((pos) => {
      input.value = pos.coords.latitude.toFixed(6);
      input.form.querySelector(".gps-lon").value = pos.coords.longitude.toFixed(6);
    }, () => {});
  });
})();
