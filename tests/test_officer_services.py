import pytest

from intake.models import Submission, SubmissionEvent
from officer_console import services

from . import factories

S = Submission.Status


def test_call_complete_fixes_paper_sheets_from_the_filed_version(submission, officer, office):
    services.call(submission.pk, officer, office.counters.first())
    done = services.complete(submission.pk, officer)
    assert done.status == S.COMPLETED
    assert done.paper_sheets_saved == 2
    # A later edit of the template's paper count never rewrites history.
    submission.form_version.paper_sheets = 9
    submission.form_version.save()
    done.refresh_from_db()
    assert done.paper_sheets_saved == 2
    assert list(SubmissionEvent.objects.filter(submission=done).values_list("to_status", flat=True)) == [
        "submitted",
        "called",
        "completed",
    ]


def test_complete_before_call_is_a_conflict(submission, officer):
    with pytest.raises(services.StaffActionError) as exc:
        services.complete(submission.pk, officer)
    assert exc.value.code == "conflict"


def test_second_completion_loses_with_conflict(submission, officer, office):
    services.call(submission.pk, officer, None)
    services.complete(submission.pk, officer)
    with pytest.raises(services.StaffActionError) as exc:
        services.complete(submission.pk, officer)
    assert exc.value.code == "conflict"


def test_reject_needs_a_reason(submission, officer):
    with pytest.raises(services.StaffActionError) as exc:
        services.reject(submission.pk, officer, "  ")
    assert exc.value.code == "reason_required"
    rejected = services.reject(submission.pk, officer, "서명 누락")
    assert rejected.status == S.REJECTED and rejected.status_note == "서명 누락"
    assert rejected.paper_sheets_saved is None


def test_call_next_takes_the_oldest_waiting(office, version, officer):
    first = factories.submitted(office, version)
    factories.submitted(office, version)
    called = services.call_next(office.pk, officer, None)
    assert called.pk == first.pk and called.status == S.CALLED
    assert called.revision == 2


def test_call_next_on_empty_queue(office, officer):
    with pytest.raises(services.StaffActionError) as exc:
        services.call_next(office.pk, officer, None)
    assert exc.value.code == "queue_empty"


def test_access_log_is_append_only(submission, officer):
    entry = services.log_access(user=officer, ip="127.0.0.1", action="view", submission=submission)
    entry.reason = "changed"
    with pytest.raises(PermissionError):
        entry.save()
