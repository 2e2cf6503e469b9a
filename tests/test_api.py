"""The back-office API (/api/v1/) as a back office uses it: a bearer token, JSON in and out."""

import pytest
from django.urls import reverse

from intake.models import Submission
from officer_console.api import tokens
from officer_console.console import services as staff
from officer_console.models import AccessLog

from . import factories

pytestmark = pytest.mark.django_db

ALL_SCOPES = ["read_queue", "read_submission", "read_personal", "change_status", "download_archive"]


def make_token(office, scopes=ALL_SCOPES, name="새올 연계"):
    account = tokens.create_account(office, "새올")
    token, raw = tokens.create_token(account, name, scopes)
    return token, raw


def api_get(client, raw, path, **params):
    return client.get(f"/api/v1{path}", params, headers={"Authorization": f"Bearer {raw}"})


def api_post(client, raw, path, body):
    return client.post(
        f"/api/v1{path}", body, content_type="application/json", headers={"Authorization": f"Bearer {raw}"}
    )


def test_without_a_token_every_operation_is_401_json(client, office):
    response = client.get("/api/v1/offices")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"
    assert response["WWW-Authenticate"].startswith("Bearer")
    response = client.get("/api/v1/offices", headers={"Authorization": "Bearer mwk_nope_nope"})
    assert response.status_code == 401 and response.json()["code"] == "invalid_token"


def test_the_token_is_stored_only_as_its_hash(office):
    token, raw = make_token(office)
    token.refresh_from_db()
    assert raw.startswith(f"mwk_{token.prefix}_")
    assert raw not in (token.key_hash, token.prefix) and token.key_hash == tokens.hash_key(raw)


def test_offices_and_forms_with_versions_and_schemas(client, office, version):
    _, raw = make_token(office)
    offices = api_get(client, raw, "/offices").json()
    assert [o["slug"] for o in offices] == [office.slug] and offices[0]["counters"] == [1, 2]
    forms = api_get(client, raw, "/forms").json()
    assert [f["code"] for f in forms] == ["test-form"] and forms[0]["published_version"] == 1
    detail = api_get(client, raw, "/forms/test-form").json()
    assert [v["number"] for v in detail["versions"]] == [1]
    one = api_get(client, raw, "/forms/test-form/versions/1").json()
    assert one["form_schema"]["sections"][0]["key"] == "applicant"
    assert api_get(client, raw, "/forms/test-form/versions/9").json()["code"] == "not_found"


def test_a_draft_version_is_the_form_admins_work_in_progress_not_served(client, office, version):
    _, raw = make_token(office)
    factories.form_version(status="draft", number=2, schema={"sections": []})
    assert [v["number"] for v in api_get(client, raw, "/forms/test-form").json()["versions"]] == [1]
    draft = api_get(client, raw, "/forms/test-form/versions/2")
    assert draft.status_code == 404 and draft.json()["code"] == "not_found"
    # A retired version stays readable: submissions filed under it name it.
    version.status = "retired"
    version.save()
    assert api_get(client, raw, "/forms/test-form/versions/1").json()["status"] == "retired"


def test_submissions_page_by_cursor_and_filter(client, office, version):
    made = [factories.submitted(office, version) for _ in range(5)]
    _, raw = make_token(office)
    seen, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = api_get(client, raw, "/submissions", **params).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [s.pk for s in made]
    staff.call(made[0].pk, factories.officer(office), None)
    called = api_get(client, raw, "/submissions", status="called").json()["items"]
    assert [s["id"] for s in called] == [made[0].pk]
    day = made[0].service_date.isoformat()
    assert len(api_get(client, raw, "/submissions", date=day, form="test-form").json()["items"]) == 5
    assert api_get(client, raw, "/submissions", form="other").json()["items"] == []
    bad = api_get(client, raw, "/submissions", cursor="x")
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_request"


def test_reading_a_submission_is_masked_without_read_personal_and_logged(client, office, submission):
    _, masked_raw = make_token(office, ["read_submission"], name="조회 전용")
    body = api_get(client, masked_raw, f"/submissions/{submission.pk}").json()
    rrn = next(f for f in body["fields"] if f["key"] == "rrn")
    assert body["masked"] is True and rrn["masked"] is True and rrn["value"] == "900101-1******"
    assert factories.RRN not in str(body)
    assert not any(f["type"] == "signature" for f in body["fields"])
    _, full_raw = make_token(office, ["read_submission", "read_personal"], name="새올 본청")
    body = api_get(client, full_raw, f"/submissions/{submission.pk}").json()
    assert next(f for f in body["fields"] if f["key"] == "rrn")["value"] == factories.RRN
    logged = list(AccessLog.objects.filter(submission=submission).order_by("at", "id"))
    assert [(e.username, e.action) for e in logged] == [("api:조회 전용", "view"), ("api:새올 본청", "unmask")]


def test_a_token_of_office_a_reads_nothing_of_office_b(client, office, other_office, version):
    theirs = factories.submitted(other_office, version)
    mine = factories.submitted(office, version)
    _, raw = make_token(office)
    for path in (
        f"/offices/{other_office.pk}",
        f"/submissions/{theirs.pk}",
        f"/submissions/{theirs.pk}/archive",
        f"/submissions/{theirs.pk}/archive.pdf",
    ):
        response = api_get(client, raw, path)
        assert response.status_code == 404 and response.json()["code"] == "not_found", path
    assert api_get(client, raw, "/submissions", office_id=other_office.pk).status_code == 404
    assert [s["id"] for s in api_get(client, raw, "/submissions").json()["items"]] == [mine.pk]
    response = api_post(client, raw, f"/submissions/{theirs.pk}/status", {"status": "rejected", "reason": "x"})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "submitted"
    assert not AccessLog.objects.filter(submission=theirs).exists()


