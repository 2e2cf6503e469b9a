// The signature pad, one for every screen that takes a signature: the phone's
// form (form.js) and the counter's mirror (mirror.js), on a touch monitor or a
// tablet. Pointer events cover touch, pen and mouse. The drawing goes into the
// pad's hidden input as a PNG data URL (the server checks it either way).
(function () {
  "use strict";
  window.minwonSignaturePad = function (pad) {
    if (pad.dataset.ready) return;
    pad.dataset.ready = "1";
    pad.hidden = false;
    const canvas = pad.querySelector("canvas");
    const input = pad.querySelector("input[type=hidden]");
    const ctx = canvas.getContext("2d");
    ctx.lineWidth = 4; ctx.lineCap = "round"; ctx.strokeStyle = "#111";
    if (input.value) { const img = new Image(); img.onload = () => ctx.drawImage(img, 0, 0); img.src = input.value; }
    let drawing = false;
    const pos = (e) => { const r = canvas.getBoundingClientRect(); return [(e.clientX - r.left) * canvas.width / r.width, (e.clientY - r.top) * canvas.height / r.height]; };
    canvas.addEventListener("pointerdown", (e) => { drawing = true; canvas.setPointerCapture(e.pointerId); const [x, y] = pos(e); ctx.beginPath(); ctx.moveTo(x, y); });
    canvas.addEventListener("pointermove", (e) => { if (!drawing) return; const [x, y] = pos(e); ctx.lineTo(x, y); ctx.stroke(); });
    const finish = () => { if (!drawing) return; drawing = false; input.value = canvas.toDataURL("image/png"); input.dispatchEvent(new Event("change", { bubbles: true })); };
    canvas.addEventListener("pointerup", finish);
    canvas.addEventListener("pointercancel", finish);
    pad.querySelector("[data-clear]").addEventListener("click", () => { ctx.clearRect(0, 0, canvas.width, canvas.height); input.value = ""; });
  };
})();
