"""JSON and JSON Lines: golden output, round trips, and strict, line-safe JSON."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

import wpmigrate
from wpmigrate.encode import record_from_dict, record_json, record_to_dict, to_json_bytes
from wpmigrate.records import Comment, Post, TermRef

from .conftest import FIXTURES, SEED, check_golden, corpus_files, repairs_for

ROUND_TRIP_SOURCES = [
    SEED,
    FIXTURES / "features-1.2.xml",
    FIXTURES / "wxr-1.0.xml",
    *corpus_files("real", "theme-test-data"),
]


@pytest.mark.parametrize("to,suffix", [("json", "json"), ("jsonl", "jsonl")])
def test_seed_golden(to: str, suffix: str, tmp_path: Path, update_golden: bool) -> None:
    target = tmp_path / f"seed.{suffix}"
    report = wpmigrate.convert(SEED, target, to=to)
    assert report.exit_code == 0
    check_golden(f"nummer15.{suffix}", target.read_bytes(), update_golden)


def test_json_document_holds_the_whole_site(tmp_path: Path) -> None:
    target = tmp_path / "features.json"
    wpmigrate.convert(FIXTURES / "features-1.2.xml", target, to="json")
    document = json.loads(target.read_text("utf-8"))
    assert list(document) == ["site", "authors", "terms", "posts"]
    assert document["site"]["title"] == "Feature Test Site"
    assert [a["login"] for a in document["authors"]] == ["ada", "grace", "ghost"]
    assert len(document["posts"]) == 10
    assert len(document["posts"][0]["comments"]) == 5


@pytest.mark.parametrize("path", ROUND_TRIP_SOURCES, ids=lambda p: p.name)
def test_round_trip_through_json_lines(path: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    repairs = repairs_for(path)
    wpmigrate.convert(path, target, to="jsonl", repairs=repairs)
    back = [record_from_dict(json.loads(line)) for line in target.read_bytes().splitlines()]
    assert back == list(wpmigrate.read(path, repairs=repairs))


def test_json_document_round_trips(tmp_path: Path) -> None:
    target = tmp_path / "seed.json"
    wpmigrate.convert(SEED, target, to="json")
    document = json.loads(target.read_text("utf-8"))
    rebuilt = [record_from_dict(document["site"], "site")]
    rebuilt += [record_from_dict(a, "author") for a in document["authors"]]
    rebuilt += [record_from_dict(t, "term") for t in document["terms"]]
    rebuilt += [record_from_dict(p, "post") for p in document["posts"]]
    assert rebuilt == list(wpmigrate.read(SEED))


def test_umlauts_are_not_escaped_and_line_breakers_are() -> None:
    post = Post(key="1", title="Grüße\u2028zwei\u0085Zeilen", content="NaN 1e999")
    line = to_json_bytes(record_to_dict(post))
    assert "Grüße".encode() in line
    assert b"\\u2028" in line and b"\\u0085" in line
    assert len(line.splitlines()) == 1 and len(line.decode().splitlines()) == 1
    assert json.loads(line)["content"] == "NaN 1e999"
    assert record_from_dict(json.loads(line)) == post


def test_lone_surrogates_are_escaped_not_fatal() -> None:
    post = Post(key="1", title="broken \ud800 half")
    line = to_json_bytes(record_to_dict(post))
    line.decode("utf-8")  # valid UTF-8
    assert json.loads(line)["title"] == "broken \ud800 half"


@pytest.mark.parametrize("path", ROUND_TRIP_SOURCES, ids=lambda p: p.name)
def test_fast_encoding_is_the_standard_one_byte_for_byte(path: Path) -> None:
    for record in wpmigrate.read(path, repairs=repairs_for(path)):
        for with_type in (True, False):
            wanted = to_json_bytes(record_to_dict(record, with_type=with_type))
            assert record_json(record, with_type=with_type) == wanted


ODD_POSTS = [
    Post(key="1", title="Grüße\u2028zwei\u0085Zeilen\u2029", content="<p>\u2028</p>"),
    Post(key="2", title="broken \ud800 half", comments=(Comment(key="c", content="\udfff"),)),
    Post(
        key="3",
        id=2**63 - 1,
        date=datetime(
            2020, 2, 29, 23, 59, 58, 500, tzinfo=timezone(timedelta(hours=-9, minutes=-30))
        ),
        date_gmt=datetime(2020, 3, 1, 9, 29, 58, 500, tzinfo=UTC),
        modified=datetime(1999, 1, 1),
        terms=(TermRef(taxonomy="post_tag", slug="ä", name='"quoted"'),),
        meta=(("k", "v"), ("k", "\x00\x1f")),
        comments=(Comment(key="9", id="x", parent_id=-4, date=datetime(2001, 1, 1, 1, 1)),),
    ),
]


@pytest.mark.parametrize("post", ODD_POSTS, ids=["line-breakers", "surrogates", "values"])
def test_fast_encoding_of_odd_values(post: Post) -> None:
    line = record_json(post)
    assert line == to_json_bytes(record_to_dict(post))
    assert record_from_dict(json.loads(line)) == post


def test_jsonl_streams_to_a_stream_it_does_not_close() -> None:
    buffer = io.BytesIO()
    wpmigrate.convert(SEED, buffer, to="jsonl")
    assert not buffer.closed
    lines = buffer.getvalue().splitlines()
    assert [json.loads(line)["record"] for line in lines][:2] == ["site", "author"]
    assert len(lines) == 9


def test_output_is_deterministic(tmp_path: Path) -> None:
    for name in ("a", "b"):
        wpmigrate.convert(FIXTURES / "features-1.2.xml", tmp_path / f"{name}.json", to="json")
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
