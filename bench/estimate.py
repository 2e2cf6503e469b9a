"""Estimated wait benchmark: how far "약 m분" is from the wait residents then really had.

Run: `make bench-estimate` (or `.venv/bin/python bench/estimate.py [--days 40] [--warmup 10] [--seed 23]`).

Replays simulated office days, second by second:
- arrivals in bursts: the opening rush, a lunch-hour peak (office workers), a calmer afternoon,
  and a day-to-day swing of ±25 %;
- four services with their own handling times (lognormal: 주민등록 ~4 min, 가족관계 ~7, 인감·증명
  ~3, 상담 ~12 with a long tail), a no-show now and then (the counter waits a minute);
- five counters routed as the demo office (1–2 주민등록, 3 가족관계, 4–5 every service) that open
  and close: lunch shifts, a late starter, one away from noon to two and, some days, a counter
  away for a meeting; a few seconds to a minute between one resident and the next call; whoever
  is on at closing serves the tickets already taken;
- counters call the oldest ticket they serve (intake/counters.py, call_next's rule).

At each arrival it asks the app's own estimate (intake/estimates.py: `estimate` on an
`OfficeState` built the way `office_state()` builds it, with the handling times of the last
WINDOW_DAYS simulated days, refreshed every HANDLING_CACHE_SECONDS like the app's cache) and
compares the value the resident reads (the middle of the range shown; 2.5 for "5분 이내")
with the wait until the call. Prints p50 and p90 absolute error in minutes against the target.
"""

import argparse
import datetime
import math
import os
import random
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
# The estimate is pure over in-memory records: the database is only there for Django to start.
os.environ["SQLITE_PATH"] = str(Path(tempfile.mkdtemp(prefix="estimate-bench-")) / "bench.sqlite3")
os.environ["DATABASE_URL"] = ""

import django  # noqa: E402

django.setup()

from intake import counters as routing  # noqa: E402
from intake import estimates  # noqa: E402
from intake.estimates import CounterState, Handled, OfficeState, Waiting  # noqa: E402

TARGET_P50_MINUTES = 3.0
RESIDENT, FAMILY, CERTIFICATES, CONSULT = 1, 2, 3, 4
# service: (share of arrivals, median handling seconds, lognormal sigma)
SERVICES = {
    RESIDENT: ("주민등록", 0.45, 240, 0.45),
    FAMILY: ("가족관계", 0.22, 420, 0.45),
    CERTIFICATES: ("인감·증명", 0.23, 180, 0.40),
    CONSULT: ("상담", 0.10, 600, 0.70),
}
NO_SHOW_RATE = 0.03
OPENS, CLOSES, LAST_TICKET = 9 * 3600, 18 * 3600, 17 * 3600 + 45 * 60  # no ticket in the last quarter hour
# Arrivals per minute by time of day (seconds from midnight): the opening rush, the lunch peak.
RATES = [
    (9 * 3600, 1.1),
    (9 * 3600 + 30 * 60, 0.5),
    (11 * 3600 + 30 * 60, 0.45),
    (12 * 3600, 0.8),
    (13 * 3600, 0.4),
    (16 * 3600, 0.5),
    (17 * 3600 + 30 * 60, 0.25),
]


@dataclass
class SimCounter:
    key: int
    services: frozenset[int]
    shifts: list[tuple[int, int]]
    busy_until: int = 0
    free_from: int = 0
    busy_since: int | None = None
    busy_service: int | None = None
    busy_handle: int = 0
    busy_no_show: bool = False
    last_called_at: int | None = None

    def open_at(self, t: int) -> bool:
        if t >= CLOSES:
            # Whoever is on at closing serves the tickets already taken.
            return any(end == CLOSES for _, end in self.shifts)
        return any(start <= t < end for start, end in self.shifts)


@dataclass
class Ticket:
    key: int
    service: int
    arrival: int
    shown: estimates.Estimate | None = None
    called_at: int | None = None


