"""Counters by service (issue 23): call_next takes the oldest ticket of the counter's services."""

import pytest

from intake import services as intake_services
from intake.models import Submission
from officer_console.console import services

from . import factories

S = Submission.Status


@pytest.fixture
def routed(db):
    """Counters 1–2 on 주민등록, 3 on 가족관계, 4 general; one form per service."""
    office, forms = factories.routed_office(4, {1: ["resident"], 2: ["resident"], 3: ["family"]})
    return {
        "office": office,
        "counters": {c.number: c for c in office.counters.all()},
        "resident": forms["resident"],
        "family": forms["family"],
        "officer": factories.officer(office),
    }


def test_each_counter_calls_the_oldest_ticket_of_its_own_services(routed):
    office, c, officer = routed["office"], routed["counters"], routed["officer"]
    r1 = factories.submitted(office, routed["resident"])
    f1 = factories.submitted(office, routed["family"])
    r2 = factories.submitted(office, routed["resident"])
    f2 = factories.submitted(office, routed["family"])

    assert services.call_next(office.pk, officer, c[3]).pk == f1.pk
    assert services.call_next(office.pk, officer, c[1]).pk == r1.pk
    assert services.call_next(office.pk, officer, c[2]).pk == r2.pk
    # The general counter serves every service: what is left.
    assert services.call_next(office.pk, officer, c[4]).pk == f2.pk


def test_a_submission_keeps_its_forms_service(routed):
    submission = factories.submitted(routed["office"], routed["family"])
    assert submission.service.code == "family"


def test_a_counter_with_nothing_for_its_services_says_so_apart_from_an_empty_queue(routed):
    office, c, officer = routed["office"], routed["counters"], routed["officer"]
    with pytest.raises(services.StaffActionError) as empty:
        services.call_next(office.pk, officer, c[3])
    assert empty.value.code == "queue_empty"

    factories.submitted(office, routed["resident"])
    with pytest.raises(services.StaffActionError) as other:
        services.call_next(office.pk, officer, c[3])
    assert other.value.code == "queue_empty_for_counter"
    assert "가족관계" in other.value.message


def test_a_ticket_without_a_service_and_no_counter_chosen_are_served_by_anyone(routed):
    office, c, officer = routed["office"], routed["counters"], routed["officer"]
    plain = factories.form_version("no-service")
    office.forms.add(plain.template)
    untagged = factories.submitted(office, plain)
    assert untagged.service is None
    family = factories.submitted(office, routed["family"])

    assert services.call_next(office.pk, officer, c[1]).pk == untagged.pk
    # No counter chosen on this console: the oldest of all.
    assert services.call_next(office.pk, officer, None).pk == family.pk


def test_a_transferred_ticket_keeps_its_place_at_the_counter_it_was_sent_to(routed):
    office, c, officer = routed["office"], routed["counters"], routed["officer"]
    early = factories.submitted(office, routed["resident"])
    later_family = factories.submitted(office, routed["family"])
    services.transfer(early.pk, officer, counter=c[3], note="가족관계 서류도 필요")

    # Counter 3 takes the transferred resident first: their place is the time they took the ticket.
    assert services.call_next(office.pk, officer, c[3]).pk == early.pk
    assert services.call_next(office.pk, officer, c[3]).pk == later_family.pk


def test_a_ticket_transferred_to_one_counter_is_not_taken_by_another(routed):
    office, c, officer = routed["office"], routed["counters"], routed["officer"]
    sent = factories.submitted(office, routed["resident"])
    services.transfer(sent.pk, officer, counter=c[3])
    with pytest.raises(services.StaffActionError) as exc:
        services.call_next(office.pk, officer, c[1])
    assert exc.value.code == "queue_empty_for_counter"


def test_changing_a_counters_services_applies_at_the_next_call(routed):
    office, c, officer = routed["office"], routed["counters"], routed["officer"]
    family = factories.submitted(office, routed["family"])
    services.set_counter_services(office, {c[1].pk: [routed["family"].template.service_id]})
    assert services.call_next(office.pk, officer, c[1]).pk == family.pk
    # Counters left out of the mapping become general (none ticked).
    assert not c[2].services.exists()


def test_counter_services_refuses_another_offices_counter_and_unknown_services(routed, other_office):
    office, c = routed["office"], routed["counters"]
    stranger = other_office.counters.first()
    with pytest.raises(services.StaffActionError) as wrong:
        services.set_counter_services(office, {stranger.pk: []})
    assert wrong.value.code == "wrong_office"
    with pytest.raises(services.StaffActionError) as unknown:
        services.set_counter_services(office, {c[1].pk: [987654]})
    assert unknown.value.code == "unknown_service"
    assert list(c[1].services.values_list("code", flat=True)) == ["resident"]


def test_people_ahead_counts_the_tickets_of_the_same_line(routed):
    office = routed["office"]
    plain = factories.form_version("no-service")
    office.forms.add(plain.template)
    factories.submitted(office, routed["resident"])
    factories.submitted(office, routed["family"])
    factories.submitted(office, plain)
    mine = factories.submitted(office, routed["resident"])
    untagged = factories.submitted(office, plain)
    # One 주민등록 ticket and one with no service (any counter may take it) are ahead.
    assert intake_services.people_ahead(mine) == 2
    # With no service of its own, everyone before it is ahead.
    assert intake_services.people_ahead(untagged) == 4


def test_waiting_per_service_counts_each_line(routed):
    office = routed["office"]
    for _ in range(2):
        factories.submitted(office, routed["resident"])
    factories.submitted(office, routed["family"])
    lines = intake_services.waiting_per_service(office.pk)
    assert [(line["service"], line["count"]) for line in lines] == [("주민등록", 2), ("가족관계", 1)]
