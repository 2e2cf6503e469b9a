import copy
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection

from forms_catalog import packs
from forms_catalog.models import FormTemplate, FormVersion
from intake.models import Counter, Office
from officer_console.management.commands.load_demo import DEMO_PACK
from officer_console.models import Membership


def _stored_fields(stored: dict):
    """(section, field) dicts of a version's schema as the pack writes it."""
    for section in stored["sections"]:
        for f in section["fields"]:
            yield section, f


pytestmark = pytest.mark.django_db


def test_demo_pack_is_valid_and_ships_the_eleven_forms():
    pack = packs.load_pack_file(DEMO_PACK)
    assert packs.validate_pack(pack) == []
    titles = {form["title"] for form in pack["forms"]}
    assert len(titles) == 11
    for form in pack["forms"]:
        version = form["versions"][0]
        assert version["paper_sheets"] >= 1
        assert form["retention_years"] >= 0
        types = [f["type"] for _, f in _stored_fields(version["schema"])]
        assert "consent" in types and "signature" in types
        # What the privacy notice promises matches the form's retention period.
        years = f"{form['retention_years']}년" if form["retention_years"] else "영구"
        for _, f in _stored_fields(version["schema"]):
            if f["type"] == "consent" and f.get("required"):
                assert years in f["consent"]["retention"], (form["code"], f["key"])


def test_load_demo_is_idempotent_and_gives_every_office_an_officer():
    call_command("load_demo")
    call_command("load_demo")
    assert FormTemplate.objects.count() == 11
    # 등본 and 인감 have a second version (the 위임장 rule, issue 22), their first retired.
    assert FormVersion.objects.count() == 13
    ward = Office.objects.get(slug="seocho-gu")
    # Counters by service (issue 23): 1–2 주민등록, 3 가족관계, 4–5 every service; every form has one.
    routes = {c.number: [s.code for s in c.services.all()] for c in Counter.objects.filter(office=ward)}
    assert routes == {1: ["resident"], 2: ["resident"], 3: ["family"], 4: [], 5: []}
    assert not FormTemplate.objects.filter(service=None).exists()
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


def _form(pack, code):
    return copy.deepcopy(next(f for f in pack["forms"] if f["code"] == code))


def test_a_write_failing_midway_leaves_nothing_of_the_import():
    demo = packs.load_pack_file(DEMO_PACK)
    first, second, third = (f["code"] for f in demo["forms"][:3])
    here = _form(demo, first)
    packs.import_pack({**demo, "forms": [here]})
    last = here["versions"][-1]["number"]
    # The pack changes the form already here (its title, a new version that retires the last), then adds two.
    changed = _form(demo, first)
    changed["title"] = "바뀐 제목"
    v2 = {**copy.deepcopy(changed["versions"][-1]), "number": last + 1, "published_at": None}
    v2["schema"]["sections"][0]["title"] = "개정"
    changed["versions"] = [v2]
    pack = {**demo, "forms": [changed, _form(demo, second), _form(demo, third)]}
    inserts = []

    def refuse_the_third_version(execute, sql, params, many, context):
        if sql.startswith('INSERT INTO "forms_catalog_formversion"'):
            inserts.append(sql)
            if len(inserts) == 3:
                raise DatabaseError("could not extend file: No space left on device")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse_the_third_version), pytest.raises(DatabaseError, match="No space"):
        packs.import_pack(pack)
    assert len(inserts) == 3  # the failure came late: two versions were written before it
    assert list(FormTemplate.objects.values_list("code", "title")) == [(first, _form(demo, first)["title"])]
    assert sorted(FormVersion.objects.values_list("template__code", "number", "status")) == [
        (first, v["number"], v.get("status", "published")) for v in here["versions"]
    ]
    # The same pack imports whole once the database takes it.
    report = packs.import_pack(pack)
    assert report.created_forms == [second, third] and report.retired_versions == [f"{first} v{last}"]


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


def _strip_time(pack):
    return {k: v for k, v in pack.items() if k != "exported_at"}


def test_export_import_round_trip_is_equal(db):
    from forms_catalog import services

    packs.import_pack(packs.load_pack_file(DEMO_PACK))
    first = FormVersion.objects.get(template__code="move-in-report")
    draft = services.new_draft_from(first)
    schema_v2 = copy.deepcopy(first.schema)
    schema_v2["sections"][0]["title"] = "신고 내용(개정)"
    services.publish_version(services.save_draft_schema(draft, schema_v2, paper_sheets=3))
    exported = packs.export_pack(FormTemplate.objects.order_by("code"))
    assert packs.validate_pack(exported) == []

    FormVersion.objects.all().delete()
    FormTemplate.objects.all().delete()
    report = packs.import_pack(json.loads(packs.dump_pack(exported)))
    assert len(report.created_forms) == 11 and len(report.created_versions) == 14
    again = packs.export_pack(FormTemplate.objects.order_by("code"))
    assert _strip_time(again) == _strip_time(exported)
    statuses = list(FormVersion.objects.filter(template__code="move-in-report").values_list("number", "status"))
    assert sorted(statuses) == [(1, "retired"), (2, "published")]


