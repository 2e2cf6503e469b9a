// Lobby TV: the latest call of each counter large, earlier calls and waiting
// counts at the side; a call chimes and is said aloud. The server sends the
// whole state on (re)connect, then each call and each change of the counts.
(function () {
  "use strict";
  const board = document.getElementById("lobby");
  if (!board) return;
  const currentList = document.getElementById("lobby-calls");
  const earlierList = document.getElementById("lobby-earlier");
  const waitingList = document.getElementById("lobby-waiting");
  const idle = document.getElementById("lobby-empty");
  const noneWaiting = document.getElementById("lobby-none-waiting");
  const clock = document.getElementById("lobby-clock");
  // As officer_console/console/mirror.py: LOBBY_SIZE calls kept, LOBBY_CURRENT shown large.
  const SIZE = 10;
  const CURRENT = 4;
  let calls = [];
  let audio = null;
  let retry = 0;

  function fromDom() {
    return [...board.querySelectorAll("li[data-id]")].map((li) => ({
      id: Number(li.dataset.id),
      revision: Number(li.dataset.revision),
      counter: Number(li.dataset.counter),
      ticket: Number(li.querySelector("[class^=lobby-ticket]").textContent.replace(/\D/g, "")),
    }));
  }

  function span(cls, text) {
    const s = document.createElement("span");
    s.className = cls;
    s.textContent = text;
    return s;
  }

  function render(newId) {
    const current = [];
    const earlier = [];
    for (const c of calls) {
      const seen = current.some((x) => x.counter === c.counter);
      (seen || current.length >= CURRENT ? earlier : current).push(c);
    }
    currentList.replaceChildren(...current.map((c) => {
      const li = document.createElement("li");
      li.className = "lobby-call" + (c.id === newId ? " is-new" : "");
      Object.assign(li.dataset, { id: c.id, revision: c.revision, counter: c.counter });
      li.append(span("lobby-ticket", c.ticket), span("lobby-unit", "번"), " ", span("lobby-arrow", "→"), " ", span("lobby-counter", c.counter + "번 창구"));
      return li;
    }));
    currentList.dataset.count = String(current.length);
    earlierList.replaceChildren(...earlier.map((c) => {
      const li = document.createElement("li");
      Object.assign(li.dataset, { id: c.id, revision: c.revision, counter: c.counter });
      li.append(span("lobby-ticket-small", c.ticket + "번"), " ", span("lobby-counter", c.counter + "번 창구"));
      return li;
    }));
    idle.hidden = current.length > 0;
  }

  function showWaiting(waiting) {
    waitingList.replaceChildren(...waiting.map((w) => {
      const li = document.createElement("li");
      li.append(span("lobby-service", w.service), " ", span("lobby-count", w.count + "명"));
      // The wait a ticket taken now would have (intake/estimates.py); empty with too little data.
      if (w.estimate) {
        const est = span("lobby-estimate", (waitingList.dataset.estimateLabel || "") + w.estimate);
        est.dataset.estimate = "";
        li.append(" ", est);
      }
      return li;
    }));
    noneWaiting.hidden = waiting.length > 0;
  }

  function chime() {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      // Two soft tones, as a lobby chime, before the announcement.
      [[659, 0], [523, 0.35]].forEach(([freq, at]) => {
        const osc = audio.createOscillator();
        const gain = audio.createGain();
        osc.frequency.value = freq;
        gain.gain.setValueAtTime(0.25, audio.currentTime + at);
        gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + at + 0.6);
        osc.connect(gain).connect(audio.destination);
        osc.start(audio.currentTime + at);
        osc.stop(audio.currentTime + at + 0.6);
      });
    } catch (err) { /* no audio device: the screen still shows the call */ }
  }

  function announce(c) {
    const old = calls.find((x) => x.id === c.id);
    if (old && old.revision >= c.revision) return;
    calls = [c, ...calls.filter((x) => x.id !== c.id)].slice(0, SIZE);
    render(c.id);
    chime();
    // Said aloud too, for those not looking at the screen.
    if (window.speechSynthesis && window.SpeechSynthesisUtterance) {
      const words = new SpeechSynthesisUtterance(c.ticket + "번 고객님, " + c.counter + "번 창구로 오세요.");
      words.lang = "ko-KR";
      setTimeout(() => window.speechSynthesis.speak(words), 900);
    }
  }

  function tick() {
    const now = new Date();
    clock.textContent = now.toLocaleTimeString("ko-KR", { hour: "2-digit", minute: "2-digit", hour12: false, timeZone: "Asia/Seoul" });
    clock.dateTime = now.toISOString();
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    const socket = new WebSocket(scheme + location.host + board.dataset.ws);
    socket.onopen = () => { retry = 0; };
    socket.onmessage = (e) => {
      const msg = JSON.parse(e.data);
      if (msg.type === "calls") {
        calls = msg.calls;
        render(null);
      } else if (msg.type === "call") {
        announce(msg.call);
      }
      if (msg.waiting) showWaiting(msg.waiting);
    };
    socket.onclose = () => { retry = Math.min(retry + 1, 6); setTimeout(connect, 1000 * retry); };
  }

  calls = fromDom();
  tick();
  setInterval(tick, 1000 * 15);
  connect();
})();
