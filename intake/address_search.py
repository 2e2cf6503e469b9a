"""도로명주소 검색 behind one small interface, the provider chosen in settings.

ADDRESS_SEARCH names it: "juso" (the 행정안전부 도로명주소 검색 API,
business.juso.go.kr, with JUSO_API_KEY), "local" (a small bundled list, for the
demo and the browser tests) or a dotted path to a class of one's own. Empty (the
default) or "juso" without a key: no search box, the address is typed as before.
The free-text boxes stay either way; a pick only fills them in.
"""

import json
import logging
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

MAX_RESULTS = 10
MAX_QUERY = 80


@dataclass(frozen=True)
class Address:
    road: str
    jibun: str
    postcode: str


class AddressSearchError(Exception):
    """The search could not answer. `code` is stable; `message` tells the resident what to do."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class Provider(Protocol):
    def search(self, query: str) -> list[Address]: ...


def _unavailable() -> AddressSearchError:
    return AddressSearchError("unavailable", _("지금은 주소 검색을 쓸 수 없습니다. 주소를 직접 적어 주세요."))


def _refine() -> AddressSearchError:
    return AddressSearchError(
        "refine", _("검색어를 더 자세히 적어 주세요. 예: 도로명과 건물번호(한누리대로 2130) 또는 건물 이름")
    )


# The API's own error codes that mean "ask differently" (the key, the quota or
# the service being at fault is "unavailable" instead). errorCode "0" is success.
JUSO_QUERY_ERRORS = frozenset({"E0005", "E0006", "E0008", "E0009", "E0010", "E0011", "E0012", "E0013", "E0015"})


class JusoProvider:
    """행정안전부 도로명주소 검색 API (검색 API, JSON): results.common.errorCode/totalCount, results.juso[]."""

    URL = "https://business.juso.go.kr/addrlink/addrLinkApi.do"

    def __init__(self, key: str | None = None, url: str | None = None, timeout: float = 3.0) -> None:
        self.key = key if key is not None else settings.JUSO_API_KEY
        self.url = url or settings.JUSO_API_URL or self.URL
        self.timeout = timeout

    def fetch(self, query: str) -> dict[str, Any]:
        params = urllib.parse.urlencode(
            {
                "confmKey": self.key,
                "currentPage": 1,
                "countPerPage": MAX_RESULTS,
                "keyword": query,
                "resultType": "json",
            }
        )
        request = urllib.request.Request(f"{self.url}?{params}", headers={"Accept": "application/json"})  # noqa: S310
        with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310  (https, fixed host)
            loaded: dict[str, Any] = json.loads(response.read().decode("utf-8"))
            return loaded

    def search(self, query: str) -> list[Address]:
        try:
            payload = self.fetch(query)
        except (OSError, ValueError):
            logger.warning("juso address search failed", exc_info=True)
            raise _unavailable() from None
        return self.parse(payload)

    @staticmethod
    def parse(payload: Any) -> list[Address]:
        try:
            results = payload["results"]
            common = results["common"]
            code = str(common["errorCode"])
        except (KeyError, TypeError):
            raise _unavailable() from None
        if code in JUSO_QUERY_ERRORS:
            raise _refine()
        if code != "0":
            logger.warning("juso address search refused: %s %s", code, common.get("errorMessage", ""))
            raise _unavailable()
        return [
            Address(
                road=str(row.get("roadAddrPart1") or row.get("roadAddr") or "").strip(),
                jibun=str(row.get("jibunAddr") or "").strip(),
                postcode=str(row.get("zipNo") or "").strip(),
            )
            for row in (results.get("juso") or [])[:MAX_RESULTS]
            if row.get("roadAddrPart1") or row.get("roadAddr")
        ]


class LocalProvider:
    """A small bundled list (intake/data/addresses.json): the demo and the UI tests, no network."""

    PATH = Path(__file__).parent / "data" / "addresses.json"

    def __init__(self) -> None:
        rows = json.loads(self.PATH.read_text(encoding="utf-8"))
        self.addresses = [Address(r["road"], r["jibun"], r["postcode"]) for r in rows]

    def search(self, query: str) -> list[Address]:
        words = query.split()
        return [a for a in self.addresses if all(w in f"{a.road} {a.jibun}" for w in words)][:MAX_RESULTS]


PROVIDERS = {"juso": "intake.address_search.JusoProvider", "local": "intake.address_search.LocalProvider"}


def provider() -> Provider | None:
    """The configured provider, or None: then the page keeps only the typed address."""
    name = settings.ADDRESS_SEARCH
    if not name or (name == "juso" and not settings.JUSO_API_KEY):
        return None
    instance: Provider = import_string(PROVIDERS.get(name, name))()
    return instance


def search(query: str) -> list[Address]:
    query = " ".join(query.split())[:MAX_QUERY]
    if len(query) < 2:
        raise _refine()
    found = provider()
    if found is None:
        raise _unavailable()
    return found.search(query)
