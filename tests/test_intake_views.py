import re

from django.test import Client
from django.urls import reverse

from intake import offices, sealed, services
from intake.models import Draft, Submission

from . import factories


def _form_url(office, version):
    return reverse("intake:form", args=[office.slug, version.template.code])


def test_qr_entry_remembers_the_counter_and_lists_the_office_forms(client, office, version):
    counter = office.counters.get(number=2)
    response = client.get(reverse("intake:counter_entry", args=[counter.qr_token]), follow=True)
    assert response.status_code == 200
    assert "2번 창구" in response.text
    assert version.template.title in response.text


def test_qr_codes_are_served_as_svg_and_png(client, office):
    svg = client.get(reverse("intake:counter_qr_svg", args=[office.slug, 1]))
    png = client.get(reverse("intake:counter_qr_png", args=[office.slug, 1]))
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")


def test_invalid_post_keeps_every_value_and_explains_in_korean(client, office, version):
    values = {**factories.VALID_VALUES, "rrn": "901301-1234567", "name": "", "phone": "12"}
    client.get(_form_url(office, version))
    response = client.post(_form_url(office, version), {**values, "idempotency_key": ""})
    assert response.status_code == 200
    assert "고칠 곳이 3군데" in response.text
    assert "생년월일" in response.text and "010-1234-5678" in response.text
    # Input kept, including the invalid value, so nothing is retyped.
    assert 'value="901301-1234567"' in response.text
    # The one-line address comes back split into its road and detail inputs.
    assert 'value="서울특별시 서초구 남부순환로 2584"' in response.text and 'value="101호"' in response.text
    assert Submission.objects.count() == 0
    # …and saved, so a reload or another phone session finds it too.
    assert services.draft_values(Draft.objects.get())["rrn"] == "901301-1234567"


def test_valid_post_creates_one_submission_even_when_repeated(client, office, version):
    client.get(_form_url(office, version))
    key = str(Draft.objects.get().idempotency_key)
    first = client.post(_form_url(office, version), {**factories.VALID_VALUES, "idempotency_key": key})
    again = client.post(_form_url(office, version), {**factories.VALID_VALUES, "idempotency_key": key})
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    ticket = client.get(first["Location"])
    assert Submission.objects.count() == 1
    assert re.search(r"data-ticket>\s*1\s*<", ticket.text)
    assert Submission.objects.get().reference in ticket.text


def test_a_plain_submit_writes_its_draft_once_and_reads_no_office(client, office, version):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = _form_url(office, version)
    client.get(url)
    key = str(Draft.objects.get().idempotency_key)
    with CaptureQueriesContext(connection) as queries:
        assert client.post(url, {**factories.VALID_VALUES, "idempotency_key": key}).status_code == 302
    sql = [q["sql"] for q in queries.captured_queries]
    # The submit closes the draft in its own transaction; it is not saved first.
    assert len([q for q in sql if q.startswith(('UPDATE "intake_draft"', 'INSERT INTO "intake_draft"'))]) == 1
    # The office and its counters come from the process's cache, filled by the GET.
    assert not [q for q in sql if 'FROM "intake_office"' in q or 'FROM "intake_counter"' in q]
    # The open draft's own page cannot have submitted yet: no look-up of an earlier submission.
    assert not [q for q in sql if q.startswith('SELECT "intake_submission"')]
    assert Draft.objects.get().submission == Submission.objects.get()


def test_a_page_sent_again_after_its_draft_is_gone_makes_one_submission(client, office, version):
    # The answer to the first POST was lost, and the draft it was started from
    # had been purged meanwhile: the same page, sent again, finds its submission.
    url = _form_url(office, version)
    client.get(url)
    key = str(Draft.objects.get().idempotency_key)
    Draft.objects.all().delete()
    first = client.post(url, {**factories.VALID_VALUES, "idempotency_key": key})
    again = client.post(url, {**factories.VALID_VALUES, "idempotency_key": key})
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    submission = Submission.objects.get()
    assert str(submission.idempotency_key) == key
    # The emptied draft is kept as the link that prefills the resident's other forms.
    assert Draft.objects.get().submission == submission


