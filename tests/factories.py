"""Small factories with named states, so each test says what it needs."""

import copy
import datetime
import io
import uuid
import zoneinfo
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model

from forms_catalog.models import FormTemplate, FormVersion, Service
from intake import services as intake_services
from intake.models import Counter, KioskDevice, Office, Submission
from officer_console.models import Membership

DEMO_PACK = Path(__file__).resolve().parent.parent / "forms_catalog" / "packs" / "demo.json"

SIGNATURE = (
    "data:image/png;base64,"
    + "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
RRN = "900101-1234568"  # check digit valid

SCHEMA: dict[str, Any] = {
    "sections": [
        {
            "key": "applicant",
            "title": "신청인",
            "title_en": "Applicant",
            "fields": [
                {
                    "key": "applicant_type",
                    "type": "choice",
                    "label": "신청인 구분",
                    "required": True,
                    "choices": [{"value": "self", "label": "본인"}, {"value": "proxy", "label": "대리인"}],
                },
                {
                    "key": "name",
                    "type": "text",
                    "label": "성명",
                    "label_en": "Name",
                    "required": True,
                    "max_length": 30,
                    "semantic": "applicant.name",
                },
                {"key": "rrn", "type": "rrn", "label": "주민등록번호", "required": True, "semantic": "applicant.rrn"},
                {"key": "phone", "type": "phone", "label": "전화번호", "required": False},
                {"key": "address", "type": "address", "label": "주소", "required": True},
                {"key": "copies", "type": "number", "label": "발급 부수", "required": True, "min": 1, "max": 10},
            ],
        },
        {
            "key": "proxy",
            "title": "대리인",
            "show_if": {"field": "applicant_type", "equals": "proxy"},
            "fields": [
                {"key": "proxy_name", "type": "text", "label": "대리인 성명", "required": True},
            ],
        },
        {
            "key": "confirm",
            "title": "동의 및 서명",
            "fields": [
                {
                    "key": "consent",
                    "type": "consent",
                    "label": "개인정보 수집·이용 동의",
                    "required": True,
                    "help": "목적: 민원 처리",
                    "consent": {
                        "purpose": "민원 처리",
                        "items": "성명, 주민등록번호, 주소, 전화번호",
                        "retention": "5년",
                        "refusal": "거부할 수 있으나, 거부하면 창구에서 종이 서식으로 신청해야 합니다.",
                    },
                },
                {"key": "signature", "type": "signature", "label": "신청인 서명", "required": True},
            ],
        },
    ]
}

VALID_VALUES: dict[str, Any] = {
    "applicant_type": "self",
    "name": "홍길동",
    "rrn": RRN,
    "phone": "01012345678",
    "address": "서울특별시 서초구 남부순환로 2584, 101호",
    "copies": "2",
    "consent": "agree",
    "signature": SIGNATURE,
}


def _cosign_schema() -> dict[str, Any]:
    """The test form filed by a 대리인: the 위임자 (the 신청인) co-signs, or a paper 위임장 stands in."""
    schema = copy.deepcopy(SCHEMA)
    for f in schema["sections"][0]["fields"]:
        if f["key"] == "phone":
            f["semantic"] = "applicant.phone"
    schema["sections"][1]["fields"] = [
        {"key": "proxy_name", "type": "text", "label": "대리인 성명", "required": True, "semantic": "proxy.name"},
        {"key": "proxy_phone", "type": "phone", "label": "대리인 전화번호", "semantic": "proxy.phone"},
        {"key": "delegation_letter", "type": "file", "label": "종이 위임장"},
    ]
    schema["delegation"] = {
        "signature": "cosign",
        "when": {"field": "applicant_type", "equals": "proxy"},
        "paper_letter": "delegation_letter",
    }
    return schema


COSIGN_SCHEMA = _cosign_schema()
PROXY_VALUES: dict[str, Any] = {
    **VALID_VALUES,
    "applicant_type": "proxy",
    "proxy_name": "김대리",
    "proxy_phone": "01055556666",
    "signature": SIGNATURE,
}


def stored_letter() -> dict[str, Any]:
    """A scanned paper 위임장, stored as an upload is (the co-signature's fallback)."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from forms_catalog.schema import field_of
    from intake import uploads

    raw = io.BytesIO()
    Image.new("RGB", (40, 40), "white").save(raw, "PNG")
    field = field_of({"key": "delegation_letter", "type": "file", "label": "종이 위임장"})
    return uploads.store(field, SimpleUploadedFile("letter.png", raw.getvalue(), content_type="image/png"))


def service(code: str = "resident", name: str = "주민등록") -> Service:
    """An 업무 구분; the same code twice gives the same service."""
    return Service.objects.get_or_create(code=code, defaults={"name": name})[0]


def form_version(
    code: str = "test-form",
    *,
    paper_sheets: int = 2,
    status: str = "published",
    schema: dict[str, Any] | None = None,
    number: int = 1,
    service: Service | None = None,
) -> FormVersion:
    template, _ = FormTemplate.objects.get_or_create(
        code=code,
        defaults={
            "title": "주민등록표 등본 교부 신청서",
            "category": "주민등록",
            "retention_years": 5,
            "service": service,
        },
    )
    return FormVersion.objects.create(
        template=template, number=number, status=status, schema=schema or SCHEMA, paper_sheets=paper_sheets
    )


def id_copy_form() -> tuple[Office, FormVersion]:
    """The test form with an optional upload (an ID copy), offered by an office of its own."""
    schema = copy.deepcopy(SCHEMA)
    schema["sections"][0]["fields"].append({"key": "id_copy", "type": "file", "label": "신분증 사본"})
    version = form_version("with-id-copy", schema=schema)
    return office(forms=[version]), version


def office(
    slug: str = "seocho-gu", *, name: str = "서초구청", counters: int = 2, forms: list[FormVersion] | None = None
) -> Office:
    o = Office.objects.create(slug=slug, name=name)
    for n in range(1, counters + 1):
        Counter.objects.create(office=o, number=n)
    for v in forms or []:
        o.forms.add(v.template)
    return o


def kiosk_device(o: Office, name: str = "1층 로비 접수기") -> KioskDevice:
    from intake import kiosk

    return kiosk.register_device(o, name)


def officer(o: Office, username: str = "officer", role: str = Membership.Role.OFFICER) -> Any:
    user = get_user_model().objects.create_user(username=username, password="pw-for-tests-1")
    Membership.objects.create(user=user, office=o, role=role)
    return user


def submitted(o: Office, version: FormVersion, values: dict[str, Any] | None = None) -> Submission:
    form = intake_services.FormContext(o, version.template, version)
    submission, _ = intake_services.submit(
        form=form,
        version=version,
        raw_values=values or VALID_VALUES,
        idempotency_key=uuid.uuid4(),
        counter=o.counters.first(),
    )
    return submission


def before_visit(o: Office, version: FormVersion) -> Submission:
    """A form filled at home from the office-wide link: waiting for its resident, no ticket."""
    form = intake_services.FormContext(o, version.template, version)
    submission, _ = intake_services.submit(
        form=form,
        version=version,
        raw_values=VALID_VALUES,
        idempotency_key=uuid.uuid4(),
        counter=None,
        before_visit=True,
    )
    return submission


def timed_submission(
    o: Office,
    version: FormVersion,
    submitted_at: Any,
    *,
    wait: float | None = None,
    handle: float | None = None,
    status: str | None = None,
    sheets: int | None = None,
    channel: str = "phone",
) -> Submission:
    """A submission with chosen timestamps (seconds waited, seconds handled) for report tests."""
    from django.utils import timezone

    called_at = submitted_at + datetime.timedelta(seconds=wait) if wait is not None else None
    completed_at = called_at + datetime.timedelta(seconds=handle) if called_at and handle is not None else None
    status = status or ("completed" if completed_at else "called" if called_at else "submitted")
    day = timezone.localdate(submitted_at)
    return Submission.objects.create(
        idempotency_key=uuid.uuid4(),
        office=o,
        form_version=version,
        service=version.template.service,
        service_date=day,
        ticket_number=Submission.objects.filter(office=o, service_date=day).count() + 1,
        submitted_at=submitted_at,
        called_at=called_at,
        completed_at=completed_at,
        status=status,
        paper_sheets_saved=(version.paper_sheets if sheets is None else sheets) if status == "completed" else None,
        channel=channel,
    )


KST = zoneinfo.ZoneInfo("Asia/Seoul")


def at(day: str, hour: int) -> datetime.datetime:
    """A Seoul wall-clock time, e.g. at("2026-01-05", 9)."""
    return datetime.datetime.fromisoformat(day).replace(hour=hour, tzinfo=KST)


# The 인감증명서 of the demo pack, filed by the applicant in person: a one-page form.
SEAL_VALUES: dict[str, Any] = {
    "applicant_type": "self",
    "applicant_name": "홍길동",
    "applicant_rrn": RRN,
    "applicant_address": "서울특별시 서초구 남부순환로 2584, 101호",
    "applicant_phone": "010-1234-5678",
    "seal_use": "general",
    "copies": "1",
    "usage_detail": "은행 제출용",
    "privacy_consent": "agree",
    "applicant_signature": SIGNATURE,
}


def demo_form(code: str, slug: str = "seocho-gu") -> tuple[Office, FormVersion]:
    """A form of the shipped demo pack, published and offered by an office of its own."""
    from forms_catalog import packs

    if not FormTemplate.objects.filter(code=code).exists():
        packs.import_pack(packs.load_pack_file(DEMO_PACK))
    template = FormTemplate.objects.get(code=code)
    version = template.published_version()
    assert version is not None
    return office(slug, forms=[version]), version


def png(color: str = "red", size: tuple[int, int] = (60, 40)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def pdf(pages: int = 2) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def attachments_form(slug: str = "seocho-gu") -> tuple[Office, FormVersion]:
    """The test form with two uploads, an ID copy (image) and a 위임장 (PDF), offered by an office of its own."""
    schema = copy.deepcopy(SCHEMA)
    schema["sections"][0]["fields"] += [
        {"key": "id_copy", "type": "file", "label": "신분증 사본"},
        {"key": "delegation", "type": "file", "label": "위임장"},
    ]
    version = form_version("with-attachments", schema=schema)
    return office(slug, forms=[version]), version


def submitted_with_uploads(o: Office, version: FormVersion) -> Submission:
    """A submission carrying an ID copy (PNG) and a two-page 위임장 (PDF), stored sealed as uploads are."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from forms_catalog import schema as form_schema
    from intake import uploads

    fields = version.form.fields_by_key
    values = {
        **VALID_VALUES,
        "id_copy": uploads.store(fields["id_copy"], SimpleUploadedFile("신분증.png", png())),
        "delegation": uploads.store(fields["delegation"], SimpleUploadedFile("위임장.pdf", pdf(2))),
    }
    assert form_schema.validate(version.form, values).ok
    return submitted(o, version, values)


SERVICE_FORMS = {"resident": ("주민등록", "resident-copy"), "family": ("가족관계", "family-cert")}


def routed_office(
    counters: int = 3, routes: dict[int, list[str]] | None = None
) -> tuple[Office, dict[str, FormVersion]]:
    """An office with a 주민등록 and a 가족관계 form (each in its service) and counters mapped by
    `routes` (counter number → service codes; the rest serve every service)."""
    forms = {
        code: form_version(form_code, service=service(code, name)) for code, (name, form_code) in SERVICE_FORMS.items()
    }
    o = office(counters=counters, forms=list(forms.values()))
    for number, codes in (routes or {}).items():
        o.counters.get(number=number).services.set(Service.objects.filter(code__in=codes))
    return o, forms


def ticket_only(o: Office, code: str = "counsel", name: str = "상담", actor: Any = None) -> Submission:
    """A ticket without a form, as guide staff issue it (intake/tickets.py)."""
    from intake import tickets

    submission, _ = tickets.issue_ticket(
        office=o, service_id=service(code, name).pk, idempotency_key=uuid.uuid4(), actor=actor
    )
    return submission
