import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.urls import reverse

from officer_console.models import Membership, PasswordChangeRequired
from officer_console.setup import adoption

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def offices(db):
    return factories.office("gangnam-gu", name="강남구청"), factories.office("yeoksam1-dong", name="역삼1동")


CSV = "\ufeff이름,아이디,기관,역할\n김민원,kim.mw,gangnam-gu,\n이관리,lee.mgr,gangnam-gu;yeoksam1-dong,manager\n"


def test_import_creates_accounts_memberships_and_one_time_passwords(offices):
    accounts = adoption.import_officers(CSV)
    assert [a.login for a in accounts] == ["kim.mw", "lee.mgr"]
    assert len({a.one_time_password for a in accounts}) == 2
    lee = User.objects.get(username="lee.mgr")
    assert lee.check_password(accounts[1].one_time_password)
    assert sorted(Membership.objects.filter(user=lee).values_list("office__slug", "role")) == [
        ("gangnam-gu", "manager"),
        ("yeoksam1-dong", "manager"),
    ]
    assert PasswordChangeRequired.objects.count() == 2


def test_any_bad_row_imports_nothing_and_every_problem_names_its_row(offices):
    bad = "이름,아이디,기관\n김민원,kim.mw,gangnam-gu\n,bad login!,nowhere\n박중복,kim.mw,gangnam-gu\n"
    with pytest.raises(adoption.OfficerImportError) as exc:
        adoption.import_officers(bad)
    problems = "\n".join(exc.value.problems)
    assert exc.value.code == "invalid_officer_csv"
    assert (
        "3행: 이름이 비어" in problems
        and "3행: 아이디 'bad login!'" in problems
        and "3행: 없는 기관 nowhere" in problems
    )
    assert "4행: 아이디 'kim.mw'는 이미" in problems
    assert not User.objects.exists()


def test_missing_columns_are_named(offices):
    with pytest.raises(adoption.OfficerImportError) as exc:
        adoption.import_officers("name,offices\n김,gangnam-gu\n")
    assert "아이디" in exc.value.problems[0]


def test_command_prints_passwords_and_fails_cleanly(offices, tmp_path, capsys):
    path = tmp_path / "staff.csv"
    path.write_text(CSV, encoding="utf-8")
    call_command("import_officers", str(path))
    out = capsys.readouterr().out
    assert "kim.mw" in out and "임시 비밀번호" in out
    with pytest.raises(CommandError, match="이미 있습니다"):
        call_command("import_officers", str(path))


def test_first_log_in_must_change_the_one_time_password(client, offices):
    account = adoption.import_officers(CSV)[0]
    assert client.login(username=account.login, password=account.one_time_password)
    response = client.get(reverse("officer_console:home"))
    assert response.status_code == 302 and response["Location"] == reverse("officer_console:password_change")
    new_password = "counter-Seocho-2026!"
    response = client.post(
        reverse("officer_console:password_change"),
        {"old_password": account.one_time_password, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 302
    assert not PasswordChangeRequired.objects.filter(user__username=account.login).exists()
    office = Membership.objects.get(user__username=account.login).office
    assert client.get(reverse("officer_console:home"))["Location"] == reverse(
        "officer_console:console", args=[office.pk]
    )
