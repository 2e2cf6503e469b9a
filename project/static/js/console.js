// Officer console. Live queue: snapshot from the server on every (re)connect,
// then events. Rows carry a revision; anything older than what the row shows
// is dropped, so duplicates and late events are harmless.
(function () {
  "use strict";

  // resyncSeconds: ask for a fresh snapshot that often, and whenever the page
  // is shown again. A reconnect resyncs anyway; this also heals an event lost
  // while the socket stayed up (a channel layer may drop one: docs/PRODUCTION.md).
  function socketTo(path, onMessage, conn, resyncSeconds) {
    let retry = 0;
    let socket = null;
    const resync = () => {
      if (socket && socket.readyState === WebSocket.OPEN && !document.hidden) {
        socket.send(JSON.stringify({ type: "resync" }));
      }
    };
    if (resyncSeconds > 0) {
      setInterval(resync, resyncSeconds * 1000);
      document.addEventListener("visibilitychange", resync);
    }
    function connect() {
      const scheme = location.protocol === "https:" ? "wss://" : "ws://";
      socket = new WebSocket(scheme + location.host + path);
      window.consoleSocket = socket; // lets a test drop the connection
      socket.onopen = () => {
        retry = 0;
        if (conn) { conn.textContent = conn.dataset.online || "실시간 연결됨"; conn.className = "conn online"; }
      };
      socket.onmessage = (e) => onMessage(JSON.parse(e.data));
      socket.onclose = () => {
        if (conn) { conn.textContent = conn.dataset.offline || "연결 끊김 — 다시 연결 중"; conn.className = "conn offline"; }
        retry = Math.min(retry + 1, 5);
        setTimeout(connect, 500 * retry);
      };
    }
    connect();
  }

  // Keyboard shortcuts: any element with data-shortcut="x" is clicked (or
  // focused, for inputs) when x is pressed outside a text field.
  document.addEventListener("keydown", (e) => {
    // A held key must not fire an action twice (complete, call next...).
    if (e.ctrlKey || e.metaKey || e.altKey || e.repeat) return;
    // A confirmation dialog is open: its keys are Enter and Esc only.
    if (document.querySelector("dialog[open]")) return;
    const t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    const key = e.key.toLowerCase();
    const target = document.querySelector(`[data-shortcut="${CSS.escape(key)}"]`);
    if (target) {
      e.preventDefault();
      if (/^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) && target.type !== "checkbox") target.focus(); else target.click();
      return;
    }
    if (/^[1-9]$/.test(key)) {
      const rows = Array.from(document.querySelectorAll("#queue tbody tr")).filter((r) => !r.hidden);
      const link = rows[Number(key) - 1] && rows[Number(key) - 1].querySelector("a");
      if (link) { e.preventDefault(); link.click(); }
    }
  });

  // --- the check view: redraw when someone else changes this submission ----
  const detail = document.getElementById("submission-detail");
  if (detail && detail.dataset.ws) {
    socketTo(detail.dataset.ws, (msg) => {
      const current = document.getElementById("submission-detail");
      if (!current) return;
      const mine = Number(current.dataset.id);
      const fresher = (s) => s.id === mine && s.revision > Number(current.dataset.revision);
      const hit = msg.type === "submission" ? fresher(msg.submission)
        : msg.type === "snapshot" ? msg.submissions.some(fresher) : false;
      if (hit && window.htmx) {
        htmx.ajax("GET", current.dataset.url, { target: "#submission-detail", swap: "outerHTML" });
      }
    }, null);
  }

  const table = document.getElementById("queue");
  if (!table) return;
  const body = table.tBodies[0];
  const conn = document.getElementById("conn");
  const empty = document.getElementById("queue-empty");
  const detailBase = table.dataset.detailBase.replace(/0\/$/, "");
  const baseTitle = document.title.replace(/^\(\d+\) /, "");
  const statusFilter = document.getElementById("filter-status");
  const formFilter = document.getElementById("filter-form");
  const soundOn = document.getElementById("sound-on");
  let audio = null;
  table.dataset.cues = "0";
  // Browsers only let a page make sound after the user has touched it once.
  const unlock = () => {
    try { audio = audio || new (window.AudioContext || window.webkitAudioContext)(); audio.resume(); } catch (err) { /* no audio */ }
  };
  document.addEventListener("pointerdown", unlock, { once: true });
  document.addEventListener("keydown", unlock, { once: true });

  function waited(iso) {
    const minutes = Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 60000));
    return minutes + "분";
  }

  function cue() {
    table.dataset.cues = String(Number(table.dataset.cues) + 1);
    if (!soundOn || !soundOn.checked) return;
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = 880;
      gain.gain.setValueAtTime(0.2, audio.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.4);
      osc.connect(gain).connect(audio.destination);
      osc.start();
      osc.stop(audio.currentTime + 0.4);
    } catch (err) { /* no audio device: the title count still changes */ }
  }

  function row(s) {
    const tr = document.createElement("tr");
    tr.dataset.id = s.id;
    tr.dataset.revision = s.revision;
    tr.dataset.status = s.status;
    tr.dataset.form = s.form_code;
    tr.dataset.submitted = s.submitted_at;
    const cells = [
      ["ticket-cell", null],
      ["", s.ticket_only && s.service_name ? s.service_name : s.form],
      ["", new Date(s.submitted_at).toLocaleTimeString("ko-KR", { hour: "2-digit", minute: "2-digit", hour12: false })],
      ["", waited(s.submitted_at)],
      ["status-cell", s.status_label + (s.counter ? " · " + s.counter + "번 창구" : "")],
    ];
    cells.forEach(([cls, text], i) => {
      const td = document.createElement("td");
      if (cls) td.className = cls;
      if (i === 0) {
        const a = document.createElement("a");
        a.href = detailBase + s.id + "/";
        a.textContent = s.ticket;
        td.appendChild(a);
        if (s.prepared) {
          const badge = document.createElement("span");
          badge.className = "home-badge";
          badge.title = "방문 전 집에서 작성 (prepared at home)";
          badge.textContent = "집에서 작성";
          td.appendChild(badge);
        }
        // As officer_console/_ticket_badge.html: a ticket without a form, its words from the page (the catalog).
        if (s.ticket_only) {
          const badge = document.createElement("span");
          badge.className = "ticket-badge";
          badge.dataset.ticketOnly = "";
          badge.title = table.dataset.ticketOnlyTitle || "";
          badge.textContent = table.dataset.ticketOnlyLabel || "번호표만";
          td.appendChild(badge);
        }
        // As officer_console/_language_badge.html: the resident's language where it is not Korean.
        if (s.language && s.language !== "ko") {
          const badge = document.createElement("span");
          badge.className = "lang-badge";
          badge.dataset.language = s.language;
          badge.title = "민원인이 " + s.language.toUpperCase() + " 화면으로 작성했습니다. (The resident used " + s.language.toUpperCase() + ".)";
          badge.textContent = s.language.toUpperCase();
          td.append(" ", badge);
        }
      } else {
        td.textContent = text;
      }
      if (i === 3) td.dataset.since = s.submitted_at;
      tr.appendChild(td);
    });
    return tr;
  }

  function apply(s, fresh) {
    const existing = body.querySelector(`tr[data-id="${s.id}"]`);
    if (existing && Number(existing.dataset.revision) >= s.revision) return;
    if (!(s.queue ?? s.open)) { if (existing) existing.remove(); return; }
    const tr = row(s);
    if (fresh) tr.classList.add("is-new");
    if (existing) existing.replaceWith(tr);
    else {
      // In the order of arrival, as the server lists them: a form filled at home
      // joins when it checks in, after everyone already waiting.
      const at = Date.parse(s.submitted_at);
      const after = Array.from(body.rows).find((r) => Date.parse(r.dataset.submitted) > at);
      body.insertBefore(tr, after || null);
      if (fresh && s.status === "submitted") cue();
    }
  }

  function refreshMeta() {
    const st = statusFilter ? statusFilter.value : "";
    const fm = formFilter ? formFilter.value : "";
    let visible = 0;
    body.querySelectorAll("tr").forEach((tr) => {
      tr.hidden = (st && tr.dataset.status !== st) || (fm && tr.dataset.form !== fm);
      if (!tr.hidden) visible += 1;
    });
    const waiting = body.querySelectorAll('tr[data-status="submitted"]').length;
    document.title = (waiting ? "(" + waiting + ") " : "") + baseTitle;
    empty.hidden = visible > 0;
  }

  [statusFilter, formFilter].forEach((el) => el && el.addEventListener("change", () => {
    const url = new URL(location.href);
    url.searchParams.set("status", statusFilter.value);
    url.searchParams.set("form", formFilter.value);
    history.replaceState(null, "", url);
    refreshMeta();
  }));

  socketTo(table.dataset.ws, (msg) => {
    if (msg.type === "snapshot") {
      const ids = new Set(msg.submissions.map((s) => String(s.id)));
      body.querySelectorAll("tr").forEach((tr) => { if (!ids.has(tr.dataset.id)) tr.remove(); });
      msg.submissions.forEach((s) => apply(s, false));
    } else if (msg.type === "submission") {
      apply(msg.submission, true);
    }
    refreshMeta();
  }, conn, Number(table.dataset.resync || 0));
  const tick = () => body.querySelectorAll("td[data-since]").forEach((td) => { td.textContent = waited(td.dataset.since); });
  setInterval(tick, 30000);
  tick();
  refreshMeta();
})();
