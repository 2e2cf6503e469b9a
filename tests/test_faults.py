"""Faults under load, with real processes: nothing submitted is ever lost."""

import datetime
import html
import io
import re
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlparse

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from intake import services as intake_services
from intake.models import Draft, Submission
from pdfgen import storage
from pdfgen.models import ArchivedDocument

from . import factories, live
from .cluster import (
    Console,
    Consoles,
    Phone,
    TcpProxy,
    free_port,
    redis_server,
    running_cluster,
    session_cookie,
    wait_until,
)

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@dataclass
class Answer:
    """One resident's submit: the page's idempotency key and what the phone was told in the end."""

    key: str
    status: int = 0
    token: str = ""  # of the ticket page the 302 leads to: /t/<public_token>/
    failovers: int = 0
    error: str = ""


def _submit_once(urls: list[str], office, version) -> Answer:
    phone = Phone(urls, office.slug, version.template.code)
    answer = Answer(key="")
    try:
        answer.key = phone.open_form()
        response = phone.submit(factories.VALID_VALUES, answer.key)
        answer.status = response.status
        answer.token = response.headers.get("Location", "").strip("/").rpartition("/")[2]
    except Exception as exc:  # reported, and fails the test (_one_row_per_answer)
        answer.error = f"{type(exc).__name__}: {exc}"
    finally:
        answer.failovers = phone.failovers
        phone.close()
    return answer


class Phones:
    """Phones submitting in a background thread, round-robin over servers, until stopped."""

    def __init__(self, urls, office, version, interval=0.05):
        self.urls, self.office, self.version, self.interval = urls, office, version, interval
        self.answers: list[Answer] = []
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        n = 0
        while not self._stop.is_set():
            first = n % len(self.urls)
            self.answers.append(_submit_once(self.urls[first:] + self.urls[:first], self.office, self.version))
            n += 1
            time.sleep(self.interval)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self.thread.join(timeout=30)


def _one_row_per_answer(answers: list[Answer]) -> None:
    """Every resident told 302 has exactly the submission their ticket page shows, and
    no submission exists that no resident was told of: by identity, not by count,
    so one lost and one duplicated cannot cancel out."""
    assert [a for a in answers if a.error or a.status != 302] == []
    told = sorted((a.key, a.token) for a in answers)
    assert len({key for key, _ in told}) == len(told)  # a key per page
    stored = sorted(
        (str(key), token) for key, token in Submission.objects.values_list("idempotency_key", "public_token")
    )
    assert stored == told


def test_the_oracle_tells_a_loss_and_a_duplicate_apart_even_when_they_cancel_out():
    version = factories.form_version()
    office = factories.office(forms=[version])
    filed, twice = factories.submitted(office, version), factories.submitted(office, version)
    truthful = [Answer(str(s.idempotency_key), 302, s.public_token) for s in (filed, twice)]
    _one_row_per_answer(truthful)
    # Two residents told 302, two rows: but one resident's submission is not
    # there and the other row is nobody's (a retry filed twice).
    lost = Answer(str(uuid.uuid4()), 302, "never-filed")
    with pytest.raises(AssertionError):
        _one_row_per_answer([truthful[0], lost])
    # The right count of tickets, one of them another resident's.
    with pytest.raises(AssertionError):
        _one_row_per_answer([truthful[0], Answer(truthful[1].key, 302, filed.public_token)])


def _live_ids(console: Console) -> set[int]:
    return {sid for sid, _ in console.live_events}


def _everyone_sees_everything(consoles, timeout=15):
    def done():
        ids = set(Submission.objects.values_list("pk", flat=True))
        return all(ids <= set(c.seen) for c in consoles)

    return wait_until(done, timeout=timeout)


@pytest.fixture
def world(services):
    version = factories.form_version()
    office = factories.office(forms=[version])
    return version, office, session_cookie(factories.officer(office))


def _ids_since(moment: datetime.datetime) -> set[int]:
    return set(Submission.objects.filter(submitted_at__gt=moment).values_list("pk", flat=True))


