"""The submission's report columns: kept by the database through the counter's work, purges and migration.

Waits and handling are whole seconds (rounded); weekday and hour are when the
resident submitted, in Korean time. The report's exact figures rest on them.
"""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from intake import retention
from intake.models import Submission
from officer_console.console import services
from officer_console.reports import services as reports

from . import factories
from .factories import at

SECOND = datetime.timedelta(seconds=1)


def _columns(s: Submission) -> tuple[int | None, int | None, int, int]:
    s.refresh_from_db()
    return s.wait_seconds, s.handle_seconds, s.submitted_weekday, s.submitted_hour


def test_columns_follow_call_recall_completion_and_purge(submission, officer):
    submitted = timezone.now() - datetime.timedelta(minutes=10)
    Submission.objects.filter(pk=submission.pk).update(submitted_at=submitted)
    assert _columns(submission)[:2] == (None, None)

    services.call(submission.pk, officer, None)
    submission.refresh_from_db()
    assert submission.wait_seconds == round((submission.called_at - submitted) / SECOND)
    # A recall is the call the resident answers: the wait runs to it.
    submission.called_at = submitted + datetime.timedelta(seconds=59.6)
    submission.save()
    services.recall(submission.pk, officer, None)
    submission.refresh_from_db()
    assert submission.wait_seconds == round((submission.called_at - submitted) / SECOND)

    services.complete(submission.pk, officer)
    submission.refresh_from_db()
    assert submission.handle_seconds == round((submission.completed_at - submission.called_at) / SECOND)
    before = _columns(submission)

    submission.form_version.template.retention_years = 1
    submission.form_version.template.save()
    retention.purge(now=timezone.now() + datetime.timedelta(days=800))
    submission.refresh_from_db()
    assert submission.personal_data_purged_at is not None and submission.data == {}
    assert _columns(submission) == before


def test_rejection_has_a_wait_but_no_handling(submission, officer):
    services.call(submission.pk, officer, None)
    services.reject(submission.pk, officer, "서류 미비")
    wait, handle, _, _ = _columns(submission)
    assert wait is not None and handle is None


def test_rounded_to_whole_seconds_and_korean_weekday_and_hour(db, office, version):
    # 00:30 on Monday in Seoul is still Sunday 15:30 in UTC.
    s = factories.timed_submission(office, version, at("2026-01-05", 0) + 30 * 60 * SECOND, wait=59.5, handle=120.4)
    assert _columns(s) == (60, 120, 1, 0)
    s = factories.timed_submission(office, version, at("2026-01-11", 17), wait=0.4)
    assert _columns(s) == (0, None, 7, 17)


def test_percentiles_are_of_whole_seconds(db, office, version):
    for submitted, wait in ((at("2026-01-05", 9), 59.6), (at("2026-01-05", 10), 120.4)):
        factories.timed_submission(office, version, submitted, wait=wait, handle=30.2)
    f = reports.ReportFilter(datetime.date(2026, 1, 1), datetime.date(2026, 1, 31), (office.pk,))
    total = reports.build(f, reports.factor_set()).wait_total
    # 60 and 120 s: median 90, p90 = 60 + 0.9 × 60 = 114; handling 30 and 30.
    assert (total.wait_n, total.wait_median, total.wait_p90) == (2, 90, 114)
    assert (total.handle_n, total.handle_median, total.handle_p90) == (2, 30, 30)


@pytest.mark.django_db(transaction=True)
def test_migration_fills_the_columns_of_existing_submissions(office, version):
    s = factories.timed_submission(office, version, at("2026-02-03", 14), wait=240.4, handle=119.5)
    executor = MigrationExecutor(connection)
    executor.migrate([("intake", "0005_flow_draft_step")])
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM intake_submission WHERE id = %s", [s.pk])
            assert cursor.fetchone() == (1,)
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert _columns(s) == (240, 120, 2, 14)
