"""Free text, numbers and e-mail addresses."""

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext as _

from ..types import Field
from .base import Cleaned, FieldError, check_length, digits_text, plain_text


def clean_text(field: Field, raw: Any) -> Cleaned:
    value = " ".join(plain_text(raw).split())
    check_length(field, value)
    return Cleaned(value)


def clean_textarea(field: Field, raw: Any) -> Cleaned:
    value = plain_text(raw).replace("\r\n", "\n").replace("\r", "\n")
    check_length(field, value)
    return Cleaned(value)


def clean_number(field: Field, raw: Any) -> Cleaned:
    if isinstance(raw, bool):
        raise FieldError(_("숫자만 입력해 주세요. 예: 2"))
    text = digits_text(raw).replace(",", "").replace(" ", "")
    if not re.fullmatch(r"-?\d{1,15}", text, flags=re.ASCII):
        raise FieldError(_("숫자만 입력해 주세요. 쉼표(,)는 넣어도 됩니다. 예: 2"))
    value = int(text)
    if field.min is not None and value < int(field.min):
        raise FieldError(
            _("%(min)s 이상으로 입력해 주세요. 지금 %(value)s입니다.") % {"min": field.min, "value": value}
        )
    if field.max is not None and value > int(field.max):
        raise FieldError(_("%(max)s 이하로 입력해 주세요. 지금 %(value)s입니다.") % {"max": field.max, "value": value})
    return Cleaned(value)


_email_validator = EmailValidator()


def clean_email(field: Field, raw: Any) -> Cleaned:
    value = plain_text(raw)
    check_length(field, value)
    try:
        _email_validator(value)
    except ValidationError:
        raise FieldError(
            _("전자우편 주소를 확인해 주세요. @ 앞뒤를 빠짐없이 적어 주세요. 예: hong@example.kr")
        ) from None
    return Cleaned(value)


def clean_guidance(field: Field, raw: Any) -> Cleaned:
    # Read-only text carries no value; anything posted for it is dropped.
    return Cleaned(None)
