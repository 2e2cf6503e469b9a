"""Who may act on archived PDFs.

pdfgen never imports officer_console (dependencies point one way); it reads
staff memberships through the model named in settings.PDF_MEMBERSHIP_MODEL,
as Django reads users through AUTH_USER_MODEL. That model needs `user`,
`office` and `role` fields.
"""

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Model

MANAGER_ROLE = "manager"
OFFICER_ROLE = "officer"


def _membership() -> type[Model]:
    return apps.get_model(settings.PDF_MEMBERSHIP_MODEL)


def works_at(user: User | AnonymousUser, office_id: int) -> bool:
    """An officer of the office: only officers see its residents' data (managers read reports)."""
    if not user.is_authenticated:
        return False
    return _membership()._default_manager.filter(user_id=user.pk, office_id=office_id, role=OFFICER_ROLE).exists()


def manages(user: User | AnonymousUser, office_id: int) -> bool:
    if not user.is_authenticated:
        return False
    return _membership()._default_manager.filter(user_id=user.pk, office_id=office_id, role=MANAGER_ROLE).exists()


def _office_ids(user: User | AnonymousUser, role: str) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(_membership()._default_manager.filter(user_id=user.pk, role=role).values_list("office_id", flat=True))


def managed_office_ids(user: User | AnonymousUser) -> list[int]:
    return sorted(_office_ids(user, MANAGER_ROLE))


def bundle_office_ids(user: User | AnonymousUser) -> list[int]:
    """Offices whose daily bundle (every PDF, personal data and all) the account may take:
    a bulk export, so it needs both rights, the manager's and the officer's."""
    return sorted(_office_ids(user, MANAGER_ROLE) & _office_ids(user, OFFICER_ROLE))
