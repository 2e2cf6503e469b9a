"""알림톡 with SMS fallback, on every event of a 민원, each once, only with consent, logged, nothing personal."""

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from intake import alerts, notify, retention
from intake.models import AlertMessage
from officer_console.console import services as staff

from . import factories, test_alerts

pytestmark = pytest.mark.django_db
fake_solapi = test_alerts.fake_solapi
run_alert_tasks = test_alerts._run_alert_tasks
TEMPLATES = {kind: f"KA01TP{kind.upper()}" for kind in notify.MESSAGES}


@pytest.fixture
def recorder(settings):
    settings.NOTIFY_BACKEND = "record"
    settings.ALIMTALK_PF_ID = "KA01PF-SEOCHO"
    settings.ALIMTALK_TEMPLATES = TEMPLATES
    notify.RECORDER.reset()
    yield notify.RECORDER
    notify.RECORDER.reset()


@pytest.fixture
def consenting(office, version):
    submission = factories.submitted(office, version)
    alerts.register_phone(submission, "010-9876-5432")
    submission.refresh_from_db()
    return submission


def _sent_for(submission):
    return list(AlertMessage.objects.filter(submission=submission).order_by("pk"))


def _run_twice() -> None:
    """Each queued alert task run twice, as a retried or duplicated worker would."""
    for task in DBTaskResult.objects.filter(task_path="intake.alerts.send_alert"):
        alerts.send_alert.call(*task.args_kwargs["args"])
    run_alert_tasks()


def test_every_event_goes_by_alimtalk_once(recorder, consenting, office, officer):
    counter, other = office.counters.get(number=1), office.counters.get(number=2)
    for step in (
        lambda: staff.call(consenting.pk, officer, counter),
        lambda: staff.recall(consenting.pk, officer, counter),  # the same turn again: no second "your turn"
        lambda: staff.transfer(consenting.pk, officer, counter=other),
        lambda: staff.request_correction(consenting.pk, officer, ["address"], "동·호수까지 적어 주세요"),
        lambda: staff.call(consenting.pk, officer, other),
        lambda: staff.complete(consenting.pk, officer),
    ):
        step()
        _run_twice()
    kinds = [m["text"] for m in recorder.sent]
    assert [m["channel"] for m in recorder.sent] == ["alimtalk"] * 4 == [m.channel for m in _sent_for(consenting)]
    assert "1번 창구로 오세요" in kinds[0]
    assert "2번 창구로 바뀌었습니다" in kinds[1]
    assert "보완이 필요합니다" in kinds[2]
    assert "처리가 끝났습니다" in kinds[3] and "만족도" in kinds[3]
    assert [m["template_id"] for m in recorder.sent] == [
        TEMPLATES["your_turn"],
        TEMPLATES["transfer"],
        TEMPLATES["correction"],
        TEMPLATES["completed"],
    ]
    assert all(m["pf_id"] == "KA01PF-SEOCHO" and m["to"] == "010-9876-5432" for m in recorder.sent)
    assert recorder.sent[0]["번호"] == str(consenting.ticket_number) and recorder.sent[0]["창구"] == "1"
    log = _sent_for(consenting)
    assert [m.event.partition(":")[0] for m in log] == ["your_turn", "transfer", "correction", "completed"]
    assert all(m.outcome == "sent" and m.phone_masked == "010-9876-****" for m in log)


def test_a_refused_alimtalk_falls_back_to_one_sms(recorder, consenting, officer, office):
    recorder.fail_alimtalk = True
    staff.call(consenting.pk, officer, office.counters.first())
    assert run_alert_tasks() == ["sent"]
    assert [(m["channel"], m["to"]) for m in recorder.sent] == [("sms", "010-9876-5432")]
    (record,) = _sent_for(consenting)
    assert (record.channel, record.outcome, record.event) == ("sms_fallback", "sent", "your_turn")


def test_an_event_without_a_registered_template_goes_by_sms(recorder, settings, consenting, officer):
    settings.ALIMTALK_TEMPLATES = {**TEMPLATES, "correction": ""}
    staff.request_correction(consenting.pk, officer, ["address"], "")
    assert run_alert_tasks() == ["sent"]
    assert [m["channel"] for m in recorder.sent] == ["sms"]
    assert _sent_for(consenting)[0].channel == "sms"


