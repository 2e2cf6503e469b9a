// Resident form helpers: conditional fields, signature pad, autosave, double-submit
// guard, and holding on to everything when the connection drops.
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
        // The answer deciding it is on another step: the server already decided.
        if (!form.querySelector(`[name="${CSS.escape(el.dataset.showField)}"]`)) return;
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

  // Pressing the next question blurs the box just typed in, whose check then
  // brings a note ("한 번 더 확인해 주세요") above that question and moves it:
  // a mouse button released after the move lands beside it. Hold a field's
  // note until the press has ended (and its click has happened).
  let pressed = false;
  const held = [];
  document.addEventListener("pointerdown", () => { pressed = true; }, true);
  function released() {
    pressed = false;
    setTimeout(() => { for (const swap of held.splice(0)) swap(); }, 0);
  }
  document.addEventListener("pointerup", released, true);
  document.addEventListener("pointercancel", released, true);
  document.body.addEventListener("htmx:beforeSwap", (e) => {
    const target = e.detail.target;
    if (!pressed || !target.id.endsWith("-feedback") || !e.detail.shouldSwap) return;
    e.detail.shouldSwap = false;
    const id = target.id, html = e.detail.serverResponse;
    // By id when released: an earlier held answer may have replaced the element.
    held.push(() => {
      const current = document.getElementById(id);
      if (current) htmx.swap(current, html, { swapStyle: "outerHTML" }, { select: "#" + id });
    });
  });

  // Signature pad: pointer events cover touch, pen and mouse.
  form.querySelectorAll("[data-signature]").forEach((pad) => {
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
  });

  function focusFirst() {
    const summary = document.getElementById("error-summary");
    if (summary) summary.focus();
    else if (window.location.hash.startsWith("#field-")) {
      // A 변경 link from the review page: straight into the field to change.
      const target = document.getElementById(window.location.hash.slice(1));
      if (target) target.focus();
    }
  }

  if (!form.dataset.autosave) {
    // A page with nothing to autosave (a correction of a filed submission):
    // only keep a double tap from sending twice.
    form.addEventListener("submit", (e) => {
      if (form.dataset.submitting) { e.preventDefault(); return; }
      form.dataset.submitting = "1";
      form.querySelectorAll("[data-submit]").forEach((b) => { b.setAttribute("aria-disabled", "true"); });
    });
    focusFirst();
    return;
  }

  // Autosave and the dropped connection. Nothing typed is ever thrown away:
  // a save or a submit that cannot reach the server waits, says so calmly,
  // and goes again when the browser is back online (or on a backoff timer,
  // since "online" is not always announced). The idempotency key on the page
  // makes a repeated submit find the submission already made.
  const notice = document.getElementById("connection");
  const saveUrl = form.dataset.autosave;
  let pending = "";  // "", "save" or "submit"
  let delay = 1000;
  let retryTimer = 0;
  let saveTimer = 0;
  let submitter = null;

  // Multipart only when a chosen file goes up: the server parses a
  // urlencoded body about six times faster, and an autosave is sent at every
  // pause in typing. An empty file input sends nothing either way.
  function withoutFiles(data) {
    const params = new URLSearchParams();
    for (const [name, value] of data.entries()) if (!(value instanceof File)) params.append(name, value);
    return params;
  }
  function encoded(data) {
    return [...data.values()].some((value) => value instanceof File && value.name) ? data : withoutFiles(data);
  }
  function answers() {
    const data = new FormData(form);
    data.set("_seq", String(Date.now()));
    // Files go up with 다음/제출 only, not with every pause in typing.
    return withoutFiles(data);
  }
  function lost(kind) {
    if (pending !== "submit") pending = kind;
    notice.hidden = false;
    clearTimeout(retryTimer);
    retryTimer = setTimeout(retry, delay);
    delay = Math.min(delay * 2, 30000);
  }
  function reached() {
    pending = "";
    delay = 1000;
    clearTimeout(retryTimer);
    notice.hidden = true;
  }
  function retry() {
    if (pending === "submit") send();
    else if (pending === "save") save();
  }
  window.addEventListener("online", () => { delay = 1000; retry(); });

  async function save() {
    if (form.dataset.submitting) return;
    try {
      const response = await fetch(saveUrl, { method: "POST", body: answers(), credentials: "same-origin" });
      if (response.status >= 500) throw new Error(String(response.status));
      if (pending === "save") reached();
    } catch (e) {
      lost("save");
    }
  }
  form.addEventListener("input", () => { clearTimeout(saveTimer); saveTimer = setTimeout(save, 1200); });
  // Every save carries the page's clock, so the server applies the newest last.
  document.body.addEventListener("htmx:configRequest", (e) => { e.detail.parameters._seq = String(Date.now()); });
  // A per-field check (htmx) that could not be sent is an autosave that did not happen.
  document.body.addEventListener("htmx:sendError", () => lost("save"));
  document.body.addEventListener("htmx:afterRequest", (e) => { if (e.detail.successful && pending === "save") reached(); });
  // Closing the tab or switching apps mid-word still keeps the word.
  window.addEventListener("pagehide", () => { if (!form.dataset.submitting) navigator.sendBeacon(saveUrl, answers()); });

  async function send() {
    const data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    data.set("_seq", String(Date.now()));
    let response;
    try {
      response = await fetch(form.action, { method: "POST", body: encoded(data), credentials: "same-origin" });
    } catch (e) {
      lost("submit");
      return;
    }
    reached();
    if (response.redirected) { window.location.assign(response.url); return; }
    // Something to fix (or a limit reached): post again the ordinary way so
    // the browser shows that page as it would without JavaScript; the
    // server made no submission, and the same answers give the same page.
    if (submitter && submitter.name) {
      const hidden = document.createElement("input");
      hidden.type = "hidden"; hidden.name = submitter.name; hidden.value = submitter.value;
      form.appendChild(hidden);
    }
    HTMLFormElement.prototype.submit.call(form);
  }

  // One tap, one request: the server is idempotent too, this just stops the
  // second request from being sent at all.
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    if (form.dataset.submitting) return;
    form.dataset.submitting = "1";
    submitter = e.submitter;
    clearTimeout(saveTimer);
    form.querySelectorAll("button[type=submit]").forEach((b) => { b.setAttribute("aria-disabled", "true"); });
    send();
  });
  // Back from the ticket page (bfcache): the page may be used again; a
  // resubmit finds the submission by its key.
  window.addEventListener("pageshow", (e) => {
    if (!e.persisted) return;
    delete form.dataset.submitting;
    form.querySelectorAll("button[type=submit]").forEach((b) => { b.removeAttribute("aria-disabled"); });
  });

  // The language, text-size and contrast switches reload the page: save what
  // was typed first, or the reloaded page can be served before the pagehide
  // beacon lands (seen under load: the last word typed was gone).
  const preferences = document.querySelector("[data-preferences]");
  if (preferences && saveUrl) {
    preferences.addEventListener("submit", async (e) => {
      if (preferences.dataset.saved) return;
      e.preventDefault();
      clearTimeout(saveTimer);
      await save();
      preferences.dataset.saved = "1";
      preferences.requestSubmit(e.submitter);
    });
  }

  focusFirst();
})();
