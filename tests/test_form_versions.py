"""Versions: draft → published → retired, frozen once published, readable diffs."""

import copy
import io

import pytest
from django.db import IntegrityError, transaction
from pypdf import PdfReader

from forms_catalog import schema as form_schema
from forms_catalog import services
from forms_catalog.models import FormVersion, VersionFrozen
from intake import services as intake
from pdfgen.render import render_pdf
from pdfgen.services import build_context, render_html

from . import factories

pytestmark = pytest.mark.django_db


def _v2_schema() -> dict:
    schema = copy.deepcopy(factories.SCHEMA)
    fields = schema["sections"][0]["fields"]
    fields[1]["label"] = "성명(한글)"
    fields[3]["required"] = True  # phone becomes required
    fields.insert(0, {"key": "email", "type": "email", "label": "전자우편"})
    fields[1]["choices"].append({"value": "staff", "label": "직원"})
    del schema["sections"][1]  # 대리인 section gone
    return schema


def test_publishing_freezes_the_schema_in_the_model_and_the_service(version):
    version.schema = {"sections": []}
    with pytest.raises(VersionFrozen) as exc:
        version.save()
    assert exc.value.code == "version_frozen" and exc.value.fields == ["schema"]
    with pytest.raises(VersionFrozen):
        services.save_draft_schema(version, _v2_schema())
    # A hand-built instance claiming to be a draft does not get around it.
    forged = FormVersion.objects.get(pk=version.pk)
    forged.status = FormVersion.Status.DRAFT
    forged.schema = {"sections": []}
    with pytest.raises(VersionFrozen):
        forged.save()
    version.refresh_from_db()
    assert version.schema == factories.SCHEMA


def test_draft_to_published_to_retired(version):
    draft = services.new_draft_from(version)
    assert (draft.number, draft.status, draft.schema) == (2, "draft", version.schema)
    with pytest.raises(services.DraftExists) as exc:
        services.new_draft_from(version)
    assert exc.value.code == "draft_exists"

    draft = services.save_draft_schema(draft, _v2_schema(), paper_sheets=3)
    published = services.publish_version(draft)
    version.refresh_from_db()
    assert published.status == "published" and published.published_at is not None
    assert version.status == "retired" and version.retired_at is not None
    assert version.template.published_version() == published

    with pytest.raises(services.WrongStatus) as exc:
        services.publish_version(published)
    assert exc.value.code == "wrong_status"
    services.retire_version(published)
    assert version.template.published_version() is None
    with pytest.raises(services.WrongStatus):
        services.retire_version(published)


def test_an_invalid_draft_cannot_be_saved_or_published(version):
    draft = services.new_draft_from(version)
    broken = copy.deepcopy(version.schema)
    broken["sections"][0]["fields"][0]["type"] = "laser"
    with pytest.raises(services.InvalidSchema) as exc:
        services.save_draft_schema(draft, broken)
    assert exc.value.code == "invalid_schema"
    assert exc.value.problems[0].startswith("schema.sections[0].fields[0].type:")
    FormVersion.objects.filter(pk=draft.pk).update(schema=broken)  # e.g. written by an old import
    draft.refresh_from_db()
    with pytest.raises(services.InvalidSchema):
        services.publish_version(draft)
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_the_database_refuses_two_published_versions_of_one_form(version):
    with pytest.raises(IntegrityError), transaction.atomic():
        FormVersion.objects.create(template=version.template, number=2, status="published", schema=version.schema)


