"""새 기관 개설 안내 (new office setup guide): one admin page per office, five steps.

Mounted under /admin/setup/, beside the admin and in its look. Every view is
@setup_view: the admin's log-in page for visitors, 403 for accounts without
the setup permission (superusers have it), never cached.
"""

import json
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from forms_catalog import packs
from intake import crypto, offices, qr
from intake.models import Office
from intake.office_forms import OfficeProfileForm
from pdfgen.posters import posters_pdf
from pdfgen.render import render_plain_pdf
from project.csvexport import excel_csv
from project.types import StaffRequest

from ..console import services as console_services
from . import adoption
from . import services as setup

PASSWORDS_SESSION_KEY = "setup_one_time_passwords"
# Long enough to print the slips and hand them out; after that, anyone who
# sits at this browser should not find working passwords in it.
PASSWORDS_KEPT_SECONDS = 30 * 60


class OfficeSetupForm(OfficeProfileForm):
    counters = forms.IntegerField(
        label=gettext_lazy("창구 수"),
        min_value=1,
        max_value=99,
        initial=3,
        help_text=gettext_lazy("창구마다 QR 안내문이 한 장씩 나옵니다"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["counters"] = self.instance.counters.count() or 1


class OfficersUploadForm(forms.Form):
    csv_file = forms.FileField(label=gettext_lazy("직원 명단 CSV"))


class PackUploadForm(forms.Form):
    pack = forms.FileField(label=gettext_lazy("서식 팩 파일"))


def setup_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: StaffRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        if not (request.user.is_active and request.user.is_staff and request.user.has_perm("intake.setup_office")):
            raise PermissionDenied(_("새 기관 개설 권한이 없습니다. 최고 관리자에게 요청해 주세요."))
        return view(request, *args, **kwargs)

    return never_cache(wrapped)


def _office_for_setup(request: StaffRequest, office_id: int) -> Office:
    """Every office is open to a setup administrator: the check is setup_view's permission."""
    return get_object_or_404(Office, pk=office_id)


def _admin_context(request: StaffRequest, title: str) -> dict[str, Any]:
    return {**admin.site.each_context(request), "title": title}


@setup_view
@require_GET
def index(request: StaffRequest) -> HttpResponse:
    offices = [(office, setup.checklist(office)) for office in Office.objects.all()]
    rows = [(office, sum(step.done for step in steps), len(steps)) for office, steps in offices]
    context = {**_admin_context(request, _("새 기관 개설 안내")), "rows": rows}
    return render(request, "officer_console/setup/index.html", context)


def _decode_csv(raw: bytes) -> str:
    # Korean Excel saves "CSV" as CP949 unless told "CSV UTF-8"; accept both, guess nothing else.
    for encoding in ("utf-8-sig", "cp949"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise adoption.OfficerImportError(
        [_("파일을 읽을 수 없습니다. 엑셀에서 '다른 이름으로 저장 → CSV UTF-8(쉼표로 분리)'로 저장해 올려 주세요.")]
    )


@setup_view
@require_http_methods(["GET", "POST"])
def office_form(request: StaffRequest, office_id: int | None = None) -> HttpResponse:
    """Step 1: the office's profile and how many counters it has."""
    office = _office_for_setup(request, office_id) if office_id else None
    form = OfficeSetupForm(request.POST or None, request.FILES or None, instance=office)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        offices.set_counters(saved, form.cleaned_data["counters"])
        counters = form.cleaned_data["counters"]
        messages.success(
            request,
            ngettext(
                "%(name)s: 기관 정보와 창구 %(counters)d개를 저장했습니다.",
                "%(name)s: 기관 정보와 창구 %(counters)d개를 저장했습니다.",
                counters,
            )
            % {"name": saved.name, "counters": counters},
        )
        return redirect("setup:office", office_id=saved.pk)
    title = _("1단계: %(name)s 정보") % {"name": office.name} if office else _("1단계: 새 기관 만들기")
    context = {**_admin_context(request, title), "form": form, "office": office}
    return render(request, "officer_console/setup/office_form.html", context, status=400 if form.errors else 200)


def _office_page(request: StaffRequest, office: Office, status: int = 200, **extra: Any) -> HttpResponse:
    offered = set(office.forms.values_list("pk", flat=True))
    context = {
        **_admin_context(request, _("%(name)s 개설 안내") % {"name": office.name}),
        "office": office,
        "steps": setup.checklist(office),
        "officers_form": extra.pop("officers_form", None) or OfficersUploadForm(),
        "pack_form": extra.pop("pack_form", None) or PackUploadForm(),
        "choices": [(t, t.pk in offered) for t in offices.publishable_forms()],
        "resident_url": request.build_absolute_uri(reverse("intake:office", args=[office.slug])),
        "qr_url": _sample_qr_url(request, office),
        "lobby_tv_url": request.build_absolute_uri(
            reverse("officer_console:lobby_tv", args=[console_services.lobby_token(office.pk)])
        ),
        "qr_origin_fixed": bool(settings.PUBLIC_BASE_URL),
        **extra,
    }
    return render(request, "officer_console/setup/office.html", context, status=status)


def _sample_qr_url(request: StaffRequest, office: Office) -> str:
    counter = office.counters.order_by("number").first()
    return qr.counter_url(request, counter) if counter else ""


@setup_view
@require_GET
def office(request: StaffRequest, office_id: int) -> HttpResponse:
    return _office_page(request, _office_for_setup(request, office_id))


OFFICERS_SAMPLE = [
    ["이름", "아이디", "역할"],
    ["홍길동", "hong.gildong", "officer"],
    ["김관리", "kim.gwanri", "manager"],
]


@setup_view
@require_GET
def officers_sample(request: StaffRequest) -> HttpResponse:
    """A CSV to fill in: Excel opens it with the right columns (UTF-8 with BOM)."""
    return excel_csv(OFFICERS_SAMPLE, "officers-sample.csv")


@setup_view
@require_POST
def officers(request: StaffRequest, office_id: int) -> HttpResponse:
    """Step 2: officers from a CSV; all or nothing, one-time passwords shown once."""
    office = _office_for_setup(request, office_id)
    form = OfficersUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _office_page(request, office, 400, officers_form=form)
    try:
        text = _decode_csv(form.cleaned_data["csv_file"].read())
        accounts = adoption.import_officers(text, default_office=office)
    except adoption.OfficerImportError as exc:
        return _office_page(request, office, 400, officers_form=form, officer_problems=exc.problems)
    rows = [
        {"login": a.login, "name": a.name, "offices": ";".join(a.offices), "password": a.one_time_password}
        for a in accounts
    ]
    # Kept for the printable sheet in this admin's session only (ended at
    # log-out), encrypted: the session table is not a place for passwords.
    request.session[PASSWORDS_SESSION_KEY] = {
        "office": office.pk,
        "rows": crypto.encrypt_json({"rows": rows}),
        "until": time.time() + PASSWORDS_KEPT_SECONDS,
    }
    title = ngettext(
        "%(name)s: 직원 %(count)d명을 만들었습니다", "%(name)s: 직원 %(count)d명을 만들었습니다", len(rows)
    ) % {"name": office.name, "count": len(rows)}
    context = {**_admin_context(request, title), "office": office}
    return render(request, "officer_console/setup/passwords.html", {**context, "rows": rows})


def _password_rows(request: StaffRequest, office: Office) -> list[dict[str, str]] | None:
    kept = request.session.get(PASSWORDS_SESSION_KEY) or {}
    if kept and time.time() > kept.get("until", 0):
        del request.session[PASSWORDS_SESSION_KEY]
        return None
    if kept.get("office") != office.pk:
        # Another office's link: those passwords stay for the office they are for.
        return None
    rows: list[dict[str, str]] = crypto.decrypt_json(kept["rows"])["rows"]
    return rows


@setup_view
@require_GET
def passwords_file(request: StaffRequest, office_id: int, fmt: str) -> HttpResponse:
    office = _office_for_setup(request, office_id)
    rows = _password_rows(request, office)
    if rows is None:
        messages.error(
            request,
            _(
                "임시 비밀번호는 직원을 가져온 뒤 30분 동안, 가져온 브라우저에서만 받을 수 있습니다. "
                "받지 못한 직원은 관리 화면의 사용자(Users)에서 비밀번호를 새로 정해 주세요."
            ),
        )
        return redirect("setup:office", office_id=office.pk)
    filename = f"one-time-passwords-{office.slug}.{fmt}"
    if fmt == "csv":
        header = ["이름", "아이디", "기관", "임시 비밀번호"]
        return excel_csv([header, *([r["name"], r["login"], r["offices"], r["password"]] for r in rows)], filename)
    html = render_to_string(
        "officer_console/setup/passwords_pdf.html",
        {"office": office, "rows": rows, "login_url": request.build_absolute_uri(reverse("officer_console:login"))},
    )
    response = HttpResponse(render_plain_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@setup_view
@require_POST
def forget_passwords(request: StaffRequest, office_id: int) -> HttpResponse:
    office = _office_for_setup(request, office_id)
    request.session.pop(PASSWORDS_SESSION_KEY, None)
    messages.success(request, _("임시 비밀번호를 이 화면에서 지웠습니다."))
    return redirect("setup:office", office_id=office.pk)


@setup_view
@require_POST
def pack(request: StaffRequest, office_id: int) -> HttpResponse:
    """Step 3: a form pack, imported whole or not at all."""
    office = _office_for_setup(request, office_id)
    form = PackUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _office_page(request, office, 400, pack_form=form)
    try:
        data = json.loads(form.cleaned_data["pack"].read().decode("utf-8-sig"))
        report = packs.import_pack(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        problems = [
            _("JSON 형식이 아닙니다. 다른 기관에서 내보낸 서식 팩(.json)인지 확인해 주세요. (%(error)s)")
            % {"error": exc}
        ]
        return _office_page(request, office, 400, pack_form=form, pack_problems=problems)
    except packs.PackError as exc:
        return _office_page(request, office, 400, pack_form=form, pack_problems=exc.problems)
    created = len(report.created_forms)
    messages.success(
        request,
        ngettext(
            "서식 팩을 가져왔습니다: 새 서식 %(count)d종.", "서식 팩을 가져왔습니다: 새 서식 %(count)d종.", created
        )
        % {"count": created}
        if report.changed
        else _("이미 가져온 서식 팩입니다. 바뀐 것이 없습니다."),
    )
    return redirect(reverse("setup:office", args=[office.pk]) + "#step-forms")


@setup_view
@require_POST
def choose_forms(request: StaffRequest, office_id: int) -> HttpResponse:
    """Step 4: which published forms residents of this office can fill."""
    office = _office_for_setup(request, office_id)
    available = offices.publishable_forms()
    if request.POST.get("all"):
        chosen = available
    else:
        wanted = set(request.POST.getlist("forms"))
        chosen = [t for t in available if str(t.pk) in wanted]
    offices.offer_forms(office, chosen)
    messages.success(
        request,
        ngettext(
            "%(name)s에서 서식 %(count)d종을 제공합니다.", "%(name)s에서 서식 %(count)d종을 제공합니다.", len(chosen)
        )
        % {"name": office.name, "count": len(chosen)},
    )
    return redirect(reverse("setup:office", args=[office.pk]) + "#step-posters")


@setup_view
@require_GET
def posters(request: StaffRequest, office_id: int) -> HttpResponse:
    """Step 5: every counter's QR poster in one PDF, to print."""
    office = _office_for_setup(request, office_id)
    if not office.counters.exists():
        raise Http404(_("창구가 없습니다. 1단계에서 창구 수를 정해 주세요."))
    response = HttpResponse(posters_pdf(request, office), content_type="application/pdf")
    setup.mark_posters_printed(office)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="qr-posters-{office.slug}-{stamp}.pdf"'
    return response