def test_no_alert_of_any_kind_without_consent(recorder, office, version, officer):
    silent = factories.submitted(office, version)
    staff.call(silent.pk, officer, office.counters.first())
    staff.transfer(silent.pk, officer, counter=office.counters.get(number=2))
    staff.complete(silent.pk, officer)
    assert set(run_alert_tasks()) <= {"skipped"}
    assert recorder.sent == [] and not AlertMessage.objects.exists()


def test_a_failed_send_is_logged_without_the_full_number(settings, consenting, officer, office):
    settings.NOTIFY_BACKEND = "solapi"
    settings.SOLAPI_API_KEY, settings.SOLAPI_API_SECRET, settings.SOLAPI_SENDER = "k", "s", "0212345678"
    settings.SOLAPI_BASE_URL = "http://127.0.0.1:9"  # nothing listens there
    staff.call(consenting.pk, officer, office.counters.first())
    assert run_alert_tasks() == ["failed"]
    (record,) = _sent_for(consenting)
    assert record.outcome == "failed" and record.error
    assert "9876-5432" not in record.error and "98765432" not in record.error


def test_the_messages_carry_nothing_of_the_form(recorder, consenting, officer, office):
    """The form holds 주민등록번호, name and address; no message and no log row does."""
    staff.call(consenting.pk, officer, office.counters.first())
    staff.request_correction(consenting.pk, officer, ["address"], "")
    recorder.fail_alimtalk = True
    staff.call(consenting.pk, officer, office.counters.first())
    staff.complete(consenting.pk, officer)
    run_alert_tasks()
    texts = [str(m) for m in recorder.sent] + [m.text + m.error for m in AlertMessage.objects.all()]
    assert len(recorder.sent) == 3
    for personal in (factories.RRN, factories.RRN.replace("-", ""), "900101", "홍길동", "남부순환로"):
        assert all(personal not in text for text in texts), personal


def test_the_alimtalk_request_carries_the_channel_and_template(settings, fake_solapi, consenting, officer, office):
    """Through the real SDK to a local stand-in of the provider: kakaoOptions with pfId and templateId."""
    settings.NOTIFY_BACKEND = "alimtalk"
    settings.ALIMTALK_PF_ID = "KA01PF-SEOCHO"
    settings.ALIMTALK_TEMPLATES = TEMPLATES
    staff.call(consenting.pk, officer, office.counters.first())
    assert run_alert_tasks() == ["sent"]
    (message,) = fake_solapi[0]["body"]["messages"]
    assert message["to"] == "01098765432" and "차례입니다" in message["text"]
    options = message["kakaoOptions"]
    assert (options["pfId"], options["templateId"]) == ("KA01PF-SEOCHO", TEMPLATES["your_turn"])
    assert options["variables"]["#{번호}"] == str(consenting.ticket_number) and options["disableSms"] is False
    assert _sent_for(consenting)[0].channel == "alimtalk"


def test_the_completion_message_links_the_rating(recorder, settings, consenting, officer, office):
    settings.PUBLIC_BASE_URL = "https://minwon.example.go.kr"
    staff.call(consenting.pk, officer, office.counters.first())
    run_alert_tasks()
    staff.complete(consenting.pk, officer)
    assert run_alert_tasks() == ["sent"]
    link = f"https://minwon.example.go.kr/t/{consenting.public_token}/#rating"
    completed = recorder.sent[-1]
    assert completed["text"].endswith(" " + link) and completed["링크"] == link
    # The log keeps the text without the ticket's address (the resident's key to the ticket).
    assert consenting.public_token not in AlertMessage.objects.get(event="completed").text


def test_the_retention_purge_empties_the_logged_number(recorder, consenting, officer, office):
    staff.call(consenting.pk, officer, office.counters.first())
    run_alert_tasks()
    retention.purge_submission(consenting, timezone.now())
    (record,) = _sent_for(consenting)
    assert (record.phone_masked, record.outcome, record.channel) == ("", "sent", "alimtalk")
