"""The import contracts (pyproject.toml, run by `make lint`) hold, and a wrong-way import breaks them.

Each case copies the packages' sources to a temporary folder, adds one import
that runs the wrong way, and runs lint-imports there: it must fail and name
the arrow. The untouched copy passes, so the added line is the whole difference.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("forms_catalog", "intake", "pdfgen", "officer_console", "project")
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"

# (module, the import added to it, what lint-imports must say)
WRONG_WAY = {
    "forms_catalog->intake": (
        "forms_catalog/models.py",
        "import intake.models",
        "forms_catalog is not allowed to import intake",
    ),
    "forms_catalog->pdfgen": (
        "forms_catalog/services.py",
        "from pdfgen import render",
        "forms_catalog is not allowed to import pdfgen",
    ),
    "intake->pdfgen": ("intake/services.py", "from pdfgen import tasks", "intake is not allowed to import pdfgen"),
    "intake->officer_console": (
        "intake/views.py",
        "from officer_console import access",
        "intake is not allowed to import officer_console",
    ),
    "pdfgen->officer_console": (
        "pdfgen/services.py",
        "from officer_console.models import Membership",
        "pdfgen is not allowed to import officer_console",
    ),
    "project->officer_console": (
        "project/types.py",
        "import officer_console.models",
        "project.types -> officer_console.models",
    ),
    "pdfgen services<->tasks cycle": ("pdfgen/services.py", "from . import tasks", "No cycles are allowed in pdfgen"),
}


def _python_only(folder: str, names: list[str]) -> list[str]:
    return [n for n in names if n == "__pycache__" or not (n.endswith(".py") or (Path(folder) / n).is_dir())]


def _copy_sources(to: Path) -> None:
    for package in PACKAGES:
        shutil.copytree(ROOT / package, to / package, ignore=_python_only)
    shutil.copy(ROOT / "pyproject.toml", to / "pyproject.toml")


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    if not LINT_IMPORTS.exists():
        pytest.fail("lint-imports is missing: `make install` installs requirements-dev.txt (import-linter).")
    # Only the copy may be found: lint-imports puts its working directory first on the path.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-logo", "--no-cache"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_untouched_sources_keep_every_contract(tmp_path):
    _copy_sources(tmp_path)
    result = _lint_imports(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 3 kept, 0 broken." in result.stdout


@pytest.mark.parametrize(("module", "line", "message"), list(WRONG_WAY.values()), ids=list(WRONG_WAY))
def test_a_wrong_way_import_breaks_a_contract(tmp_path, module, line, message):
    _copy_sources(tmp_path)
    path = tmp_path / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}  # the wrong way\n", encoding="utf-8")
    result = _lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert message in result.stdout, result.stdout
