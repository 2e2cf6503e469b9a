"""Which waiting tickets a counter calls: the one routing rule of the queue.

A counter serves its services (none chosen: every service); a ticket with no
service may be called by any counter; a ticket transferred to a counter while
waiting waits for that counter alone. call_next filters with `serves_q`, the
wait estimate (intake/estimates.py) replays the queue with `serves`.
"""

from collections.abc import Collection

from django.db.models import Q

from .models import Counter


def serves(counter_id: int, services: Collection[int], service: int | None, transferred_to: int | None) -> bool:
    if transferred_to is not None:
        return transferred_to == counter_id
    return not services or service is None or service in services


def serves_q(counter: Counter | None) -> Q:
    """The same rule as a filter on Submission; no counter chosen: every ticket."""
    if counter is None:
        return Q()
    mine = Q(called_counter=counter)
    unassigned = Q(called_counter__isnull=True)
    services = list(counter.services.values_list("pk", flat=True))
    if not services:
        return mine | unassigned
    return mine | (unassigned & (Q(service_id__in=services) | Q(service__isnull=True)))
