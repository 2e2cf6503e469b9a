"""A resident's reading preferences: language, contrast and text size, kept in the session.

Residents have no account, so the choices live in the session like their
drafts. The language is taken from the session only, never from the
browser's Accept-Language: Korean is the authoritative language of the
office, and English is something a resident asks for on the page.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.utils import translation

LANGUAGE_KEY = "language"
CONTRAST_KEY = "contrast"
TEXT_SIZE_KEY = "text_size"

CONTRASTS = ("normal", "high")
# KRDS's zoom steps: medium (1), xlarge (1.3), xxlarge (1.5).
TEXT_SIZES = ("normal", "large", "xlarge")


@dataclass(frozen=True)
class Preferences:
    language: str = settings.LANGUAGE_CODE
    contrast: str = "normal"
    text_size: str = "normal"

    @property
    def html_class(self) -> str:
        classes = []
        if self.contrast == "high":
            classes.append("contrast-high")
        if self.text_size != "normal":
            classes.append(f"text-{self.text_size}")
        return " ".join(classes)


DEFAULT = Preferences()


def _languages() -> set[str]:
    return {code for code, _ in settings.LANGUAGES}


def read(request: HttpRequest) -> Preferences:
    session = dict(request.session.items())
    language = session.get(LANGUAGE_KEY)
    contrast = session.get(CONTRAST_KEY)
    text_size = session.get(TEXT_SIZE_KEY)
    return Preferences(
        language=language if language in _languages() else DEFAULT.language,
        contrast=contrast if contrast in CONTRASTS else DEFAULT.contrast,
        text_size=text_size if text_size in TEXT_SIZES else DEFAULT.text_size,
    )


def save(request: HttpRequest, *, language: str = "", contrast: str = "", text_size: str = "") -> None:
    """Store whichever preferences were chosen; unknown values are ignored."""
    if language in _languages():
        request.session[LANGUAGE_KEY] = language
    if contrast in CONTRASTS:
        request.session[CONTRAST_KEY] = contrast
    if text_size in TEXT_SIZES:
        request.session[TEXT_SIZE_KEY] = text_size


class UnreadableSession(SessionBase):
    """Stands in for a session the database could not load: every later read
    fails at once with the same error instead of waiting for the database
    again (keep_post_when_database_down answers the POST from it at once)."""

    def __init__(self, error: DatabaseError, session_key: str | None) -> None:
        super().__init__(session_key)
        self.error = error

    def _get_session(self, no_load: bool = False) -> dict[str, Any]:
        raise self.error

    _session = property(_get_session)


class PreferencesMiddleware:
    """Activates the session's language (instead of LocaleMiddleware) and
    leaves the display preferences on the request for the templates."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            preferences = read(request)
        except DatabaseError as error:
            # The session lives in the database: while that is down (the
            # "unavailable" page) pages are in Korean, the default.
            request.session = UnreadableSession(error, request.session.session_key)
            preferences = DEFAULT
        request.preferences = preferences  # type: ignore[attr-defined]
        # For this request only: the worker thread goes back to the default
        # language afterwards, not to the last resident's.
        with translation.override(preferences.language):
            request.LANGUAGE_CODE = translation.get_language()
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", preferences.language)
        return response


def context(request: HttpRequest) -> dict[str, Preferences]:
    """Template context: `preferences` (the html class, the switches' state)."""
    return {"preferences": getattr(request, "preferences", DEFAULT)}