def test_a_counter_added_after_the_office_was_cached_is_recorded(client, office, version):
    url = _form_url(office, version)
    client.get(url)  # caches the office with counters 1 and 2
    offices.set_counters(office, 3)  # bulk_create: no signal clears the cache
    counter = office.counters.get(number=3)
    client.get(reverse("intake:counter_entry", args=[counter.qr_token]))
    client.get(url)
    key = str(Draft.objects.get().idempotency_key)
    assert client.post(url, {**factories.VALID_VALUES, "idempotency_key": key}).status_code == 302
    assert Submission.objects.get().counter == counter


def test_field_check_returns_the_error_fragment_and_autosaves(client, office, version):
    client.get(_form_url(office, version))
    url = reverse("intake:field_check", args=[office.slug, version.template.code, "rrn"])
    response = client.post(url, {"rrn": "900101-5", "name": "홍길동"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert 'id="field-rrn-feedback"' in response.text and "13자리" in response.text
    assert "<html" not in response.text
    page = client.get(_form_url(office, version))
    assert 'value="홍길동"' in page.text and 'value="900101-5"' in page.text


def test_unknown_form_is_a_clear_404(client, office):
    response = client.get(reverse("intake:form", args=[office.slug, "nope"]))
    assert response.status_code == 404


def _attachment_form(db):
    schema = {
        "sections": [
            {
                "key": "s",
                "title": "첨부",
                "fields": [
                    {"key": "name", "type": "text", "label": "성명", "required": True},
                    {
                        "key": "photo",
                        "type": "file",
                        "label": "사진",
                        "required": True,
                        "accept": ["image/jpeg", "image/png"],
                        "max_size_mb": 1,
                    },
                ],
            },
            {
                "key": "members",
                "title": "세대원",
                "repeat": {"min": 0, "max": 10},
                "fields": [
                    {"key": "member_name", "type": "text", "label": "세대원 성명", "required": True},
                ],
            },
        ]
    }
    version = factories.form_version("with-photo", schema=schema)
    return factories.office("photo-office", forms=[version]), version


def _jpeg_with_exif() -> bytes:
    import io

    from PIL import Image

    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "SecretCameraMaker"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_upload_is_checked_by_content_and_kept_across_errors(client, db, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    office, version = _attachment_form(db)
    url = _form_url(office, version)
    client.get(url)
    fake = SimpleUploadedFile("photo.jpg", b"MZ not really a jpeg", content_type="image/jpeg")
    response = client.post(url, {"name": "", "photo": fake})
    assert "올릴 수 없는 파일 형식" in response.text and "JPG, PNG" in response.text

    real = SimpleUploadedFile("내사진.jpg", _jpeg_with_exif(), content_type="application/octet-stream")
    response = client.post(url, {"name": "", "photo": real})
    assert "내사진.jpg" in response.text  # kept though the name was missing
    draft = Draft.objects.get()
    stored = draft.data["photo"]
    assert b"SecretCameraMaker" not in sealed.read(stored["file"])

    response = client.post(url, {"name": "홍길동", "idempotency_key": str(draft.idempotency_key)})
    assert response.status_code == 302
    assert Submission.objects.get().data["photo"]["sha256"] == stored["sha256"]


def test_a_page_carrying_another_residents_key_gets_a_clear_answer_and_keeps_the_answers(client, office, version):
    other = Client()
    url = _form_url(office, version)
    other.get(url)
    their_key = str(Draft.objects.get().idempotency_key)
    response = client.post(url, {**factories.VALID_VALUES, "idempotency_key": their_key})
    assert response.status_code == 409
    assert "제출을 다시 눌러 주세요" in response.text and 'value="홍길동"' in response.text
    assert not Submission.objects.exists()
    # The answers wait under a key of the page's own; submitting that page works.
    mine = Draft.objects.exclude(idempotency_key=their_key).get()
    assert f'value="{mine.idempotency_key}"' in response.text
    response = client.post(url, {**factories.VALID_VALUES, "idempotency_key": str(mine.idempotency_key)})
    assert response.status_code == 302
    assert Submission.objects.get().idempotency_key == mine.idempotency_key


def test_only_a_page_with_a_file_input_posts_multipart(client, db, office, version):
    # Without JavaScript the browser encodes as the form says; urlencoded is
    # the cheaper body for the server wherever no file can go up.
    attachments, with_photo = _attachment_form(db)
    page = client.get(_form_url(attachments, with_photo)).text
    assert 'enctype="multipart/form-data"' in page
    page = client.get(_form_url(office, version)).text
    assert "<form" in page and "enctype=" not in page


def test_submissions_beyond_the_client_limit_get_a_clear_message_and_keep_the_input(client, office, version, settings):

    settings.RATE_LIMIT_CLIENT = "2/600"
    url = _form_url(office, version)
    for _ in range(2):
        client.get(url)
        key = str(Draft.objects.filter(submission__isnull=True).get().idempotency_key)
        assert client.post(url, {**factories.VALID_VALUES, "idempotency_key": key}).status_code == 302
    client.get(url)
    key = str(Draft.objects.filter(submission__isnull=True).get().idempotency_key)
    response = client.post(url, {**factories.VALID_VALUES, "idempotency_key": key})
    assert response.status_code == 429
    assert "너무 많이 제출" in response.text and "분 뒤에 다시" in response.text
    assert 'value="서울특별시 서초구 남부순환로 2584"' in response.text and 'value="101호"' in response.text
    assert Submission.objects.count() == 2
    assert services.draft_values(Draft.objects.get(submission__isnull=True))["name"] == factories.VALID_VALUES["name"]


def test_counter_limit_applies_across_browsers(client, office, version, settings):
    from django.test import Client

    settings.RATE_LIMIT_COUNTER = "1/600"
    counter = office.counters.first()
    statuses = []
    for browser in (client, Client()):
        browser.get(reverse("intake:counter_entry", args=[counter.qr_token]))
        browser.get(_form_url(office, version))
        key = str(Draft.objects.filter(submission__isnull=True).latest("created_at").idempotency_key)
        statuses.append(
            browser.post(_form_url(office, version), {**factories.VALID_VALUES, "idempotency_key": key}).status_code
        )
    assert statuses == [302, 429]


def test_rows_are_added_and_removed_without_js_and_validated_on_submit(client, db, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    office, version = _attachment_form(db)
    url = _form_url(office, version)
    page = client.get(url)
    assert 'name="_row" value="add:members"' in page.text and "members-0-member_name" not in page.text

    page = client.post(url, {"name": "홍길동", "_row": "add:members"})
    assert page.status_code == 200 and 'name="members-0-member_name"' in page.text
    page = client.post(url, {"name": "홍길동", "members-0-member_name": "홍길순", "_row": "add:members"})
    assert 'name="members-1-member_name"' in page.text and 'value="홍길순"' in page.text
    assert Submission.objects.count() == 0  # row buttons never submit

    photo = SimpleUploadedFile("p.jpg", _jpeg_with_exif(), content_type="image/jpeg")
    draft = Draft.objects.get()
    # The second row was added but left empty: it is dropped, not refused.
    response = client.post(
        url,
        {
            "name": "홍길동",
            "photo": photo,
            "members-0-member_name": "홍길순",
            "members-1-member_name": "",
            "idempotency_key": str(draft.idempotency_key),
        },
    )
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.data["members"] == [{"member_name": "홍길순"}]

    page = client.get(url)  # a fresh draft for a second application
    page = client.post(url, {"name": "홍길동", "members-0-member_name": "홍길순", "_row": "remove:members:0"})
    assert "members-0-member_name" not in page.text


def test_a_row_error_is_listed_with_the_row_number(client, db):
    office, version = _attachment_form(db)
    url = _form_url(office, version)
    client.get(url)
    response = client.post(url, {"name": "홍길동", "members-0-member_name": "가" * 300})
    assert "세대원 1 · 세대원 성명" in response.text
    assert "200자 이내" in response.text
    assert 'id="field-members-0-member_name-input"' in response.text


def test_rate_limits_fail_open_when_the_cache_is_down(client, office, version, settings, caplog):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    client.get(_form_url(office, version))
    key = str(Draft.objects.get().idempotency_key)
    response = client.post(_form_url(office, version), {**factories.VALID_VALUES, "idempotency_key": key})
    assert response.status_code == 302 and Submission.objects.count() == 1
    assert "rate-limit cache unavailable" in caplog.text
