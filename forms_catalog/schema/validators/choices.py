"""Choices, 예/아니오 and consents."""

from typing import Any

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from ..types import Field
from .base import Cleaned, FieldError, plain_text


def _choice_values(field: Field) -> dict[str, str]:
    return {c.value: c.label for c in field.choices}


def clean_choice(field: Field, raw: Any) -> Cleaned:
    value = plain_text(raw)
    if value not in _choice_values(field):
        raise FieldError(_("목록에서 하나를 골라 주세요."))
    return Cleaned(value)


def clean_multichoice(field: Field, raw: Any) -> Cleaned:
    items = raw if isinstance(raw, list) else [raw]
    values = [plain_text(item) for item in items if plain_text(item)]
    allowed = _choice_values(field)
    if any(v not in allowed for v in values):
        raise FieldError(_("목록에 있는 항목만 골라 주세요."))
    chosen = [v for v in allowed if v in values]
    if field.min_choices and len(chosen) < field.min_choices:
        raise FieldError(_("%(min)s개 이상 골라 주세요.") % {"min": field.min_choices})
    if field.max_choices and len(chosen) > field.max_choices:
        raise FieldError(
            _("%(max)s개까지만 고를 수 있습니다. 나머지는 선택을 풀어 주세요.") % {"max": field.max_choices}
        )
    return Cleaned(chosen)


def clean_yesno(field: Field, raw: Any) -> Cleaned:
    value = plain_text(raw).lower()
    if value in {"yes", "y", "true", "1", "예", "네"}:
        return Cleaned("yes")
    if value in {"no", "n", "false", "0", "아니오", "아니요"}:
        return Cleaned("no")
    raise FieldError(_("예 또는 아니오 중 하나를 골라 주세요."))


REFUSED_CONSENT_MESSAGE = gettext_lazy(
    "동의하셔야 이 화면으로 신청할 수 있습니다. 동의하지 않으시면 창구에서 종이 서식으로 신청해 주세요."
)


def _consent_refusal(field: Field) -> str:
    """The consent's stated consequence of refusing, in the page's language; "" where the
    form has none in that language (the general message then says it)."""
    source = field.consent if get_language() == "ko" else field.consent_en
    return source.refusal if source is not None else ""


def clean_consent(field: Field, raw: Any) -> Cleaned:
    value = plain_text(raw).lower()
    if value in {"agree", "yes", "on", "true", "1"}:
        return Cleaned("agree")
    if value in {"disagree", "no"}:
        if field.required:
            # A required consent refused: the right to refuse is real, and the
            # consent block itself states its consequence (usually the paper
            # counter; for 금융정보 제공 동의, no application at all).
            refusal = _consent_refusal(field)
            raise FieldError(
                _("동의하셔야 이 화면으로 신청할 수 있습니다.") + f" {refusal}"
                if refusal
                else str(REFUSED_CONSENT_MESSAGE)
            )
        return Cleaned("disagree")
    raise FieldError(_("동의 여부를 골라 주세요. '동의합니다' 또는 '동의하지 않습니다'를 누르세요."))
