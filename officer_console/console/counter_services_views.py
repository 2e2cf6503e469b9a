"""창구별 담당 업무: the office's managers choose which services each counter calls."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from forms_catalog.models import Service
from intake import services as intake_services
from project.types import StaffRequest

from .. import access
from . import services


def _chosen(post: QueryDict, counter_ids: list[int]) -> dict[int, list[int]]:
    """Each counter's ticked services (`services-<counter id>`); a value that is not a number is dropped."""
    return {pk: [int(v) for v in post.getlist(f"services-{pk}") if v.isdigit()] for pk in counter_ids}


@login_required
@require_http_methods(["GET", "POST"])
def counter_services(request: StaffRequest, office_id: int) -> HttpResponse:
    office = access.get_office_for_manager(request, office_id)
    counters = list(office.counters.prefetch_related("services").order_by("number"))
    if request.method == "POST":
        try:
            services.set_counter_services(office, _chosen(request.POST, [c.pk for c in counters]))
        except services.StaffActionError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("창구별 담당 업무를 저장했습니다. 다음 호출부터 적용됩니다."))
        return redirect("officer_console:counter_services", office_id=office.pk)
    waiting = {line["service_id"]: line["count"] for line in intake_services.waiting_per_service(office.pk)}
    return render(
        request,
        "officer_console/counter_services.html",
        {
            "office": office,
            "rows": [(c, {s.pk for s in c.services.all()}) for c in counters],
            "services": [(s, waiting.get(s.pk, 0)) for s in Service.objects.all()],
        },
    )
