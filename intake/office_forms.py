"""The office profile form, shared by the Django admin and the setup guide."""

from typing import Any

from django import forms

from forms_catalog.schema.validators import FieldError

from . import offices, uploads
from .models import WEEKDAYS, Office

PROFILE_FIELDS = [
    "name",
    "name_en",
    "slug",
    "kind",
    "opens_at",
    "closes_at",
    "open_days",
    "hours_note",
    "notice",
    "paper_wait_baseline_minutes",
    "paper_sheets_baseline_per_year",
]


class OfficeProfileForm(forms.ModelForm):
    """Name, hours, notice, logo and paper-era baseline: everything a resident page shows about an office."""

    open_days = forms.MultipleChoiceField(
        label="여는 요일 (open days)",
        choices=WEEKDAYS,
        # The admin's own classes: the days in one row.
        widget=forms.CheckboxSelectMultiple(attrs={"class": "radiolist inline"}),
    )
    logo_upload = forms.FileField(
        label="로고 (logo, PNG/JPG)",
        required=False,
        help_text="주민 화면, 호출 화면, QR 안내문에 나옵니다 (shown on resident pages, the lobby TV and posters)",
    )

    class Meta:
        model = Office
        fields = PROFILE_FIELDS
        widgets = {
            "opens_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "closes_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "notice": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"slug": "주민 주소에 쓰는 영문 이름, 예: gangnam-gu → /o/gangnam-gu/ (letters, digits, -)"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial["open_days"] = list(self.instance.open_days) if self.instance.pk else list("12345")
        self._logo: tuple[bytes, str] | None = None

    def clean_open_days(self) -> str:
        return "".join(sorted(self.cleaned_data["open_days"]))

    def clean_logo_upload(self) -> Any:
        upload = self.cleaned_data.get("logo_upload")
        if upload:
            try:
                self._logo = uploads.clean_logo(upload)
            except FieldError as exc:
                raise forms.ValidationError(str(exc)) from None
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and opens >= closes:
            self.add_error("closes_at", "닫는 시각은 여는 시각보다 늦어야 합니다. 예: 09:00 – 18:00")
        return data

    # Runs after the office row exists, both on save() and in the admin's save_related().
    def _save_m2m(self) -> None:
        super()._save_m2m()  # type: ignore[misc]
        if self._logo:
            offices.store_logo(self.instance, *self._logo)
