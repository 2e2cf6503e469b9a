"""신분증 확인 필수: a per-version setting the lifecycle enforces when completing, whatever the page shows."""

import pytest

from forms_catalog import terms
from forms_catalog.models import FormTemplate
from intake.errors import ActionRefused
from officer_console.console import services

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def called(office, version, officer):
    version.service_terms = {"id_check": {"required": True, "source": "인감증명법 시행령 제13조"}}
    version.save()
    submission = factories.submitted(office, version)
    services.call(submission.pk, officer, office.counters.first())
    return submission


def test_completing_without_the_id_check_is_refused_by_the_service(called, officer):
    with pytest.raises(ActionRefused) as refused:
        services.complete(called.pk, officer)
    assert refused.value.code == "id_check_required"
    called.refresh_from_db()
    assert called.status == "called" and called.completed_at is None

    services.set_id_checked(called.pk, officer, True)
    services.set_id_checked(called.pk, officer, False)  # ticked, then undone: still refused
    with pytest.raises(ActionRefused, match="신분증 확인이 필수"):
        services.complete(called.pk, officer)

    services.set_id_checked(called.pk, officer, True)
    assert services.complete(called.pk, officer).status == "completed"


def test_a_version_without_the_setting_completes_without_the_tick(office, version, officer):
    submission = factories.submitted(office, version)
    services.call(submission.pk, officer, None)
    assert services.complete(submission.pk, officer).status == "completed"


def test_the_setting_is_checked_and_read_from_the_terms():
    assert terms.parse({"id_check": {"required": True}}).id_check_required
    assert not terms.parse({}).id_check_required
    problems = terms.check({"id_check": {"required": "yes"}})[1]
    assert problems and problems[0].startswith("service_terms.id_check.required:")


def test_the_demo_forms_that_need_it_require_it(db):
    factories.demo_form("seal-certificate")
    required = {t.code for t in FormTemplate.objects.all() if terms.of(t.published_version()).id_check_required}
    assert {"seal-certificate", "resident-registration-copy", "family-relation-certificate"} <= required
    assert "general-certificate" not in required
