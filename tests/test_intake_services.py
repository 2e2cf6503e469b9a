import uuid

import pytest
from django.db import connection

from forms_catalog import packs
from intake import crypto
from intake import services as intake_services
from intake.models import Draft, Submission
from officer_console.management.commands.load_demo import DEMO_PACK

from . import factories


def _form(office, version):
    return intake_services.FormContext(office, version.template, version)


def test_submit_allocates_sequential_tickets_per_office_and_day(office, other_office, version):
    first = factories.submitted(office, version)
    second = factories.submitted(office, version)
    elsewhere = factories.submitted(other_office, version)
    assert (first.ticket_number, second.ticket_number) == (1, 2)
    assert elsewhere.ticket_number == 1
    assert first.service_date == second.service_date


def test_submit_is_idempotent_on_its_key(office, version):
    key = uuid.uuid4()
    kwargs = dict(
        form=_form(office, version),
        version=version,
        raw_values=factories.VALID_VALUES,
        idempotency_key=key,
        counter=None,
    )
    first, created_first = intake_services.submit(**kwargs)
    again, created_again = intake_services.submit(**kwargs)
    assert created_first and not created_again
    assert again.pk == first.pk
    assert Submission.objects.count() == 1


def test_invalid_submission_raises_with_code_and_field_messages(office, version):
    values = {**factories.VALID_VALUES, "rrn": "901301-1234567", "name": ""}
    with pytest.raises(intake_services.InvalidSubmission) as exc:
        intake_services.submit(
            form=_form(office, version), version=version, raw_values=values, idempotency_key=uuid.uuid4(), counter=None
        )
    assert exc.value.code == "invalid"
    assert "생년월일" in exc.value.errors["rrn"]
    assert "필수" in exc.value.errors["name"]
    assert Submission.objects.count() == 0


def test_rrn_is_encrypted_at_rest_and_absent_from_the_raw_row(submission):
    with connection.cursor() as cursor:
        cursor.execute("SELECT data, sensitive_data FROM intake_submission WHERE id = %s", [submission.pk])
        raw = " ".join(str(col) for col in cursor.fetchone())
    assert "900101" not in raw and "1234568" not in raw
    assert "010-1234-5678" in raw  # non-sensitive fields stay queryable
    assert intake_services.submission_values(submission)["rrn"] == factories.RRN
    assert crypto.key_id_of(submission.sensitive_data)


def test_tampered_ciphertext_is_refused(submission):
    token = submission.sensitive_data
    tampered = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt_json(tampered)


def test_hidden_proxy_fields_are_dropped_and_shown_ones_required(office, version):
    values = {**factories.VALID_VALUES, "proxy_name": "임꺽정"}
    submission = factories.submitted(office, version, values)
    assert "proxy_name" not in intake_services.submission_values(submission)

    proxy = {**factories.VALID_VALUES, "applicant_type": "proxy"}
    with pytest.raises(intake_services.InvalidSubmission) as exc:
        factories.submitted(office, version, proxy)
    assert set(exc.value.errors) == {"proxy_name"}


def test_draft_keeps_invalid_input_and_encrypts_sensitive_values(office, version):
    draft = intake_services.get_or_start_draft(resident_key="r1", form=_form(office, version), counter=None)
    intake_services.save_draft(draft, {"name": "홍길동", "rrn": "9001", "unknown": "x"})
    draft.refresh_from_db()
    assert draft.data == {"name": "홍길동"}
    assert "9001" not in draft.sensitive_data
    assert intake_services.draft_values(draft) == {"name": "홍길동", "rrn": "9001"}
    again = intake_services.get_or_start_draft(resident_key="r1", form=_form(office, version), counter=None)
    assert again.pk == draft.pk


def test_submit_links_draft_and_clears_its_copy_of_personal_data(office, version):
    form = _form(office, version)
    draft = intake_services.get_or_start_draft(resident_key="r2", form=form, counter=None)
    intake_services.save_draft(draft, factories.VALID_VALUES)
    submission, _ = intake_services.submit(
        form=form,
        version=version,
        raw_values=intake_services.draft_values(draft),
        idempotency_key=draft.idempotency_key,
        counter=None,
        draft=draft,
    )
    draft = Draft.objects.get(pk=draft.pk)
    assert draft.submission_id == submission.pk
    assert draft.sensitive_data == "" and draft.data == {}


