// Points between the stored datum (WGS-84) and the tiles' datum (docs/maps.md): the same
// formula as regions/domain/datum.py, which the server uses for shapes; a browser test
// checks that the two agree. Only GCJ-02 (高德, 腾讯) shifts; WGS-84 and CGCS2000 do not.
window.genxiDatum = (function () {
  const A = 6378245.0;
  const EE = 0.00669342162296594323;
  function outOfChina(lat, lon) {
    return !(lon >= 72.004 && lon <= 137.8347 && lat >= 0.8293 && lat <= 55.8271);
  }
  function shiftLat(x, y) {
    let r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
    r += (20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0 / 3.0;
    r += (20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin(y / 3.0 * Math.PI)) * 2.0 / 3.0;
    r += (160.0 * Math.sin(y / 12.0 * Math.PI) + 320.0 * Math.sin(y * Math.PI / 30.0)) * 2.0 / 3.0;
    return r;
  }
  function shiftLon(x, y) {
    let r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
    r += (20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0 / 3.0;
    r += (20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin(x / 3.0 * Math.PI)) * 2.0 / 3.0;
    r += (150.0 * Math.sin(x / 12.0 * Math.PI) + 300.0 * Math.sin(x / 30.0 * Math.PI)) * 2.0 / 3.0;
    return r;
  }
  function toGcj(lat, lon) {
    if (outOfChina(lat, lon)) return [lat, lon];
    let dLat = shiftLat(lon - 105.0, lat - 35.0);
    let dLon = shiftLon(lon - 105.0, lat - 35.0);
    const rad = lat / 180.0 * Math.PI;
    const magic = 1 - EE * Math.sin(rad) * Math.sin(rad);
    const sqrtMagic = Math.sqrt(magic);
    dLat = (dLat * 180.0) / ((A * (1 - EE)) / (magic * sqrtMagic) * Math.PI);
    dLon = (dLon * 180.0) / (A / sqrtMagic * Math.cos(rad) * Math.PI);
    return [lat + dLat, lon + dLon];
  }
  function fromGcj(lat, lon) {
    if (outOfChina(lat, lon)) return [lat, lon];
    let gLat = lat, gLon = lon;
    for (let i = 0; i < 30; i++) {  // fixed-point iteration, as the server does
      const [sLat, sLon] = toGcj(gLat, gLon);
      const eLat = sLat - lat, eLon = sLon - lon;
      if (Math.abs(eLat) < 1e-8 && Math.abs(eLon) < 1e-8) break;
      gLat -= eLat; gLon -= eLon;
    }
    return [gLat, gLon];
  }
  return {
    toTiles: (lat, lon, datum) => (datum === "gcj02" ? toGcj(lat, lon) : [lat, lon]),
    fromTiles: (lat, lon, datum) => (datum === "gcj02" ? fromGcj(lat, lon) : [lat, lon]),
  };
})();
