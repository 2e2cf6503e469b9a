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


def _membership() -> type[Model]:
    return apps.get_model(settings.PDF_MEMBERSHIP_MODEL)


def works_at(user: User | AnonymousUser, office_id: int) -> bool:
    if not user.is_authenticated:
        return False
    return _membership()._default_manager.filter(user_id=user.pk, office_id=office_id).exists()


def manages(user: User | AnonymousUser, office_id: int) -> bool:
    if not user.is_authenticated:
        return False
    return _membership()._default_manager.filter(user_id=user.pk, office_id=office_id, role=MANAGER_ROLE).exists()


def managed_office_ids(user: User | AnonymousUser) -> list[int]:
    if not user.is_authenticated:
        return []
    rows = _membership()._default_manager.filter(user_id=user.pk, role=MANAGER_ROLE).values_list("office_id", flat=True)
    return sorted(set(rows))