def test_form_not_offered_by_office_is_unavailable(office, db):
    other = factories.form_version("not-offered")
    with pytest.raises(intake_services.FormUnavailable) as exc:
        intake_services.resolve_form(office, other.template.code)
    assert exc.value.code == "form_unavailable"


def test_people_ahead_counts_only_earlier_waiting_submissions(office, version):
    first = factories.submitted(office, version)
    second = factories.submitted(office, version)
    third = factories.submitted(office, version)
    assert [intake_services.people_ahead(s) for s in (first, second, third)] == [0, 1, 2]


def test_purge_removes_drafts_older_than_two_days(office, version):
    import datetime

    from django.utils import timezone

    draft = intake_services.get_or_start_draft(resident_key="old", form=_form(office, version), counter=None)
    Draft.objects.filter(pk=draft.pk).update(updated_at=timezone.now() - datetime.timedelta(hours=49))
    fresh = intake_services.get_or_start_draft(resident_key="new", form=_form(office, version), counter=None)
    assert intake_services.purge_stale_drafts() == 1
    assert list(Draft.objects.values_list("pk", flat=True)) == [fresh.pk]


def test_resubmit_correction_updates_the_same_submission_only_for_asked_fields(office, version):
    from django.contrib.auth import get_user_model

    from intake.models import SubmissionEvent
    from officer_console.console import services as staff

    officer = get_user_model().objects.create_user("o1")
    submission = factories.submitted(office, version)
    with pytest.raises(intake_services.NotAwaitingCorrection):
        intake_services.resubmit_correction(submission.pk, {"address": "x"})
    staff.call(submission.pk, officer, office.counters.first())
    staff.request_correction(submission.pk, officer, ["address"], "호수를 적어 주세요")
    with pytest.raises(intake_services.InvalidSubmission) as exc:
        intake_services.resubmit_correction(submission.pk, {"address": ""})
    assert "address" in exc.value.errors
    fixed = intake_services.resubmit_correction(
        submission.pk, {"address": "서울특별시 서초구 남부순환로 2584, 303호", "name": "김철수"}
    )
    assert fixed.pk == submission.pk and fixed.ticket_number == submission.ticket_number
    # Called before, so the resident goes back to the counter that called them.
    assert fixed.status == "called" and fixed.correction_fields == []
    values = intake_services.submission_values(fixed)
    assert values["address"].endswith("303호") and values["name"] == "홍길동"
    assert SubmissionEvent.objects.filter(submission=fixed, note__startswith="보완 제출").exists()


def test_correction_before_being_called_waits_in_line_again(office, version):
    from django.contrib.auth import get_user_model

    from officer_console.console import services as staff

    officer = get_user_model().objects.create_user("o1")
    submission = factories.submitted(office, version)
    staff.request_correction(submission.pk, officer, ["phone"], "")
    fixed = intake_services.resubmit_correction(submission.pk, {"phone": "01098765432"})
    assert fixed.status == "submitted"


def test_draft_drops_control_characters_postgres_cannot_store(office, version):
    draft = intake_services.get_or_start_draft(resident_key="nul", form=_form(office, version), counter=None)
    intake_services.save_draft(draft, {"name": "홍\x00길\x07동", "address": "줄1\n줄2", "copies": ["1\x00"]})
    draft.refresh_from_db()
    assert intake_services.draft_values(draft) == {"name": "홍길동", "address": "줄1\n줄2", "copies": ["1"]}


def _demo_schema(code: str) -> dict:
    pack = packs.load_pack_file(DEMO_PACK)
    return next(form for form in pack["forms"] if form["code"] == code)["versions"][-1]["schema"]


# The demo pack's own 위임장: the 위임자 shares the applicant.* keys, the 대리인 the proxy.* keys.
POWER_OF_ATTORNEY = _demo_schema("power-of-attorney")


def _shared_schema():
    import copy

    schema = copy.deepcopy(factories.SCHEMA)
    for f in schema["sections"][0]["fields"]:
        f["semantic"] = {"name": "applicant.name", "rrn": "applicant.rrn", "address": "applicant.address"}.get(
            f["key"], f.get("semantic")
        )
        if f["key"] == "phone":
            f["semantic"] = "applicant.phone"
    return schema


