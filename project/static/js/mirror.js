// Resident-facing screen: the server sends the whole screen on every change
// and on every (re)connect, so it can never drift from the database.
// A form the officer filled in for the resident (대신 작성) arrives with a
// signature pad (signature.js); its sign and refuse forms post with fetch.
(function () {
  "use strict";
  const first = document.getElementById("mirror-screen");
  if (!first) return;
  const path = first.dataset.ws;
  let retry = 0;
  let shown = "";
  function enhance(screen) {
    screen.querySelectorAll("[data-signature]").forEach((pad) => window.minwonSignaturePad(pad));
  }
  function connect() {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    const socket = new WebSocket(scheme + location.host + path);
    socket.onopen = () => { retry = 0; document.body.dataset.live = "1"; };
    socket.onmessage = (e) => {
      const msg = JSON.parse(e.data);
      if (msg.type !== "screen") return;
      const html = msg.html.trim();
      // The same screen again (a reconnect, an unrelated change): keep it, and a signature half drawn on it.
      if (html === shown) return;
      shown = html;
      const current = document.getElementById("mirror-screen");
      const tpl = document.createElement("template");
      tpl.innerHTML = html;
      const next = tpl.content.firstElementChild;
      current.replaceWith(next);
      enhance(next);
      const pointed = document.querySelector("[data-pointed]");
      if (pointed) pointed.scrollIntoView({ block: "center", behavior: "smooth" });
    };
    socket.onclose = () => {
      document.body.dataset.live = "";
      retry = Math.min(retry + 1, 6);
      setTimeout(connect, 1000 * retry);
    };
  }
  // The screen came over the socket, without a CSRF field: the page's own token (base.html) goes in a header.
  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || ""; } catch (e) { return ""; }
  }
  document.addEventListener("submit", async (e) => {
    const form = e.target.closest("form[data-mirror-action]");
    if (!form) return;
    e.preventDefault();
    if (form.dataset.sending) return;
    form.dataset.sending = "1";
    const problem = form.querySelector("[data-mirror-error]");
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(), "X-Mirror": "1" },
      });
      // Done: the socket brings the next screen. Refused: say why, on this screen.
      if (!response.ok && problem) { problem.textContent = await response.text(); problem.hidden = false; }
    } catch (err) {
      if (problem) { problem.textContent = problem.dataset.offline || "연결이 끊겼습니다. 다시 눌러 주세요. (Connection lost: please try again.)"; problem.hidden = false; }
    }
    delete form.dataset.sending;
  });
  // The mirror lives full-screen on the counter's second monitor: one click there sets it up.
  document.addEventListener("click", () => {
    if (!document.fullscreenElement && document.documentElement.requestFullscreen) {
      document.documentElement.requestFullscreen().catch(() => {});
    }
  });
  enhance(first);
  connect();
})();
