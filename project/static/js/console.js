// Live queue: snapshot from the server on every (re)connect, then events.
// Rows carry a revision; anything older than what the row shows is dropped,
// so duplicates and late events are harmless.
(function () {
  "use strict";
  const table = document.getElementById("queue");
  if (!table) return;
  const body = table.tBodies[0];
  const conn = document.getElementById("conn");
  const empty = document.getElementById("queue-empty");
  const detailBase = table.dataset.detailBase.replace(/0\/$/, "");
  const baseTitle = document.title;
  let socket = null;
  let retry = 0;

  function waited(iso) {
    const minutes = Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 60000));
    return minutes + "분";
  }

  function row(s) {
    const tr = document.createElement("tr");
    tr.dataset.id = s.id;
    tr.dataset.revision = s.revision;
    const cells = [
      ["ticket-cell", null],
      ["", s.form],
      ["", new Date(s.submitted_at).toLocaleTimeString("ko-KR", { hour: "2-digit", minute: "2-digit", hour12: false })],
      ["", waited(s.submitted_at)],
      ["", s.status_label + (s.counter ? " · " + s.counter + "번 창구" : "")],
    ];
    cells.forEach(([cls, text], i) => {
      const td = document.createElement("td");
      if (cls) td.className = cls;
      if (i === 0) {
        const a = document.createElement("a");
        a.href = detailBase + s.id + "/";
        a.textContent = s.ticket;
        td.appendChild(a);
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
    if (!s.open) { if (existing) existing.remove(); return; }
    const tr = row(s);
    if (fresh) tr.classList.add("is-new");
    if (existing) existing.replaceWith(tr);
    else {
      const after = Array.from(body.rows).find((r) => Number(r.dataset.id) > s.id);
      body.insertBefore(tr, after || null);
    }
  }

  function refreshMeta() {
    const waiting = body.querySelectorAll("tr").length;
    document.title = (waiting ? "(" + waiting + ") " : "") + baseTitle;
    empty.hidden = waiting > 0;
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + table.dataset.ws);
    socket.onopen = () => { retry = 0; conn.textContent = "실시간 연결됨 (live)"; conn.className = "conn online"; };
    socket.onmessage = (e) => {
      const msg = JSON.parse(e.data);
      if (msg.type === "snapshot") {
        const ids = new Set(msg.submissions.map((s) => String(s.id)));
        body.querySelectorAll("tr").forEach((tr) => { if (!ids.has(tr.dataset.id)) tr.remove(); });
        msg.submissions.forEach((s) => apply(s, false));
      } else if (msg.type === "submission") {
        apply(msg.submission, true);
      }
      refreshMeta();
    };
    socket.onclose = () => {
      conn.textContent = "연결 끊김 — 다시 연결 중 (reconnecting)";
      conn.className = "conn offline";
      retry = Math.min(retry + 1, 5);
      setTimeout(connect, 500 * retry);
    };
  }
  setInterval(() => body.querySelectorAll("td[data-since]").forEach((td) => { td.textContent = waited(td.dataset.since); }), 30000);
  refreshMeta();
  connect();
})();
