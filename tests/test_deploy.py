"""The shipped deployment files agree with each other and with the code (docs/PRODUCTION.md, "Release")."""

import re
import shutil
import subprocess
import sys

import pytest

from project.run import server_command, worker_command

from .production import NGINX_CONF, ROOT, UNITS, documented_env, production_env

VENV_BIN = "/srv/minwon/.venv/bin"


def _directives(unit: str, name: str) -> list[str]:
    return re.findall(rf"^{name}=(.*)$", (UNITS / unit).read_text(), flags=re.MULTILINE)


def test_the_units_run_the_processes_the_tests_and_make_stack_run():
    server = server_command("127.0.0.1", "%i", "uvicorn")
    worker = worker_command()
    assert _directives("minwon-asgi@.service", "ExecStart") == [" ".join([f"{VENV_BIN}/uvicorn", *server[1:]])]
    assert _directives("minwon-worker@.service", "ExecStart") == [" ".join([f"{VENV_BIN}/python", *worker[1:]])]


def test_the_units_restart_and_the_worker_yields_the_cpu():
    for unit in ("minwon-asgi@.service", "minwon-worker@.service"):
        assert _directives(unit, "Restart") == ["always"]
        assert _directives(unit, "EnvironmentFile") == ["/etc/minwon/minwon.env"]
        assert _directives(unit, "WantedBy") == ["minwon.target"]
    assert int(_directives("minwon-worker@.service", "CPUWeight")[0]) <= 10
    assert _directives("minwon-asgi@.service", "CPUWeight") == []  # the default, 100


def test_the_documented_paths_agree():
    env = documented_env()
    assert f"alias {env['STATIC_ROOT']}/;" in NGINX_CONF.read_text()
    # The processes may write where the uploads and archived PDFs go, and nowhere else.
    for unit in ("minwon-asgi@.service", "minwon-worker@.service", "minwon-daily.service"):
        [writable] = _directives(unit, "ReadWritePaths")
        assert env["MEDIA_ROOT"].startswith(writable + "/")
    assert env["DJANGO_DEBUG"] == "false" and env["TRUSTED_PROXIES"] == "127.0.0.1,::1"


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="needs systemd-analyze (Debian's systemd)")
def test_systemd_accepts_the_units(tmp_path):
    # Pointed at this checkout, so that systemd finds the programs it would run.
    for unit in UNITS.iterdir():
        (tmp_path / unit.name).write_text(unit.read_text().replace("/srv/minwon", str(ROOT)))
    result = subprocess.run(
        ["systemd-analyze", "verify", *sorted(str(p) for p in tmp_path.iterdir())],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_the_documented_environment_passes_the_deploy_checks():
    # The release procedure's first step (make release); warnings fail it too.
    command = [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    result = subprocess.run(command, cwd=ROOT, env=production_env(PATH="/usr/bin:/bin"), capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
