"""Every export in the shared corpus is read whole, or fails with the documented error."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

import wpmigrate
from wpmigrate.errors import MalformedInputError, RefusedInputError

from .conftest import corpus_files, repairs_for
from .independent import independent_counts

# Exports that are broken on purpose, and the error each must give.
BROKEN = {
    "crazy-cdata.xml": (MalformedInputError, "unescaped ']]>'"),
    "malformed.xml": (MalformedInputError, "tag mismatch"),
    "malformed-simple.xml": (MalformedInputError, "cut short"),
    "AvantaR__wp2md__export.xml": (RefusedInputError, "--repair leading-junk"),
}

ALL = corpus_files()


def read_all(path: Path, repairs: tuple[str, ...] = ()) -> tuple[list, wpmigrate.Reader]:
    reader = wpmigrate.read(path, repairs=repairs)
    return list(reader), reader


@pytest.mark.parametrize("path", ALL, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_reads_or_fails_as_documented(path: Path) -> None:
    expected = BROKEN.get(path.name)
    if expected is None:
        records, _ = read_all(path)
        assert isinstance(records[0], wpmigrate.Site)
        return
    error_type, words = expected
    with pytest.raises(error_type) as caught:
        read_all(path)
    assert words in caught.value.one_line()
    assert caught.value.line, "the error names a line"


@pytest.mark.parametrize(
    "path",
    [p for p in ALL if p.name not in BROKEN or repairs_for(p)],
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_counts_match_an_independent_count(path: Path) -> None:
    records, reader = read_all(path, repairs_for(path))
    expected = independent_counts(path)
    posts = Counter(r.type for r in records if isinstance(r, wpmigrate.Post))
    assert posts == expected["posts"]
    comments = sum(len(r.comments) for r in records if isinstance(r, wpmigrate.Post))
    assert comments == expected["comments"]["comment"]
    declared_authors = [r for r in records if isinstance(r, wpmigrate.Author) and not r.inferred]
    assert len(declared_authors) == expected["channel"]["author"]
    declared_terms = [r.key for r in records if isinstance(r, wpmigrate.Term) and not r.inferred]
    # WordPress declares some terms twice (as wp:tag and again as wp:term): one record each.
    assert sorted(declared_terms) == sorted(expected["terms"])


@pytest.mark.parametrize("path", corpus_files("real", "theme-test-data"), ids=lambda p: p.name)
def test_convert_accounts_for_every_item(path: Path, tmp_path: Path) -> None:
    report = wpmigrate.convert(path, tmp_path / "out.jsonl", to="jsonl", repairs=repairs_for(path))
    assert report.error is None
    assert report.balanced()
    expected = independent_counts(path)["posts"]
    assert {k: v.seen for k, v in report.post_types.items()} == dict(expected)
    assert {k: v.written for k, v in report.post_types.items()} == dict(expected)
    lines = (tmp_path / "out.jsonl").read_bytes().splitlines()
    assert sum(1 for line in lines if line.startswith(b'{"record":"post"')) == sum(
        expected.values()
    )
