// Counter tablet / lobby kiosk (intake/kiosk.py): one resident after another on one device.
// Loaded before form.js on every kiosk page. The server does the wiping (처음으로 is a plain
// form, and an idle session is wiped there too); this script asks first, counts down, and
// keeps the browser from handing one resident's page to the next.
(function () {
  "use strict";
  const body = document.body;
  if (!("kiosk" in body.dataset)) return;
  const startUrl = body.dataset.kioskStartUrl;
  const resetForm = document.getElementById("kiosk-reset");
  const form = document.querySelector("form.minwon-form");

  function leave() {
    // Nothing of this page may be saved on the way out (form.js skips a submitting form).
    if (form) form.dataset.submitting = "1";
    if (resetForm) HTMLFormElement.prototype.submit.call(resetForm);
    else window.location.replace(startUrl);
  }

  // Typed answers kept on the device (form.js's reload copy) belong to this page's resident only:
  // the start page and every new page drop any other copy.
  const ownKey = form && form.elements.idempotency_key ? "draft:" + form.elements.idempotency_key.value : "";
  try {
    for (const key of Object.keys(localStorage)) if (key.startsWith("draft:") && key !== ownKey) localStorage.removeItem(key);
    if (!form) sessionStorage.clear();
  } catch (e) { /* storage disabled: nothing kept */ }
  if (resetForm) {
    resetForm.addEventListener("submit", () => {
      if (form) form.dataset.submitting = "1";
      try { if (ownKey) localStorage.removeItem(ownKey); } catch (e) { /* disabled */ }
    });
  }

  // The back or forward button: an earlier page is never shown again, whoever pressed it.
  // The browser may have put an earlier resident's answers back into the fields: empty them
  // before anything can save them, and go to the start page.
  function fromHistory(e) {
    if (e && e.persisted) return true;
    const nav = performance.getEntriesByType ? performance.getEntriesByType("navigation")[0] : null;
    return Boolean(nav && nav.type === "back_forward");
  }
  const startPage = Boolean(document.querySelector("[data-kiosk-start]"));
  function guardHistory(e) {
    // The start page comes fresh from the server (no-store) and holds nothing of anyone.
    if (startPage || !fromHistory(e)) return false;
    if (form) { form.dataset.submitting = "1"; form.reset(); }
    document.documentElement.classList.add("kiosk-leaving");
    window.location.replace(startUrl);
    return true;
  }
  window.addEventListener("pageshow", guardHistory);
  if (guardHistory(null)) return;

  // The ticket page: back to the start after a while (or on its button).
  const ticket = document.querySelector("[data-kiosk-return]");
  if (ticket) {
    setTimeout(leave, Number(ticket.dataset.kioskReturn) * 1000);
    return;
  }
  // The start page has nothing of anyone to wipe, unless they changed its language or display.
  if (startPage && !document.querySelector("[data-kiosk-changed]")) return;

  // Idle: ask "계속하시겠습니까?", count down, then wipe.
  const dialog = document.getElementById("kiosk-idle");
  const shown = dialog.querySelector("[data-kiosk-countdown]");
  const idleMs = Number(body.dataset.kioskIdleSeconds) * 1000;
  const countdown = Number(body.dataset.kioskCountdownSeconds);
  let idleTimer = 0;
  let tickTimer = 0;
  let left = countdown;
  function tick() {
    left -= 1;
    shown.textContent = String(Math.max(left, 0));
    if (left <= 0) { clearInterval(tickTimer); leave(); }
  }
  function ask() {
    left = countdown;
    shown.textContent = String(left);
    if (!dialog.open) dialog.showModal();
    tickTimer = setInterval(tick, 1000);
  }
  function active() {
    if (dialog.open) return;
    clearTimeout(idleTimer);
    idleTimer = setTimeout(ask, idleMs);
  }
  dialog.querySelector("[data-kiosk-continue]").addEventListener("click", () => {
    clearInterval(tickTimer);
    dialog.close();
    active();
    // The server keeps its own idle clock: tell it the resident is still here.
    const token = document.querySelector("input[name=csrfmiddlewaretoken]");
    fetch(body.dataset.kioskAlive, {
      method: "POST",
      credentials: "same-origin",
      headers: token ? { "X-CSRFToken": token.value } : {},
    }).catch(() => {});
  });
  // Escape would close the dialog without an answer: count it as 계속하기.
  dialog.addEventListener("cancel", (e) => { e.preventDefault(); dialog.querySelector("[data-kiosk-continue]").click(); });
  for (const type of ["pointerdown", "keydown", "input", "scroll", "touchstart"]) {
    document.addEventListener(type, active, { passive: true, capture: true });
  }
  active();
})();
