"""Form packs carry each version's 처리기한 and 수수료, with their sources; bad ones are refused."""

import copy
from pathlib import Path

import pytest

from forms_catalog import packs, terms
from forms_catalog.models import FormTemplate, FormVersion

pytestmark = pytest.mark.django_db
DEMO = Path(__file__).resolve().parent.parent / "forms_catalog" / "packs" / "demo.json"


def test_the_demo_pack_gives_the_resident_registration_copy_its_legal_fee_and_period():
    packs.import_pack(packs.load_pack_file(DEMO))
    version = FormVersion.objects.get(template__code="resident-registration-copy", status="published")
    parsed = terms.parse(version.service_terms)
    assert parsed.processing == terms.Processing("immediate", 0, parsed.processing.source)
    assert (parsed.fee.basis, parsed.fee.amount, parsed.fee.copies_field) == ("per_copy", 400, "copies")
    assert "주민등록법" in parsed.fee.source and parsed.fee.exemption("basic_livelihood") is not None
    # Every figure not checked against the statute says so in its source.
    for v in FormVersion.objects.exclude(service_terms={}):
        t = terms.parse(v.service_terms)
        for part in (t.processing, t.fee):
            assert part is None or part.source, v


def test_service_terms_survive_export_and_import():
    packs.import_pack(packs.load_pack_file(DEMO))
    exported = packs.export_pack(FormTemplate.objects.filter(code="resident-registration-copy"))
    assert exported["forms"][0]["versions"][0]["service_terms"]["fee"]["amount"] == 400
    changed = copy.deepcopy(exported)
    # The published version (v2 since the 위임장 rule, issue 22).
    changed["forms"][0]["versions"][-1]["service_terms"]["fee"]["amount"] = 500
    report = packs.import_pack(changed)
    assert report.updated_versions == ["resident-registration-copy v2"]
    published = FormVersion.objects.get(template__code="resident-registration-copy", status="published")
    assert terms.parse(published.service_terms).fee.amount == 500


def test_a_pack_with_bad_terms_is_refused_with_the_path():
    pack = packs.load_pack_file(DEMO)
    pack["forms"][0]["versions"][0]["service_terms"] = {"processing": {"unit": "fortnights"}}
    with pytest.raises(packs.PackError) as exc:
        packs.import_pack(pack)
    assert any(p.startswith("forms[0].versions[0].service_terms.processing.unit:") for p in exc.value.problems)
