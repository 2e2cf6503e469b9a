"""도로명주소 검색: the juso.go.kr client against recorded responses in the API's JSON
format (served over real HTTP on this machine), the local provider, the setting,
and the view the form's search box calls."""

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

from intake import address_search
from intake.address_search import Address, AddressSearchError, JusoProvider, LocalProvider

RECORDED = Path(__file__).parent / "data" / "juso"


@pytest.fixture
def juso() -> Iterator[tuple[str, list[dict[str, list[str]]], dict[str, str]]]:
    """A stand-in for business.juso.go.kr answering with a recorded response: (url, requests, answer)."""
    requests: list[dict[str, list[str]]] = []
    answer = {"file": "found.json", "status": "200"}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(parse_qs(urlparse(self.path).query))
            body = (RECORDED / answer["file"]).read_bytes() if answer["file"] else b"<html>busy</html>"
            self.send_response(int(answer["status"]))
            self.send_header("Content-Type", "application/json;charset=UTF-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/addrlink/addrLinkApi.do", requests, answer
    finally:
        server.shutdown()
        server.server_close()


def test_the_client_asks_as_documented_and_reads_road_jibun_and_postcode(juso):
    url, requests, _ = juso
    found = JusoProvider(key="test-key", url=url).search("한누리대로 2130")
    assert found == [
        Address("세종특별자치시 한누리대로 2130", "세종특별자치시 어진동 552 정부세종청사", "30151"),
        Address("세종특별자치시 한누리대로 2150", "세종특별자치시 어진동 560", "30152"),
    ]
    (asked,) = requests
    assert asked == {
        "confmKey": ["test-key"],
        "currentPage": ["1"],
        "countPerPage": ["10"],
        "keyword": ["한누리대로 2130"],
        "resultType": ["json"],
    }


def test_no_match_is_an_empty_list(juso):
    url, _, answer = juso
    answer["file"] = "none.json"
    assert JusoProvider(key="k", url=url).search("없는길 99999") == []


@pytest.mark.parametrize(
    ("recorded", "code"),
    [("too_vague.json", "refine"), ("bad_key.json", "unavailable"), ("system_error.json", "unavailable")],
)
def test_the_api_error_codes_become_a_message_for_the_resident(juso, recorded, code):
    url, _, answer = juso
    answer["file"] = recorded
    with pytest.raises(AddressSearchError) as refused:
        JusoProvider(key="k", url=url).search("서울")
    assert refused.value.code == code


def test_a_server_error_or_a_page_that_is_not_json_is_unavailable(juso):
    url, _, answer = juso
    answer.update(file="", status="502")
    with pytest.raises(AddressSearchError) as refused:
        JusoProvider(key="k", url=url).search("한누리대로")
    assert refused.value.code == "unavailable"
    answer.update(status="200")
    with pytest.raises(AddressSearchError) as refused:
        JusoProvider(key="k", url=url).search("한누리대로")
    assert refused.value.code == "unavailable"


def test_an_unreachable_api_is_unavailable():
    with pytest.raises(AddressSearchError) as refused:
        JusoProvider(key="k", url="http://127.0.0.1:9/addrlink/addrLinkApi.do", timeout=1).search("한누리대로")
    assert refused.value.code == "unavailable"


def test_every_recorded_response_has_the_documented_shape():
    for path in RECORDED.glob("*.json"):
        common = json.loads(path.read_text(encoding="utf-8"))["results"]["common"]
        assert {"errorCode", "errorMessage", "totalCount", "currentPage", "countPerPage"} <= common.keys(), path


def test_the_provider_follows_the_settings(settings):
    settings.ADDRESS_SEARCH = ""
    assert address_search.provider() is None
    settings.ADDRESS_SEARCH, settings.JUSO_API_KEY = "juso", ""
    assert address_search.provider() is None  # no key: the address is typed
    settings.JUSO_API_KEY = "k"
    assert isinstance(address_search.provider(), JusoProvider)
    settings.ADDRESS_SEARCH = "local"
    assert isinstance(address_search.provider(), LocalProvider)


def test_the_local_provider_matches_every_word():
    assert [a.postcode for a in LocalProvider().search("서초구 남부순환로")] == ["06750"]
    assert LocalProvider().search("남부순환로 없는말") == []


def test_the_view_lists_the_picks_or_says_what_to_do(client, settings):
    settings.ADDRESS_SEARCH = "local"
    url = reverse("intake:address_search")
    page = client.get(url, {"q": "한누리대로", "field": "address"}).content.decode()
    assert 'data-address-pick="address"' in page and 'data-postcode="30151"' in page
    assert "data-address-problem" in client.get(url, {"q": "가", "field": "address"}).content.decode()
    settings.ADDRESS_SEARCH = ""
    assert "주소를 직접 적어 주세요" in client.get(url, {"q": "한누리대로"}).content.decode()


def test_searches_are_limited_per_browser_and_the_resident_is_told_to_type_it(client, juso, settings, db):
    url, requests, _ = juso
    settings.ADDRESS_SEARCH, settings.JUSO_API_URL, settings.JUSO_API_KEY = "juso", url, "test-key"
    settings.RATE_LIMIT_SEARCH_CLIENT = "2/60"
    session = client.session
    session["resident_key"] = "resident-1"
    session.save()
    search = reverse("intake:address_search")
    for _ in range(2):
        assert 'data-address-pick="address"' in client.get(search, {"q": "서초", "field": "address"}).text
    refused = client.get(search, {"q": "서초", "field": "address"}).text
    assert "data-address-problem" in refused and "주소를 직접 적어 주세요" in refused and "1분 뒤" in refused
    assert len(requests) == 2  # the refused search never reached juso.go.kr
    # Another browser behind the same address still searches.
    other = client.__class__()
    assert 'data-address-pick="address"' in other.get(search, {"q": "서초", "field": "address"}).text


def test_a_client_without_the_forms_cookie_is_limited_by_its_address_and_gets_no_session(client, settings):
    settings.ADDRESS_SEARCH = "local"
    settings.RATE_LIMIT_SEARCH_ADDRESS = "3/60"
    search = reverse("intake:address_search")
    pages = [client.get(search, {"q": "한누리대로", "field": "address"}) for _ in range(4)]
    assert ["data-address-pick" in p.text for p in pages] == [True, True, True, False]
    assert "주소를 직접 적어 주세요" in pages[-1].text
    assert all(settings.SESSION_COOKIE_NAME not in p.cookies for p in pages)
