// Maps on case pages: pick a point (fills #id_lat/#id_lon), use GPS, or show a case's place.
(function () {
  function plainMap(el) {
    const map = L.map(el);
    return map;
  }
  const pick = document.getElementById("pick-map");
  if (pick) {
    const map = plainMap(pick);
    map.setView([31.32, 120.6], 13);
    let marker = null;
    const info = document.getElementById("pick-info");
    function setPoint(lat, lon) {
      const latInput = document.getElementById("id_lat");
      const lonInput = document.getElementById("id_lon");
      if (marker) marker.setLatLng([lat, lon]); else marker = L.marker([lat, lon]).addTo(map);
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
        (pos) => { setPoint(pos.coords.latitude, pos.coords.longitude); map.setView([pos.coords.latitude, pos.coords.longitude], 17); },
        () => { if (info) info.textContent = "✕"; }));
    }
  }
  const show = document.getElementById("case-map");
  if (show) {
    const lat = parseFloat(show.dataset.lat), lon = parseFloat(show.dataset.lon);
    const map = plainMap(show);
    map.setView([lat, lon], 17);
    L.circleMarker([lat, lon], { radius: 8, color: "#b3261e" }).addTo(map);
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
