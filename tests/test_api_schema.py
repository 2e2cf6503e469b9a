"""Property-based tests of /api/v1/ against the OpenAPI schema it serves (schemathesis).

Every operation gets generated requests, valid and invalid, and every response
is checked: never a server error, status codes, content types, headers and
bodies as the schema documents them. The suite runs a few examples per
operation; `make api-fuzz` runs API_FUZZ_EXAMPLES (default 1000).
"""

import os

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from officer_console.api import tokens
from officer_console.console import services as staff

from . import factories

EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "12"))
SCOPES = ["read_queue", "read_submission", "read_personal", "change_status", "download_archive"]


@pytest.fixture
def api_world(db, office, version, officer, settings):
    settings.API_RATE_LIMIT = "100000/60"  # the limit is tested on its own (tests/test_api.py)
    for _ in range(3):
        factories.submitted(office, version)
    staff.call(factories.submitted(office, version).pk, officer, None)
    _, raw = tokens.create_token(tokens.create_account(office, "새올"), "schemathesis", SCOPES)
    return raw


WSGI = get_wsgi_application()
# Loaded from the app itself, as a client reads it (it touches no database).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGI)


@pytest.fixture
def keep_test_connection():
    """As Django's test client does: the WSGI handler must not close the test's database
    connection (and its transaction) at the end of each request."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@hypothesis_settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_conforms_to_the_served_schema(case, api_world, keep_test_connection):
    case.call_and_validate(headers={"Authorization": f"Bearer {api_world}"})
