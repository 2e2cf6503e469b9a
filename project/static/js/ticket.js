// Resident ticket: a WebSocket says "changed", htmx fetches the status part (the page
// filled at home, with no status part yet, reloads once its submission changes).
// While the socket is down, window.ticketLive is false and htmx polls instead.
// The status part carries its phase (intake/ticket_phases.py): entering a phase
// marked data-alerts vibrates and, once the resident has allowed it, beeps; a
// phase marked data-keep-awake holds a screen wake lock where the browser has one.
(function () {
  "use strict";
  const script = document.currentScript;
  const path = script && script.dataset.ws;
  const status = () => document.getElementById("ticket-status");
  let lastPhase = (status() || {}).dataset?.phase;
  let audio = null;
  let wakeLock = null;

  // Sound: browsers allow it only after a tap on the page, so the resident taps to turn it on.
  const SOUND_KEY = "ticket-sound";
  function beep() {
    if (!audio) return;
    const t = audio.currentTime;
    for (const [start, freq] of [[0, 880], [0.35, 1175]]) {
      const osc = audio.createOscillator(), gain = audio.createGain();
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.3, t + start);
      gain.gain.exponentialRampToValueAtTime(0.001, t + start + 0.3);
      osc.connect(gain).connect(audio.destination);
      osc.start(t + start); osc.stop(t + start + 0.3);
    }
  }
  function enableSound() {
    const Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) return;
    audio = audio || new Ctx();
    audio.resume();
    try { localStorage.setItem(SOUND_KEY, "1"); } catch (e) { /* private mode */ }
  }
  function soundButtons() {
    const Ctx = window.AudioContext || window.webkitAudioContext;
    document.querySelectorAll("[data-sound]").forEach((button) => {
      if (!Ctx) return;
      button.hidden = false;
      button.setAttribute("aria-pressed", audio ? "true" : "false");
      button.onclick = () => { enableSound(); beep(); button.setAttribute("aria-pressed", "true"); };
    });
  }
  // Asked for on an earlier visit: the first tap anywhere turns it back on.
  try {
    if (localStorage.getItem(SOUND_KEY)) document.addEventListener("pointerdown", enableSound, { once: true });
  } catch (e) { /* private mode */ }

  async function keepAwake() {
    const el = status();
    const wanted = el && "keepAwake" in el.dataset && document.visibilityState === "visible";
    if (!navigator.wakeLock) return;
    if (wanted && !wakeLock) {
      try {
        wakeLock = await navigator.wakeLock.request("screen");
        wakeLock.addEventListener("release", () => { wakeLock = null; });
      } catch (e) { wakeLock = null; /* refused (battery saver): the text asks to keep it on */ }
    } else if (!wanted && wakeLock) {
      wakeLock.release();
      wakeLock = null;
    }
  }
  // The lock is dropped whenever the page is hidden; take it again on return.
  document.addEventListener("visibilitychange", keepAwake);

  function onPhase() {
    const el = status();
    const phase = el && el.dataset.phase;
    // The 위임자 has signed (or refused): the whole page changes, the ticket number appears.
    if (lastPhase === "awaiting_cosign" && phase && phase !== lastPhase) { location.reload(); return; }
    if (phase && phase !== lastPhase && "alerts" in el.dataset) {
      if (navigator.vibrate) navigator.vibrate([300, 150, 300]);
      beep();
      const title = document.title.replace(/^\(!\) /, "");
      document.title = "(!) " + title;
      // The call is at the top: bring it into view if the resident scrolled down.
      el.scrollIntoView({ block: "start" });
    }
    lastPhase = phase;
    soundButtons();
    keepAwake();
  }
  document.body.addEventListener("htmx:afterSwap", onPhase);
  onPhase();

  if (!path || !window.WebSocket) return;
  let retry = 0;
  let pending = null;
  // Going elsewhere (the phone just scanned a counter's QR, which checks it in): no reload then.
  let leaving = false;
  window.addEventListener("pagehide", () => { leaving = true; });
  window.addEventListener("beforeunload", () => { leaving = true; });
  function refresh() {
    // Several events in a burst (a whole office's calls) make one request.
    if (pending) return;
    pending = setTimeout(() => { pending = null; document.body.dispatchEvent(new Event("ticket-changed")); }, 150);
  }
  function connect() {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    const socket = new WebSocket(scheme + location.host + path);
    socket.onopen = () => { retry = 0; window.ticketLive = true; };
    socket.onmessage = (e) => {
      const msg = JSON.parse(e.data);
      if (msg.type !== "changed") return;
      // A page without a status part (filled at home, no ticket yet) becomes another page once its
      // own submission changes (checked in): reload then, not on the office's other events.
      const waiting = document.querySelector("[data-reload-after-revision]");
      if (waiting) {
        if (!leaving && msg.revision > Number(waiting.dataset.reloadAfterRevision)) location.reload();
        return;
      }
      refresh();
    };
    socket.onclose = () => {
      window.ticketLive = false;
      retry = Math.min(retry + 1, 6);
      setTimeout(connect, 1000 * retry);
    };
  }
  connect();
})();
