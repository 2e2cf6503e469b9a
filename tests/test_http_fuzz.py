"""Malformed input on every URL the project serves: never a server error.

The URLs come from the URL configuration itself, so a new endpoint is fuzzed
without anyone adding it here; the parameter names come from the code and the
templates (every `GET.get("…")`, `POST.get("…")` and `name="…"`). Each
request goes as one of four people (nobody, an officer, a manager, a
superuser) with hostile values: Unicode digits ("²" passes str.isdigit and
int() reads some of them), numbers past 64 bits, dates at the ends of the
calendar, NUL bytes, open redirects, very long text.

The suite sends FUZZ_REQUESTS (default 400); `make fuzz` sends 10,000 and
prints the figures.
"""

import inspect
import logging
import os
import random
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from officer_console.console import services as console_services
from officer_console.models import Membership

from . import factories, fuzzing

REQUESTS = int(os.environ.get("FUZZ_REQUESTS", "400"))
ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("intake", "officer_console", "pdfgen", "forms_catalog", "project")

HOSTILE = [
    "²",
    "١٢",
    "１２",
    "௫",
    "9" * 25,
    "-1",
    "0",
    "1.5",
    "1e400",
    "NaN",
    "9999-12-31",
    "0001-01-01",
    "2024-02-30",
    "99999-01-01",
    "２０２４-０１-０１",
    "",
    " ",
    "\x00",
    "[]",
    "{}",
    "null",
    "//evil.example/",
    "https://evil.example/",
    "javascript:alert(1)",
    "\\\\evil.example",
    "http:///",
    "/\t/evil.example",
    "../../../../etc/passwd",
    "<script>alert(1)</script>",
    "'; DROP TABLE intake_submission; --",
    '=HYPERLINK("http://evil.example")',
    "💥",
    "a" * 5000,
]


CODE_PARAMETER = re.compile(r"""(?:GET|POST|FILES|data|\bq)(?:\.get|\.getlist|\.pop)?[\[(]\s*["']([\w-]+)["']""")
FORM_FIELD = re.compile(r"^\s+(\w+) = forms\.\w+Field\(", re.M)
MARKUP_PARAMETER = re.compile(r"""\bname=["']([\w-]+)["']""")


def _names_in(source: str) -> set[str]:
    return set(CODE_PARAMETER.findall(source)) | set(FORM_FIELD.findall(source))


def _parameter_names() -> list[str]:
    """Every request parameter the code reads and every form field a template posts."""
    names: set[str] = set()
    for package in SOURCES:
        for path in (ROOT / package).rglob("*"):
            if path.suffix == ".py":
                names.update(_names_in(path.read_text()))
            elif path.suffix == ".html":
                names.update(MARKUP_PARAMETER.findall(path.read_text()))
    return sorted(names)


def _module_parameters(callback: object) -> list[str]:
    """The parameters read in the module of a view: what its requests are most likely to trip on."""
    module = inspect.getmodule(inspect.unwrap(callback))  # type: ignore[arg-type]
    try:
        return sorted(_names_in(inspect.getsource(module))) if module else []
    except (OSError, TypeError):
        return []


PARAMETERS = _parameter_names()


@dataclass
class Route:
    name: str
    callback: object = None
    parts: list[str | tuple[str, str]] = field(default_factory=list)  # text, or (converter, argument name)

    @property
    def text(self) -> str:
        return "".join(p if isinstance(p, str) else f"<{p[1]}>" for p in self.parts)

    def url(self, values: dict[str, str]) -> str:
        return "/" + "".join(p if isinstance(p, str) else values.get(p[1], "1") for p in self.parts)


ROUTE_PART = re.compile(r"<(?:(\w+):)?(\w+)>")
REGEX_GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")


def _split(pattern: object) -> list[str | tuple[str, str]] | None:
    """A URL pattern as literal text and arguments; None for a regex this cannot fill in."""
    route = getattr(pattern, "_route", None)
    if route is None:
        regex = str(getattr(pattern, "_regex", "")).lstrip("^").rstrip("$").replace("\\Z", "")
        route = REGEX_GROUP.sub(lambda m: f"<str:{m.group(1)}>", regex)
        if re.search(r"[\\()\[\]*+?|]", route):
            return None
    parts: list[str | tuple[str, str]] = []
    position = 0
    for match in ROUTE_PART.finditer(route):
        parts.append(route[position : match.start()])
        parts.append((match.group(1) or "str", match.group(2)))
        position = match.end()
    parts.append(route[position:])
    return [p for p in parts if p != ""]


