"""One parse per form version, and one layout of a filled form for every reader of it."""

import copy

import pytest

from forms_catalog import layout, services
from forms_catalog.models import FormVersion
from forms_catalog.schema import parse
from intake import flow
from officer_console.console import mirror
from pdfgen import services as pdf_services

from . import factories
from .test_form_schema import MEMBER, MOVE_IN

pytestmark = pytest.mark.django_db

HOUSEHOLD = {
    "sections": [
        *copy.deepcopy(MOVE_IN["sections"]),
        copy.deepcopy(factories.SCHEMA["sections"][2]),  # consent and signature
    ]
}
VALUES = {
    "name": "홍길동",
    "has_members": "yes",
    "members": [MEMBER, {**MEMBER, "member_name": "홍길남", "relation": "other", "relation_other": "조카"}],
    "consent": "agree",
    "signature": factories.SIGNATURE,
}


def test_a_version_is_parsed_once_and_again_only_when_its_schema_changes():
    version = factories.form_version(status="draft")
    form = version.form
    assert version.form is form
    # Another instance of the same version with the same content shares the parse.
    assert FormVersion.objects.get(pk=version.pk).form is form
    edited = copy.deepcopy(factories.SCHEMA)
    edited["sections"][0]["fields"][1]["label"] = "성명(한글)"
    services.save_draft_schema(version, edited)
    reloaded = FormVersion.objects.get(pk=version.pk)
    assert reloaded.form is not form and reloaded.form.fields_by_key["name"].label == "성명(한글)"
    version.schema = edited
    assert version.form.fields_by_key["name"].label == "성명(한글)"


def test_a_schema_still_being_typed_parses_with_defaults():
    form = parse({"sections": [{"key": "s", "fields": [{"key": "a", "type": "laser", "max_length": "x"}, 3]}, "x"]})
    (section,) = form.sections
    (field,) = section.fields
    assert (field.type, field.max_length, field.label) == ("laser", None, "")
    assert parse([]).sections == () and parse({"sections": "x"}).sections == ()


def _submission():
    version = factories.form_version("move-in", schema=HOUSEHOLD)
    office = factories.office("dong", forms=[version])
    return factories.submitted(office, version, VALUES)


def test_the_check_view_the_mirror_and_the_archive_lay_out_the_same_rows():
    submission = _submission()
    screen = [row for section in mirror.display_sections(submission, unmasked=True) for row in section.rows]
    context, _ = pdf_services.build_context(submission)
    printed = [row for section in context["sections"] for row in section["rows"]]
    assert [row.label for row in screen] == [row["label"] for row in printed]
    # The signatures are in their own boxes, with their signer, on screen as on paper.
    assert not any(row.type == "signature" for row in screen)
    boxes = [(s.role, s.name) for s in mirror.signature_boxes(submission)]
    assert boxes == [(box["role"], box["name"]) for box in context["signatures"]] == [("신청인", "홍길동")]
    by_label = {row.label: row.value for row in screen}
    assert (
        by_label["세대원 1 · 관계"] == "배우자" == next(r["value"] for r in printed if r["label"] == "세대원 1 · 관계")
    )
    assert by_label["개인정보 수집·이용 동의"] == "동의함"


def test_a_row_field_its_condition_hides_is_in_no_layout():
    submission = _submission()
    labels = {row.label for section in mirror.display_sections(submission) for row in section.rows}
    assert "세대원 2 · 관계(직접 적기)" in labels and "세대원 1 · 관계(직접 적기)" not in labels
    context, _ = pdf_services.build_context(submission)
    printed = {row["label"] for section in context["sections"] for row in section["rows"]}
    assert "세대원 2 · 관계(직접 적기)" in printed and "세대원 1 · 관계(직접 적기)" not in printed


def test_screens_mask_and_the_archive_does_not():
    submission = _submission()
    masked = {row.key: row for section in mirror.display_sections(submission) for row in section.rows}
    assert masked["members-0-member_rrn"].value == "920202-2******" and masked["members-0-member_rrn"].masked
    context, _ = pdf_services.build_context(submission)
    assert "920202-2234567" in [row["value"] for section in context["sections"] for row in section["rows"]]


def test_the_review_page_lists_only_answers_given_without_the_sign_off():
    form = parse(HOUSEHOLD)
    values = {"name": "홍길동", "has_members": "no", "consent": "agree"}
    review = flow.review_sections(form, values, flow.steps(form, values))
    assert [(row.key, row.value) for section in review for row in section.rows] == [
        ("name", "홍길동"),
        ("has_members", "아니오"),
    ]
    # The paper, by contrast, has a line for every shown field, answered or not.
    laid = layout.build(form, values, masked=False)
    assert [row.key for row in laid.sections[-1].rows] == ["consent", "signature"]
