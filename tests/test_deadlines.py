"""처리기한: working days with the Korean holiday calendar, the 처리예정일 fixed at 접수 and moved by 보완."""

import datetime

import pytest

from forms_catalog import terms
from intake import deadlines
from intake import services as intake_services
from intake.models import ClockPause, Submission
from officer_console.console import services as console

from . import daytime, factories
from .factories import KST

pytestmark = pytest.mark.django_db
clock = daytime.clock


def kst(day: str, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=KST)


@pytest.fixture
def three_days(version):
    version.service_terms = {"processing": {"unit": "working_days", "amount": 3, "source": "test"}}
    version.save()
    return version


def test_the_holiday_calendar_has_seollal_2027_and_its_substitute_day():
    # 설날 2027 falls on Sunday 7 February: 6-8 February, and Tuesday 9 as the substitute holiday.
    assert [deadlines.is_working_day(datetime.date(2027, 2, d)) for d in range(5, 11)] == [
        True,
        False,
        False,
        False,
        False,
        True,
    ]


def test_three_working_days_from_the_friday_before_seollal(office):
    period = terms.Processing("working_days", 3)
    # Up to 5 days the law counts hours: 24 working hours from Friday 10:00,
    # skipping the weekend and 설날 (6-9 February), end on Friday 12th at 10:00.
    assert deadlines.due_for(office, kst("2027-02-05", 10), period) == kst("2027-02-12", 10)
    # Received after closing: the clock starts at the next opening.
    assert deadlines.due_for(office, kst("2027-02-05", 19), period) == kst("2027-02-12", 18)


def test_six_days_or_more_count_whole_days_with_the_first_day(office):
    # Fri 5 (1), Wed 10 (2), Thu 11, Fri 12, Mon 15, Tue 16, Wed 17 (7): the close of the 7th day.
    due = deadlines.due_for(office, kst("2027-02-05", 16), terms.Processing("working_days", 7))
    assert due == kst("2027-02-17", 18)


def test_immediately_is_three_working_hours(office):
    # 9:00-18:00 is the law's 8-hour day: three hours are 3/8 of it.
    assert deadlines.due_for(office, kst("2027-02-10", 9), terms.Processing("immediate")) == kst("2027-02-10", 12, 23)
    assert deadlines.due_for(office, kst("2027-02-10", 9), terms.Processing("hours", 8)) == kst("2027-02-10", 18)


def test_the_due_date_is_fixed_at_submission_and_a_two_day_correction_moves_it_two_working_days(
    clock, office, three_days, officer
):
    clock.set("2027-02-05", 10)
    submission = factories.submitted(office, three_days)
    assert submission.due_at == kst("2027-02-12", 10)

    clock.set("2027-02-10", 10)  # Wednesday after 설날: the officer asks for a fix
    console.call(submission.pk, officer, None)
    console.request_correction(submission.pk, officer, ["address"], "주소를 확인해 주세요")
    assert deadlines.standing(Submission.objects.get(pk=submission.pk)) == "paused"
    clock.set("2027-02-12", 10)  # two working days later the resident resubmits
    intake_services.resubmit_correction(submission.pk, {"address": "서울특별시 서초구 남부순환로 2584, 102호"})
    submission.refresh_from_db()
    assert submission.due_at == kst("2027-02-16", 10)  # Friday 12th + two working days (Mon, Tue)
    pause = ClockPause.objects.get(submission=submission)
    assert (pause.started_at, pause.ended_at) == (kst("2027-02-10", 10), kst("2027-02-12", 10))


def test_a_pause_over_a_weekend_counts_only_its_working_time(office):
    paused = deadlines.working_minutes_between(office, kst("2027-02-12", 14), kst("2027-02-15", 14))
    assert paused == pytest.approx(deadlines.DAY_MINUTES)  # Friday 14:00 to Monday 14:00 is one working day


def test_standing_tells_due_soon_and_overdue(clock, office, three_days):
    clock.set("2027-02-05", 10)
    submission = factories.submitted(office, three_days)
    assert deadlines.standing(submission, kst("2027-02-10", 10)) == "on_time"
    assert deadlines.standing(submission, kst("2027-02-11", 11)) == "due_soon"
    assert deadlines.standing(submission, kst("2027-02-12", 10, 1)) == "overdue"


def test_a_form_without_a_processing_period_has_no_due_date(clock, office, version):
    assert factories.submitted(office, version).due_at is None


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ({"processing": {"unit": "weeks", "amount": 1}}, "service_terms.processing.unit"),
        ({"processing": {"unit": "working_days", "amount": 0}}, "service_terms.processing.amount"),
        ({"fee": {"basis": "per_copy", "amount": 0}}, "service_terms.fee.amount"),
        ({"fee": {"basis": "per_copy", "amount": 400, "exemptions": [{"code": "x"}]}}, "exemptions[0]"),
        ({"fees": {}}, "알 수 없는 항목"),
    ],
)
def test_bad_terms_are_refused_with_a_korean_message_saying_where(raw, problem):
    _, problems = terms.check(raw)
    assert any(problem in p for p in problems), problems
    with pytest.raises(terms.TermsError):
        terms.parse(raw)
