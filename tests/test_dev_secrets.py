"""Development secrets are this install's own, and debug pages are for this machine only."""

import base64
import hashlib
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.http import Http404
from django.test import Client
from django.urls import path

from project import devsecrets
from project import urls as project_urls

ROOT = Path(__file__).resolve().parent.parent
# The key every checkout of the repository used to derive the field key from.
PUBLIC_DEV_SECRET = "dev-only-insecure-key-do-not-use-in-production"


def _settings_in(directory: Path) -> tuple[str, str]:
    """SECRET_KEY and FIELD_ENCRYPTION_KEYS of a debug-mode process started in a copy of the project."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "PYTEST_VERSION", "DJANGO_DEBUG"}
    }
    code = "from project import settings as s; print(s.SECRET_KEY); print(','.join(s.FIELD_ENCRYPTION_KEYS))"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=directory, env=env, capture_output=True, text=True, check=True, timeout=60
    ).stdout.split()
    return out[0], out[1]


def _copy_settings(directory: Path) -> Path:
    (directory / "project").mkdir(parents=True)
    for name in ("__init__.py", "settings.py", "devsecrets.py"):
        if (ROOT / "project" / name).exists():
            shutil.copy(ROOT / "project" / name, directory / "project" / name)
    return directory


def test_each_install_makes_its_own_secrets_kept_private(tmp_path):
    first = _copy_settings(tmp_path / "a")
    secret_key, field_keys = _settings_in(first)
    public_field_key = base64.urlsafe_b64encode(
        hashlib.sha256(f"field-key:{PUBLIC_DEV_SECRET}".encode()).digest()
    ).decode()
    assert secret_key != PUBLIC_DEV_SECRET and public_field_key not in field_keys
    assert len(base64.urlsafe_b64decode(field_keys)) == 32

    secrets_file = first / devsecrets.FILE_NAME
    assert stat.S_IMODE(secrets_file.stat().st_mode) == 0o600
    assert _settings_in(first) == (secret_key, field_keys), "kept between runs"
    other = _settings_in(_copy_settings(tmp_path / "b"))
    assert other[0] != secret_key and other[1] != field_keys, "another install, other keys"


def test_the_secrets_file_is_kept_out_of_git():
    ignored = subprocess.run(["git", "check-ignore", "-q", devsecrets.FILE_NAME], cwd=ROOT, check=False)
    assert ignored.returncode == 0


def _boom(request):
    raise RuntimeError("resident RRN 900101-1234568 in a local variable")


def _gone(request):
    raise Http404("no such submission 42")


# The project's own URLs too: the error pages link to them.
urlpatterns = [path("boom/", _boom), path("gone/", _gone), *project_urls.urlpatterns]


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("address", ["192.168.0.23", "10.1.2.3", "2001:db8::5"])
def test_debug_pages_are_not_shown_to_other_machines(settings, address):
    settings.DEBUG = True
    client = Client(REMOTE_ADDR=address, raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    assert (
        "Traceback" not in response.text and "900101" not in response.text and "잠시 문제가 생겼습니다" in response.text
    )
    for url in ("/gone/", "/no-such-page/"):
        response = client.get(url)
        assert response.status_code == 404
        assert (
            "DEBUG = True" not in response.text
            and "boom/" not in response.text
            and "no such submission" not in response.text
        )


@pytest.mark.urls(__name__)
def test_debug_pages_still_help_the_developer_on_this_machine(settings):
    settings.DEBUG = True
    for address in ("127.0.0.1", "::1"):
        client = Client(REMOTE_ADDR=address, raise_request_exception=False)
        assert "Traceback" in client.get("/boom/").text
        assert "DEBUG = True" in client.get("/no-such-page/").text
