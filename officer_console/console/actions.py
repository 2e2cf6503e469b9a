"""The staff actions on a submission: one Django Form each, validating its input and calling its service.

`submission_action` looks the action up in ACTIONS; the lifecycle
(intake/lifecycle.py) decides whether the move is allowed now. A form whose
input is invalid raises the same StaffActionError as a refused move, so the
view has one way to report both.
"""

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from forms_catalog import schema as form_schema
from intake import services as intake_services
from intake.models import Counter, FeeRecord, Submission

from .. import access
from . import fees, services
from .services import StaffActionError


class ActionForm(forms.Form):
    # The counter's resident-facing screen goes idle after these: the visit is over.
    ends_visit = False
    # Final moves ask once before acting (a dialog, or a page without JavaScript): the question.
    confirm: "str | Promise" = ""

    def __init__(self, data: Any, *, submission: Submission, user: User, counter: Counter | None) -> None:
        super().__init__(data)
        self.submission, self.user, self.own_counter = submission, user, counter

    def run(self) -> str:
        """Validate and act; the message to show, if any. Raises StaffActionError."""
        if not self.is_valid():
            problems = [str(m) for messages in self.errors.values() for m in messages]
            raise StaffActionError("invalid", " ".join(problems))
        return self.perform(self.cleaned_data)

    def perform(self, data: dict[str, Any]) -> str:
        raise NotImplementedError


class CallForm(ActionForm):
    def perform(self, data: dict[str, Any]) -> str:
        services.call(self.submission.pk, self.user, self.own_counter)
        return ""


class RecallForm(ActionForm):
    def perform(self, data: dict[str, Any]) -> str:
        services.recall(self.submission.pk, self.user, self.own_counter)
        return ""


class NoShowForm(ActionForm):
    ends_visit = True

    def perform(self, data: dict[str, Any]) -> str:
        services.no_show(self.submission.pk, self.user)
        return ""


class CompleteForm(ActionForm):
    ends_visit = True
    confirm = gettext_lazy("처리 완료할까요?")

    def perform(self, data: dict[str, Any]) -> str:
        services.complete(self.submission.pk, self.user)
        return ""


class RejectForm(ActionForm):
    ends_visit = True
    confirm = gettext_lazy("반려할까요?")
    # Required by the lifecycle, which says so in Korean; blank reaches it.
    reason = forms.CharField(required=False, strip=True)

    def perform(self, data: dict[str, Any]) -> str:
        services.reject(self.submission.pk, self.user, data["reason"])
        return ""


class CorrectionForm(ActionForm):
    # The field keys to fix arrive as "fields" (a checkbox group), a name a
    # Form cannot declare; the service checks each against the form.
    message = forms.CharField(required=False)

    def perform(self, data: dict[str, Any]) -> str:
        keys = self.data.getlist("fields") if hasattr(self.data, "getlist") else []
        services.request_correction(self.submission.pk, self.user, keys, data["message"])
        return "보완 요청을 보냈습니다. (Correction requested.)"


class TransferForm(ActionForm):
    ends_visit = True
    counter = forms.ModelChoiceField(
        queryset=Counter.objects.none(),
        required=False,
        error_messages={"invalid_choice": "이 기관의 창구를 목록에서 골라 주세요."},
    )
    officer = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        error_messages={"invalid_choice": "이 기관의 담당자를 목록에서 골라 주세요."},
    )
    note = forms.CharField(required=False)

    def __init__(self, data: Any, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        office = self.submission.office
        self.fields["counter"].queryset = Counter.objects.filter(office=office)  # type: ignore[attr-defined]
        self.fields["officer"].queryset = access.colleagues(office)  # type: ignore[attr-defined]

    def perform(self, data: dict[str, Any]) -> str:
        services.transfer(
            self.submission.pk, self.user, counter=data["counter"], officer=data["officer"], note=data["note"]
        )
        return "이관했습니다. (Transferred.)"


class IdCheckForm(ActionForm):
    checked = forms.CharField(required=False)

    def perform(self, data: dict[str, Any]) -> str:
        services.set_id_checked(self.submission.pk, self.user, data["checked"] == "1")
        return ""


class EditForm(ActionForm):
    """The officer's edits: any field of the form, checked by the form's own rules in the service."""

    def perform(self, data: dict[str, Any]) -> str:
        schema = self.submission.form_version.form
        raw = {}
        for key in self.data:
            value = self.data.get(key, "")
            f = form_schema.get_field(schema, key)
            # An empty personal-number box means "leave as it is", not "erase".
            if f is not None and not (f.is_sensitive and not value.strip()):
                raw[key] = value
        edits = services.edit_fields(self.submission.pk, self.user, raw)
        return f"{len(edits)}개 항목을 고쳤습니다. (Edited {len(edits)} fields.)"


class ProcessForm(ActionForm):
    """처리중: the visit is over, the 민원 stays open with this officer (the open-민원 view)."""

    ends_visit = True

    def perform(self, data: dict[str, Any]) -> str:
        services.take_for_processing(self.submission.pk, self.user)
        return "처리중으로 옮겼습니다. 미결 민원 목록에서 이어서 처리합니다. (Moved to processing.)"


class FeeForm(ActionForm):
    # Blank reaches the lifecycle, which asks for it in Korean.
    outcome = forms.ChoiceField(choices=[("", ""), *FeeRecord.Outcome.choices], required=False)
    method = forms.ChoiceField(choices=[("", ""), *FeeRecord.Method.choices], required=False)
    exemption = forms.CharField(required=False, max_length=40)
    evidence = forms.CharField(required=False, max_length=200)

    def perform(self, data: dict[str, Any]) -> str:
        record = fees.record(
            self.submission.pk,
            self.user,
            outcome=data["outcome"],
            method=data["method"],
            exemption_code=data["exemption"],
            evidence_note=data["evidence"],
        )
        return f"수수료 {record.amount:,}원 {record.get_outcome_display()}을(를) 기록했습니다."


class CheckInForm(ActionForm):
    """The guide staff found a form filled at home by its hand-off code: the resident is here."""

    def perform(self, data: dict[str, Any]) -> str:
        submission = intake_services.check_in(self.submission.pk, actor=self.user)
        return f"도착을 확인했습니다. 번호표 {submission.ticket_number}번을 발급했습니다."


ACTIONS: dict[str, type[ActionForm]] = {
    "check_in": CheckInForm,
    "call": CallForm,
    "recall": RecallForm,
    "no_show": NoShowForm,
    "complete": CompleteForm,
    "reject": RejectForm,
    "correction": CorrectionForm,
    "transfer": TransferForm,
    "id_check": IdCheckForm,
    "edit": EditForm,
    "process": ProcessForm,
    "fee": FeeForm,
}
