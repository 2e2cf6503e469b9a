// Lobby TV: newest call on top; a recall moves a ticket back to the top.
(function () {
  "use strict";
  const list = document.getElementById("lobby-calls");
  if (!list) return;
  const empty = document.getElementById("lobby-empty");
  const MAX = 8;
  let retry = 0;

  function item(c) {
    const li = document.createElement("li");
    li.dataset.id = c.id;
    li.dataset.revision = c.revision;
    const t = document.createElement("span"); t.className = "lobby-ticket"; t.textContent = c.ticket + "번";
    const k = document.createElement("span"); k.className = "lobby-counter"; k.textContent = c.counter + "번 창구";
    li.append(t, " → ", k);
    return li;
  }

  function announce(c) {
    const old = list.querySelector(`li[data-id="${c.id}"]`);
    if (old && Number(old.dataset.revision) >= c.revision) return;
    if (old) old.remove();
    const li = item(c);
    li.classList.add("is-new");
    list.prepend(li);
    while (list.children.length > MAX) list.lastElementChild.remove();
    empty.hidden = true;
    // Said aloud too, for those not looking at the screen.
    if (window.speechSynthesis && window.SpeechSynthesisUtterance) {
      const words = new SpeechSynthesisUtterance(c.ticket + "번 고객님, " + c.counter + "번 창구로 오세요.");
      words.lang = "ko-KR";
      window.speechSynthesis.speak(words);
    }
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    const socket = new WebSocket(scheme + location.host + list.dataset.ws);
    socket.onopen = () => { retry = 0; };
    socket.onmessage = (e) => {
      const msg = JSON.parse(e.data);
      if (msg.type === "calls") {
        list.replaceChildren(...msg.calls.map(item));
        empty.hidden = msg.calls.length > 0;
      } else if (msg.type === "call") {
        announce(msg.call);
      }
    };
    socket.onclose = () => { retry = Math.min(retry + 1, 6); setTimeout(connect, 1000 * retry); };
  }
  connect();
})();