@pytest.mark.parametrize("layer", ["core", "pubsub"])
def test_redis_restarted_under_load_consoles_resync_and_miss_nothing(world, tmp_path, layer):
    version, office, cookie = world
    port = free_port()
    redis_url = f"redis://127.0.0.1:{port}/0"
    env = {**live.test_database_env(), "REDIS_URL": redis_url, "CHANNEL_LAYER": layer}
    with redis_server(port, tmp_path / "logs") as redis, running_cluster(env, tmp_path / "logs", servers=2) as cluster:
        urls = [cluster.url(n) for n in cluster.servers()]
        # No periodic resync (console.js's CONSOLE_RESYNC_SECONDS): only what
        # the layer and the reconnects do may heal a gap, so a lost event shows.
        consoles = [Console(urls[i % 2 :] + urls[: i % 2], office.pk, cookie) for i in range(4)]
        with Consoles(consoles) as pool:
            assert wait_until(pool.all_connected)
            with Phones(urls, office, version) as phones:
                assert wait_until(lambda: len(phones.answers) >= 10)
                # Live while Redis is up, each event on every console (no snapshot since connecting).
                before = set(Submission.objects.values_list("pk", flat=True))
                assert wait_until(lambda: all(before <= _live_ids(c) for c in consoles), timeout=10)
                assert all(len(c.snapshots) == 1 for c in consoles)
                redis.kill()
                redis.wait()
                down_at = timezone.now()
                assert wait_until(lambda: len(phones.answers) >= len(before) + 10)
                # Taken before Redis listens again: a console may reconnect (and
                # take its snapshot) before redis_server() has seen the port open.
                back = time.monotonic()
                with redis_server(port, tmp_path / "logs"):
                    # Submitted with Redis down: their events went nowhere.
                    assert len(_ids_since(down_at)) >= 5
                    assert wait_until(lambda: all(c.snapshots[-1] > back for c in consoles), timeout=30)
                    resynced_at = timezone.now()
                    after = len(phones.answers)
                    assert wait_until(lambda: len(phones.answers) >= after + 10)
                    phones.__exit__()
                    _one_row_per_answer(phones.answers)
                    assert _everyone_sees_everything(consoles), [len(c.seen) for c in consoles]
                    # Live again once resynced, not only by a later snapshot.
                    wanted = _ids_since(resynced_at)
                    assert wait_until(lambda: all(wanted <= _live_ids(c) for c in consoles), timeout=10), [
                        sorted(wanted - _live_ids(c)) for c in consoles
                    ]


def test_an_asgi_process_killed_under_load_its_consoles_reconnect_to_the_other(world, services, tmp_path):
    version, office, cookie = world
    with running_cluster({**live.test_database_env(), "REDIS_URL": services}, tmp_path / "logs", servers=2) as cluster:
        doomed, survivor = cluster.servers()
        consoles = [
            Console([cluster.url(doomed), cluster.url(survivor)][:: 1 if i % 2 else -1], office.pk, cookie)
            for i in range(4)
        ]
        # Phones reach the doomed process through a proxy that can hold its answers.
        with TcpProxy("127.0.0.1", cluster.ports[doomed]) as proxy, Consoles(consoles) as pool:
            urls = [f"http://127.0.0.1:{proxy.port}", cluster.url(survivor)]
            assert wait_until(pool.all_connected)
            assert {c.current_url for c in consoles} == {cluster.url(doomed), cluster.url(survivor)}
            with Phones(urls, office, version) as phones:
                assert wait_until(lambda: len(phones.answers) >= 10)
                witness = _submitted_when_the_server_dies(cluster, doomed, proxy, urls, office, version)
                killed_at = len(phones.answers)
                assert wait_until(lambda: len(phones.answers) >= killed_at + 15)
            assert wait_until(pool.all_connected)
            assert {c.current_url for c in consoles} == {cluster.url(survivor)}
            # Retries after the kill carried the same idempotency key: nothing lost, nothing twice.
            _one_row_per_answer([*phones.answers, witness])
            assert _everyone_sees_everything(consoles), [len(c.seen) for c in consoles]
            assert all(c.duplicates == 0 for c in consoles)
            # Consoles that never lost their socket saw every submission live (no periodic resync here).
            stayed = [c for c in consoles if c.connects == 1]
            assert len(stayed) == 2
            ids = set(Submission.objects.values_list("pk", flat=True))
            assert all(ids <= _live_ids(c) for c in stayed), [sorted(ids - _live_ids(c)) for c in stayed]


