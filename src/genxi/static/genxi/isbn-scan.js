// Scan a book's ISBN with the phone's camera where the browser has BarcodeDetector
// (Chrome on Android); elsewhere the button stays hidden and the ISBN is typed.
(function () {
  "use strict";
  var button = document.getElementById("isbn-scan");
  if (!button || !("BarcodeDetector" in window) || !navigator.mediaDevices) return;
  var input = document.getElementById(button.dataset.target);
  var video = document.getElementById("isbn-video");
  var status = document.getElementById("isbn-scan-status");
  var stream = null;
  var timer = null;

  function stop() {
    if (timer) window.clearInterval(timer);
    timer = null;
    if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
    stream = null;
    video.classList.add("d-none");
    status.classList.add("d-none");
  }

  window.BarcodeDetector.getSupportedFormats().then(function (formats) {
    if (formats.indexOf("ean_13") < 0) return;
    var detector = new window.BarcodeDetector({ formats: ["ean_13"] });
    button.classList.remove("d-none");
    button.addEventListener("click", function () {
      if (stream) { stop(); return; }
      status.textContent = status.dataset.looking;
      status.classList.remove("d-none");
      navigator.mediaDevices
        .getUserMedia({ video: { facingMode: "environment" } })
        .then(function (s) {
          stream = s;
          video.srcObject = s;
          video.classList.remove("d-none");
          return video.play();
        })
        .then(function () {
          timer = window.setInterval(function () {
            detector.detect(video).then(function (codes) {
              var found = codes.filter(function (c) { return /^97[89]\d{10}$/.test(c.rawValue); });
              if (found.length) {
                input.value = found[0].rawValue;
                input.dispatchEvent(new Event("change"));
                stop();
                var title = document.getElementById("book-title");
                if (title) title.focus();
              }
            });
          }, 300);
        })
        .catch(function () {
          stop();
          status.textContent = status.dataset.failed;
          status.classList.remove("d-none");
        });
    });
  });
})();
