// Resident-facing screen: the server sends the whole screen on every change
// and on every (re)connect, so it can never drift from the database.
(function () {
  "use strict";
  const first = document.getElementById("mirror-screen");
  if (!first) return;
  const path = first.dataset.ws;
  let retry = 0;
  function connect() {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    const socket = new WebSocket(scheme + location.host + path);
    socket.onopen = () => { retry = 0; document.body.dataset.live = "1"; };
    socket.onmessage = (e) => {
      const msg = JSON.parse(e.data);
      if (msg.type !== "screen") return;
      const current = document.getElementById("mirror-screen");
      const tpl = document.createElement("template");
      tpl.innerHTML = msg.html.trim();
      current.replaceWith(tpl.content.firstElementChild);
      const pointed = document.querySelector("[data-pointed]");
      if (pointed) pointed.scrollIntoView({ block: "center", behavior: "smooth" });
    };
    socket.onclose = () => {
      document.body.dataset.live = "";
      retry = Math.min(retry + 1, 6);
      setTimeout(connect, 1000 * retry);
    };
  }
  // The mirror lives full-screen on the counter's second monitor: one click there sets it up.
  document.addEventListener("click", () => {
    if (!document.fullscreenElement && document.documentElement.requestFullscreen) {
      document.documentElement.requestFullscreen().catch(() => {});
    }
  });
  connect();
})();