def routes(resolver: URLResolver | None = None, prefix: list[str | tuple[str, str]] | None = None) -> list[Route]:
    """Every view of the URL configuration, admin included."""
    resolver = resolver or get_resolver()
    found: list[Route] = []
    for entry in resolver.url_patterns:
        parts = _split(entry.pattern)
        if parts is None:
            continue
        if isinstance(entry, URLResolver):
            found += routes(entry, (prefix or []) + parts)
        elif isinstance(entry, URLPattern):
            found.append(Route(entry.name or entry.lookup_str, entry.callback, (prefix or []) + parts))
    return found


ROUTES = routes()
# Deleting the fixtures would turn the rest of the run into 404s; the admin's
# delete pages are fuzzed with GET only.
POST_SKIPPED = re.compile(r"_delete$")
OWN_ROUTES = [i for i, r in enumerate(ROUTES) if not r.text.startswith("admin/") or r.text.startswith("admin/setup/")]
ROUTE_PARAMETERS = [_module_parameters(r.callback) for r in ROUTES]
PATH_ARGUMENTS = sorted({p[1] for r in ROUTES for p in r.parts if isinstance(p, tuple)})
ROLES = ("anonymous", "officer", "manager", "superuser")


@dataclass(frozen=True)
class Attempt:
    role: str
    method: str
    route: int
    path_values: dict[str, str]
    params: dict[str, str]
    htmx: bool
    natural: bool  # as the person the page is for, rather than anyone
    raw_query: str  # sent as is: bytes that are not UTF-8, broken escapes


UNICODE_DIGITS = "0123456789\u00b2\u00b3\u00b9\u0660\u0661\u0662\u0663\u06f1\u0966\u0e51\uff10\uff11\uff19"
RAW_QUERIES = ["%FF%FE=%ED%A0%80", "next=%C0%AF", "a=%", "%=%%", "&&=&", "start=%00", "end=9999-12-31&start=0001-01-01"]


def _hostile(rng: random.Random) -> str:
    kind = rng.randrange(8)
    if kind < 3:
        return rng.choice(HOSTILE)
    if kind == 3:
        return fuzzing.text(rng, 40)
    if kind == 4:
        return str(rng.choice([rng.randrange(-(2**70), 2**70), rng.randrange(-3, 10**6)]))
    if kind == 5:
        return f"{rng.randrange(1, 10000):04d}-{rng.randrange(0, 14):02d}-{rng.randrange(0, 33):02d}"
    return "".join(rng.choice(UNICODE_DIGITS) for _ in range(rng.randrange(1, 12)))


def _values(rng: random.Random, names: list[str], most: int) -> dict[str, str]:
    return {rng.choice(names): _hostile(rng) for _ in range(rng.randrange(0, most + 1))}


def _attempt(rng: random.Random) -> Attempt:
    # Most requests on the project's own pages; the admin's many model pages get the rest.
    route = rng.choice(OWN_ROUTES) if rng.random() < 0.75 else rng.randrange(len(ROUTES))
    # Mostly the names this view's module reads, sometimes any name at all.
    names = ROUTE_PARAMETERS[route] if ROUTE_PARAMETERS[route] and rng.random() < 0.75 else PARAMETERS
    return Attempt(
        role=rng.choice(ROLES),
        method=rng.choice(["GET", "GET", "POST", "POST", "HEAD", "PUT"]),
        route=route,
        path_values=_values(rng, PATH_ARGUMENTS, 2) if rng.random() < 0.5 else {},
        params=_values(rng, names, 5),
        htmx=rng.random() < 0.5,
        natural=rng.random() < 0.5,
        raw_query=rng.choice(RAW_QUERIES) if rng.random() < 0.1 else "",
    )


