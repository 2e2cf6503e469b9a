"""대신 작성: an officer fills a form in for the resident; only the resident's signature on the mirror files it."""

import pytest

from intake import services as intake_services
from intake.errors import FormUnavailable, InvalidSubmission
from intake.models import Draft, Submission, SubmissionEvent
from officer_console.console import assisted
from officer_console.console import services as staff
from officer_console.models import AssistedEntry, MirrorState
from officer_console.reports.services import paper_sheets_for

from . import factories

pytestmark = pytest.mark.django_db

# Everything the officer types; the resident's signature is not among it.
TYPED = {k: v for k, v in factories.VALID_VALUES.items() if k != "signature"}


def _filled(office, officer, counter=None):
    entry = assisted.start(office, officer, counter or office.counters.first(), "test-form")
    intake_services.save_draft(entry.draft, TYPED)
    return entry


def _waiting(office, officer):
    entry = _filled(office, officer)
    return assisted.request_signature(entry.pk, officer)


def test_starting_needs_a_counter_of_the_officers_own_office(office, other_office, officer):
    with pytest.raises(staff.StaffActionError) as no_counter:
        assisted.start(office, officer, None, "test-form")
    assert no_counter.value.code == "counter_required"
    with pytest.raises(staff.StaffActionError) as elsewhere:
        assisted.start(office, officer, other_office.counters.first(), "test-form")
    assert elsewhere.value.code == "wrong_office"
    stranger = factories.officer(other_office, "stranger")
    with pytest.raises(staff.StaffActionError) as not_theirs:
        assisted.start(office, stranger, office.counters.first(), "test-form")
    assert not_theirs.value.code == "wrong_office"
    with pytest.raises(FormUnavailable) as unknown:
        assisted.start(office, officer, office.counters.first(), "no-such-form")
    assert unknown.value.code == "form_unavailable"
    assert not AssistedEntry.objects.exists()


def test_the_entry_has_a_draft_of_its_own_that_shares_nothing_with_residents(office, officer):
    # A resident filled a form on their phone; the officer's entry must not be prefilled from it.
    phone = intake_services.get_or_start_draft(
        resident_key="phone-key", form=intake_services.resolve_form(office, "test-form"), counter=None
    )
    intake_services.save_draft(phone, {"name": "김민원"})
    entry = assisted.start(office, officer, office.counters.first(), "test-form")
    assert entry.draft.resident_key.startswith(assisted.RESIDENT_KEY_PREFIX)
    assert intake_services.draft_values(entry.draft) == {}
    assert intake_services.shared_values("phone-key") == {"applicant.name": "김민원"}


def test_asking_for_the_signature_checks_everything_but_the_signature(office, officer):
    entry = assisted.start(office, officer, office.counters.first(), "test-form")
    intake_services.save_draft(entry.draft, {**TYPED, "name": ""})
    with pytest.raises(InvalidSubmission) as invalid:
        assisted.request_signature(entry.pk, officer)
    assert invalid.value.code == "invalid" and set(invalid.value.errors) == {"name"}
    intake_services.save_draft(entry.draft, {"name": "홍길동"})
    entry = assisted.request_signature(entry.pk, officer)
    assert entry.status == AssistedEntry.Status.SIGNING
    assert not Submission.objects.exists()
    # The counter's mirror shows it to the resident.
    assert assisted.waiting_at(entry.counter) == entry


def test_signature_missing_files_nothing(office, officer):
    entry = _waiting(office, officer)
    for signed in ({}, {"signature": ""}, {"signature": "not an image"}):
        with pytest.raises(staff.StaffActionError) as missing:
            assisted.sign(entry.pk, officer, signed)
        assert missing.value.code == "signature_missing"
    assert not Submission.objects.exists()
    entry.refresh_from_db()
    assert entry.status == AssistedEntry.Status.SIGNING


def test_signing_before_the_officer_asks_is_refused(office, officer):
    entry = _filled(office, officer)
    with pytest.raises(staff.StaffActionError) as early:
        assisted.sign(entry.pk, officer, {"signature": factories.SIGNATURE})
    assert early.value.code == "conflict"


def test_the_signed_entry_is_filed_as_assisted_and_called_at_this_counter(office, officer):
    entry = _waiting(office, officer)
    counter = entry.counter
    submission = assisted.sign(entry.pk, officer, {"signature": factories.SIGNATURE})
    assert submission.channel == Submission.Channel.ASSISTED
    assert submission.ticket_number == 1
    # Already at the counter with the officer: called there at once, not sent to the back of the queue.
    assert (submission.status, submission.called_counter, submission.handled_by) == ("called", counter, officer)
    filed = SubmissionEvent.objects.filter(submission=submission).order_by("at", "pk").first()
    assert filed.actor == officer and "직원 대신 작성" in filed.note
    assert intake_services.submission_values(submission)["signature"] == factories.SIGNATURE
    entry.refresh_from_db()
    assert (entry.status, entry.submission) == (AssistedEntry.Status.SIGNED, submission)
    # The draft is closed like a phone's, and the mirror shows what was filed.
    assert Draft.objects.get(pk=entry.draft_id).submission == submission
    assert MirrorState.objects.get(counter=counter).submission == submission
    assert assisted.waiting_at(counter) is None
    # Signed twice (a double tap): one submission.
    with pytest.raises(staff.StaffActionError) as again:
        assisted.sign(entry.pk, officer, {"signature": factories.SIGNATURE})
    assert again.value.code == "conflict"
    assert Submission.objects.count() == 1


def test_paper_saved_is_counted_as_for_a_phone(office, officer, version):
    submission = assisted.sign(_waiting(office, officer).pk, officer, {"signature": factories.SIGNATURE})
    staff.complete(submission.pk, officer)
    submission.refresh_from_db()
    phone = factories.submitted(office, version)
    assert submission.paper_sheets_saved == paper_sheets_for(phone) == version.paper_sheets


def test_the_resident_refuses_or_the_officer_cancels_and_the_answers_go(office, officer):
    refused = _waiting(office, officer)
    assisted.refuse(refused.pk, officer)
    cancelled = _filled(office, officer)
    assisted.cancel(cancelled.pk, officer)
    for entry, status in ((refused, "refused"), (cancelled, "cancelled")):
        entry.refresh_from_db()
        assert entry.status == status
        assert intake_services.draft_values(entry.draft) == {}
        with pytest.raises(staff.StaffActionError) as late:
            assisted.sign(entry.pk, officer, {"signature": factories.SIGNATURE})
        assert late.value.code == "conflict"
    assert not Submission.objects.exists()
    assert MirrorState.objects.get(counter=refused.counter).submission is None


def test_back_to_the_form_takes_it_off_the_mirror(office, officer):
    entry = _waiting(office, officer)
    assisted.reopen(entry.pk, officer)
    entry.refresh_from_db()
    assert entry.status == AssistedEntry.Status.FILLING and assisted.waiting_at(entry.counter) is None


def test_one_resident_at_a_time_on_a_counters_mirror(office, officer):
    first = _waiting(office, officer)
    second = _waiting(office, officer)
    first.refresh_from_db()
    assert first.status == AssistedEntry.Status.FILLING
    assert assisted.waiting_at(second.counter) == second
