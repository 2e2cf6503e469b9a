import copy

import pytest
from django.core.management import call_command

from forms_catalog import packs, schema
from forms_catalog.models import FormTemplate, FormVersion
from intake.models import Counter, Office
from officer_console.management.commands.load_demo import DEMO_PACK
from officer_console.models import Membership

pytestmark = pytest.mark.django_db


def test_demo_pack_is_valid_and_ships_the_ten_forms():
    pack = packs.load_pack_file(DEMO_PACK)
    assert packs.validate_pack(pack) == []
    titles = {form["title"] for form in pack["forms"]}
    assert len(titles) == 10
    for form in pack["forms"]:
        version = form["versions"][0]
        assert version["paper_sheets"] >= 1
        assert form["retention_years"] >= 0
        types = [f["type"] for _, f in schema.iter_fields(version["schema"])]
        assert "consent" in types and "signature" in types


def test_load_demo_is_idempotent_and_gives_every_office_an_officer():
    call_command("load_demo")
    call_command("load_demo")
    assert FormTemplate.objects.count() == 10
    assert FormVersion.objects.count() == 10
    ward = Office.objects.get(slug="seocho-gu")
    assert Counter.objects.filter(office=ward).count() == 3
    assert Office.objects.filter(kind="health").count() == 1
    assert Office.objects.filter(kind="dong").count() == 2
    for office in Office.objects.all():
        assert office.forms.exists()
        assert Membership.objects.filter(office=office, role="officer").exists()
    assert Membership.objects.filter(user__username="manager").count() == 4


def test_import_refuses_a_changed_published_version_and_writes_nothing():
    pack = packs.load_pack_file(DEMO_PACK)
    packs.import_pack(pack)
    changed = copy.deepcopy(pack)
    changed["forms"][0]["versions"][0]["schema"]["sections"][0]["fields"][0]["label"] = "바뀐 이름"
    changed["forms"].append(
        {"code": "brand-new", "title": "새 서식", "versions": [{"number": 1, "schema": {"sections": []}}]}
    )
    with pytest.raises(packs.PackError) as exc:
        packs.import_pack(changed)
    assert exc.value.code == "invalid_pack"
    assert "이미 게시된 버전" in exc.value.problems[0]
    assert not FormTemplate.objects.filter(code="brand-new").exists()


def test_pack_problems_are_reported_with_their_path():
    problems = packs.validate_pack(
        {
            "format": "minwon-form-pack",
            "format_version": 1,
            "forms": [
                {
                    "code": "x",
                    "title": "X",
                    "versions": [
                        {
                            "number": 1,
                            "schema": {
                                "sections": [
                                    {
                                        "key": "s",
                                        "fields": [
                                            {"key": "a", "type": "laser"},
                                            {"key": "a", "type": "text", "show_if": {"field": "zz", "equals": "1"}},
                                        ],
                                    }
                                ]
                            },
                        }
                    ],
                }
            ],
        }
    )
    assert any(p.startswith("forms[0].versions[0].schema.sections[0].fields[0].type") for p in problems)
    assert any("중복" in p for p in problems)
    assert any("'zz'" in p for p in problems)
