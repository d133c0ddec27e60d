"""The public API: its names pinned, typed, documented; the docs' examples run."""

from __future__ import annotations

import inspect
import re
import sys
import types
from pathlib import Path

import pytest

import wpmigrate

from .conftest import ROOT, SEED
from .needs import require

PUBLIC = [
    "__version__",
    "read",
    "convert",
    "inspect",
    "Reader",
    "Report",
    "Counts",
    "Notice",
    "Inspection",
    "Exporter",
    "ExporterOptions",
    "ReadingOptions",
    "FileTarget",
    "FolderTarget",
    "RunLog",
    "option",
    "get_exporter",
    "PostFilter",
    "Site",
    "Author",
    "Term",
    "TermRef",
    "Post",
    "Comment",
    "Record",
    "WpmigrateError",
    "UsageError",
    "UnknownExporterError",
    "ExporterOptionError",
    "OutputRefusedError",
    "InputError",
    "RefusedInputError",
    "NotWXRError",
    "MalformedInputError",
    "OutputError",
]


def test_the_public_names_are_pinned() -> None:
    assert sorted(wpmigrate.__all__) == sorted(PUBLIC)
    for name in wpmigrate.__all__:
        assert hasattr(wpmigrate, name), name


@pytest.mark.parametrize("name", [n for n in PUBLIC if n not in ("__version__", "Record")])
def test_every_public_name_has_a_docstring(name: str) -> None:
    assert inspect.getdoc(getattr(wpmigrate, name)), name


def test_exporter_options_as_keywords(tmp_path: Path) -> None:
    report = wpmigrate.convert(SEED, tmp_path / "site", to="markdown", preset="hugo", jobs=1)
    assert report.exit_code == 0
    assert (tmp_path / "site" / "content" / "posts").is_dir()
    with pytest.raises(wpmigrate.ExporterOptionError, match="preset"):
        wpmigrate.convert(SEED, tmp_path / "x", to="markdown", prest="hugo")


_FENCE = re.compile(r"```python\n(.*?)```", re.S)
# scale.md's recipe runs in tests/test_scale.py, on its own files.
_DOCS = sorted(p for p in (ROOT / "docs").glob("*.md") if p.name != "scale.md") + [
    ROOT / "README.md"
]


@pytest.mark.parametrize("page", _DOCS, ids=lambda p: p.name)
def test_the_python_examples_in_the_docs_run(
    page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each page's Python examples run in order, in a folder holding an export.xml."""
    examples = _FENCE.findall(page.read_text(encoding="utf-8"))
    if not examples:
        return
    if "postgresql://" in "".join(examples):
        require("postgresql")
    (tmp_path / "export.xml").write_bytes((ROOT / "fixtures" / "features-1.2.xml").read_bytes())
    fixtures = tmp_path / "fixtures"
    fixtures.mkdir()
    (fixtures / SEED.name).write_bytes(SEED.read_bytes())
    monkeypatch.chdir(tmp_path)
    module = types.ModuleType("docs_example")  # dataclasses look their module up
    monkeypatch.setitem(sys.modules, "docs_example", module)
    schema = "docs_" + page.stem.replace("-", "_")
    for code in examples:
        code = code.replace(
            "postgresql://me@localhost/blog", "postgresql://postgres@127.0.0.1/test"
        )
        code = code.replace('"schema": "wp"', f'"schema": "{schema}"')
        exec(compile(code, f"{page.name} example", "exec"), module.__dict__)
    if "postgresql://" in "".join(examples):
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1/test", autocommit=True) as db:
            db.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def test_records_pickle_and_come_back_equal_and_frozen() -> None:
    import dataclasses
    import pickle

    from .conftest import FIXTURES

    records = [r for path in (SEED, *sorted(FIXTURES.glob("*.xml"))[:8]) for r in _read(path)]
    assert {type(r).__name__ for r in records} >= {"Site", "Author", "Term", "Post"}
    posts = [r for r in records if isinstance(r, wpmigrate.Post)]
    assert any(p.comments for p in posts) and any(p.terms for p in posts)
    for record in records:
        back = pickle.loads(pickle.dumps(record, pickle.HIGHEST_PROTOCOL))
        assert back == record and type(back) is type(record)
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(back, dataclasses.fields(back)[0].name, "changed")


def _read(path: Path) -> list[wpmigrate.Record]:
    try:
        return list(wpmigrate.Reader(path))
    except wpmigrate.InputError:
        return []  # a broken fixture: the others are enough
