"""Several real ASGI processes and workers sharing PostgreSQL and Redis, and
clients that talk to them the way phones (HTTP) and consoles (WebSocket) do.

Used by the cross-process and fault tests and by the benchmarks in bench/.
"""

import asyncio
import collections
import contextlib
import http.client
import json
import os
import re
import signal
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlparse

import websockets

from project.run import niced, server_command, worker_command

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, proc: subprocess.Popen[bytes] | None = None, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode} before listening on {port}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listened on {port} within {timeout}s")


def wait_until(predicate: Callable[[], bool], timeout: float = 10, interval: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


class Cluster:
    """ASGI servers and db_workers started with one environment; any one can be killed."""

    def __init__(self, env: dict[str, str], log_dir: Path) -> None:
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "project.settings",
            "PYTHONUNBUFFERED": "1",
            # Every simulated phone comes from 127.0.0.1: lift the per-address
            # and per-client submit limits, which would otherwise be the test.
            **{f"RATE_LIMIT_{k}": "1000000/60" for k in ("CLIENT", "ADDRESS", "COUNTER")},
            **env,
        }
        self.log_dir = log_dir
        log_dir.mkdir(parents=True, exist_ok=True)
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self.ports: dict[str, int] = {}

    def _spawn(self, name: str, cmd: list[str], env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
        with open(self.log_dir / f"{name}.log", "ab") as log:
            proc = subprocess.Popen(
                cmd,
                cwd=ROOT,
                env={**self.env, **(env or {})},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.procs[name] = proc
        return proc

    def start_server(self, port: int | None = None) -> str:
        port = port or free_port()
        name = f"server-{port}"
        wait_for_port(port, self._spawn(name, server_command("127.0.0.1", port, self.env.get("ASGI_SERVER", ""))))
        self.ports[name] = port
        return name

    def start_worker(
        self, interval: float = 0.2, command: str = "", env: dict[str, str] | None = None, nice: int = 0
    ) -> str:
        name = f"worker-{sum(n.startswith('worker') for n in self.procs) + 1}"
        self._spawn(name, niced(worker_command(interval, command), nice), env)
        return name

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}"

    def servers(self) -> list[str]:
        return [n for n in self.ports if self.procs[n].poll() is None]

    def pids(self) -> dict[str, int]:
        return {n: p.pid for n, p in self.procs.items() if p.poll() is None}

    def kill(self, name: str) -> None:
        """SIGKILL, as a crash or the OOM killer would: no clean shutdown."""
        proc = self.procs[name]
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)

    def stop(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs.values():
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


@contextmanager
def running_cluster(env: dict[str, str], log_dir: Path, servers: int = 2, workers: int = 0) -> Iterator[Cluster]:
    cluster = Cluster(env, log_dir)
    try:
        for _ in range(servers):
            cluster.start_server()
        for _ in range(workers):
            cluster.start_worker()
        yield cluster
    finally:
        cluster.stop()


@contextmanager
def redis_server(port: int, log_dir: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A throwaway redis-server (no persistence), so a test may kill it."""
    log_dir.mkdir(parents=True, exist_ok=True)
    with open(log_dir / f"redis-{port}.log", "ab") as log:
        proc = subprocess.Popen(
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for_port(port, proc)
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def form_tokens(page: str) -> tuple[str, str]:
    """(CSRF token, idempotency key) that a form page carries for its POST."""
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page)
    if not csrf or not key:
        raise RuntimeError("form page without csrf token or idempotency key")
    return csrf.group(1), key.group(1)


class Browser:
    """An HTTP client with a cookie jar, over real sockets (plain or TLS).

    Given several servers it uses the first and, when a connection fails,
    retries the same request on the next one, as a proxy with upstream
    failover does. `source_address` picks the local address it connects from
    (any of 127.0.0.0/8), so a test can tell the client from a proxy on
    127.0.0.1; `headers` go with every request.
    """

    def __init__(
        self,
        base_urls: str | list[str],
        *,
        ssl_context: ssl.SSLContext | None = None,
        source_address: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.bases = [urlparse(u) for u in ([base_urls] if isinstance(base_urls, str) else base_urls)]
        self.current = 0
        self.ssl_context = ssl_context
        self.source_address = (source_address, 0) if source_address else None
        self.headers = headers or {}
        self.cookies: dict[str, str] = {}
        self.conn = self._connect()
        self.failovers = 0

    def _connect(self) -> http.client.HTTPConnection:
        base = self.bases[self.current % len(self.bases)]
        host = base.hostname or "127.0.0.1"
        if base.scheme == "https":
            return http.client.HTTPSConnection(
                host, base.port or 443, timeout=15, context=self.ssl_context, source_address=self.source_address
            )
        return http.client.HTTPConnection(host, base.port or 80, timeout=15, source_address=self.source_address)

    @property
    def origin(self) -> str:
        base = self.bases[self.current % len(self.bases)]
        return f"{base.scheme}://{base.netloc}"

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def request(self, method: str, path: str, body: str | None = None) -> http.client.HTTPResponse:
        attempts = 2 * len(self.bases)
        for attempt in range(attempts):
            headers = {**self.headers, "Cookie": self.cookie_header}
            if body is not None:
                # As a browser's form post: the CSRF check compares Origin with the
                # server it goes to, so a resend after a failover names the new one.
                headers.update({"Content-Type": "application/x-www-form-urlencoded", "Origin": self.origin})
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                break
            except (ConnectionError, http.client.HTTPException, TimeoutError):
                # A closed keep-alive connection, or a dead server: reconnect,
                # to the next server after the first failure.
                self.conn.close()
                if attempt:
                    self.current += 1
                    self.failovers += 1
                self.conn = self._connect()
                if attempt == attempts - 1:
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        response.body = response.read()  # type: ignore[attr-defined]
        return response

    def close(self) -> None:
        self.conn.close()


class Phone(Browser):
    """A resident's phone: one session, posting the form over real HTTP.

    A submit retried on another server carries the same idempotency key.
    """

    def __init__(self, base_urls: str | list[str], slug: str, code: str, **options: Any) -> None:
        super().__init__(base_urls, **options)
        self.path = f"/o/{slug}/f/{code}/"
        self.csrf = ""

    def open_form(self) -> str:
        """GET the form page; returns the idempotency key the page carries."""
        self.csrf, key = form_tokens(self.request("GET", self.path).body.decode())  # type: ignore[attr-defined]
        return key

    def submit(self, values: dict[str, Any], idempotency_key: str) -> http.client.HTTPResponse:
        body = urlencode({**values, "csrfmiddlewaretoken": self.csrf, "idempotency_key": idempotency_key})
        return self.request("POST", self.path, body)


def session_cookie(user: Any) -> str:
    """A logged-in Django session for `user`, as a console's browser holds it."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


class Console:
    """An officer console on a real WebSocket, behaving as console.js does:
    take the snapshot on every (re)connect, apply events, reconnect on close."""

    def __init__(
        self,
        base_urls: list[str],
        office_id: int,
        cookie: str,
        resync_every: float = 0,
        *,
        ssl_context: ssl.SSLContext | None = None,
        source_address: str | None = None,
    ) -> None:
        self.base_urls = base_urls
        self.ssl_context = ssl_context
        self.local_addr = (source_address, 0) if source_address else None
        self.office_id = office_id
        self.cookie = cookie
        # Ask for a snapshot this often, as console.js does (CONSOLE_RESYNC_SECONDS); 0: only on (re)connect.
        self.resync_every = resync_every
        self.seen: dict[int, int] = {}  # submission id -> highest revision seen
        self.first_seen: dict[int, float] = {}  # submission id -> monotonic time
        self.live_events: collections.Counter[tuple[int, int]] = collections.Counter()
        self.snapshots: list[float] = []  # monotonic time of each snapshot received
        self.connects = 0
        self.connected = threading.Event()
        self.current_url = ""
        self._stopping = False

    def _see(self, summary: dict[str, Any], now: float) -> None:
        sid = int(summary["id"])
        self.first_seen.setdefault(sid, now)
        self.seen[sid] = max(self.seen.get(sid, 0), int(summary["revision"]))

    @property
    def duplicates(self) -> int:
        return sum(n - 1 for n in self.live_events.values() if n > 1)

    async def run(self) -> None:
        attempt = 0
        while not self._stopping:
            # Prefer the first server; after a failure try the next, as a
            # proxy would route a reconnect to a live upstream.
            base = self.base_urls[attempt % len(self.base_urls)]
            ws_url = base.replace("http", "ws", 1) + f"/ws/console/{self.office_id}/"
            tls = {"ssl": self.ssl_context} if ws_url.startswith("wss:") else {}
            try:
                async with websockets.connect(
                    ws_url,
                    origin=websockets.Origin(base),
                    additional_headers={"Cookie": self.cookie},
                    open_timeout=5,
                    max_size=None,
                    local_addr=self.local_addr,
                    **tls,
                ) as ws:
                    self.current_url = base
                    resyncing = asyncio.ensure_future(self._resync(ws)) if self.resync_every else None
                    try:
                        async for raw in ws:
                            message = json.loads(raw)
                            now = time.monotonic()
                            if message["type"] == "snapshot":
                                for summary in message["submissions"]:
                                    self._see(summary, now)
                                self.snapshots.append(now)
                                if not self.connected.is_set():
                                    self.connects += 1
                                    self.connected.set()
                            elif message["type"] == "submission":
                                summary = message["submission"]
                                self.live_events[(int(summary["id"]), int(summary["revision"]))] += 1
                                self._see(summary, now)
                    finally:
                        if resyncing is not None:
                            resyncing.cancel()
            except (TimeoutError, OSError, websockets.WebSocketException):
                pass
            self.connected.clear()
            if not self._stopping:
                attempt += 1
                await asyncio.sleep(0.2)

    async def _resync(self, ws: Any) -> None:
        with contextlib.suppress(websockets.WebSocketException):
            while True:
                await asyncio.sleep(self.resync_every)
                await ws.send(json.dumps({"type": "resync"}))

    def stop(self) -> None:
        self._stopping = True


class Consoles:
    """Many consoles on one event loop in a background thread."""

    def __init__(self, consoles: list[Console]) -> None:
        self.consoles = consoles
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.tasks: list[asyncio.Task[None]] = []

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()

    def __enter__(self) -> "Consoles":
        self.thread.start()
        for console in self.consoles:
            asyncio.run_coroutine_threadsafe(self._start(console), self.loop).result()
        return self

    async def _start(self, console: Console) -> None:
        self.tasks.append(asyncio.ensure_future(console.run()))

    def all_connected(self) -> bool:
        return all(c.connected.is_set() for c in self.consoles)

    def __exit__(self, *exc: object) -> None:
        for console in self.consoles:
            console.stop()

        async def cancel() -> None:
            for task in self.tasks:
                task.cancel()
            await asyncio.gather(*self.tasks, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(cancel(), self.loop).result(timeout=10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.loop.close()


class TcpProxy:
    """A TCP proxy to `target` on a free local port, run by asyncio in a thread.

    cut() drops every open connection and refuses new ones, as a dead server
    or a broken network does; restore() accepts again on the same port.
    hold() stops passing the target's answers on (they wait in the proxy), so
    a request is known to be in flight: received, perhaps done, unanswered.
    """

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = free_port()
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.server: asyncio.Server | None = None
        self.transports: set[asyncio.BaseTransport] = set()
        self._answering = asyncio.Event()
        self._answering.set()

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, answers: bool = False) -> None:
        try:
            while data := await reader.read(65536):
                if answers:
                    await self._answering.wait()
                writer.write(data)
                await writer.drain()
        except (OSError, asyncio.CancelledError):
            pass
        finally:
            writer.transport.abort()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.transport.abort()
            return
        self.transports |= {writer.transport, up_writer.transport}
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer, answers=True))
        self.transports -= {writer.transport, up_writer.transport}

    async def _listen(self) -> None:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", self.port, reuse_address=True)

    async def _cut(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None
        for transport in list(self.transports):
            transport.abort()
        self.transports.clear()

    def _call(self, coro: Any) -> None:
        asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout=10)

    def cut(self) -> None:
        self._call(self._cut())

    async def _hold(self) -> None:
        self._answering.clear()

    def hold(self) -> None:
        self._call(self._hold())

    def restore(self) -> None:
        self._call(self._listen())

    def __enter__(self) -> "TcpProxy":
        self.thread.start()
        self.restore()
        return self

    def __exit__(self, *exc: object) -> None:
        self.cut()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.loop.close()
