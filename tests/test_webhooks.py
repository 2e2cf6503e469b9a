"""Webhooks against a real HTTP receiver on this machine: signed per Standard Webhooks, retried
after a failure, never twice after a success, and never in the way of the counter."""

import base64
import datetime
import os
import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from standardwebhooks.webhooks import Webhook

from intake import crypto
from intake import services as intake_services
from officer_console.api import webhooks
from officer_console.console import services as staff
from officer_console.models import WebhookDelivery, WebhookEndpoint

from . import factories
from .webhook_receiver import Receiver

TASK = "officer_console.api.webhooks.deliver_webhook"


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOW_HTTP_LOCALHOST = True
    settings.WEBHOOK_RETRY_BASE_SECONDS = 0
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def endpoint(office, receiver):
    return WebhookEndpoint.objects.create(office=office, url=receiver.url)


def run_webhook_tasks() -> list[str]:
    """What the worker does: run each queued delivery task once (retries queue new ones)."""
    results = []
    for task in DBTaskResult.objects.filter(task_path=TASK, status="READY").order_by("enqueued_at"):
        task.delete()
        results.append(webhooks.deliver_webhook.call(*task.args_kwargs["args"]))
    return results


@pytest.mark.django_db
def test_signed_retried_after_a_500_and_never_twice_after_success(office, version, endpoint, receiver):
    submission = factories.submitted(office, version)
    delivery = WebhookDelivery.objects.get(submission=submission)
    assert delivery.event == "submitted" and receiver.requests == []  # nothing sent on the request's path
    receiver.statuses = [500]
    assert run_webhook_tasks() == ["retry in 0 s"]
    assert run_webhook_tasks() == ["delivered"]
    assert run_webhook_tasks() == []
    webhooks.deliver_webhook.enqueue(delivery.pk)  # a duplicate task, as after a worker crash
    assert run_webhook_tasks() == ["nothing to do"]
    assert len(receiver.requests) == 2
    ids = {headers["webhook-id"] for headers, _ in receiver.requests}
    assert ids == {delivery.message_id}  # the same id on the retry: receivers can drop duplicates
    for headers, body in receiver.requests:
        payload = Webhook(endpoint.secret).verify(body, headers)
        assert headers["webhook-signature"].startswith("v1,")
        assert payload["type"] == "submission.submitted" and payload["data"]["reference"] == submission.reference
    with pytest.raises(Exception, match="signature"):
        Webhook(WebhookEndpoint(office=office).secret).verify(body, headers)  # another secret fails
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 2, 200)


