from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forms_catalog.schema import CONSENT_PARTS, Choice, Field, validators
from intake import estimates, i18n

register = template.Library()


@register.simple_tag(takes_context=True)
def field_check_url(context: template.Context, key: str) -> str:
    """Where a field's check posts: the resident's form, or the page that set `check_url`
    (the officer's 대신 작성, whose draft is not the browser's own)."""
    base = context.get("check_url")
    if base:
        return f"{base}{key}/"
    return reverse("intake:field_check", args=[context["office"].slug, context["template"].code, key])


_INPUT_TYPES = {"number": "text", "date": "date", "phone": "tel", "email": "email"}
_INPUTMODE = {
    "number": "numeric",
    "phone": "tel",
    "rrn": "numeric",
    "frn": "numeric",
    "brn": "numeric",
    "email": "email",
}
# Shown as dots once typed, with a show toggle (form.js).
SENSITIVE_TYPES = frozenset({"rrn", "frn"})
_AUTOCOMPLETE = {
    "applicant.name": "name",
    "applicant.phone": "tel",
    "applicant.email": "email",
    "applicant.address": "street-address",
}


@register.filter
def in_language(obj: Any, attr: str) -> SafeString:
    """`{{ field|in_language:"label" }}`: label_en on an English page, else the
    Korean label, marked lang="ko" (intake.i18n)."""
    return i18n.html_in_language(obj, attr)


@register.filter
def in_language_only(obj: Any, attr: str) -> str:
    """The text only where the page's language has it, for <title> (no markup there)."""
    return i18n.text_if_in_language(obj, attr)


@register.filter
def get(mapping: Any, key: str) -> Any:
    if hasattr(mapping, "get"):
        return mapping.get(key)
    return None


@register.filter
def input_type(field: Field) -> str:
    return _INPUT_TYPES.get(field.type, "text")


@register.filter
def input_attrs(field: Field, shared_device: Any = None) -> SafeString:
    """The input's attributes; on a shared device (a kiosk) the browser keeps none of the
    answers for the next person (no autofill, no restored values on the back button)."""
    attrs: list[tuple[str, str]] = []
    if mode := _INPUTMODE.get(field.type):
        attrs.append(("inputmode", mode))
    autocomplete = _AUTOCOMPLETE.get(field.semantic, "off" if field.type in SENSITIVE_TYPES else "")
    if shared_device:
        autocomplete = "off"
    if autocomplete:
        attrs.append(("autocomplete", autocomplete))
    if field.type in SENSITIVE_TYPES:
        # Never into the keyboard's dictionary or the browser's autofill; form.js masks it after entry.
        attrs += [("spellcheck", "false"), ("autocapitalize", "off"), ("autocorrect", "off"), ("data-sensitive", "")]
    if field.required:
        attrs.append(("aria-required", "true"))
    if field.type == "date":
        # The phone's date picker offers only the dates the server accepts.
        for attr, bound in (("min", field.min_date), ("max", field.max_date)):
            try:
                limit = validators.resolve_date_bound(bound)
            except ValueError:
                limit = None
            if limit:
                attrs.append((attr, limit.isoformat()))
    return format_html_join(" ", '{}="{}"', attrs)


@register.filter
def choices_of(field: Field) -> list[Choice]:
    # The fixed answers are page text (the English catalog); a form's own
    # choices carry their English as label_en.
    if field.type == "yesno":
        return [Choice("yes", _("예")), Choice("no", _("아니오"))]
    if field.type == "consent":
        return [Choice("agree", _("동의합니다")), Choice("disagree", _("동의하지 않습니다"))]
    return list(field.choices)


@register.filter
def is_selected(choice_value: str, value: Any) -> bool:
    if isinstance(value, list):
        return choice_value in [str(v) for v in value]
    return value is not None and str(value) == choice_value


@register.filter
def accept_of(field: Field) -> str:
    return ",".join(validators.accepted_types(field))


@register.filter
def address_parts(value: Any) -> dict[str, str]:
    """The three address inputs from a draft value (parts dict) or a stored one-line address."""
    return validators.address_parts(value) if value else {"postcode": "", "road": "", "detail": ""}


@register.filter
def address_wrong_part(field: Field, value: Any) -> str:
    """The one address box to mark when the field has an error ("road" if no part is to blame)."""
    problem = validators.address_problem(field, address_parts(value))
    return problem[0] if problem else "road"


@register.filter
def range_parts(value: Any) -> dict[str, str]:
    if isinstance(value, dict):
        return {"start": str(value.get("start") or ""), "end": str(value.get("end") or "")}
    start, _, end = str(value or "").partition("~")
    return {"start": start.strip(), "end": end.strip()}


# The office's form categories in the resident's language: the usual 민원 groupings are
# page text (the English catalog); a category of the office's own stays Korean, marked.
CATEGORIES = {
    "가족관계": gettext_lazy("가족관계"),
    "보건": gettext_lazy("보건"),
    "복지": gettext_lazy("복지"),
    "세무": gettext_lazy("세무"),
    "인감": gettext_lazy("인감"),
    "일반": gettext_lazy("일반"),
    "주민등록": gettext_lazy("주민등록"),
    "자동차": gettext_lazy("자동차"),
    "건축": gettext_lazy("건축"),
    "환경": gettext_lazy("환경"),
}


@register.filter
def category_name(category: str) -> SafeString:
    return i18n.marked(str(CATEGORIES.get(category, category)))


# The headings of a consent's four parts are page text; the parts themselves are the form's.
_CONSENT_HEADINGS = {
    "purpose": gettext_lazy("수집·이용 목적"),
    "items": gettext_lazy("수집 항목"),
    "retention": gettext_lazy("보유·이용 기간"),
    "refusal": gettext_lazy("동의를 거부할 권리와 거부 시 불이익"),
}


@register.filter
def consent_rows(field: Field) -> list[tuple[str, SafeString]]:
    """The four parts of a 개인정보 수집·이용 동의, labelled, in their legal order, in the page's language."""
    parts = field.consent.parts() if field.consent else {}
    english = field.consent_en.parts() if field.consent_en else {}
    texts = {key: {"text": parts[key], "text_en": english.get(key, "")} for key in parts}
    return [
        (str(_CONSENT_HEADINGS.get(key, label)), i18n.html_in_language(texts[key], "text"))
        for key, label in CONSENT_PARTS.items()
        if parts.get(key)
    ]


@register.filter
def marked(text: Any) -> SafeString:
    """What the resident typed or a form's own text: marked lang="ko" when Korean on an English page."""
    return i18n.marked(str(text))


@register.filter
def marked_runs(text: Any) -> SafeString:
    """A message in the page's language that quotes Korean (an address example): the Korean marked."""
    return i18n.marked_runs(str(text))


@register.filter
def show_values(equals: Any) -> str:
    if isinstance(equals, list | tuple):
        return "|".join(str(v) for v in equals)
    return str(equals)


@register.inclusion_tag("intake/_estimate.html")
def wait_estimate(submission: Any) -> dict[str, Any]:
    """`{% wait_estimate submission %}`: the "예상 대기 약 10–15분" line of a waiting ticket
    (intake/estimates.py), or nothing when there is too little data. The phone's ticket page
    uses it, and any other ticket page (a kiosk's) can."""
    return {"estimate": estimates.for_submission(submission)}
