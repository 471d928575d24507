// The organiser's check-in page: scan a registration's QR code with the phone's camera
// (the browser's BarcodeDetector, where it exists) and send the code it reads; without it,
// the code is typed into the same form.
(function () {
  const form = document.getElementById("checkin-form");
  const start = document.getElementById("scan-start");
  const video = document.getElementById("scan-video");
  const note = document.getElementById("scan-note");
  if (!form || !start || !video) return;
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices) {
    start.hidden = true;
    if (note) note.hidden = false;
    return;
  }
  start.addEventListener("click", async () => {
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
    } catch (err) {
      if (note) note.hidden = false;
      return;
    }
    const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    const look = async () => {
      try {
        const codes = await detector.detect(video);
        if (codes.length) {
          stream.getTracks().forEach((t) => t.stop());
          form.elements.code.value = codes[0].rawValue.trim();
          form.submit();
          return;
        }
      } catch (err) { /* a frame that cannot be read: try the next */ }
      window.requestAnimationFrame(look);
    };
    look();
  });
})();
