"""Shared test helpers: where fixtures, the shared corpus and golden files live."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .needs import require

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
GOLDEN = Path(__file__).resolve().parent / "golden"
SEED = FIXTURES / "nummer15-wordpress-com.xml"
CORPUS = Path(os.environ.get("WPMIGRATE_CORPUS", ROOT.parent / "shared" / "corpus"))


def corpus_files(*folders: str) -> list[Path]:
    """Every export in the named corpus folders (all of them when none are named)."""
    if not CORPUS.is_dir():
        raise RuntimeError(f"the shared corpus is missing at {CORPUS}; set WPMIGRATE_CORPUS")
    names = folders or tuple(sorted(p.name for p in CORPUS.iterdir() if p.is_dir()))
    return sorted(p for name in names for p in (CORPUS / name).glob("*.xml"))


# Real exports whose damage a repair fixes: tests that read them whole use it.
_REPAIRS = {"AvantaR__wp2md__export.xml": ("leading-junk",)}


def repairs_for(path: Path) -> tuple[str, ...]:
    """The repairs a corpus export needs to be read whole (none for most)."""
    return _REPAIRS.get(path.name, ())


def pytest_runtest_setup(item: pytest.Item) -> None:
    for mark in item.iter_markers("needs"):
        require(*mark.args)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite golden files")
    parser.addoption("--slow", action="store_true", help="run the long property and fuzz runs")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def check_golden(name: str, actual: bytes, update: bool) -> None:
    """Compare with tests/golden/<name>, or rewrite it with --update-golden."""
    path = GOLDEN / name
    if update or not path.exists():
        if not update:
            raise AssertionError(f"golden file {path} is missing; run pytest --update-golden")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(actual)
    assert actual == path.read_bytes(), f"output differs from golden file {name}"
