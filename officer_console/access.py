"""May this staff account see this office, counter, submission or archive? Answered here only.

Staff reach an office through a Membership (officer or manager). Views and
consumers call one helper per protected object: it returns the object or
raises, so no view repeats a permission rule. Another office's objects are
404, never 403, so a curious account cannot learn which ids exist; 403 is
kept for what the account may know exists but its role does not open
(managers-only pages).
"""

from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from intake.models import Counter, Office, Submission
from pdfgen.models import ArchivedDocument
from project.types import StaffRequest

from .models import ApiToken, AssistedEntry, Membership

AnyUser = User | AnonymousUser
# Least privilege: only an officer membership opens the queue, a submission,
# its personal data and every action on it. A manager membership reads the
# reports and the access log; a person who does both holds both memberships.
OFFICER = Membership.Role.OFFICER


# --- rules ------------------------------------------------------------------


def works_at(user: AnyUser, office_id: int) -> bool:
    """An officer of the office: only officers see its residents' data and act on it."""
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(user_id=user.pk, office_id=office_id, role=OFFICER).exists()


def manages(user: AnyUser, office_id: int) -> bool:
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(user_id=user.pk, office_id=office_id, role=Membership.Role.MANAGER).exists()


def offices_for(user: AnyUser) -> list[Office]:
    """Offices whose queue this account works: its officer memberships."""
    if not user.is_authenticated:
        return []
    return list(Office.objects.filter(memberships__user=user, memberships__role=OFFICER).distinct().order_by("name"))


def colleagues(office: Office) -> Any:
    """The office's officers: who a submission can be handed to."""
    return User.objects.filter(memberships__office=office, memberships__role=OFFICER).distinct()


def manager_offices(user: AnyUser, *, superuser_sees_all: bool = True) -> list[Office]:
    """Offices the account manages; with `superuser_sees_all`, every office for a superuser.

    The report reads every office for a superuser; a day's archive bundle
    (every PDF of the day) opens only through a manager membership.
    """
    if not user.is_authenticated:
        return []
    if superuser_sees_all and user.is_superuser:
        return list(Office.objects.order_by("name"))
    return list(
        Office.objects.filter(memberships__user_id=user.pk, memberships__role=Membership.Role.MANAGER)
        .distinct()
        .order_by("name")
    )


def can_read_report(user: AnyUser | None) -> bool:
    """The manager's report opens for the offices the account manages (every office for a superuser)."""
    if user is None or not user.is_authenticated:
        return False
    return bool(user.is_superuser) or Membership.objects.filter(user_id=user.pk, role=Membership.Role.MANAGER).exists()


def counter_for_staff(user: AnyUser, counter_id: int) -> Counter | None:
    """The counter, if it belongs to one of the account's offices."""
    counter = Counter.objects.select_related("office").filter(pk=counter_id).first()
    if counter is None or not works_at(user, counter.office_id):
        return None
    return counter


# --- one helper per protected object, for views -------------------------------


def get_offices_for_staff(request: StaffRequest) -> tuple[list[Office], list[Office]]:
    """(offices it works at, offices it manages); 403 for an account with neither, unless
    it is an admin (it has the admin)."""
    offices = offices_for(request.user)
    managed = manager_offices(request.user, superuser_sees_all=False)
    if not offices and not managed and not request.user.is_staff:
        raise PermissionDenied(_("이 계정은 소속 기관이 없습니다. 관리자에게 문의하세요."))
    return offices, managed


def get_office_for_officer(request: StaffRequest, office_id: int) -> Office:
    office = get_object_or_404(Office, pk=office_id)
    if not works_at(request.user, office.pk):
        raise Http404("No such office for this account.")
    return office


def get_office_for_manager(request: StaffRequest, office_id: int) -> Office:
    """The office, for its managers (an officer membership is not needed to read the access log)."""
    office = get_object_or_404(Office, pk=office_id)
    if manages(request.user, office.pk):
        return office
    if works_at(request.user, office.pk):
        raise PermissionDenied(_("관리자만 볼 수 있습니다."))
    raise Http404("No such office for this account.")


def get_office_for_staff(request: StaffRequest, office_id: int) -> Office:
    """The office for its own staff, and for any admin (what an admin prints for them)."""
    office = get_object_or_404(Office, pk=office_id)
    if not (request.user.is_staff or works_at(request.user, office.pk)):
        raise Http404("No such office for this account.")
    return office


def get_report_offices(request: StaffRequest) -> list[Office]:
    offices = manager_offices(request.user)
    if not offices:
        raise PermissionDenied(_("관리자 권한이 있는 계정만 볼 수 있습니다."))
    return offices


def get_bundle_offices(request: StaffRequest) -> list[Office]:
    """A day's bundle holds every PDF, personal data and all: a bulk export that needs
    both rights at the office, the manager's and the officer's."""
    worked = {o.pk for o in offices_for(request.user)}
    offices = [o for o in manager_offices(request.user, superuser_sees_all=False) if o.pk in worked]
    if not offices:
        raise PermissionDenied(_("기록물 꾸러미는 그 기관의 관리자이면서 담당 공무원인 계정만 내려받을 수 있습니다."))
    return offices


def get_submission_for_officer(request: StaffRequest, pk: int) -> Submission:
    submission = get_object_or_404(
        Submission.objects.select_related("office", "form_version__template", "called_counter", "handled_by"), pk=pk
    )
    if not works_at(request.user, submission.office_id):
        raise Http404("No such submission for this account.")
    return submission


def get_assisted_for_officer(request: StaffRequest, pk: int) -> AssistedEntry:
    """A 대신 작성 entry (the resident's answers, not yet filed), for officers of its office."""
    entry = get_object_or_404(
        AssistedEntry.objects.select_related("office", "counter", "officer", "draft__form_version__template"), pk=pk
    )
    if not works_at(request.user, entry.office_id):
        raise Http404("No such entry for this account.")
    return entry


def get_counter_for_staff(request: StaffRequest, counter_id: int) -> Counter:
    counter = counter_for_staff(request.user, counter_id)
    if counter is None:
        raise Http404("No such counter for this account.")
    return counter


def get_archive_for_officer(request: StaffRequest, submission_id: int) -> ArchivedDocument:
    """The submission's archive row, if the account works at its office."""
    submission = get_object_or_404(Submission.objects.only("id", "office_id"), pk=submission_id)
    if not works_at(request.user, submission.office_id):
        raise Http404("No such submission for this account.")
    return get_object_or_404(ArchivedDocument, submission=submission)


# --- API tokens (officer_console/api) ------------------------------------------
# A token reads and acts on its service account's office only; another office's
# objects are 404 for it, as for staff.


def get_office_for_token(token: ApiToken, office_id: int) -> Office:
    if office_id != token.account.office_id:
        raise Http404("No such office for this token.")
    return token.account.office


def get_submission_for_token(token: ApiToken, pk: int) -> Submission:
    submission = (
        Submission.objects.select_related("office", "form_version__template", "called_counter")
        .filter(pk=pk, office_id=token.account.office_id)
        .first()
    )
    if submission is None:
        raise Http404("No such submission for this token.")
    return submission
