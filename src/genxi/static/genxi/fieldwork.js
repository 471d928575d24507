// Field work forms: each submission carries an idempotency key (so a second send, or a
// later offline outbox, records it once); the visitor's location is taken only when they
// tick the consent box, and sent rounded by the server.
(function () {
  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "10000000-1000-4000-8000-100000000000".replace(/[018]/g, function (c) {
      return (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16);
    });
  }
  document.querySelectorAll("[data-idempotency-key]").forEach(function (input) {
    if (!input.value) input.value = newKey();
  });
  document.querySelectorAll("[data-gps-consent]").forEach(function (box) {
    box.addEventListener("change", function () {
      var form = box.form;
      if (!box.checked || !navigator.geolocation) return;
      navigator.geolocation.getCurrentPosition(function (pos) {
        form.querySelector("[data-gps-lat]").value = pos.coords.latitude.toFixed(3);
        form.querySelector("[data-gps-lon]").value = pos.coords.longitude.toFixed(3);
      });
    });
  });
})();