def test_shared_fields_are_entered_once_across_a_form_and_its_power_of_attorney(db):
    application = factories.form_version("application", schema=_shared_schema())
    delegation = factories.form_version("delegation", schema=POWER_OF_ATTORNEY)
    office = factories.office(forms=[application, delegation])
    first = intake_services.get_or_start_draft(resident_key="r1", form=_form(office, application), counter=None)
    intake_services.save_draft(first, {**factories.VALID_VALUES, "phone": "12"})  # phone invalid: not shared

    second = intake_services.get_or_start_draft(resident_key="r1", form=_form(office, delegation), counter=None)
    values = intake_services.draft_values(second)
    # The 주민등록번호 is typed again on each form: prefilled, the page would show it in full.
    assert values == {"principal_name": "홍길동", "principal_address": "서울특별시 서초구 남부순환로 2584, 101호"}

    # A field the resident cleared on purpose is not refilled on the next visit.
    intake_services.save_draft(second, {"principal_address": ""})
    again = intake_services.get_or_start_draft(resident_key="r1", form=_form(office, delegation), counter=None)
    assert intake_services.draft_values(again)["principal_address"] == ""
    # Another resident gets nothing.
    stranger = intake_services.get_or_start_draft(resident_key="r2", form=_form(office, delegation), counter=None)
    assert intake_services.draft_values(stranger) == {}


def test_shared_fields_come_from_a_submitted_form_too(db):
    application = factories.form_version("application", schema=_shared_schema())
    delegation = factories.form_version("delegation", schema=POWER_OF_ATTORNEY)
    office = factories.office(forms=[application, delegation])
    draft = intake_services.get_or_start_draft(resident_key="r1", form=_form(office, application), counter=None)
    intake_services.save_draft(draft, factories.VALID_VALUES)
    intake_services.submit(
        form=_form(office, application),
        version=application,
        raw_values=intake_services.draft_values(draft),
        idempotency_key=draft.idempotency_key,
        counter=None,
        draft=draft,
    )
    second = intake_services.get_or_start_draft(resident_key="r1", form=_form(office, delegation), counter=None)
    assert intake_services.draft_values(second)["principal_phone"] == "010-1234-5678"


def test_a_repeated_submit_returns_the_first_and_uses_no_ticket_number(office, version):
    # The unique key is the only guard: the repeat's transaction, ticket
    # number included, is rolled back.
    key = uuid.uuid4()
    kwargs = dict(form=_form(office, version), version=version, raw_values=factories.VALID_VALUES, counter=None)
    first, _ = intake_services.submit(idempotency_key=key, **kwargs)
    again, created = intake_services.submit(idempotency_key=key, **kwargs)
    following, _ = intake_services.submit(idempotency_key=uuid.uuid4(), **kwargs)
    assert not created and again.pk == first.pk
    assert (first.ticket_number, following.ticket_number) == (1, 2)


def test_a_fresh_draft_under_another_residents_draft_key_is_refused_not_submitted(office, version):
    form = _form(office, version)
    theirs = intake_services.get_or_start_draft(resident_key="victim", form=form, counter=None)
    forged = intake_services.get_or_start_draft(
        resident_key="forger", form=form, counter=None, save=False, key=theirs.idempotency_key
    )

    def submit(draft):
        return intake_services.submit(
            form=form,
            version=version,
            raw_values=factories.VALID_VALUES,
            idempotency_key=draft.idempotency_key,
            counter=None,
            draft=draft,
        )

    with pytest.raises(intake_services.PageKeyTaken) as exc:
        submit(forged)
    assert exc.value.code == "page_key_taken"
    assert not Submission.objects.exists()
    # The owner of the key still submits, and gets their own submission.
    submission, created = submit(theirs)
    assert created and Draft.objects.get(pk=theirs.pk).submission == submission


def test_saving_a_fresh_draft_under_another_drafts_key_keeps_it_under_a_new_key(office, version):
    form = _form(office, version)
    theirs = intake_services.get_or_start_draft(resident_key="victim", form=form, counter=None)
    copied = intake_services.get_or_start_draft(
        resident_key="other", form=form, counter=None, save=False, key=theirs.idempotency_key
    )
    intake_services.save_draft(copied, {"name": "김철수"})
    kept = Draft.objects.get(resident_key="other")
    assert kept.idempotency_key != theirs.idempotency_key
    assert intake_services.draft_values(kept)["name"] == "김철수"
