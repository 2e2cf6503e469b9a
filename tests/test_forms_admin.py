"""The form admin (서식 관리자): editing drafts, frozen versions, publish, diff, previews."""

import copy
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from pypdf import PdfReader

from forms_catalog import services
from forms_catalog.models import FieldRow, FormVersion

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, db):
    user = get_user_model().objects.create_superuser("formadmin", "a@example.kr", "pw-for-tests-1")
    client.force_login(user)
    return client


def _change_url(version):
    return reverse("admin:forms_catalog_formversion_change", args=[version.pk])


ROW_FIELDS = ("order", "section", "section_title", "key", "type", "label", "label_en", "help", "max_length")
ROW_TEXT = ("choices", "semantic", "show_if")


def _row_data(rows):
    """The inline formset's POST for these rows (dicts of FieldRow columns, with "id" for existing ones)."""
    data = {
        "field_rows-TOTAL_FORMS": str(len(rows)),
        "field_rows-INITIAL_FORMS": str(sum(1 for r in rows if r.get("id"))),
        "field_rows-MIN_NUM_FORMS": "0",
        "field_rows-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for name in ("id", *ROW_FIELDS, *ROW_TEXT):
            value = row.get(name)
            data[f"field_rows-{i}-{name}"] = "" if value is None else str(value)
        data[f"field_rows-{i}-options"] = json.dumps(row.get("options") or {}, ensure_ascii=False)
        if row.get("required"):
            data[f"field_rows-{i}-required"] = "on"
        if row.get("DELETE"):
            data[f"field_rows-{i}-DELETE"] = "on"
    return data


def _current_rows(version):
    return list(FieldRow.objects.filter(version=version).order_by("order").values())


def _post_data(version, schema_text, rows=None, **extra):
    return {
        "template": version.template_id,
        "number": version.number,
        "paper_sheets": version.paper_sheets,
        "schema": schema_text,
        **(_row_data(_current_rows(version) if rows is None else rows) if not version.is_frozen else {}),
        **extra,
    }


def test_draft_schema_errors_are_korean_with_paths_and_the_text_is_kept(admin_client, version):
    draft = services.new_draft_from(version)
    assert '<textarea name="schema"' in admin_client.get(_change_url(draft)).text
    broken = copy.deepcopy(draft.schema)
    broken["sections"][0]["fields"][2]["type"] = "laser"
    text = json.dumps(broken, ensure_ascii=False, indent=2)
    response = admin_client.post(_change_url(draft), _post_data(draft, text))
    assert response.status_code == 200
    assert "schema.sections[0].fields[2].type: 알 수 없는 형식 &#x27;laser&#x27;" in response.text
    assert "laser" in response.context["adminform"].form["schema"].value()

    response = admin_client.post(_change_url(draft), _post_data(draft, '{"sections": [}'))
    assert "JSON 문법 오류: 1번째 줄" in response.text

    fixed = copy.deepcopy(draft.schema)
    fixed["sections"][0]["fields"][1]["label"] = "성명(한글)"
    response = admin_client.post(_change_url(draft), _post_data(draft, json.dumps(fixed), paper_sheets=3))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.schema == fixed and draft.paper_sheets == 3


def test_published_version_is_read_only_in_the_admin(admin_client, version):
    page = admin_client.get(_change_url(version))
    assert '<textarea name="schema"' not in page.text and "게시된 버전은 고칠 수 없습니다" in page.text
    response = admin_client.post(_change_url(version), _post_data(version, '{"sections": []}', paper_sheets=4))
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.schema == factories.SCHEMA and version.paper_sheets == 4  # sheet count may be corrected
    delete = admin_client.post(reverse("admin:forms_catalog_formversion_delete", args=[version.pk]), {"post": "yes"})
    assert delete.status_code == 403 and FormVersion.objects.filter(pk=version.pk).exists()


def test_actions_publish_retire_and_new_draft(admin_client, version):
    changelist = reverse("admin:forms_catalog_formversion_changelist")
    admin_client.post(changelist, {"action": "new_draft_selected", "_selected_action": [version.pk]})
    draft = FormVersion.objects.get(status="draft")
    publish = reverse("admin:forms_catalog_formversion_publish", args=[draft.pk])
    # A copy nobody changed is not a new version.
    response = admin_client.post(publish, follow=True)
    assert "게시 중인 v1와 바뀐 곳이 없어 게시하지 않았습니다" in response.text
    draft.paper_sheets += 1
    draft.save()
    response = admin_client.post(publish, follow=True)
    assert "게시했습니다" in response.text
    version.refresh_from_db()
    draft.refresh_from_db()
    assert (version.status, draft.status) == ("retired", "published")
    response = admin_client.post(
        changelist, {"action": "publish_selected", "_selected_action": [version.pk]}, follow=True
    )
    assert "초안만 게시할 수 있습니다" in response.text


def test_diff_page_lists_the_changes(admin_client, version):
    draft = services.new_draft_from(version)
    schema = copy.deepcopy(draft.schema)
    schema["sections"][0]["fields"][1]["label"] = "성명(한글)"
    services.save_draft_schema(draft, schema)
    response = admin_client.get(reverse("admin:forms_catalog_formversion_diff", args=[draft.pk]))
    assert "v1 → v2: 바뀐 곳 1군데" in response.text
    assert "이름 성명 → 성명(한글)" in response.text


def test_preview_frame_renders_the_resident_form_and_follows_unsaved_edits(admin_client, version):
    url = reverse("admin:forms_catalog_formversion_preview", args=[version.pk])
    page = admin_client.get(url)
    assert page.status_code == 200 and page["X-Frame-Options"] == "SAMEORIGIN"
    assert "미리보기입니다" in page.text and 'id="field-name-input"' in page.text
    edited = copy.deepcopy(version.schema)
    edited["sections"][0]["fields"].append({"key": "nickname", "type": "text", "label": "별명"})
    page = admin_client.post(url, {"schema": json.dumps(edited)})
    assert 'id="field-nickname-input"' in page.text
    page = admin_client.post(url, {"schema": '{"sections": [{"key": "x", "fields": []}]}'})
    assert "schema.sections[0].title" in page.text
    version.refresh_from_db()
    assert version.schema == factories.SCHEMA  # a preview never saves


def test_pdf_preview_renders_the_archive_layout_with_sample_values(admin_client, version, client):
    response = admin_client.get(reverse("admin:forms_catalog_formversion_pdf", args=[version.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "주민등록표 등본 교부 신청서" in text and "홍길동" in text and "PREV-IEW0" in text


def test_previews_need_a_staff_login(client, version):
    response = client.get(reverse("admin:forms_catalog_formversion_pdf", args=[version.pk]))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_form_admin_shows_retention_and_edits_offering_offices(admin_client, office, version):
    page = admin_client.get(reverse("admin:forms_catalog_formtemplate_change", args=[version.template_id]))
    assert "제공 기관" in page.text and office.name in page.text
    listing = admin_client.get(reverse("admin:forms_catalog_formtemplate_changelist"))
    assert "5년" in listing.text and "v1" in listing.text


def test_a_new_version_starts_at_the_next_number(admin_client, version):
    page = admin_client.get(reverse("admin:forms_catalog_formversion_add") + f"?template={version.template_id}")
    assert 'name="number" value="2"' in page.text


def test_fields_are_edited_as_ordered_rows_that_compile_to_the_schema(admin_client, version):
    draft = services.new_draft_from(version)
    admin_client.get(_change_url(draft))  # rows are made from the schema on first open
    rows = _current_rows(draft)
    assert [r["key"] for r in rows][:3] == ["applicant_type", "name", "rrn"]
    by_key = {r["key"]: r for r in rows}
    by_key["name"]["label"] = "성명(한글)"
    by_key["phone"]["order"] = 1  # move 전화번호 to the top
    by_key["copies"]["DELETE"] = True
    new_row = {
        "order": 999,
        "section": "extra",
        "section_title": "추가 사항",
        "key": "visit_purpose",
        "type": "choice",
        "label": "방문 목적",
        "required": True,
        "choices": "issue=발급\nview=열람 | Viewing",
        "show_if": "applicant_type=self|proxy",
        "options": {"default": "issue"},
    }
    text = json.dumps(draft.schema, ensure_ascii=False, indent=2)  # the JSON editor is left alone
    response = admin_client.post(_change_url(draft), _post_data(draft, text, rows=[*rows, new_row]))
    assert response.status_code == 302
    draft.refresh_from_db()
    applicant = draft.schema["sections"][0]
    assert [f["key"] for f in applicant["fields"]][:2] == ["phone", "applicant_type"]
    assert "copies" not in [f["key"] for f in applicant["fields"]]
    assert next(f for f in applicant["fields"] if f["key"] == "name")["label"] == "성명(한글)"
    extra = draft.schema["sections"][-1]
    assert extra["key"] == "extra" and extra["title"] == "추가 사항"
    assert extra["fields"][0]["choices"] == [
        {"value": "issue", "label": "발급"},
        {"value": "view", "label": "열람", "label_en": "Viewing"},
    ]
    assert extra["fields"][0]["show_if"] == {"field": "applicant_type", "equals": ["self", "proxy"]}
    assert extra["fields"][0]["default"] == "issue"
    # The proxy section keeps its own condition though it was edited as rows.
    assert draft.schema["sections"][1]["show_if"] == factories.SCHEMA["sections"][1]["show_if"]


def test_bad_rows_are_reported_with_the_field_key_and_leave_the_schema_alone(admin_client, version):
    draft = services.new_draft_from(version)
    admin_client.get(_change_url(draft))
    rows = _current_rows(draft)
    rows[0]["choices"] = "no equals sign here"
    rows[1]["show_if"] = "nope"
    text = json.dumps(draft.schema, ensure_ascii=False)
    response = admin_client.post(_change_url(draft), _post_data(draft, text, rows=rows), follow=True)
    assert "필드 정의는 바꾸지 않았습니다" in response.text
    assert "항목 &#x27;applicant_type&#x27;.choices 1번째 줄: &#x27;값=이름&#x27; 형식" in response.text
    assert "항목 &#x27;name&#x27;.show_if" in response.text
    draft.refresh_from_db()
    assert draft.schema == version.schema
    # The rows themselves are kept, so the admin fixes rather than retypes.
    assert FieldRow.objects.get(version=draft, key="name").show_if == "nope"


def test_rows_round_trip_every_demo_form_without_loss(db):
    from forms_catalog import packs

    packs.import_pack(packs.load_pack_file(packs.JSON_SCHEMA_PATH.parent / "demo.json"))
    for published in FormVersion.objects.filter(status="published"):
        draft = services.new_draft_from(published)
        services.rows_from_schema(draft)
        schema, problems = services.compile_rows(draft)
        assert problems == []
        assert schema == published.schema, published


def test_admin_exports_selected_forms_as_a_pack_and_imports_it_elsewhere(admin_client, version):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from forms_catalog import packs
    from forms_catalog.models import FormTemplate

    changelist = reverse("admin:forms_catalog_formtemplate_changelist")
    assert reverse("admin:forms_catalog_formtemplate_import") in admin_client.get(changelist).text
    response = admin_client.post(changelist, {"action": "export_published", "_selected_action": [version.template_id]})
    assert response["Content-Disposition"] == 'attachment; filename="form-pack-published.json"'
    pack = json.loads(response.content)
    assert packs.validate_pack(pack) == [] and pack["forms"][0]["code"] == version.template.code

    url = reverse("admin:forms_catalog_formtemplate_import")
    bad = copy.deepcopy(pack)
    bad["forms"][0]["code"] = "other-office-form"
    bad["forms"][0]["versions"][0]["schema"]["sections"][0]["fields"][0]["type"] = "laser"
    page = admin_client.post(url, {"pack": SimpleUploadedFile("p.json", json.dumps(bad).encode())})
    assert "아무것도 가져오지 않았습니다" in page.text
    assert "forms[0].versions[0].schema.sections[0].fields[0].type" in page.text
    assert not FormTemplate.objects.filter(code="other-office-form").exists()

    good = copy.deepcopy(pack)
    good["forms"][0]["code"] = "other-office-form"
    upload = SimpleUploadedFile("p.json", json.dumps(good).encode())
    page = admin_client.post(url, {"pack": upload, "check_only": "on"}, follow=True)
    assert "문제없는 서식 팩" in page.text and not FormTemplate.objects.filter(code="other-office-form").exists()
    page = admin_client.post(url, {"pack": SimpleUploadedFile("p.json", json.dumps(good).encode())})
    assert "새 서식: other-office-form" in page.text
    assert FormTemplate.objects.get(code="other-office-form").published_version().schema == version.schema


def test_a_published_version_offers_a_new_draft_button(admin_client, version):
    page = admin_client.get(_change_url(version)).text
    assert "data-new-draft" in page and "data-publish" not in page
    response = admin_client.post(reverse("admin:forms_catalog_formversion_new_draft", args=[version.pk]), follow=True)
    draft = FormVersion.objects.get(status="draft")
    assert response.redirect_chain[-1][0] == _change_url(draft)
    assert "새 초안 v2를 만들었습니다. v1의 내용을 복사했습니다." in response.text
    assert "data-publish" in response.text and draft.schema == version.schema
    # A second press leads to the draft already there instead of a second one.
    response = admin_client.post(reverse("admin:forms_catalog_formversion_new_draft", args=[version.pk]), follow=True)
    assert "이미 고치고 있는 초안이 있습니다" in response.text
    assert response.redirect_chain[-1][0] == _change_url(draft)
    assert FormVersion.objects.filter(status="draft").count() == 1
    assert admin_client.get(reverse("admin:forms_catalog_formversion_new_draft", args=[version.pk])).status_code == 403


def test_admin_headings_are_korean(admin_client, version):
    page = admin_client.get(reverse("admin:index")).text
    for heading in ("서식 관리", "서식 버전", "민원 접수", "PDF 보관"):
        assert heading in page
    for gloss in ("(Form catalog)", "(form versions)", "(Intake)", "(PDF archive)"):
        assert gloss not in page
    assert "(schema)" not in admin_client.get(_change_url(version)).text


def test_task_results_are_for_superusers_only(admin_client, client, version):
    from django.contrib.auth.models import Permission

    form_admin = get_user_model().objects.create_user("forms.only", password="pw-for-tests-1", is_staff=True)
    # Even a group that hands out every permission does not open the worker's internals.
    form_admin.user_permissions.set(Permission.objects.all())
    results = reverse("admin:django_tasks_database_dbtaskresult_changelist")
    assert "django_tasks_database" in admin_client.get(reverse("admin:index")).text
    assert admin_client.get(results).status_code == 200
    client.force_login(form_admin)
    index = client.get(reverse("admin:index")).text
    assert "서식 버전" in index and "django_tasks_database" not in index
    assert client.get(results).status_code == 403
