import pytest

from intake.models import Submission, SubmissionEvent
from officer_console.console import services
from officer_console.models import MirrorState

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


def test_recall_keeps_called_and_bumps_revision_and_time(submission, officer, office):
    counter = office.counters.get(number=2)
    called = services.call(submission.pk, officer, counter)
    again = services.recall(submission.pk, officer, None)
    assert again.status == S.CALLED and again.called_counter == counter
    assert again.revision == called.revision + 1 and again.called_at >= called.called_at


def test_recall_and_no_show_need_a_called_submission(submission, officer):
    for action in (services.recall, services.no_show):
        with pytest.raises(services.StaffActionError) as exc:
            action(submission.pk, officer, *([None] if action is services.recall else []))
        assert exc.value.code == "conflict"
    services.call(submission.pk, officer, None)
    assert services.no_show(submission.pk, officer).status == S.NO_SHOW
    # A resident who turns up later can be called again.
    assert services.call(submission.pk, officer, None).status == S.CALLED


def test_request_correction_validates_fields(submission, officer):
    with pytest.raises(services.StaffActionError) as exc:
        services.request_correction(submission.pk, officer, [], "주소 확인")
    assert exc.value.code == "fields_required"
    with pytest.raises(services.StaffActionError) as exc:
        services.request_correction(submission.pk, officer, ["nope"], "")
    assert exc.value.code == "unknown_field"
    asked = services.request_correction(submission.pk, officer, ["address", "address", "phone"], " 동·호수 ")
    assert asked.status == S.CORRECTION
    assert asked.correction_fields == ["address", "phone"] and asked.status_note == "동·호수"


def test_transfer_to_counter_and_officer_of_the_same_office_only(submission, officer, office, other_office):
    colleague = factories.officer(office, "colleague")
    outsider = factories.officer(other_office, "outsider")
    target = office.counters.get(number=2)
    moved = services.transfer(submission.pk, officer, counter=target, officer=colleague)
    assert moved.called_counter == target and moved.handled_by == colleague
    assert "이관" in moved.events.last().note
    with pytest.raises(services.StaffActionError) as exc:
        services.transfer(submission.pk, officer, officer=outsider)
    assert exc.value.code == "wrong_office"
    with pytest.raises(services.StaffActionError) as exc:
        services.transfer(submission.pk, officer, counter=other_office.counters.first())
    assert exc.value.code == "wrong_office"
    with pytest.raises(services.StaffActionError) as exc:
        services.transfer(submission.pk, officer)
    assert exc.value.code == "target_required"


def test_edit_records_before_after_and_who_with_personal_numbers_encrypted(submission, officer):
    from intake import crypto
    from intake import services as intake_services

    edits = services.edit_fields(
        submission.pk, officer, {"address": "서울특별시 서초구 남부순환로 2584, 202호", "rrn": "900101-2234567"}
    )
    by_key = {e.field_key: e for e in edits}
    assert by_key["address"].before.endswith("101호") and by_key["address"].after.endswith("202호")
    assert by_key["address"].username == "officer"
    assert "900101" not in by_key["rrn"].before + by_key["rrn"].after
    assert crypto.decrypt_json(by_key["rrn"].after) == {"v": "900101-2234567"}
    submission.refresh_from_db()
    assert intake_services.submission_values(submission)["rrn"] == "900101-2234567"
    assert "900101" not in str(submission.data)
    # Unchanged values make no record; invalid ones are refused with the field named.
    assert services.edit_fields(submission.pk, officer, {"address": submission.data["address"]}) == []
    with pytest.raises(services.StaffActionError) as exc:
        services.edit_fields(submission.pk, officer, {"copies": "99"})
    assert exc.value.code == "invalid" and "발급 부수" in exc.value.message


def test_id_check_is_recorded_with_who(submission, officer):
    review = services.set_id_checked(submission.pk, officer, True)
    assert review.id_checked_by == officer and review.id_checked_at is not None
    assert services.set_id_checked(submission.pk, officer, False).id_checked_at is None


def test_handoff_code_forgives_case_and_dashes_but_not_other_offices(submission, office, other_office):
    code = submission.handoff_code
    typed = f" {code[:3].lower()}-{code[3:]} "
    assert services.find_by_handoff(office.pk, typed) == submission
    for office_id, raw in ((other_office.pk, code), (office.pk, ""), (office.pk, "ZZZZZZZ")):
        with pytest.raises(services.StaffActionError) as exc:
            services.find_by_handoff(office_id, raw)
        assert exc.value.code == "not_found"


def test_search_by_reference_ticket_status_form_and_date(office, version, officer):
    import datetime

    first = factories.submitted(office, version)
    second = factories.submitted(office, version)
    services.call(second.pk, officer, None)
    assert list(services.search(office.pk, reference=first.reference.lower())) == [first]
    assert list(services.search(office.pk, ticket=second.ticket_number)) == [second]
    assert list(services.search(office.pk, status="called")) == [second]
    assert set(services.search(office.pk, form_code=version.template.code)) == {first, second}
    tomorrow = first.service_date + datetime.timedelta(days=1)
    assert list(services.search(office.pk, date_from=tomorrow)) == []
    assert set(services.search(office.pk, date_to=first.service_date)) == {first, second}


def test_mirror_state_shows_points_prompts_and_goes_idle(submission, office):
    counter = office.counters.first()
    state = services.update_mirror(counter, show=True, submission=submission)
    state = services.update_mirror(counter, field_key="address")
    state = services.update_mirror(counter, prompt="  서명해 주세요 ")
    assert (state.submission, state.field_key, state.prompt) == (submission, "address", "서명해 주세요")
    state = services.update_mirror(counter, show=True, submission=None)
    assert (state.submission, state.field_key, state.prompt) == (None, "", "")


def test_the_queue_leaves_an_idle_mirror_alone(submission, office, django_capture_on_commit_callbacks):
    counter = office.counters.first()
    services.update_mirror(counter, show=True, submission=submission)
    with django_capture_on_commit_callbacks() as told:
        services.idle_mirror(counter)
    state = MirrorState.objects.get(counter=counter)
    assert state.submission is None and len(told) == 1
    # Reloading the queue again: nothing to write, nothing to tell the screen.
    with django_capture_on_commit_callbacks() as told:
        services.idle_mirror(counter)
    assert told == [] and MirrorState.objects.get(counter=counter).updated_at == state.updated_at
