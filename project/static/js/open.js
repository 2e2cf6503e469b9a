// Open-민원 view: follows the office's console socket and reloads its table
// (an htmx partial) when anything changes. The socket is only a hint: the
// table is always what the server says now.
(function () {
  "use strict";
  const table = document.getElementById("open-table");
  if (!table || !window.WebSocket) return;
  const conn = document.getElementById("conn");
  let pending = null;
  let retry = 0;
  function reload() {
    if (pending) return;
    pending = setTimeout(() => {
      pending = null;
      const current = document.getElementById("open-table");
      if (window.htmx && current) htmx.ajax("GET", current.dataset.url, { target: "#open-table", swap: "outerHTML" });
    }, 200);
  }
  function connect() {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    const socket = new WebSocket(scheme + location.host + table.dataset.ws);
    socket.onopen = () => { retry = 0; if (conn) { conn.textContent = conn.dataset.online || "실시간 연결됨"; conn.className = "conn online"; } };
    socket.onmessage = (e) => {
      const msg = JSON.parse(e.data);
      if (msg.type === "submission") reload();
    };
    socket.onclose = () => {
      if (conn) { conn.textContent = conn.dataset.offline || "연결 끊김 — 다시 연결 중"; conn.className = "conn offline"; }
      retry = Math.min(retry + 1, 5);
      setTimeout(connect, 500 * retry);
      reload(); // anything may have changed while the socket was down
    };
  }
  connect();
})();