@pytest.mark.django_db
def test_gives_up_after_the_retry_limit_and_redelivers_by_hand(office, version, endpoint, receiver, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    factories.submitted(office, version)
    receiver.statuses = [500, 503, 500]
    assert [run_webhook_tasks() for _ in range(4)] == [["retry in 0 s"], ["retry in 0 s"], ["failed"], []]
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed" and delivery.attempts == 3
    assert webhooks.redeliver(WebhookDelivery.objects.all()) == 1
    assert run_webhook_tasks() == ["delivered"]
    assert len(receiver.requests) == 4


@pytest.mark.django_db
def test_the_backoff_grows_exponentially(office, version, endpoint, receiver, settings):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 30
    factories.submitted(office, version)
    receiver.statuses = [500, 500]
    delivery = WebhookDelivery.objects.get()
    for wait in (30, 60):
        # The next try is `wait` seconds after the failed one, whenever during deliver() that was.
        before = timezone.now()
        webhooks.deliver(delivery.pk)
        after = timezone.now()
        next_at = WebhookDelivery.objects.get().next_attempt_at
        assert before + datetime.timedelta(seconds=wait) <= next_at <= after + datetime.timedelta(seconds=wait)


@pytest.mark.django_db
def test_each_lifecycle_event_and_none_for_other_moves(office, version, officer, endpoint):
    s = factories.submitted(office, version)
    staff.call(s.pk, officer, None)
    staff.set_id_checked(s.pk, officer, True)  # not an event of its own
    staff.request_correction(s.pk, officer, ["address"], "동·호수를 적어 주세요")
    intake_services.resubmit_correction(s.pk, {"address": "서울특별시 서초구 남부순환로 2584, 102호"})
    staff.complete(s.pk, officer)
    t = factories.submitted(office, version)
    staff.reject(t.pk, officer, "서류 미비")
    u = factories.submitted(office, version)
    intake_services.withdraw(u.pk)
    events = list(WebhookDelivery.objects.order_by("id").values_list("event", flat=True))
    assert events == [
        "submitted",
        "called",
        "corrected",
        "completed",
        "submitted",
        "rejected",
        "submitted",
        "withdrawn",
    ]
    for delivery in WebhookDelivery.objects.all():
        text = str(delivery.payload)
        assert "홍길동" not in text and factories.RRN not in text  # no personal data in a payload


@pytest.mark.django_db
def test_only_subscribed_events_of_active_endpoints_of_the_office(office, other_office, version, receiver):
    WebhookEndpoint.objects.create(office=office, url=receiver.url, events=["completed"])
    WebhookEndpoint.objects.create(office=office, url=receiver.url, active=False)
    WebhookEndpoint.objects.create(office=other_office, url=receiver.url)
    factories.submitted(office, version)
    assert not WebhookDelivery.objects.exists()


def test_only_https_unless_this_machine_in_tests(settings):
    settings.WEBHOOK_ALLOW_HTTP_LOCALHOST = False
    assert webhooks.url_allowed("https://saeol.example.go.kr/hook")
    assert not webhooks.url_allowed("http://saeol.example.go.kr/hook")
    assert not webhooks.url_allowed("http://127.0.0.1:9/hook")
    settings.WEBHOOK_ALLOW_HTTP_LOCALHOST = True
    assert webhooks.url_allowed("http://127.0.0.1:9/hook")
    assert not webhooks.url_allowed("http://10.0.0.1/hook")


@pytest.mark.django_db(transaction=True)
def test_the_counter_submits_while_the_receiver_hangs(office, version, endpoint, receiver, settings):
    """The worker is stuck in a delivery (the receiver holds the request); a resident submits
    meanwhile, and the submit completes while the receiver is still holding."""
    settings.WEBHOOK_TIMEOUT_SECONDS = 60
    receiver.release = threading.Event()
    first = factories.submitted(office, version)
    delivery = WebhookDelivery.objects.get(submission=first)
    outcome: list[str] = []

    def worker() -> None:
        try:
            outcome.append(webhooks.deliver(delivery.pk))
        finally:
            connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    assert receiver.arrived.wait(10), "the receiver never got the delivery"
    second = factories.submitted(office, version)  # the counter, while the receiver hangs
    assert second.pk and thread.is_alive() and not receiver.release.is_set()
    receiver.release.set()
    thread.join(10)
    assert outcome == ["delivered"]
    assert WebhookDelivery.objects.filter(submission=second, status="pending").count() == 1


@pytest.mark.django_db
def test_a_delivery_stranded_by_a_dead_worker_is_queued_again_once(office, version, endpoint, receiver):
    factories.submitted(office, version)
    DBTaskResult.objects.filter(task_path=TASK).delete()  # its task died with the worker
    later = timezone.now() + webhooks.STALE_AFTER + datetime.timedelta(minutes=1)
    assert webhooks.sweep(timezone.now()) == 0  # not overdue yet
    assert webhooks.sweep(later) == 1
    assert webhooks.sweep(later) == 0  # queued now, not again
    assert run_webhook_tasks() == ["delivered"] and len(receiver.requests) == 1
    from intake import jobs

    assert "webhook_sweep" in jobs.JOBS


@pytest.mark.django_db
def test_an_endpoint_switched_off_after_the_event_gets_nothing(office, version, endpoint, receiver):
    factories.submitted(office, version)
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(active=False)
    assert run_webhook_tasks() == ["failed"]
    assert receiver.requests == [] and "inactive" in WebhookDelivery.objects.get().last_error


@pytest.mark.django_db
def test_the_signing_secret_is_stored_encrypted_and_rotates_with_the_keys(office, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # rotation also walks the stored files: none here
    old, new = (base64.urlsafe_b64encode(os.urandom(32)).decode() for _ in range(2))
    settings.FIELD_ENCRYPTION_KEYS = [old]
    endpoint = WebhookEndpoint.objects.create(office=office, url="https://saeol.example.go.kr/h")
    secret = endpoint.secret
    assert secret.startswith("whsec_") and secret not in endpoint.secret_sealed
    with connection.cursor() as cursor:  # what a copy of the database holds
        cursor.execute(f"SELECT secret_sealed FROM {WebhookEndpoint._meta.db_table}")  # noqa: S608
        assert "whsec_" not in cursor.fetchone()[0]

    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    call_command("rotate_encryption_keys", stdout=StringIO())
    settings.FIELD_ENCRYPTION_KEYS = [new]  # the old key retired
    endpoint.refresh_from_db()
    assert crypto.key_id_of(endpoint.secret_sealed) == crypto.primary_key_id()
    assert endpoint.secret == secret