def test_submission_on_v1_stays_valid_and_renders_after_v2_is_published(office, version, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    form = intake.resolve_form(office, version.template.code)
    draft = intake.get_or_start_draft(resident_key="r1", form=form, counter=None)
    intake.save_draft(draft, {**factories.VALID_VALUES, "phone": ""})
    old_submission = factories.submitted(office, version, {**factories.VALID_VALUES, "phone": ""})

    v2 = services.publish_version(services.save_draft_schema(services.new_draft_from(version), _v2_schema()))
    old_submission.refresh_from_db()
    assert old_submission.form_version_id == version.pk

    # v2 would refuse it (phone is now required), v1 still accepts it.
    values = intake.submission_values(old_submission)
    assert not form_schema.validate(v2.form, values).ok
    assert form_schema.validate(old_submission.form_version.form, values).ok

    context, data = build_context(old_submission)
    text = "".join(
        page.extract_text()
        for page in PdfReader(io.BytesIO(render_pdf(render_html(old_submission, context), data))).pages
    )
    assert "성명" in text and "성명(한글)" not in text and "홍길동" in text
    assert data["form"]["version"] == 1

    # The resident halfway through v1 stays on v1 and can still submit it.
    form = intake.resolve_form(office, version.template.code)
    assert form.version == v2
    same = intake.get_or_start_draft(resident_key="r1", form=form, counter=None)
    assert same.pk == draft.pk and same.form_version_id == version.pk
    submission, created = intake.submit(
        form=form,
        version=same.form_version,
        raw_values=intake.draft_values(same),
        idempotency_key=same.idempotency_key,
        counter=None,
        draft=same,
    )
    assert created and submission.form_version_id == version.pk
    # A new resident gets v2.
    assert intake.get_or_start_draft(resident_key="r2", form=form, counter=None).form_version_id == v2.pk


def test_diff_reads_like_a_change_list(version):
    v2 = services.save_draft_schema(services.new_draft_from(version), _v2_schema(), paper_sheets=3)
    lines = [str(change) for change in services.diff_versions(version, v2)]
    assert "구역 '대리인': 삭제" in lines
    assert "항목 '전자우편' (email): '신청인' 구역에 추가" in lines
    assert "항목 '성명(한글)' (name): 이름 성명 → 성명(한글)" in lines
    assert "항목 '전화번호' (phone): 필수 아니오 → 예" in lines or "항목 '전화번호' (phone): 필수 (없음) → 예" in lines
    assert "항목 '신청인 구분' (applicant_type): 선택지 '직원' 추가" in lines
    assert "항목 '대리인 성명' (proxy_name): 삭제" in lines
    assert "종이 매수: 2매 → 3매" in lines
    # Inserting one field does not mark the fields after it as moved.
    assert not [line for line in lines if "순서" in line]
    assert services.diff_versions(version, version) == []


def test_a_retired_form_leaves_phones_at_once_though_its_version_was_cached(office, version):
    assert intake.resolve_form(office, version.template.code).version == version  # now cached
    services.retire_version(version)
    with pytest.raises(intake.FormUnavailable):
        intake.resolve_form(office, version.template.code)


def test_a_draft_identical_to_the_published_version_is_not_published(version):
    draft = services.new_draft_from(version)
    with pytest.raises(services.Unchanged) as exc:
        services.publish_version(draft)
    assert exc.value.code == "unchanged" and "게시 중인 v1와 바뀐 곳이 없어" in exc.value.message
    draft.refresh_from_db()
    version.refresh_from_db()
    assert (draft.status, version.status) == ("draft", "published")
    # A real change (here only the sheet count, which the report reads) publishes.
    draft.paper_sheets += 1
    draft.save()
    assert services.publish_version(draft).status == "published"


def test_a_draft_whose_field_rows_failed_to_save_is_not_published(version):
    draft = services.new_draft_from(version)
    services.save_draft_schema(draft, _v2_schema())
    services.rows_from_schema(draft)
    # The admin's table save was refused (a bad choices line): the rows hold
    # an edit the schema does not, so publishing would not publish it.
    row = draft.field_rows.get(key="applicant_type")
    row.choices = "이름만"
    row.save()
    with pytest.raises(services.InvalidSchema):
        services.save_rows(draft)
    with pytest.raises(services.EditsNotSaved) as exc:
        services.publish_version(draft)
    assert exc.value.code == "edits_not_saved" and "저장되지 않은 변경" in exc.value.message
    # A valid edit saved but not compiled (a row changed behind the schema) is refused too.
    row.choices = "self=본인\nproxy=대리인"
    row.label = "신청인 구분(바뀜)"
    row.save()
    with pytest.raises(services.EditsNotSaved):
        services.publish_version(draft)
    services.save_rows(draft)
    draft.refresh_from_db()
    assert services.publish_version(draft).status == "published"
