// The check view: one-keystroke confirmations, picking the fields of a
// correction on the form, and the attachment viewer (zoom, rotate, PDF pages).
// Everything is delegated from the document: the view is redrawn in place
// (htmx) whenever the submission changes.
(function () {
  "use strict";

  // --- confirmations: a form with data-confirm="<dialog id>" opens it instead of posting.
  // The dialog's own form posts with confirmed=1; its autofocus button (or the
  // reason box) has focus, so Enter confirms and Esc cancels.
  document.addEventListener("submit", (e) => {
    const form = e.target;
    const id = form.dataset && form.dataset.confirm;
    const dialog = id && document.getElementById(id);
    if (!dialog || typeof dialog.showModal !== "function") return;
    e.preventDefault();
    dialog.showModal();
  });
  document.addEventListener("click", (e) => {
    const close = e.target.closest("[data-dialog-close]");
    if (close) close.closest("dialog").close();
  });

  // --- correction: a click anywhere on a form row ticks its 보완 box.
  function summarize() {
    const summary = document.querySelector("[data-picked-summary]");
    if (!summary) return;
    const picked = Array.from(document.querySelectorAll("input[data-pick]:checked"));
    document.querySelectorAll("tr[data-row]").forEach((tr) => {
      const box = tr.querySelector("input[data-pick]");
      tr.classList.toggle("is-picked", Boolean(box && box.checked));
    });
    if (!summary.dataset.empty) summary.dataset.empty = summary.innerHTML;
    if (!picked.length) { summary.innerHTML = summary.dataset.empty; return; }
    const names = picked.map((box) => {
      const row = box.closest("tr");
      return row ? row.querySelector("th").textContent.trim() : box.parentElement.textContent.trim();
    });
    summary.textContent = "고른 항목 " + picked.length + "개: " + names.join(", ");
  }
  document.addEventListener("click", (e) => {
    const row = e.target.closest("tr[data-row]");
    if (!row || e.target.closest("a, button, input, label, select, textarea, form")) return;
    const box = row.querySelector("input[data-pick]");
    if (box) { box.checked = !box.checked; summarize(); }
  });
  document.addEventListener("change", (e) => { if (e.target.matches("input[data-pick]")) summarize(); });
  document.addEventListener("input", (e) => {
    if (!e.target.matches("[data-pick-filter]")) return;
    const q = e.target.value.trim();
    e.target.closest("details").querySelectorAll(".pick-options label").forEach((label) => {
      label.hidden = Boolean(q) && !label.textContent.includes(q);
    });
  });

  // --- attachments: opened on demand in the viewer (each opening is logged on the server).
  const view = { zoom: 1, turn: 0, page: 1, pages: 0, src: "" };
  function viewer() { return document.querySelector("[data-viewer]"); }
  function draw() {
    const v = viewer();
    if (!v) return;
    const img = v.querySelector("[data-viewer-image]");
    const url = view.pages ? view.src + "?page=" + view.page : view.src;
    if (img.dataset.url !== url) { img.dataset.url = url; img.src = url; }
    img.style.transform = "rotate(" + view.turn + "deg) scale(" + view.zoom + ")";
    v.querySelector("[data-viewer-stage]").classList.toggle("is-zoomed", view.zoom > 1);
    v.querySelector("[data-viewer-page]").textContent = view.pages ? view.page + " / " + view.pages + "쪽" : "";
    v.querySelector("[data-viewer-open]").href = url;
    v.querySelectorAll("[data-viewer-pdf]").forEach((b) => { b.hidden = !view.pages; });
  }
  function open(key) {
    const link = document.querySelector('.attachment-list [data-view-attachment="' + CSS.escape(key) + '"]');
    const v = viewer();
    if (!link || !v) return false;
    Object.assign(view, { zoom: 1, turn: 0, page: 1, pages: Number(link.dataset.pages), src: link.dataset.src });
    document.querySelectorAll(".attachment-list a").forEach((a) => a.setAttribute("aria-current", String(a === link)));
    v.querySelector("[data-viewer-label]").textContent = link.dataset.label;
    v.querySelector("[data-viewer-image]").alt = link.dataset.label;
    v.hidden = false;
    draw();
    v.scrollIntoView({ block: "nearest" });
    return true;
  }
  document.addEventListener("click", (e) => {
    const link = e.target.closest("[data-view-attachment]");
    if (link && open(link.dataset.viewAttachment)) { e.preventDefault(); return; }
    const button = e.target.closest("[data-viewer-do]");
    if (!button) return;
    const act = button.dataset.viewerDo;
    if (act === "zoom-in") view.zoom = Math.min(6, view.zoom * 1.25);
    if (act === "zoom-out") view.zoom = Math.max(0.5, view.zoom / 1.25);
    if (act === "reset") { view.zoom = 1; view.turn = 0; }
    if (act === "rotate") view.turn = (view.turn + 90) % 360;
    if (act === "prev") view.page = Math.max(1, view.page - 1);
    if (act === "next") view.page = Math.min(view.pages, view.page + 1);
    draw();
  });
  // The viewer's own keys while it has focus: + − 0 zoom, arrows turn pages.
  document.addEventListener("keydown", (e) => {
    const stage = e.target.closest && e.target.closest("[data-viewer-stage]");
    if (!stage) return;
    const keys = { "+": "zoom-in", "=": "zoom-in", "-": "zoom-out", "0": "reset", ArrowLeft: "prev", ArrowRight: "next" };
    const act = keys[e.key];
    if (!act) return;
    e.preventDefault();
    e.stopPropagation();
    viewer().querySelector('[data-viewer-do="' + act + '"]').click();
  }, true);
  // A redraw (htmx) puts back the viewer closed: open again what was shown.
  document.addEventListener("htmx:afterSwap", () => {
    const shown = view.src && document.querySelector('.attachment-list [data-src="' + CSS.escape(view.src) + '"]');
    const keep = { zoom: view.zoom, turn: view.turn, page: view.page };
    if (shown && open(shown.dataset.viewAttachment)) { Object.assign(view, keep); draw(); }
    summarize();
  });
  document.body.dataset.checkView = "ready";  // the keys work from now on (tests wait for it)
})();
