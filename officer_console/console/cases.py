"""The open-민원 view: every 민원 still open, across days (처리중, 보완, waiting), by deadline.

Filters: whose (mine / the office's), deadline (due soon / overdue), status and form.
Live like the queue: the page follows the office's console socket and reloads
its table on any change (project/static/js/open.js); without script it is a
plain page with a filter form.
"""

import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import F, QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from intake import deadlines
from intake.models import Submission
from project.types import StaffRequest

from .. import access

DUE_FILTERS = {
    "": _("전체"),
    "soon": _("기한 임박 (하루 안)"),
    "overdue": _("기한 지남"),
}
SCOPES = {"office": _("기관 전체"), "mine": _("내 담당")}
LIMIT = 300


def open_cases(
    office_id: int,
    *,
    user_id: int | None = None,
    due: str = "",
    status: str = "",
    form_code: str = "",
    now: datetime.datetime | None = None,
) -> QuerySet[Submission]:
    now = now or timezone.now()
    qs = Submission.objects.filter(office_id=office_id, status__in=Submission.OPEN_STATUSES)
    if user_id is not None:
        qs = qs.filter(handled_by_id=user_id)
    if due == "soon":
        qs = qs.filter(due_at__gte=now, due_at__lte=now + deadlines.DUE_SOON)
    elif due == "overdue":
        # A 보완 pause stops the clock: a 민원 waiting for the resident is not late.
        qs = qs.filter(due_at__lt=now).exclude(status=Submission.Status.CORRECTION)
    if status in Submission.OPEN_STATUSES:
        qs = qs.filter(status=status)
    if form_code:
        qs = qs.filter(form_version__template__code=form_code)
    return (
        qs.select_related("form_version__template", "handled_by", "called_counter")
        .defer("data", "sensitive_data", "form_version__schema")
        .order_by(F("due_at").asc(nulls_last=True), "submitted_at")
    )


@login_required
@require_GET
def open_view(request: StaffRequest, office_id: int) -> HttpResponse:
    office = access.get_office_for_officer(request, office_id)
    q = request.GET
    scope = q.get("scope", "office") if q.get("scope") in SCOPES else "office"
    due = q.get("due", "") if q.get("due", "") in DUE_FILTERS else ""
    now = timezone.now()
    rows = open_cases(
        office.pk,
        user_id=request.user.pk if scope == "mine" else None,
        due=due,
        status=q.get("status", ""),
        form_code=q.get("form", ""),
        now=now,
    )[:LIMIT]
    context: dict[str, Any] = {
        "office": office,
        "rows": [(s, deadlines.standing(s, now)) for s in rows],
        "scope": scope,
        "due": due,
        "status_filter": q.get("status", ""),
        "form_filter": q.get("form", ""),
        "scopes": SCOPES,
        "due_filters": DUE_FILTERS,
        "statuses": [(v, label) for v, label in Submission.Status.choices if v in Submission.OPEN_STATUSES],
        "forms": office.forms.order_by("title"),
        "limit": LIMIT,
    }
    template = "officer_console/open.html#table" if request.htmx else "officer_console/open.html"
    return render(request, template, context)
