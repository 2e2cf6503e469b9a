"""무인 접수기 (counter tablets and lobby kiosks) of an office, for its managers: register a
device, read its address (and QR code) to open on it, revoke it. The rules are intake.kiosk's."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from intake import kiosk, qr
from intake.models import KioskDevice
from project.types import StaffRequest

from .. import access


@login_required
@require_http_methods(["GET", "POST"])
def kiosks(request: StaffRequest, office_id: int) -> HttpResponse:
    office = access.get_office_for_manager(request, office_id)
    name, problem = "", ""
    if request.method == "POST":
        name = request.POST.get("name", "")
        try:
            device = kiosk.register_device(office, name)
        except kiosk.KioskRefused as exc:
            problem = exc.message
        else:
            messages.success(
                request, _("%(name)s 접수기를 등록했습니다. 아래 주소를 그 기기에서 여세요.") % {"name": device.name}
            )
            return redirect("officer_console:kiosks", office_id=office.pk)
    devices = []
    for device in KioskDevice.objects.filter(office=office).order_by("revoked_at", "name"):
        url = "" if device.is_revoked else kiosk.device_url(request, device)
        devices.append({"device": device, "url": url, "qr": qr.data_uri(url) if url else ""})
    context = {"office": office, "devices": devices, "name": name, "problem": problem}
    return render(request, "officer_console/kiosks.html", context, status=400 if problem else 200)


@login_required
@require_POST
def revoke_kiosk(request: StaffRequest, office_id: int, device_id: int) -> HttpResponse:
    office = access.get_office_for_manager(request, office_id)
    device = get_object_or_404(KioskDevice, pk=device_id, office=office)
    try:
        kiosk.revoke_device(device.pk)
    except kiosk.KioskRefused as exc:
        messages.info(request, exc.message)
    else:
        messages.success(
            request,
            _("%(name)s 접수기의 사용을 중지했습니다. 그 주소로는 더 이상 신청할 수 없습니다.") % {"name": device.name},
        )
    return redirect("officer_console:kiosks", office_id=office.pk)
