"""The one-tap rating after completion: the service, the ticket page's form, and the report with its CSV."""

import csv
import datetime
import io

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from intake import retention, services
from intake.models import Rating, Submission
from officer_console.console import services as staff
from officer_console.models import Membership
from officer_console.reports import satisfaction
from officer_console.reports.filters import ReportFilter

from . import factories
from .daytime import clock  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def completed(office, version, officer):
    submission = factories.submitted(office, version)
    staff.call(submission.pk, officer, office.counters.first())
    return staff.complete(submission.pk, officer)


def _refused(code, *args, **kwargs):
    with pytest.raises(services.RatingRefused) as exc:
        services.rate(*args, **kwargs)
    assert exc.value.code == code
    return exc.value


def test_one_rating_per_submission(completed):
    rating = services.rate(completed.pk, "5", "  친절했습니다  ")
    assert (rating.score, rating.comment) == (5, "친절했습니다")
    _refused("already_rated", completed.pk, "1")
    assert Rating.objects.get().score == 5
    # The database holds the rule too, whoever writes.
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(submission=completed, score=3)


def test_only_a_completed_submission_is_rated(office, version):
    _refused("not_completed", factories.submitted(office, version).pk, "4")


@pytest.mark.parametrize("score", ["0", "6", "", "만족", "4.5", "٣"])
def test_a_score_outside_the_five_is_refused(completed, score):
    _refused("invalid_score", completed.pk, score)


def test_a_long_comment_is_refused_with_its_limit(completed):
    error = _refused("comment_too_long", completed.pk, "4", "가" * 301)
    assert "300자" in error.message
    assert services.rate(completed.pk, "4", "가" * 300).comment == "가" * 300


def test_refused_after_seven_days(clock, office, version, officer):  # noqa: F811
    clock.set("2027-02-01", 10)
    submission = factories.submitted(office, version)
    staff.call(submission.pk, officer, None)
    staff.complete(submission.pk, officer)
    clock.set("2027-02-08", 9, 59)  # 6 days 23:59 later
    assert services.rating_state(Submission.objects.get(pk=submission.pk)) == "open"
    clock.set("2027-02-08", 10, 1)
    assert services.rating_state(Submission.objects.get(pk=submission.pk)) == ""
    _refused("rating_closed", submission.pk, "5")
    assert not Rating.objects.exists()


def test_the_ticket_page_asks_once_and_thanks(client, completed):
    url = reverse("intake:ticket", args=[completed.public_token])
    page = client.get(url).text
    assert "data-rating-form" in page and 'name="score" value="5"' in page and "매우 불만족" in page
    assert 'maxlength="300"' in page and "개인정보는 묻지 않습니다" in page
    response = client.post(reverse("intake:rate", args=[completed.public_token]), {"score": "4", "comment": "빨랐어요"})
    assert response.status_code == 302 and response["Location"] == url
    page = client.get(url).text
    assert "data-rating-form" not in page and "data-rated" in page
    again = client.post(reverse("intake:rate", args=[completed.public_token]), {"score": "1"}, follow=True)
    assert "이미 만족도를 알려 주셨습니다" in again.text
    assert Rating.objects.get(submission=completed).score == 4


def test_a_bad_post_keeps_the_comment_typed(client, completed):
    url = reverse("intake:rate", args=[completed.public_token])
    response = client.post(url, {"score": "9", "comment": "대기실이 추웠어요"})
    assert response.status_code == 422
    assert "매우 만족부터 매우 불만족까지 하나를 골라 주세요" in response.text
    assert "대기실이 추웠어요</textarea>" in response.text
    assert not Rating.objects.exists()


def test_not_offered_before_completion(client, office, version):
    waiting = factories.submitted(office, version)
    page = client.get(reverse("intake:ticket", args=[waiting.public_token])).text
    assert "data-rating-form" not in page and "data-rated" not in page


# --- the report ----------------------------------------------------------------


@pytest.fixture
def rated(office, other_office, version, officer):
    """Six ratings: office A counter 1 (5, 4, 2), counter 2 (1); office B (5, 3)."""
    colleague = factories.officer(other_office, "officer.b")
    scores = [
        (office, 1, 5),
        (office, 1, 4),
        (office, 1, 2),
        (office, 2, 1),
        (other_office, 1, 5),
        (other_office, 1, 3),
    ]
    for where, number, score in scores:
        submission = factories.submitted(where, version)
        user = officer if where == office else colleague
        staff.call(submission.pk, user, where.counters.get(number=number))
        staff.complete(submission.pk, user)
        services.rate(submission.pk, str(score))
    today = timezone.localdate()
    return ReportFilter(today - datetime.timedelta(days=1), today, (office.pk, other_office.pk))


def test_the_satisfaction_rate_by_office_form_counter_and_month(rated, office, other_office):
    result = satisfaction.build(rated)
    assert (result.total.ratings, result.total.satisfied) == (6, 3)
    assert result.total.rate == pytest.approx(50.0) and result.total.mean == pytest.approx(20 / 6)
    by_office = {r.label: (r.ratings, r.rate) for r in result.by["office"]}
    assert by_office == {office.name: (4, 50.0), other_office.name: (2, 50.0)}
    by_counter = {r.label: (r.ratings, r.satisfied) for r in result.by["counter"]}
    assert by_counter == {
        f"{office.name} 1번 창구": (3, 2),
        f"{office.name} 2번 창구": (1, 0),
        f"{other_office.name} 1번 창구": (2, 1),
    }
    assert [(r.ratings, r.satisfied) for r in result.by["form"]] == [(6, 3)]
    assert [r.label for r in result.by["month"]] == [f"{timezone.localdate():%Y-%m}"]


def test_the_report_page_and_its_csv_show_satisfaction_beside_the_waits(client, rated, office, other_office):
    manager = factories.officer(office, "manager.both", role=Membership.Role.MANAGER)
    Membership.objects.create(user=manager, office=other_office, role=Membership.Role.MANAGER)
    client.force_login(manager)
    period = {"start": rated.start.isoformat(), "end": rated.end.isoformat()}
    page = client.get(reverse("reports:report"), period).text
    assert page.index('id="h-wait"') < page.index('id="h-satisfaction"')
    assert 'data-figure="satisfaction-rate">50.0<' in page and 'data-figure="ratings">6<' in page
    assert 'id="table-satisfaction-counter"' in page
    body = client.get(reverse("reports:csv"), period).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert ["만족도 합계 (satisfaction total)", "합계 (total)", "6", "3", "50.0", "3.33"] in rows
    assert ["만족도 창구 (counter)", f"{office.name} 2번 창구", "1", "0", "0.0", "1.00"] in rows
    assert ["만족도 기관 (office)", other_office.name, "2", "1", "50.0", "4.00"] in rows


def test_the_retention_purge_empties_the_comment_and_keeps_the_score(completed):
    services.rate(completed.pk, "2", "3층 화장실이 고장났어요 — 홍길동")
    retention.purge_submission(completed, timezone.now())
    rating = Rating.objects.get(submission=completed)
    assert (rating.score, rating.comment) == (2, "")