def _submitted_when_the_server_dies(cluster, doomed, proxy, urls, office, version) -> Answer:
    """A submit the doomed process has filed but not yet answered when it is killed.

    Its answer is held in the proxy; the process dies; the proxy drops the
    connection, as one does when its upstream dies; the phone sends the same
    page to the other process, which must answer with the submission already made.
    """
    phone = Phone(urls, office.slug, version.template.code)
    key = phone.open_form()  # on the doomed process
    proxy.hold()
    posted: list[Any] = []
    sending = threading.Thread(target=lambda: posted.append(phone.submit(factories.VALID_VALUES, key)))
    sending.start()
    filed = Submission.objects.filter(idempotency_key=key)
    assert wait_until(filed.exists, timeout=15, interval=0.01)
    token = filed.get().public_token
    cluster.kill(doomed)
    proxy.cut()
    sending.join(timeout=30)
    phone.close()
    assert phone.failovers >= 1 and posted and posted[0].status == 302
    assert posted[0].headers["Location"] == f"/t/{token}/"
    return Answer(key=key, status=302, token=token, failovers=phone.failovers)


def _hidden_fields(page: str) -> list[tuple[str, str]]:
    """The answers a page carries back, without its CSRF token."""
    found = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page)
    return [(k, html.unescape(v)) for k, v in found if k != "csrfmiddlewaretoken"]


def test_the_database_down_during_a_submit_keeps_the_answers_and_the_same_submit_succeeds_later(world, tmp_path):
    version, office, _ = world
    real = urlparse(live.test_database_env()["DATABASE_URL"])
    with TcpProxy(real.hostname or "127.0.0.1", real.port or 5432) as proxy:
        env = {
            "DATABASE_URL": real._replace(netloc=f"{real.username}@127.0.0.1:{proxy.port}").geturl(),
            "REDIS_URL": "",
        }
        with running_cluster(env, tmp_path / "logs", servers=1) as cluster:
            phone = Phone(cluster.url(cluster.servers()[0]), office.slug, version.template.code)
            key = phone.open_form()
            autosaved = phone.request(
                "POST", phone.path + "check/name/", urlencode({"name": "홍길동", "csrfmiddlewaretoken": phone.csrf})
            )
            assert autosaved.status == 200

            proxy.cut()
            response = phone.submit(factories.VALID_VALUES, key)
            page = response.body.decode()
            assert response.status == 503
            assert "아직 접수되지 않았습니다" in page and "다시 제출하기" in page
            sent_back = dict(_hidden_fields(page))
            assert sent_back == {**factories.VALID_VALUES, "idempotency_key": key}
            assert Submission.objects.count() == 0
            draft = Draft.objects.get(submission__isnull=True)
            assert intake_services.draft_values(draft)["name"] == "홍길동"

            proxy.restore()
            resend = urlencode([*_hidden_fields(page), ("csrfmiddlewaretoken", phone.csrf)])
            first = phone.request("POST", phone.path, resend)
            again = phone.request("POST", phone.path, resend)  # a second press
            phone.close()
    submission = Submission.objects.get()
    assert first.status == again.status == 302
    assert first.headers["Location"] == again.headers["Location"] == f"/t/{submission.public_token}/"
    assert str(submission.idempotency_key) == key
    assert intake_services.submission_values(submission)["rrn"] == factories.RRN


def test_a_worker_killed_mid_pdf_the_pdf_is_still_produced(world, services, tmp_path, settings):
    version, office, _ = world
    settings.MEDIA_ROOT = tmp_path / "media"
    env = {**live.test_database_env(), "REDIS_URL": services, "MEDIA_ROOT": str(settings.MEDIA_ROOT)}
    with running_cluster(env, tmp_path / "logs", servers=0) as cluster:
        submission = factories.submitted(office, version)  # its PDF is queued with it
        # Slow the render down (honoured only with DEBUG) so the kill lands inside it.
        doomed = cluster.start_worker(command="pdf_worker", env={"PDFGEN_TEST_RENDER_DELAY": "3"})
        running = DBTaskResult.objects.filter(status="RUNNING")
        assert wait_until(running.exists, timeout=30, interval=0.01)
        cluster.kill(doomed)
        assert running.count() == 1  # django-tasks by itself would leave it so forever
        assert ArchivedDocument.objects.get(submission=submission).status == "pending"

        cluster.start_worker(command="pdf_worker")
        archive = ArchivedDocument.objects.filter(submission=submission, status="done")
        assert wait_until(archive.exists, timeout=60)
    pdf = storage.read_pdf(archive.get())
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert submission.reference in text
