"""Production as docs/PRODUCTION.md sets it up, on this machine: the documented
environment (deploy/minwon.env.example), a self-signed certificate, and Debian's
nginx running the shipped docs/nginx.conf with only its ports and paths changed.

Used by tests/test_deploy.py and tests/test_production_smoke.py.
"""

import base64
import contextlib
import datetime
import ipaddress
import os
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .cluster import wait_for_port

ROOT = Path(__file__).resolve().parent.parent
ENV_EXAMPLE = ROOT / "deploy" / "minwon.env.example"
NGINX_CONF = ROOT / "docs" / "nginx.conf"
UNITS = ROOT / "deploy" / "systemd"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
HOST = "127.0.0.1"


def documented_env() -> dict[str, str]:
    """deploy/minwon.env.example as systemd's EnvironmentFile= reads it (no quoting used)."""
    env = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            env[key.strip()] = value.strip()
    return env


def production_env(**overrides: str) -> dict[str, str]:
    """The documented environment with fresh secrets filled in, then `overrides`."""
    return {
        **documented_env(),
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEYS": base64.urlsafe_b64encode(os.urandom(32)).decode(),
        **overrides,
    }


def self_signed_certificate(directory: Path) -> Path:
    """fullchain.pem and privkey.pem for HOST in `directory`; returns the certificate."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(HOST))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "fullchain.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    (directory / "privkey.pem").write_bytes(private)
    (directory / "privkey.pem").chmod(0o600)
    return directory / "fullchain.pem"


def client_context(certificate: Path) -> ssl.SSLContext:
    """A client that trusts only that certificate and checks the name, as a browser would."""
    return ssl.create_default_context(cafile=str(certificate))


def render_nginx_conf(
    text: str, *, http_port: int, https_port: int, upstream: list[int], certs: Path, static_root: Path
) -> str:
    """docs/nginx.conf with this machine's ports and paths, and nothing else changed."""
    replacements = {
        "listen 80;": f"listen {HOST}:{http_port};",
        "listen 443 ssl http2;": f"listen {HOST}:{https_port} ssl http2;",
        "/etc/ssl/minwon/": f"{certs}/",
        "/srv/minwon/staticfiles/": f"{static_root}/",
        **{f"server 127.0.0.1:{8000 + i} ": f"server {HOST}:{port} " for i, port in enumerate(upstream)},
    }
    for old, new in replacements.items():
        # A changed sample must fail here, not run half-templated.
        assert old in text, f"docs/nginx.conf no longer contains {old!r}"
        text = text.replace(old, new)
    return text


def distinct_ports(count: int) -> list[int]:
    """`count` free local ports, all different (each held open until all are chosen)."""
    with contextlib.ExitStack() as stack:
        sockets = [stack.enter_context(socket.socket()) for _ in range(count)]
        for sock in sockets:
            sock.bind((HOST, 0))
        return [int(sock.getsockname()[1]) for sock in sockets]


class Nginx:
    """Debian's nginx binary with its own prefix, configuration and logs, in the foreground."""

    def __init__(self, prefix: Path, site: str, https_port: int, http_port: int, certificate: Path) -> None:
        self.prefix = prefix
        self.https_port, self.http_port = https_port, http_port
        self.certificate = certificate
        self.url = f"https://{HOST}:{https_port}"
        self.error_log = prefix / "error.log"
        self.access_log = prefix / "access.log"
        (prefix / "temp").mkdir(parents=True, exist_ok=True)
        (prefix / "minwon.conf").write_text(site)
        temp = " ".join(f"{kind}_temp_path {prefix}/temp/{kind};" for kind in ("client_body", "proxy", "fastcgi"))
        temp += f" uwsgi_temp_path {prefix}/temp/uwsgi; scgi_temp_path {prefix}/temp/scgi;"
        # As root, the workers would switch to `nobody`, which cannot read the
        # test's private temporary folders; as anyone else the line is ignored.
        user = "user root;" if os.geteuid() == 0 else ""
        (prefix / "nginx.conf").write_text(
            f"{user}\nworker_processes 1;\ndaemon off;\npid {prefix}/nginx.pid;\nerror_log {self.error_log} info;\n"
            "events { worker_connections 512; }\n"
            f"http {{\n include /etc/nginx/mime.types;\n default_type application/octet-stream;\n"
            f" access_log {self.access_log};\n {temp}\n include {prefix}/minwon.conf;\n}}\n"
        )
        self.command = [NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", str(self.error_log)]
        self.proc: subprocess.Popen[bytes] | None = None

    def check(self) -> None:
        result = subprocess.run([*self.command, "-t"], capture_output=True, text=True, timeout=30)
        assert result.returncode == 0, result.stderr + self.error_log.read_text()

    def start(self) -> None:
        self.check()
        with open(self.prefix / "nginx.out", "ab") as out:
            self.proc = subprocess.Popen(self.command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        wait_for_port(self.https_port, self.proc)

    def stop(self) -> None:
        # The master and its workers share the master's process group.
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)


@contextmanager
def running_nginx(directory: Path, ports: tuple[int, int], upstream: list[int], static_root: Path) -> Iterator[Nginx]:
    """The shipped docs/nginx.conf on local (https, http) ports, in front of the `upstream` ports."""
    if not os.path.exists(NGINX):
        raise RuntimeError(f"{NGINX} is missing: `make test` installs Debian's nginx package.")
    certs = directory / "ssl"
    certificate = self_signed_certificate(certs)
    https_port, http_port = ports
    site = render_nginx_conf(
        NGINX_CONF.read_text(),
        http_port=http_port,
        https_port=https_port,
        upstream=upstream,
        certs=certs,
        static_root=static_root,
    )
    nginx = Nginx(directory / "nginx", site, https_port, http_port, certificate)
    try:
        nginx.start()
        yield nginx
    finally:
        nginx.stop()
