// Resident ticket: a WebSocket says "changed", htmx fetches the status part.
// While the socket is down, window.ticketLive is false and htmx polls instead.
(function () {
  "use strict";
  const script = document.currentScript;
  const path = script && script.dataset.ws;
  if (!path || !window.WebSocket) return;
  let retry = 0;
  let pending = null;
  let lastStatus = (document.querySelector("[data-status]") || {}).dataset?.status;

  function refresh() {
    // Several events in a burst (a whole office's calls) make one request.
    if (pending) return;
    pending = setTimeout(() => { pending = null; document.body.dispatchEvent(new Event("ticket-changed")); }, 150);
  }

  document.body.addEventListener("htmx:afterSwap", () => {
    const el = document.querySelector("[data-status]");
    const status = el && el.dataset.status;
    // The 위임자 has signed (or refused): the whole page changes, the ticket number appears.
    if (lastStatus === "awaiting_cosign" && status && status !== lastStatus) { location.reload(); return; }
    if (status && status !== lastStatus && (status === "called" || status === "correction")) {
      if (navigator.vibrate) navigator.vibrate([300, 150, 300]);
      const title = document.title.replace(/^\(!\) /, "");
      document.title = "(!) " + title;
    }
    lastStatus = status;
  });

  function connect() {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    const socket = new WebSocket(scheme + location.host + path);
    socket.onopen = () => { retry = 0; window.ticketLive = true; };
    socket.onmessage = (e) => {
      const msg = JSON.parse(e.data);
      if (msg.type === "changed") refresh();
    };
    socket.onclose = () => {
      window.ticketLive = false;
      retry = Math.min(retry + 1, 6);
      setTimeout(connect, 1000 * retry);
    };
  }
  connect();
})();