@pytest.fixture
def world(db):
    version = factories.form_version()
    office = factories.office(forms=[version])
    submission = factories.submitted(office, version)
    counter = office.counters.first()
    officer = factories.officer(office)
    manager = factories.officer(office, "manager", role=Membership.Role.MANAGER)
    admin = get_user_model().objects.create_superuser("root", password="pw-for-tests-1")
    valid = {
        "office_id": str(office.pk),
        "pk": str(submission.pk),
        "submission_id": str(submission.pk),
        "counter_id": str(counter.pk),
        "slug": office.slug,
        "code": version.template.code,
        "token": submission.public_token,
        "qr_token": counter.qr_token,
        "key": "name",
        "action": "call",
        "object_id": str(office.pk),
        "number": str(counter.number),
        "app_label": "intake",
        "fmt": "csv",
    }
    # Per route where one argument name means different things.
    by_route = {"lobby_tv": {"token": console_services.lobby_token(office.pk)}}
    return {"valid": valid, "by_route": by_route, "users": {"officer": officer, "manager": manager, "superuser": admin}}


def _clients(world) -> dict[str, Client]:
    clients = {"anonymous": Client()}
    for role, user in world["users"].items():
        clients[role] = Client()
        clients[role].force_login(user)
    return clients


def _role(attempt: Attempt, route: Route) -> str:
    if not attempt.natural:
        return attempt.role
    if route.text.startswith("admin/"):
        return "superuser"
    return "manager" if route.text.startswith(("console/", "pdf/")) else "anonymous"


def _send(client: Client, attempt: Attempt, url: str):
    headers = {"HX-Request": "true"} if attempt.htmx else {}
    if attempt.raw_query and not attempt.params:
        url += "?" + attempt.raw_query
    if attempt.method == "GET":
        return client.get(url, attempt.params, headers=headers)
    if attempt.method == "HEAD":
        return client.head(url, attempt.params, headers=headers)
    if attempt.method == "PUT":
        return client.put(url, "&".join(f"{k}={v}" for k, v in attempt.params.items()), headers=headers)
    return client.post(url, attempt.params, headers=headers)


@pytest.fixture
def quiet():
    """Thousands of 4xx are expected: their log lines cost more time than the requests."""
    loggers = [logging.getLogger(name) for name in ("django.request", "django.security", "axes", "weasyprint")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


def test_no_input_on_any_endpoint_gives_a_server_error(world, quiet):
    assert len(ROUTES) > 60, "the URL configuration was not walked"
    assert {"next", "counter", "officer", "ticket", "end"} <= set(PARAMETERS)
    clients = _clients(world)
    generated = fuzzing.generate(_attempt, REQUESTS)
    statuses: Counter[int] = Counter()
    failures: list[str] = []
    for attempt in generated:
        route = ROUTES[attempt.route]
        method = "GET" if attempt.method == "POST" and POST_SKIPPED.search(route.name) else attempt.method
        url = route.url({**world["valid"], **world["by_route"].get(route.name, {}), **attempt.path_values})
        role = _role(attempt, route)
        client = clients[role]
        try:
            response = _send(client, Attempt(**{**attempt.__dict__, "method": method}), url)
            status = response.status_code
            if status >= 500:
                failures.append(f"{method} {url[:120]!r} as {role}: answered {status}")
        except Exception as exc:  # the test client re-raises what the view raised
            status = 500
            failures.append(f"{method} {url[:120]!r} as {role}: {type(exc).__name__}: {str(exc)[:160]}")
        statuses[status // 100 * 100] += 1
        if route.name == "logout" and role != "anonymous":
            client.force_login(world["users"][role])
    distinct = sorted(set(failures))
    print(
        f"\nHTTP fuzz (seed {fuzzing.SEED}): {len(generated)} requests on {len(ROUTES)} URL patterns, "
        f"{len(PARAMETERS)} parameter names; by status class {dict(sorted(statuses.items()))}; "
        f"{len(failures)} server errors"
    )
    assert not distinct, f"{len(failures)} server errors, {len(distinct)} distinct:\n" + "\n".join(distinct[:40])
    assert len(generated) >= min(REQUESTS, 100)
