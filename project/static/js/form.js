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

  // Signature pad (signature.js, shared with the counter's mirror).
  form.querySelectorAll("[data-signature]").forEach((pad) => window.minwonSignaturePad(pad));

  // Sensitive numbers (주민등록번호): dots once typed, a 보기 toggle to check them.
  // Not in the keyboard's dictionary or autofill (the server renders spellcheck/autocomplete off).
  form.querySelectorAll("input[data-sensitive]").forEach((input) => {
    const row = document.createElement("div");
    row.className = "masked-row";
    input.parentNode.insertBefore(row, input);
    row.appendChild(input);
    const toggle = document.createElement("button");
    toggle.type = "button";
    toggle.className = "btn";
    toggle.dataset.reveal = "";
    toggle.setAttribute("aria-controls", input.id);
    row.appendChild(toggle);
    let shown = false;
    function paint() {
      input.classList.toggle("is-masked", !shown && input.value !== "" && document.activeElement !== input);
      toggle.textContent = shown ? form.dataset.hideLabel : form.dataset.showLabel;
      toggle.setAttribute("aria-pressed", shown ? "true" : "false");
    }
    toggle.addEventListener("click", () => { shown = !shown; paint(); });
    input.addEventListener("focus", paint);
    input.addEventListener("blur", () => { shown = false; paint(); });
    input.addEventListener("input", paint);
    setTimeout(paint, 0);
  });

  // Attachments: take a photo or choose a file, see what was chosen, replace or remove it.
  // Photos are scaled down here (long side MAX_SIDE, JPEG) so a 12-megapixel picture goes
  // up in seconds; the server still checks type and size of whatever arrives.
  const MAX_SIDE = 2000;
  const SCALE_ABOVE = 1.5 * 1024 * 1024;
  const text = (key, n) => (form.dataset[key] || "").replace("%s", n);
  async function scaled(file) {
    if (!/^image\/(jpeg|png|webp)$/.test(file.type) || !window.createImageBitmap) return file;
    let bitmap;
    try { bitmap = await createImageBitmap(file); } catch (e) { return file; }
    const ratio = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    if (ratio === 1 && file.size <= SCALE_ABOVE) return file;
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(bitmap.width * ratio);
    canvas.height = Math.round(bitmap.height * ratio);
    canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.85));
    if (!blob || blob.size >= file.size) return file;
    return new File([blob], file.name.replace(/\.[^.]+$/, "") + ".jpg", { type: "image/jpeg" });
  }
  async function thumbnail(file) {
    if (!file.type.startsWith("image/") || !window.createImageBitmap) return "";
    try {
      const bitmap = await createImageBitmap(file);
      const canvas = document.createElement("canvas");
      canvas.width = canvas.height = 144;
      const side = Math.min(bitmap.width, bitmap.height);
      canvas.getContext("2d").drawImage(bitmap, (bitmap.width - side) / 2, (bitmap.height - side) / 2, side, side, 0, 0, 144, 144);
      return canvas.toDataURL("image/jpeg", 0.7);
    } catch (e) { return ""; }
  }
  async function pdfPages(file) {
    // The page objects of the file ("/Type /Page"), else the page tree's /Count: enough to
    // tell a resident "3쪽" and catch the wrong document; the server reads it properly.
    if (file.type !== "application/pdf" || file.size > 20 * 1024 * 1024) return 0;
    const latin = new TextDecoder("latin1").decode(await file.arrayBuffer());
    const pages = (latin.match(/\/Type\s*\/Page(?![a-zA-Z])/g) || []).length;
    if (pages) return pages;
    const counts = [...latin.matchAll(/\/Count\s+(\d+)/g)].map((m) => Number(m[1]));
    return counts.length ? Math.max(...counts) : 0;
  }
  form.querySelectorAll("[data-attachment]").forEach((box) => {
    const input = box.querySelector("input[type=file]");
    if (!input || !window.DataTransfer) return;
    // The buttons below stand in for the bare input (its label still opens it).
    input.classList.add("enhanced");
    input.tabIndex = -1;
    const preview = document.createElement("div");
    preview.className = "attachment-preview";
    preview.setAttribute("aria-live", "polite");
    preview.hidden = true;
    const buttons = document.createElement("div");
    buttons.className = "attachment-buttons";
    const make = (label, data) => {
      const b = document.createElement("button");
      b.type = "button"; b.className = "btn btn-secondary"; b.textContent = label; b.dataset[data] = "";
      buttons.appendChild(b);
      return b;
    };
    const images = /image\//.test(input.accept);
    // A second, unnamed input opens the camera; what it takes moves into the real one.
    const camera = document.createElement("input");
    camera.type = "file"; camera.accept = "image/*"; camera.setAttribute("capture", "environment");
    camera.className = "enhanced"; camera.tabIndex = -1; camera.setAttribute("aria-hidden", "true");
    const take = images ? make(form.dataset.cameraLabel, "camera") : null;
    const choose = make(form.dataset.chooseLabel, "choose");
    const remove = make(form.dataset.removeLabel, "remove");
    remove.hidden = true;
    box.append(preview, buttons, camera);
    if (take) take.addEventListener("click", () => camera.click());
    choose.addEventListener("click", () => input.click());
    remove.addEventListener("click", () => {
      input.value = "";
      show(null);
      choose.focus();
    });
    async function show(file) {
      preview.replaceChildren();
      preview.hidden = !file;
      remove.hidden = !file;
      choose.textContent = file ? form.dataset.replaceLabel : form.dataset.chooseLabel;
      if (!file) return;
      const src = await thumbnail(file);
      if (src) { const img = document.createElement("img"); img.src = src; img.alt = ""; preview.appendChild(img); }
      const about = document.createElement("p");
      const pages = await pdfPages(file);
      const kb = Math.max(1, Math.round(file.size / 1024));
      about.textContent = file.name + " · " + (kb >= 1024 ? (kb / 1024).toFixed(1) + " MB" : kb + " KB") + (pages ? " · " + text("pagesLabel", pages) : "");
      about.dataset.attachmentInfo = "";
      preview.appendChild(about);
    }
    async function use(file) {
      if (!file) return;
      const ready = await scaled(file);
      const chosen = new DataTransfer();
      chosen.items.add(ready);
      input.files = chosen.files;
      show(ready);
    }
    input.addEventListener("change", () => { if (input.files[0]) use(input.files[0]); });
    camera.addEventListener("change", () => { use(camera.files[0]); camera.value = ""; });
  });

  // 도로명주소 검색 (when the office has a provider): Enter searches, a pick fills the boxes.
  form.querySelectorAll("[data-address-search]").forEach((box) => {
    box.hidden = false;
    const query = box.querySelector("input[type=search]");
    query.addEventListener("keydown", (e) => {
      if (e.key === "Enter") { e.preventDefault(); box.querySelector("[data-address-find]").click(); }
    });
  });
  form.addEventListener("click", (e) => {
    const pick = e.target.closest("[data-address-pick]");
    if (!pick) return;
    const key = pick.dataset.addressPick;
    const road = document.getElementById(`field-${key}-input`);
    const postcode = document.getElementById(`field-${key}-postcode`);
    if (!road) return;
    road.value = pick.dataset.road;
    if (postcode) postcode.value = pick.dataset.postcode;
    document.getElementById(`field-${key}-results`).replaceChildren();
    road.dispatchEvent(new Event("input", { bubbles: true }));
    road.dispatchEvent(new Event("change", { bubbles: true }));
    const detail = document.getElementById(`field-${key}-detail`);
    if (detail) detail.focus();
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
  // Sensitive answers withheld from saves until the server is known to have them
  // (a reload landed before the last save did; see restore below).
  const withheld = new Set();
  function answers() {
    const data = new FormData(form);
    for (const name of withheld) data.delete(name);
    data.set("_seq", String(Date.now()));
    // Files go up with 다음/제출 only, not with every pause in typing.
    return withoutFiles(data);
  }

  // Nothing typed is lost, even in the second after typing: every keystroke
  // is written to localStorage with the page's clock, and sent to the server
  // on a short pause and when the page is hidden or left (keepalive). A page
  // served before the last save reached the server (a reload, a killed or
  // crashed tab) finds the newer local copy and puts it back. The copy holds
  // nothing the server's draft would not show this browser anyway, and goes
  // at submit or after a day. Sensitive fields (주민등록번호) are never written
  // to the device: the page waits for the leaving page's save to land instead.
  const localKey = "draft:" + (form.elements.idempotency_key || {}).value;
  const savedSeq = Number(form.dataset.savedSeq || 0);
  function snapshot() {
    const values = {}, sensitive = [];
    for (const el of form.elements) {
      // Not the page's own fields, files, nor a drawn signature (a hidden input): typed answers only.
      if (!el.name || ["file", "submit", "button", "hidden"].includes(el.type)) continue;
      if ("sensitive" in el.dataset) { sensitive.push(el.name); continue; }
      const list = values[el.name] || (values[el.name] = []);
      if (el.type === "radio" || el.type === "checkbox") { if (el.checked) list.push(el.value); }
      else list.push(el.value);
    }
    return { values, sensitive };
  }
  let keepTimer = 0;
  const DAY = 24 * 3600 * 1000;
  try {
    for (const key of Object.keys(localStorage)) {
      if (!key.startsWith("draft:")) continue;
      const kept = JSON.parse(localStorage.getItem(key) || "null");
      if (!kept || !(kept.seq > Date.now() - DAY)) localStorage.removeItem(key);
    }
  } catch (e) { /* storage disabled */ }
  function keepLocally(touchedSensitive) {
    try {
      const previous = JSON.parse(localStorage.getItem(localKey) || "null");
      const pendingSensitive = new Set(previous && previous.seq > savedSeq ? previous.pendingSensitive || [] : []);
      if (touchedSensitive) pendingSensitive.add(touchedSensitive);
      const { values } = snapshot();
      localStorage.setItem(localKey, JSON.stringify({ seq: Date.now(), values, pendingSensitive: [...pendingSensitive] }));
    } catch (e) { /* storage full or disabled: the server saves still run */ }
  }
  function forgetLocally() { try { localStorage.removeItem(localKey); } catch (e) { /* disabled */ } }
  function restore() {
    let local;
    try { local = JSON.parse(localStorage.getItem(localKey) || "null"); } catch (e) { local = null; }
    if (!local || !(local.seq > savedSeq)) return;
    for (const [name, list] of Object.entries(local.values || {})) {
      const inputs = form.querySelectorAll(`[name="${CSS.escape(name)}"]`);
      let i = 0;
      for (const el of inputs) {
        if ("sensitive" in el.dataset || el.type === "file") continue;
        if (el.type === "radio" || el.type === "checkbox") el.checked = list.includes(el.value);
        else if (i < list.length) el.value = list[i++];
      }
    }
    for (const name of local.pendingSensitive || []) withheld.add(name);
    applyConditions();
    if (withheld.size) awaitServer(local.seq, 0);
    else save();
  }
  // The server's copy catches up when the leaving page's last save lands: fetch
  // the page until it has (or give up after a few seconds: a crash sent nothing).
  async function awaitServer(seq, attempt) {
    try {
      const response = await fetch(window.location.href, { credentials: "same-origin" });
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = page.querySelector("form.minwon-form");
      if (fresh && Number(fresh.dataset.savedSeq || 0) >= seq) {
        for (const name of [...withheld]) {
          const from = fresh.querySelector(`[name="${CSS.escape(name)}"]`);
          const to = form.querySelector(`[name="${CSS.escape(name)}"]`);
          // Still withheld: not typed in since this page loaded, so the server's copy is the newest.
          if (from && to && to.value !== from.value) { to.value = from.value; to.dispatchEvent(new Event("input", { bubbles: true })); }
          withheld.delete(name);
        }
        save();
        return;
      }
    } catch (e) { /* offline: try again */ }
    if (attempt < 8) { setTimeout(() => awaitServer(seq, attempt + 1), 250 * (attempt + 1)); return; }
    withheld.clear();
    save();
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
    // A newer save now would make the server drop the leaving page's last one, which
    // may still be on its way with the withheld answers: wait for it (awaitServer).
    if (withheld.size) { clearTimeout(saveTimer); saveTimer = setTimeout(save, 300); return; }
    try {
      const response = await fetch(saveUrl, { method: "POST", body: answers(), credentials: "same-origin" });
      if (response.status >= 500) throw new Error(String(response.status));
      if (pending === "save") reached();
    } catch (e) {
      lost("save");
    }
  }
  function typed(e) {
    const target = e.target;
    // What the resident types into a withheld field is newer than the server's copy.
    if (target && target.name) withheld.delete(target.name);
    keepLocally(target && target.dataset && "sensitive" in target.dataset ? target.name : "");
    clearTimeout(saveTimer);
    saveTimer = setTimeout(save, 400);
  }
  form.addEventListener("input", typed);
  form.addEventListener("change", typed);
  function flush() {
    if (form.dataset.submitting) return;
    clearTimeout(saveTimer);
    if (withheld.size) return;
    const body = answers();
    // keepalive outlives the page (its body is limited to 64 KB, like a beacon's).
    fetch(saveUrl, { method: "POST", body, credentials: "same-origin", keepalive: true }).catch(() => {});
  }
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "hidden") flush(); });
  // Every save carries the page's clock, so the server applies the newest last.
  document.body.addEventListener("htmx:configRequest", (e) => { e.detail.parameters._seq = String(Date.now()); });
  // A per-field check (htmx) that could not be sent is an autosave that did not happen.
  document.body.addEventListener("htmx:sendError", () => lost("save"));
  document.body.addEventListener("htmx:afterRequest", (e) => { if (e.detail.successful && pending === "save") reached(); });
  // Closing the tab or switching apps mid-word still keeps the word.
  window.addEventListener("pagehide", flush);

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
    if (response.redirected) { forgetLocally(); window.location.assign(response.url); return; }
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

  restore();
  focusFirst();
})();
