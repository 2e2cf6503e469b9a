"""Per-install secrets for development: made once, kept out of git, readable by the owner only.

The development key used to be written in the repository, and the field
encryption key was derived from it: anyone with the source could decrypt the
주민등록번호 in a developer's db.sqlite3. Now the first `make run` (or any
manage.py command in debug mode without DJANGO_SECRET_KEY) writes random
keys to `.dev-secrets` beside manage.py (git-ignored, mode 0600), and settings
read them from there whenever the environment does not set them. Production
always sets both variables (settings refuse to start otherwise).

A test run (pytest sets PYTEST_VERSION, which the servers and workers it
starts inherit) uses fixed test keys instead, and never needs the file.
"""

import base64
import os
import secrets
import sys
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

FILE_NAME = ".dev-secrets"
SECRET_KEY_NAME = "DJANGO_SECRET_KEY"  # noqa: S105 (a variable name)
FIELD_KEYS_NAME = "FIELD_ENCRYPTION_KEYS"
TEST_SECRETS = {
    SECRET_KEY_NAME: "test-only-secret-key-for-the-pytest-run-0123456789-abcdefghij",
    FIELD_KEYS_NAME: "dGVzdC1vbmx5LWZpZWxkLWtleS0zMi1ieXRlcy0wMDA=",
}


def _generate() -> dict[str, str]:
    return {
        SECRET_KEY_NAME: secrets.token_urlsafe(50),
        FIELD_KEYS_NAME: base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
    }


def _write_new(path: Path) -> None:
    """Create the file with fresh keys; if another process got there first, keep theirs."""
    text = "".join(f"{name}={value}\n" for name, value in _generate().items())
    try:
        # O_EXCL: two processes starting together cannot both write different keys.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "w") as f:
        f.write(text)
    print(f"Wrote new development secrets to {path} (kept out of git, readable by you only).", file=sys.stderr)
    database = path.parent / "db.sqlite3"
    if database.exists():
        print(
            f"{database} was encrypted with the old public development key: its personal data will not "
            "decrypt any more. Delete it and run `make run` again for fresh demo data.",
            file=sys.stderr,
        )


def for_debug(directory: Path) -> dict[str, str]:
    """The secrets a debug-mode process uses when the environment has none."""
    if os.environ.get("PYTEST_VERSION"):
        return TEST_SECRETS
    return load(directory)


def load(directory: Path) -> dict[str, str]:
    """The development secrets in `directory`, created on first use."""
    path = directory / FILE_NAME
    if not path.exists():
        _write_new(path)
    values = {}
    for line in path.read_text().splitlines():
        name, _, value = line.partition("=")
        if name.strip() and value.strip():
            values[name.strip()] = value.strip()
    missing = {SECRET_KEY_NAME, FIELD_KEYS_NAME} - values.keys()
    if missing:
        raise ImproperlyConfigured(f"{path} lacks {', '.join(sorted(missing))}: delete the file to make new secrets.")
    return values
