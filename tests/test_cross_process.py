"""Past one process: a phone posting to ASGI process A, a console on process B."""

import pytest

from intake.models import Submission

from . import factories, live
from .cluster import Console, Consoles, Phone, running_cluster, session_cookie, wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cluster(services, tmp_path):
    with running_cluster({**live.test_database_env(), "REDIS_URL": services}, tmp_path / "logs", servers=2) as c:
        yield c


def test_a_submission_posted_to_one_process_reaches_a_console_on_another(cluster):
    version = factories.form_version()
    office = factories.office(forms=[version])
    officer = factories.officer(office)
    server_a, server_b = cluster.servers()
    console = Console([cluster.url(server_b)], office.pk, session_cookie(officer))
    with Consoles([console]) as consoles:
        assert wait_until(consoles.all_connected), "console did not connect to process B"
        assert console.seen == {}

        phone = Phone(cluster.url(server_a), office.slug, version.template.code)
        response = phone.submit(factories.VALID_VALUES, phone.open_form())
        phone.close()
        assert response.status == 302 and response.headers["Location"].startswith("/t/")

        submission = Submission.objects.get()
        # Live: an event on the open socket, not a snapshot after a reconnect.
        assert wait_until(lambda: (submission.pk, submission.revision) in console.live_events, timeout=5)
        assert console.connects == 1 and console.current_url == cluster.url(server_b)
