"""A skip fails the run when REQUIRE_SERVICES is set (tests/strict_skips.py), on a suite of its own."""

import os
import subprocess
import sys

import pytest

from . import live, strict_skips

SUITE = {
    "test_some.py": (
        "import pytest\n"
        "def test_runs():\n    pass\n"
        "def test_skips():\n    pytest.skip('no redis here')\n"
        "@pytest.mark.skipif(True, reason='not on this database')\n"
        "def test_skipif():\n    pass\n"
        "@pytest.mark.xfail(reason='a known bug', strict=True)\n"
        "def test_expected_failure():\n    assert False\n"
    ),
    "test_whole_module.py": "import pytest\npytest.importorskip('no_such_module_anywhere')\n",
}


def _run(tmp_path, required: bool, *files: str) -> subprocess.CompletedProcess[str]:
    for name, text in SUITE.items():
        (tmp_path / name).write_text(text)
    env = {k: v for k, v in os.environ.items() if k not in {"REQUIRE_SERVICES", "DJANGO_SETTINGS_MODULE"}}
    env["PYTHONPATH"] = str(live.ROOT)
    if required:
        env["REQUIRE_SERVICES"] = "1"
    plugins = ["-p", "tests.strict_skips", "-p", "no:django", "-p", "no:asyncio", "-p", "no:cacheprovider"]
    return subprocess.run(
        [sys.executable, "-m", "pytest", *plugins, "-q", "-rA", "--rootdir", str(tmp_path), *files],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_skips_are_allowed_in_the_default_run(tmp_path):
    result = _run(tmp_path, False, "test_some.py", "test_whole_module.py")
    assert result.returncode == 0, result.stdout
    assert "1 passed, 3 skipped, 1 xfailed" in result.stdout


def test_a_skipped_test_fails_a_run_that_requires_services(tmp_path):
    result = _run(tmp_path, True, "test_some.py")
    out = result.stdout
    assert result.returncode == 1, out
    # A skip in the test body fails it; a skip mark (decided at set-up) makes it an error.
    assert "1 failed, 1 passed, 1 xfailed, 1 error" in out
    for failed, reason in [
        ("FAILED test_some.py::test_skips", "no redis here"),
        ("ERROR test_some.py::test_skipif", "not on this database"),
    ]:
        assert f"{failed} - skipped in a run with REQUIRE_SERVICES" in out
        assert f"where every test must run ({reason})" in out


def test_a_skipped_module_stops_a_run_that_requires_services(tmp_path):
    result = _run(tmp_path, True, "test_some.py", "test_whole_module.py")
    out = result.stdout
    assert result.returncode == 2, out
    assert "ERROR test_whole_module.py - skipped in a run with REQUIRE_SERVICES" in out
    assert "no_such_module_anywhere" in out and "Interrupted: 1 error during collection" in out


def test_the_allow_list_names_its_reasons():
    # Every intended exception says why; an entry without a reason is a silent skip again.
    assert all(reason.strip() for reason in strict_skips.ALLOWED_SKIPS.values())


@pytest.mark.parametrize("nodeid", ["tests/test_x.py::test_a", "tests/test_x.py"])
def test_an_allowed_skip_is_matched_by_node_id_or_module(monkeypatch, nodeid):
    monkeypatch.setattr(strict_skips, "ALLOWED_SKIPS", {"tests/test_x.py": "the reason"})
    assert strict_skips._allowed(nodeid)
    assert not strict_skips._allowed("tests/test_x.py2::test_a")
    assert not strict_skips._allowed("tests/test_y.py::test_a")
