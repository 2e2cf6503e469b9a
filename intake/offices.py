"""Setting up an office (the adoption kit): its counters, the forms it offers, its logo."""

from django.core.files.base import ContentFile
from django.db import transaction

from forms_catalog.models import FormTemplate, FormVersion

from .errors import OfficeSetupError
from .models import Counter, Office
from .tickets import TICKET_FORM_CODE


def set_counters(office: Office, count: int) -> None:
    """Counters 1..count: missing ones are made, higher numbers removed (their posters stop working)."""
    if not 1 <= count <= 99:
        raise OfficeSetupError("창구 수는 1에서 99 사이로 적어 주세요.")
    with transaction.atomic():
        have = set(office.counters.values_list("number", flat=True))
        Counter.objects.bulk_create([Counter(office=office, number=n) for n in range(1, count + 1) if n not in have])
        office.counters.filter(number__gt=count).delete()


def offer_forms(office: Office, templates: list[FormTemplate]) -> None:
    """The forms this office offers residents: exactly these (only published ones can be filled)."""
    office.forms.set(templates)


def publishable_forms() -> list[FormTemplate]:
    """Forms an office can offer today: those with a published version (never the built-in
    ticket-only form, which has nothing for a resident to fill)."""
    published = FormTemplate.objects.filter(versions__status=FormVersion.Status.PUBLISHED)
    return list(published.exclude(code=TICKET_FORM_CODE).distinct())


def store_logo(office: Office, data: bytes, extension: str) -> None:
    old = office.logo.name if office.logo else ""
    office.logo.save(f"{office.slug}.{extension}", ContentFile(data), save=True)
    if old and old != office.logo.name:
        office.logo.storage.delete(old)