def test_scopes_are_enforced(client, office, submission):
    _, raw = make_token(office, ["read_queue"])
    for path in (f"/submissions/{submission.pk}", f"/submissions/{submission.pk}/archive"):
        response = api_get(client, raw, path)
        assert response.status_code == 403 and response.json()["code"] == "scope_missing", path
    response = api_post(client, raw, f"/submissions/{submission.pk}/status", {"status": "completed"})
    assert response.status_code == 403


def test_a_revoked_token_is_refused_at_once(client, office):
    token, raw = make_token(office)
    assert api_get(client, raw, "/offices").status_code == 200
    tokens.revoke(token)
    response = api_get(client, raw, "/offices")
    assert response.status_code == 401 and response.json()["code"] == "token_revoked"


def test_status_changes_go_through_the_lifecycle(client, office, version, officer):
    token, raw = make_token(office)
    s = factories.submitted(office, version)
    refused = api_post(client, raw, f"/submissions/{s.pk}/status", {"status": "processing"})
    assert refused.status_code == 409 and refused.json()["code"] == "conflict"
    staff.call(s.pk, officer, None)
    done = api_post(client, raw, f"/submissions/{s.pk}/status", {"status": "processing"})
    assert done.status_code == 200 and done.json()["status"] == "processing"
    assert api_post(client, raw, f"/submissions/{s.pk}/status", {"status": "completed"}).json()["status"] == "completed"
    s.refresh_from_db()
    assert s.handled_by == token.account.user
    assert [(e.to_status, e.actor_id) for e in s.events.all()][-2:] == [
        ("processing", token.account.user.pk),
        ("completed", token.account.user.pk),
    ]
    other = factories.submitted(office, version)
    for body in ({"status": "rejected"}, {"status": "rejected", "reason": "  "}):
        missing = api_post(client, raw, f"/submissions/{other.pk}/status", body)
        assert missing.status_code == 422 and missing.json()["errors"][0]["loc"][-1] == "reason"
    rejected = api_post(client, raw, f"/submissions/{other.pk}/status", {"status": "rejected", "reason": "서류 미비"})
    assert rejected.json()["status"] == "rejected"
    assert Submission.objects.get(pk=other.pk).status_note == "서류 미비"


def test_bad_input_is_422_with_a_stable_code(client, office):
    _, raw = make_token(office)
    response = api_get(client, raw, "/submissions", limit=0)
    assert response.status_code == 422 and response.json()["code"] == "invalid_request"
    assert response.json()["errors"][0]["loc"][-1] == "limit"
    response = api_post(client, raw, "/submissions/1/status", {"status": "flying"})
    assert response.status_code == 422 and response.json()["code"] == "invalid_request"


def test_rate_limit_per_token_says_when_to_retry(client, office, settings):
    settings.API_RATE_LIMIT = "3/60"
    _, raw = make_token(office)
    _, other = make_token(office, name="다른 토큰")
    assert [api_get(client, raw, "/offices").status_code for _ in range(3)] == [200, 200, 200]
    limited = api_get(client, raw, "/offices")
    assert limited.status_code == 429 and limited.json()["code"] == "rate_limited"
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert api_get(client, other, "/offices").status_code == 200  # per token


def test_the_schema_and_docs_are_served(client):
    schema = client.get(reverse("api:openapi-json")).json()
    assert schema["openapi"].startswith("3.") and "/api/v1/submissions/{submission_id}/status" in schema["paths"]
    docs = client.get(reverse("api:openapi-view"))
    assert docs.status_code == 200 and "swagger-ui" in docs.text


def test_an_unknown_query_parameter_is_refused_not_ignored(client, office):
    _, raw = make_token(office)
    response = api_get(client, raw, "/submissions", stauts="called")
    assert response.status_code == 422 and "stauts" in response.json()["message"]


def test_a_reason_with_a_nul_byte_is_refused_not_a_server_error(client, office, version):
    _, raw = make_token(office)
    s = factories.submitted(office, version)
    response = api_post(client, raw, f"/submissions/{s.pk}/status", {"status": "rejected", "reason": "서류\u0000미비"})
    assert response.status_code == 422 and response.json()["errors"][0]["loc"][-1] == "reason"


def test_the_archive_pdf_and_its_sha256_downloaded_and_logged(client, office, submission, settings, tmp_path):
    import hashlib
    import io

    from pypdf import PdfReader

    from pdfgen import tasks

    settings.MEDIA_ROOT = tmp_path
    _, raw = make_token(office, ["download_archive"], name="새올 보관")
    pending = api_get(client, raw, f"/submissions/{submission.pk}/archive").json()
    assert pending["status"] == "pending" and pending["download_url"] is None
    assert api_get(client, raw, f"/submissions/{submission.pk}/archive.pdf").json()["code"] == "archive_not_ready"
    tasks.render_and_store(submission.pk, 1)  # what the worker does
    archive = api_get(client, raw, f"/submissions/{submission.pk}/archive").json()
    assert archive["status"] == "done" and len(archive["sha256"]) == 64
    response = client.get(archive["download_url"], headers={"Authorization": f"Bearer {raw}"})
    assert response["Content-Type"] == "application/pdf" and response["X-Archive-SHA256"] == archive["sha256"]
    assert hashlib.sha256(response.content).hexdigest() == archive["sha256"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert submission.reference in text
    entry = AccessLog.objects.get(action="download")
    assert (entry.username, entry.subject_reference) == ("api:새올 보관", submission.reference)
