"""intake's periodic jobs: the day close of each office, the end of forms filled at home
whose resident never came, lapsed 위임, and the retention purge."""

import datetime
from collections.abc import Callable, Iterator

from . import dayclose, delegations, jobs, retention, visits
from .models import Office


def _day_closes(now: datetime.datetime) -> Iterator[jobs.DueRun]:
    for office in Office.objects.all():
        closing = dayclose.last_closing(office, now)
        yield jobs.DueRun(f"day_close:{office.slug}", closing, _closer(office, closing, now))


def _closer(office: Office, closing: datetime.datetime, now: datetime.datetime) -> Callable[[], jobs.Counts]:
    return lambda: {"expired": dayclose.close_day(office, closing, now)}


def _retention(now: datetime.datetime) -> Iterator[jobs.DueRun]:
    def run() -> jobs.Counts:
        report = retention.purge(now)
        return {"drafts": report.drafts, "submissions": len(report.submissions), "files": report.files}

    yield jobs.DueRun("retention_purge", jobs.daily_at("retention_purge", now), run)


def _unarrived(now: datetime.datetime) -> Iterator[jobs.DueRun]:
    def run() -> jobs.Counts:
        counts = {"expired": 0, "purged": 0, "drafts": 0}
        for office in Office.objects.all():
            ended = visits.end_unarrived(office, now)
            counts["expired"] += ended.expired
            counts["purged"] += ended.purged
            counts["drafts"] += ended.drafts
        return counts

    yield jobs.DueRun("pre_arrival_expire", jobs.daily_at("pre_arrival_expire", now), run)


def _delegations(now: datetime.datetime) -> Iterator[jobs.DueRun]:
    # Hourly: a 위임 lapses within the hour after its expiry.
    due = now.replace(minute=0, second=0, microsecond=0)
    yield jobs.DueRun("delegation_expiry", due, lambda: {"expired": delegations.expire_due(now)})


def register() -> None:
    jobs.register(
        jobs.Job("day_close", _day_closes, "미호출 번호표 마감, 기관의 닫는 시각마다 (each office's closing)")
    )
    jobs.register(
        jobs.Job(
            "pre_arrival_expire",
            _unarrived,
            "오지 않은 방문 전 작성 만료·삭제 (forms filled at home, never brought in)",
        )
    )
    jobs.register(jobs.Job("delegation_expiry", _delegations, "서명 기한 지난 위임 마감 (unsigned 위임 lapse), hourly"))
    jobs.register(jobs.Job("retention_purge", _retention, "보존기간 지난 개인정보 삭제 (retention purge), daily"))
