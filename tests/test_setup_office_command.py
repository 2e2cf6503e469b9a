"""`manage.py setup_office`: the setup guide's steps as one non-interactive command."""

import io

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from forms_catalog import packs
from intake.models import Office
from officer_console.models import Membership, PasswordChangeRequired

pytestmark = pytest.mark.django_db

DEMO_PACK = packs.JSON_SCHEMA_PATH.parent / "demo.json"


def test_one_command_brings_an_office_to_the_end_of_the_checklist(tmp_path, settings, capsys):
    settings.PUBLIC_BASE_URL = "https://minwon.example.go.kr"
    staff = tmp_path / "staff.csv"
    staff.write_text("이름,아이디\n김민원,kim.minwon\n", encoding="utf-8")
    posters = tmp_path / "posters.pdf"
    call_command(
        "setup_office", "hanbit-gu", "--name", "한빛구청", "--counters", "2", "--pack", str(DEMO_PACK),
        "--forms", "all", "--officers", str(staff), "--posters", str(posters),
    )  # fmt: skip
    out = capsys.readouterr().out
    office = Office.objects.get(slug="hanbit-gu")
    assert office.counters.count() == 2 and office.forms.count() == 11
    user = Membership.objects.get(office=office).user
    assert PasswordChangeRequired.objects.filter(user=user).exists()
    assert "kim.minwon" in out and out.count("✔") == 5
    reader = PdfReader(io.BytesIO(posters.read_bytes()))
    # A page per counter, then the office-wide link for filling at home and the lobby's arrival code.
    assert len(reader.pages) == 2 + 2 and "https://minwon.example.go.kr/q/" in reader.pages[0].extract_text()


def test_command_errors_say_how_to_fix_them(tmp_path):
    with pytest.raises(CommandError, match="--name"):
        call_command("setup_office", "nowhere")
    call_command("setup_office", "hanbit-gu", "--name", "한빛구청", "--counters", "1")
    with pytest.raises(CommandError, match="게시된 서식이 아닙니다: no-such-form"):
        call_command("setup_office", "hanbit-gu", "--forms", "no-such-form")
    bad = tmp_path / "staff.csv"
    bad.write_text("이름,아이디\n,kim\n", encoding="utf-8")
    with pytest.raises(CommandError, match="2행: 이름이 비어 있습니다"):
        call_command("setup_office", "hanbit-gu", "--officers", str(bad))
    assert not Membership.objects.exists()


def test_a_run_that_fails_at_a_later_step_changes_nothing_and_can_simply_be_run_again(tmp_path, settings, capsys):
    settings.PUBLIC_BASE_URL = ""
    staff = tmp_path / "staff.csv"
    staff.write_text("이름,아이디\n김민원,kim.minwon\n", encoding="utf-8")
    run = ["setup_office", "hanbit-gu", "--name", "한빛구청", "--counters", "2", "--officers", str(staff)]
    with pytest.raises(CommandError, match="PUBLIC_BASE_URL") as exc:
        call_command(*run, "--posters", str(tmp_path / "posters.pdf"))
    assert "아무것도 바꾸지 않았습니다" in str(exc.value)
    assert not Office.objects.exists() and not Membership.objects.exists()
    assert "kim.minwon" not in capsys.readouterr().out  # no password printed for an account that is not there

    settings.PUBLIC_BASE_URL = "https://minwon.example.go.kr"
    call_command(*run, "--posters", str(tmp_path / "posters.pdf"))
    assert Membership.objects.get().user.username == "kim.minwon"
    assert "kim.minwon" in capsys.readouterr().out
