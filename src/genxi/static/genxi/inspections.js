// The inspection form on a phone: the responsible person's signature drawn on a canvas
// (kept as a PNG data URL in the form's hidden field). No inline script (CSP).
(function () {
  "use strict";
  const pad = document.querySelector("canvas.signature-pad");
  if (!pad) return;
  const form = pad.closest("form");
  const field = document.getElementById("signature-data");
  const ctx = pad.getContext("2d");
  let drawing = false;
  let drawn = false;

  function blank() {
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, pad.width, pad.height);
    ctx.strokeStyle = "#111";
    ctx.lineWidth = 2.5;
    ctx.lineCap = "round";
    drawn = false;
  }
  function point(e) {
    const box = pad.getBoundingClientRect();
    return [(e.clientX - box.left) * (pad.width / box.width), (e.clientY - box.top) * (pad.height / box.height)];
  }
  pad.style.touchAction = "none";
  pad.addEventListener("pointerdown", function (e) {
    drawing = true;
    pad.setPointerCapture(e.pointerId);
    const [x, y] = point(e);
    ctx.beginPath();
    ctx.moveTo(x, y);
  });
  pad.addEventListener("pointermove", function (e) {
    if (!drawing) return;
    const [x, y] = point(e);
    ctx.lineTo(x, y);
    ctx.stroke();
    drawn = true;
  });
  ["pointerup", "pointercancel", "pointerleave"].forEach(function (name) {
    pad.addEventListener(name, function () { drawing = false; });
  });
  document.getElementById("signature-clear").addEventListener("click", blank);
  form.addEventListener("submit", function () {
    field.value = drawn ? pad.toDataURL("image/png") : "";
  });
  blank();
})();
