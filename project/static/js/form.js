// Resident form helpers: conditional fields, signature pad, double-submit guard.
// Everything here is an enhancement; the form posts and validates without it.
(function () {
  "use strict";
  const form = document.querySelector("form.minwon-form");
  if (!form) return;

  function currentValue(name) {
    const inputs = form.querySelectorAll(`[name="${CSS.escape(name)}"]`);
    const chosen = [];
    for (const input of inputs) {
      // A hidden (disabled) field counts as empty, as on the server, so
      // conditions cascade: hiding 대리인 hides what depends on it too.
      if (input.disabled) continue;
      if ((input.type === "radio" || input.type === "checkbox")) { if (input.checked) chosen.push(input.value); }
      else chosen.push(input.value);
    }
    return chosen;
  }

  function applyConditions() {
    // Two passes settle a condition that depends on a field shown further down.
    for (let pass = 0; pass < 2; pass++) {
      form.querySelectorAll("[data-show-field]").forEach((el) => {
        const wanted = el.dataset.showEquals.split("|");
        const inHidden = el.parentElement && el.parentElement.closest("[data-show-field][hidden]");
        const shown = !inHidden && currentValue(el.dataset.showField).some((v) => wanted.includes(v));
        el.hidden = !shown;
        el.querySelectorAll("input, textarea, select, button").forEach((i) => { i.disabled = !shown; });
      });
    }
  }
  form.addEventListener("change", applyConditions);
  // Rows added or removed by htmx bring new fields and conditions.
  document.body.addEventListener("htmx:afterSettle", applyConditions);
  applyConditions();

  // Signature pad: pointer events cover touch, pen and mouse.
  form.querySelectorAll("[data-signature]").forEach((pad) => {
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
  });

  // One tap, one submission: the server is idempotent too, this just stops
  // the second request from being sent at all.
  form.addEventListener("submit", (e) => {
    if (form.dataset.submitting) { e.preventDefault(); return; }
    form.dataset.submitting = "1";
    form.querySelectorAll("[data-submit]").forEach((b) => { b.setAttribute("aria-disabled", "true"); });
  });
  const summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