@dataclass
class Results:
    shown_errors: list[float] = field(default_factory=list)
    raw_errors: list[float] = field(default_factory=list)
    within: int = 0
    arrivals: int = 0
    not_called: int = 0
    per_service: dict[int, list[float]] = field(default_factory=dict)
    per_hour: dict[int, list[float]] = field(default_factory=dict)


def _hm(hours: float) -> int:
    return int(hours * 3600)


def counters_of_the_day(rng: random.Random) -> list[SimCounter]:
    counters = [
        SimCounter(1, frozenset({RESIDENT}), [(_hm(9), _hm(12.5)), (_hm(13.5), _hm(18))]),
        SimCounter(2, frozenset({RESIDENT}), [(_hm(9), _hm(11.5)), (_hm(12.5), _hm(18))]),
        SimCounter(3, frozenset({FAMILY}), [(_hm(9), _hm(12)), (_hm(13), _hm(18))]),
        SimCounter(4, frozenset(), [(_hm(10), _hm(18))]),
        SimCounter(5, frozenset(), [(_hm(9), _hm(12)), (_hm(14), _hm(18))]),
    ]
    if rng.random() < 0.4:
        # Someone is called to a meeting for 30–60 minutes.
        away = rng.choice(counters)
        start = rng.randrange(_hm(9.5), _hm(16))
        end = start + rng.randrange(30 * 60, 60 * 60)
        away.shifts = [
            part for s, e in away.shifts for part in ((s, min(e, start)), (max(s, end), e)) if part[0] < part[1]
        ]
    return counters


def arrivals_of_the_day(rng: random.Random) -> Iterator[int]:
    swing = rng.uniform(0.75, 1.25)
    t = OPENS
    while t < LAST_TICKET:
        rate = next(r for start, r in reversed(RATES) if t >= start) * swing / 60
        t += max(1, int(rng.expovariate(rate)))
        if t < LAST_TICKET:
            yield t


def handle_seconds(rng: random.Random, service: int) -> int:
    _, _, median, sigma = SERVICES[service]
    return max(30, int(rng.lognormvariate(math.log(median), sigma)))