def test_import_is_idempotent():
    pack = packs.load_pack_file(DEMO_PACK)
    assert packs.import_pack(pack).changed
    second = packs.import_pack(pack)
    assert not second.changed and len(second.unchanged_versions) == 13


def test_published_only_export_carries_one_version_per_form(db):
    from forms_catalog import services

    packs.import_pack(packs.load_pack_file(DEMO_PACK))
    v1 = FormVersion.objects.get(template__code="basic-pension")
    services.new_draft_from(v1)  # a draft is not exported with --published-only
    exported = packs.export_pack(FormTemplate.objects.filter(code="basic-pension"), published_only=True)
    assert [v["number"] for v in exported["forms"][0]["versions"]] == [1]
    everything = packs.export_pack(FormTemplate.objects.filter(code="basic-pension"))
    assert [(v["number"], v["status"]) for v in everything["forms"][0]["versions"]] == [(1, "published"), (2, "draft")]


def test_every_problem_is_reported_with_its_path_and_nothing_is_written():
    pack = packs.load_pack_file(DEMO_PACK)
    broken = copy.deepcopy(pack)
    broken["forms"][0]["retention_years"] = -1
    broken["forms"][1]["versions"][0]["schema"]["sections"][0]["fields"][1]["requried"] = True
    broken["forms"][2]["versions"][0]["schema"]["sections"][1]["fields"][0]["type"] = "laser"
    broken["forms"][3]["versions"].append(copy.deepcopy(broken["forms"][3]["versions"][0]))
    del broken["forms"][4]["title"]
    with pytest.raises(packs.PackError) as exc:
        packs.import_pack(broken)
    problems = exc.value.problems
    for path in (
        "forms[0].retention_years: 0 이상",
        "forms[1].versions[0].schema.sections[0].fields[1]: 알 수 없는 속성 'requried'",
        "forms[2].versions[0].schema.sections[1].fields[0].type: 알 수 없는 형식 'laser'",
        "forms[3].versions[1].number: 버전 1이(가) 두 번",
        "forms[3].versions: 게시(published) 버전은 서식마다 하나만",
        "forms[4]: 'title' 값이 필요합니다",
    ):
        assert any(p.startswith(path) for p in problems), (path, problems)
    assert FormTemplate.objects.count() == 0 and FormVersion.objects.count() == 0


def test_import_forms_and_export_forms_commands(tmp_path):
    out = tmp_path / "pack.json"
    call_command("import_forms", str(DEMO_PACK))
    call_command("export_forms", "basic-pension", "general-certificate", "--published-only", "-o", str(out))
    exported = json.loads(out.read_text(encoding="utf-8"))
    assert [f["code"] for f in exported["forms"]] == ["basic-pension", "general-certificate"]
    call_command("import_forms", str(out), "--check")

    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "minwon-form-pack", "format_version": 2, "forms": []}', encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command("import_forms", str(bad))
    assert "format_version" in str(exc.value) and "forms: 1개 이상" in str(exc.value)
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="JSON 형식이 아닙니다"):
        call_command("import_forms", str(bad))
    with pytest.raises(CommandError, match="nope"):
        call_command("export_forms", "nope")


def test_a_forms_service_travels_with_the_pack(db):
    from forms_catalog.models import Service

    from . import factories

    family = factories.service("family", "가족관계")
    factories.form_version("family-cert", service=family)
    exported = packs.export_pack(FormTemplate.objects.all())
    assert exported["forms"][0]["service"] == {"code": "family", "name": "가족관계"}
    assert packs.validate_pack(exported) == []

    FormVersion.objects.all().delete()
    FormTemplate.objects.all().delete()
    Service.objects.all().delete()
    packs.import_pack(json.loads(packs.dump_pack(exported)))
    assert FormTemplate.objects.get(code="family-cert").service.name == "가족관계"

    # An office that named the service its own way keeps its name; the import changes nothing more.
    Service.objects.filter(code="family").update(name="가족관계등록")
    assert not packs.import_pack(json.loads(packs.dump_pack(exported))).changed
    assert FormTemplate.objects.get(code="family-cert").service.name == "가족관계등록"
