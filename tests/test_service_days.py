"""Service days: the queue, "다음 번호 호출", "앞에 n명" and the lobby read only today's tickets;
the day close ends what was never called; the periodic jobs run once per due time."""

import datetime

import pytest
from django.urls import reverse

from intake import dayclose, jobs
from intake import services as intake_services
from intake.models import JobRun, Submission, SubmissionEvent
from officer_console.console import mirror
from officer_console.console import services as console

from . import daytime, factories

pytestmark = pytest.mark.django_db
clock = daytime.clock
S = Submission.Status


@pytest.fixture
def yesterday_and_today(clock, office, version):
    left, today = [], []
    for minute in range(3):
        clock.set("2027-02-04", 16, minute)
        left.append(factories.submitted(office, version))
    for minute in range(2):
        clock.set("2027-02-05", 9, minute)
        today.append(factories.submitted(office, version))
    return left, today


def test_call_next_takes_todays_first_ticket_and_n_ahead_counts_only_today(
    clock,
    yesterday_and_today,
    office,
    officer,
):
    left, today = yesterday_and_today
    assert [s.service_date for s in left] == [datetime.date(2027, 2, 4)] * 3
    assert [s.ticket_number for s in today] == [1, 2]  # numbering starts afresh each day
    assert intake_services.people_ahead(today[1]) == 1
    assert intake_services.people_ahead(today[0]) == 0

    called = console.call_next(office.pk, officer, office.counters.first())
    assert called.pk == today[0].pk
    assert intake_services.people_ahead(Submission.objects.get(pk=today[1].pk)) == 0
    assert [s.pk for s in intake_services.open_queue(office.pk)] == [s.pk for s in today]
    console.call_next(office.pk, officer, None)
    with pytest.raises(console.StaffActionError) as exc:
        console.call_next(office.pk, officer, None)
    assert exc.value.code == "queue_empty"
    assert all(s.status == S.SUBMITTED for s in Submission.objects.filter(pk__in=[s.pk for s in left]))


def test_the_ticket_page_counts_only_todays_waiting_tickets(client, clock, yesterday_and_today):
    _, today = yesterday_and_today
    page = client.get(reverse("intake:ticket", args=[today[1].public_token])).content.decode()
    assert "<strong data-ahead>1</strong>" in page


def test_the_lobby_shows_only_todays_calls(clock, office, version, officer):
    clock.set("2027-02-04", 17)
    old = factories.submitted(office, version)
    console.call(old.pk, officer, office.counters.first())
    clock.set("2027-02-05", 9)
    assert mirror.recent_calls(office.pk) == []
    new = factories.submitted(office, version)
    console.call(new.pk, officer, office.counters.first())
    assert [c["ticket"] for c in mirror.recent_calls(office.pk)] == [new.ticket_number]


def test_the_day_close_ends_uncalled_tickets_and_tells_the_resident(
    client,
    clock,
    office,
    version,
    officer,
):
    clock.set("2027-02-04", 10)
    waiting, called = factories.submitted(office, version), factories.submitted(office, version)
    console.call(called.pk, officer, None)
    clock.set("2027-02-04", 18, 1)
    assert dayclose.last_closing(office, clock.now) == clock.now.replace(minute=0)
    assert dayclose.close_day(office, dayclose.last_closing(office, clock.now)) == 1
    waiting.refresh_from_db()
    called.refresh_from_db()
    assert (waiting.status, called.status) == (S.EXPIRED, S.CALLED)
    event = SubmissionEvent.objects.filter(submission=waiting).last()
    assert (event.to_status, event.actor) == (S.EXPIRED, None)
    page = client.get(reverse("intake:ticket", args=[waiting.public_token])).content.decode()
    assert 'data-status="expired"' in page and "마감" in page
    assert "handoff-qr" not in page  # nothing left to hand over at a counter


def test_a_ticket_taken_after_closing_is_never_called_the_next_day(clock, office, version, officer):
    clock.set("2027-02-04", 18, 30)  # after Thursday's closing
    late = factories.submitted(office, version)
    assert dayclose.close_day(office, dayclose.last_closing(office, clock.now)) == 0  # the evening's close spares it
    clock.set("2027-02-05", 9)
    assert intake_services.open_queue(office.pk) == []
    with pytest.raises(console.StaffActionError):
        console.call_next(office.pk, officer, None)
    clock.set("2027-02-05", 18)
    assert dayclose.close_day(office, dayclose.last_closing(office, clock.now)) == 1
    assert Submission.objects.get(pk=late.pk).status == S.EXPIRED


def test_each_job_runs_once_per_due_time(clock, office, version):
    clock.set("2027-02-04", 10)
    waiting = factories.submitted(office, version)
    clock.set("2027-02-04", 17, 59)
    ran = {r.job for r in jobs.run_due()}
    assert "day_close:seocho-gu" in ran  # the close of 2027-02-03 18:00: nothing of the 4th yet
    assert Submission.objects.get(pk=waiting.pk).status == S.SUBMITTED
    clock.set("2027-02-04", 18, 0)
    # The hourly delegation_expiry job and the 10-minute webhook_sweep are due on the hour too.
    runs = [r for r in jobs.run_due() if r.job not in ("delegation_expiry", "webhook_sweep")]
    assert [(r.job, r.counts) for r in runs] == [("day_close:seocho-gu", {"expired": 1})]
    assert jobs.run_due() == []  # nothing new is due until the next closing
    run = JobRun.objects.get(job="day_close:seocho-gu", due_at=clock.now)
    assert run.finished_at is not None and run.error == ""
    assert {"retention_purge", "archive_bundle", "access_log_purge"} <= set(
        JobRun.objects.values_list("job", flat=True)
    )


def test_a_failing_job_is_logged_with_its_error_and_not_run_again(clock, monkeypatch):
    def broken(now):
        def run():
            raise RuntimeError("disk full")

        yield jobs.DueRun("broken", jobs.daily_at("retention_purge", now), run)

    monkeypatch.setitem(jobs.JOBS, "broken", jobs.Job("broken", broken))
    jobs.run_due()
    run = JobRun.objects.get(job="broken")
    assert run.error == "RuntimeError: disk full" and run.finished_at is not None
    assert [r.job for r in jobs.run_due()] == []
