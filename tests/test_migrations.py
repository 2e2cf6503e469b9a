from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_missing_migrations():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)


@pytest.mark.django_db(transaction=True)
def test_webhook_secrets_already_stored_are_encrypted_by_the_migration_and_back():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from officer_console.api.models import WebhookEndpoint

    from . import factories

    office = factories.office()
    before, after = ("officer_console", "0009_assisted_entry"), ("officer_console", "0010_webhook_secret_encrypted")
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    old = MigrationExecutor(connection).loader.project_state([before]).apps.get_model(*before[:1], "WebhookEndpoint")
    old.objects.create(
        office_id=office.pk, url="https://saeol.example.go.kr/h", secret="whsec_c2VjcmV0LWtleS1mb3ItdGVzdHM="
    )

    executor = MigrationExecutor(connection)
    executor.migrate([after])
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.secret_sealed.startswith("v1:") and "whsec_" not in endpoint.secret_sealed
    assert endpoint.secret == "whsec_c2VjcmV0LWtleS1mb3ItdGVzdHM="

    executor = MigrationExecutor(connection)
    executor.migrate([before])
    assert old.objects.get().secret == "whsec_c2VjcmV0LWtleS1mb3ItdGVzdHM="
    MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
