import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pdfgen import tasks
from pdfgen.models import ArchivedDocument

from . import factories, live


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_verify_archive_reports_an_altered_byte_and_a_missing_file(office, version, submission, tmp_path, capsys):
    other = factories.submitted(office, version)
    tasks.render_and_store(submission.pk, 1)
    tasks.render_and_store(other.pk, 1)
    call_command("verify_archive")
    assert "2 archived file(s) checked, 0 problem(s)." in capsys.readouterr().out

    altered = ArchivedDocument.objects.get(submission=submission)
    path = tmp_path / altered.file.name
    content = bytearray(path.read_bytes())
    content[len(content) // 2] ^= 0x01
    path.write_bytes(bytes(content))
    missing = ArchivedDocument.objects.get(submission=other)
    (tmp_path / missing.file.name).unlink()

    with pytest.raises(CommandError, match="2 archived file"):
        call_command("verify_archive")
    err = capsys.readouterr().err
    assert f"ALTERED: {submission.reference} {altered.file.name}" in err
    assert f"MISSING: {other.reference} {missing.file.name}" in err


@pytest.mark.django_db(transaction=True)
def test_verify_archive_exits_non_zero_from_the_command_line(transactional_db, submission, tmp_path):

    tasks.render_and_store(submission.pk, 1)
    doc = ArchivedDocument.objects.get(submission=submission)
    (tmp_path / doc.file.name).write_bytes(b"%PDF-1.7 not the archived file")
    env = {**os.environ, **live.test_database_env(), "MEDIA_ROOT": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "manage.py", "verify_archive"],
        cwd=live.ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert f"ALTERED: {submission.reference}" in result.stderr
