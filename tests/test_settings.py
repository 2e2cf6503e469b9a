import base64
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "x" * 20 + "production-secret-key-for-the-deploy-check-0123456789",
    "DJANGO_ALLOWED_HOSTS": "minwon.example.go.kr",
    "FIELD_ENCRYPTION_KEYS": "q2n7yY1qv3mCkz0C9Jp6Xc5y4H0oW8Qm2kVtq1n3r5s=",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "FIELD_ENCRYPTION_KEYS"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_mode_passes_check_deploy():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_mode_refuses_to_start_without_secrets():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}
    result = _manage("check", env=env)
    assert result.returncode != 0 and "DJANGO_SECRET_KEY must be set" in result.stderr
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "FIELD_ENCRYPTION_KEYS"}
    result = _manage("check", env=env)
    assert result.returncode != 0 and "FIELD_ENCRYPTION_KEYS must be set" in result.stderr


def test_each_run_has_its_own_sqlite_test_database():
    # Two runs in one checkout (a developer's and an editor's, say) must not
    # create, flush and delete one file under each other.
    code = "import os, project.settings as s; print(os.getpid(), s.DATABASES['default']['TEST']['NAME'])"
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}, "DATABASE_URL": ""}
    runs = [
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
        for _ in range(2)
    ]
    names = []
    for run in runs:
        pid, name = run.stdout.split()
        assert Path(name) == ROOT / f".pytest_db.{pid}.sqlite3"
        names.append(name)
    assert names[0] != names[1]


def _documented_production_env() -> dict[str, str]:
    """The environment block of docs/PRODUCTION.md ("Security settings"), its placeholders filled in."""
    doc = (ROOT / "docs" / "PRODUCTION.md").read_text()
    block = re.search(r"## Security settings.*?```env\n(.*?)```", doc, re.S)
    assert block, "docs/PRODUCTION.md has no env block under Security settings"
    fill = {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEYS": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
    }
    env = {}
    for line in block.group(1).splitlines():
        name, _, value = line.partition("=")
        env[name] = fill[name] if value.startswith("<") else re.sub(r"<[^>]*>", "placeholder", value)
    return env


def test_check_deploy_passes_with_the_documented_production_settings():
    env = _documented_production_env()
    assert env["DJANGO_DEBUG"] == "false" and {
        "DJANGO_SECRET_KEY",
        "FIELD_ENCRYPTION_KEYS",
        "DJANGO_ALLOWED_HOSTS",
    } <= set(env)
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
