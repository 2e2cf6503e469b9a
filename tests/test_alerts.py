import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from intake import alerts, crypto
from intake.models import Submission
from officer_console.console import services as staff

from . import factories

GROUP_INFO = {
    "count": {
        k: 0
        for k in (
            "total",
            "sentTotal",
            "sentSuccess",
            "sentPending",
            "sentReplacement",
            "refund",
            "registeredFailed",
            "registeredSuccess",
        )
    },
    "countForCharge": {},
    "balance": {"requested": 0, "replacement": 0, "refund": 0, "sum": 0},
    "point": {"requested": 0, "replacement": 0, "refund": 0, "sum": 0},
    "app": {},
    "log": [],
    "status": "SENDING",
    "allowDuplicates": False,
    "isRefunded": False,
    "accountId": "test",
    "masterAccountId": None,
    "apiVersion": "4",
    "groupId": "G1",
    "price": {},
    "dateCreated": None,
    "dateUpdated": None,
}


@pytest.fixture
def fake_solapi(settings):
    """A local stand-in for the SMS provider's HTTP API, recording what it receives."""
    received: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            received.append({"path": self.path, "auth": self.headers["Authorization"], "body": body})
            payload = json.dumps({"groupInfo": GROUP_INFO, "messageList": [], "failedMessageList": []}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.NOTIFY_BACKEND = "solapi"
    settings.SOLAPI_API_KEY, settings.SOLAPI_API_SECRET, settings.SOLAPI_SENDER = "key", "secret", "0212345678"
    settings.SOLAPI_BASE_URL = f"http://127.0.0.1:{server.server_port}"
    yield received
    server.shutdown()
    server.server_close()


def _run_alert_tasks() -> list[str]:
    results = []
    for task in DBTaskResult.objects.filter(task_path="intake.alerts.send_alert", status="READY").order_by(
        "enqueued_at"
    ):
        results.append(alerts.send_alert.call(*task.args_kwargs["args"]))
        task.delete()
    return results


def test_phone_is_validated_and_stored_encrypted(client, submission):
    url = reverse("intake:ticket_alerts", args=[submission.public_token])
    response = client.post(url, {"phone": "02-123-4567"})
    assert response.status_code == 422 and "휴대전화로만" in response.text and 'value="02-123-4567"' in response.text
    client.post(url, {"phone": "010 9876 5432"})
    submission.refresh_from_db()
    assert "9876" not in submission.alert_phone
    assert crypto.decrypt_json(submission.alert_phone) == {"phone": "010-9876-5432", "language": "ko"}


def test_alerts_at_three_ahead_next_and_your_turn_each_once(office, version, officer, fake_solapi):
    queue = [factories.submitted(office, version) for _ in range(5)]
    last = queue[4]
    alerts.register_phone(last, "01098765432")
    counter = office.counters.first()
    three, nxt = ["three_ahead"], ["three_ahead", "next"]
    for expected in (three, three, three, nxt):  # 3, 2, 1, 0 ahead
        staff.call_next(office.pk, officer, counter)
        _run_alert_tasks()
        last.refresh_from_db()
        assert last.alerts_sent == expected
    staff.call(last.pk, officer, counter)
    assert _run_alert_tasks() == ["sent"]
    last.refresh_from_db()
    assert last.alerts_sent == ["three_ahead", "next", "your_turn"]
    texts = [r["body"]["messages"][0]["text"] for r in fake_solapi]
    assert texts[0].startswith(f"[{office.name}] 5번") and "앞에 3명" in texts[0]
    assert "다음 차례" in texts[1] and f"{counter.number}번 창구" in texts[2]
    assert all(r["body"]["messages"][0]["to"] == "01098765432" for r in fake_solapi)
    assert all(r["auth"].startswith("HMAC-SHA256") for r in fake_solapi)


def test_a_failing_provider_never_fails_the_officer(office, version, officer, settings):
    settings.NOTIFY_BACKEND = "solapi"
    settings.SOLAPI_API_KEY, settings.SOLAPI_API_SECRET, settings.SOLAPI_SENDER = "k", "s", "0212345678"
    settings.SOLAPI_BASE_URL = "http://127.0.0.1:9"  # nothing listens there
    submission = factories.submitted(office, version)
    alerts.register_phone(submission, "01011112222")
    called = staff.call(submission.pk, officer, None)
    assert called.status == Submission.Status.CALLED
    assert _run_alert_tasks() == ["failed"]


def test_a_resident_who_asked_in_english_gets_english_alerts(client, office, version, officer, fake_solapi):
    office.name_en = "Seocho-gu Office"
    office.save()
    submission = factories.submitted(office, version)
    client.post(reverse("intake:preferences"), {"language": "en", "next": "/"})
    client.post(reverse("intake:ticket_alerts", args=[submission.public_token]), {"phone": "010-9876-5432"})
    staff.call(submission.pk, officer, office.counters.get(number=2))
    assert _run_alert_tasks() == ["sent"]
    text = fake_solapi[0]["body"]["messages"][0]["text"]
    assert text == f"[Seocho-gu Office] Ticket {submission.ticket_number}: it is your turn. Please come to counter 2."
