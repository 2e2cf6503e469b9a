"""With REQUIRE_SERVICES set (CI's PostgreSQL and Redis pass), a skip fails the run.

Tests that need PostgreSQL or Redis skip, with their reason, in the default
SQLite run. In the pass that has both, a skip can only mean a test that did
not run what it claims to prove (a fixture that lost its services, an import
that broke): it is reported as a failure instead. tests/conftest.py installs
these hooks; tests/test_strict_skips.py runs them on a small suite of its own.
"""

import os
from typing import Any

import pytest

# Skips a REQUIRE_SERVICES run may keep: node id (or its prefix) -> why.
# Each entry needs a reason a reviewer accepts; none is needed today, as
# every test of the suite runs on PostgreSQL and Redis.
ALLOWED_SKIPS: dict[str, str] = {}


def _required() -> bool:
    return bool(os.environ.get("REQUIRE_SERVICES"))


def _allowed(nodeid: str) -> bool:
    return any(nodeid == allowed or nodeid.startswith(allowed + "::") for allowed in ALLOWED_SKIPS)


def _reason(report: Any) -> str:
    longrepr = report.longrepr
    reason = str(longrepr[2]) if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)
    return reason.removeprefix("Skipped: ")


def _fail(report: Any) -> None:
    report.outcome = "failed"
    report.longrepr = (
        f"skipped in a run with REQUIRE_SERVICES, where every test must run ({_reason(report)}); "
        "fix the cause, or list the test in tests/strict_skips.py ALLOWED_SKIPS with the reason"
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    # An expected failure (xfail) is reported as skipped too; it is not a skip.
    if report.skipped and not hasattr(report, "wasxfail") and _required() and not _allowed(item.nodeid):
        _fail(report)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Any:
    # A whole module skipped (pytest.skip(allow_module_level=True), a module-level importorskip).
    report = yield
    if report.skipped and _required() and not _allowed(collector.nodeid):
        _fail(report)
    return report