def simulate_day(
    day: datetime.date, rng: random.Random, history: dict[datetime.date, list[Handled]], measure: bool, out: Results
) -> None:
    midnight = datetime.datetime.combine(day, datetime.time(), datetime.UTC)

    def at(t: int) -> datetime.datetime:
        return midnight + datetime.timedelta(seconds=t)

    counters = counters_of_the_day(rng)
    arrivals = list(arrivals_of_the_day(rng))
    shares = [SERVICES[s][1] for s in SERVICES]
    queue: list[Ticket] = []
    tickets: list[Ticket] = []
    earlier = [h for d, rows in history.items() if 0 < (day - d).days <= estimates.WINDOW_DAYS for h in rows]
    today = history.setdefault(day, [])
    handling = estimates.handling_means(earlier)
    refreshed = OPENS
    next_arrival = 0
    for t in range(OPENS, CLOSES + 2 * 3600):
        # The app caches the handling times for HANDLING_CACHE_SECONDS; so does the replay.
        if t - refreshed >= estimates.HANDLING_CACHE_SECONDS:
            handling = estimates.handling_means([*earlier, *today])
            refreshed = t
        while next_arrival < len(arrivals) and arrivals[next_arrival] == t:
            service = rng.choices(list(SERVICES), shares)[0]
            ticket = Ticket(key=len(tickets) + 1, service=service, arrival=t)
            tickets.append(ticket)
            queue.append(ticket)
            state = OfficeState(
                now=at(t),
                handling=handling,
                waiting=[Waiting(w.key, w.service, since=at(w.arrival)) for w in queue],
                counters=[
                    CounterState(
                        key=c.key,
                        services=c.services,
                        last_called_at=at(c.last_called_at) if c.last_called_at is not None else None,
                        busy_since=at(c.busy_since) if c.busy_since is not None else None,
                        busy_service=c.busy_service,
                    )
                    for c in counters
                ],
            )
            ticket.shown = estimates.estimate(state, Waiting(ticket.key, ticket.service))
            next_arrival += 1
        for c in counters:
            if c.busy_since is not None and t >= c.busy_until:
                if not c.busy_no_show:
                    today.append(Handled(c.busy_service, c.busy_handle))
                c.busy_since, c.busy_service = None, None
                # The officer finishes the paperwork and presses 다음 번호.
                c.free_from = t + rng.randrange(5, 60)
            if c.busy_since is None and t >= c.free_from and c.open_at(t):
                able = next((w for w in queue if routing.serves(c.key, c.services, w.service, None)), None)
                if able is None:
                    continue
                queue.remove(able)
                able.called_at = t
                no_show = rng.random() < NO_SHOW_RATE
                c.busy_no_show = no_show
                c.busy_handle = 60 if no_show else handle_seconds(rng, able.service)
                c.busy_since, c.busy_service, c.busy_until = t, able.service, t + c.busy_handle
                c.last_called_at = t
    if not measure:
        return
    for ticket in tickets:
        out.arrivals += 1
        if ticket.called_at is None:
            out.not_called += 1
            continue
        if ticket.shown is None:
            continue
        actual = (ticket.called_at - ticket.arrival) / 60
        error = abs(ticket.shown.midpoint - actual)
        out.shown_errors.append(error)
        out.raw_errors.append(abs(ticket.shown.minutes - actual))
        out.per_service.setdefault(ticket.service, []).append(error)
        out.per_hour.setdefault(ticket.arrival // 3600, []).append(error)
        if ticket.shown.low <= actual <= ticket.shown.high:
            out.within += 1


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=int, default=30, help="measured days")
    parser.add_argument("--warmup", type=int, default=10, help="days replayed first, to build the history")
    parser.add_argument("--seed", type=int, default=23)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    history: dict[datetime.date, list[Handled]] = {}
    out = Results()
    first = datetime.date(2026, 3, 2)
    for n in range(args.warmup + args.days):
        simulate_day(first + datetime.timedelta(days=n), rng, history, measure=n >= args.warmup, out=out)
    shown = len(out.shown_errors)
    if not shown:
        print("No estimate was shown: too little history. Raise --warmup.")
        sys.exit(1)
    p50, p90 = percentile(out.shown_errors, 50), percentile(out.shown_errors, 90)
    verdict = "met" if p50 <= TARGET_P50_MINUTES else "missed"
    print(
        f"Estimated wait, bench/estimate.py (seed {args.seed}): {args.days} simulated days after {args.warmup} of history"
    )
    print(
        f"  arrivals {out.arrivals}, estimate shown to {shown} ({shown / out.arrivals:.0%}), never called {out.not_called}"
    )
    print(f"  {'absolute error, minutes':<44}{'p50':>6}{'p90':>7}   target")
    print(
        f"  {'value read (middle of the range shown)':<44}{p50:>6.1f}{p90:>7.1f}   p50 ≤ {TARGET_P50_MINUTES:g} min: {verdict}"
    )
    raw50, raw90 = percentile(out.raw_errors, 50), percentile(out.raw_errors, 90)
    print(f"  {'raw estimate before rounding':<44}{raw50:>6.1f}{raw90:>7.1f}")
    for service, errors in sorted(out.per_service.items()):
        label = f"  {SERVICES[service][0]} ({len(errors)})"
        print(f"{label:<46}{percentile(errors, 50):>6.1f}{percentile(errors, 90):>7.1f}")
    for hour, errors in sorted(out.per_hour.items()):
        label = f"  arrived {hour:02d}:00–{hour + 1:02d}:00 ({len(errors)})"
        print(f"{label:<44}{percentile(errors, 50):>6.1f}{percentile(errors, 90):>7.1f}")
    print(f"  actual wait inside the range shown: {out.within / shown:.0%}")
    sys.exit(0 if verdict == "met" else 1)


if __name__ == "__main__":
    main()
