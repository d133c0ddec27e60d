"""The report's counts are what the output really holds.

For every export of ../shared/corpus/real/ and every exporter, the records, posts (by
type) and comments the report calls written are counted again in the output itself:
JSON records, rows of the SQLite database and of a loaded SQL script, Markdown files and
the comments in their front matter, the tables a server was loaded with.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

import wpmigrate

from .conftest import corpus_files, repairs_for
from .needs import PG_URL

pytestmark = pytest.mark.slow

REAL = corpus_files("real")

Tally = dict[str, Counter[str]]


def _written(report: wpmigrate.Report) -> Tally:
    assert report.balanced(), report.as_dict()["records"]
    return {
        "records": Counter({k: c.written for k, c in report.records.items() if c.written}),
        "post_types": Counter({k: c.written for k, c in report.post_types.items() if c.written}),
    }


def _tally(records: Counter[str], post_types: Counter[str]) -> Tally:
    return {"records": +records, "post_types": +post_types}


def _from_json_records(items: Iterator[dict[str, Any]]) -> Tally:
    records: Counter[str] = Counter()
    types: Counter[str] = Counter()
    for item in items:
        kind = item["record"]
        records[kind] += 1
        if kind == "post":
            types[item["type"]] += 1
            records["comment"] += len(item["comments"])
    return _tally(records, types)


def count_jsonl(out: Path) -> Tally:
    return _from_json_records(json.loads(line) for line in out.read_text("utf-8").splitlines())


def count_json(out: Path) -> Tally:
    data = json.loads(out.read_text("utf-8"))
    items = [{"record": "site"}] if data["site"] is not None else []
    for kind in ("author", "term", "post"):
        items += [{"record": kind, **item} for item in data[kind + "s"]]
    return _from_json_records(iter(items))


def _count_tables(query: Any) -> Tally:
    records: Counter[str] = Counter()
    for table, kind in (
        ("site", "site"),
        ("authors", "author"),
        ("terms", "term"),
        ("posts", "post"),
        ("comments", "comment"),
    ):
        records[kind] = query(f"SELECT COUNT(*) FROM {table}")[0][0]
    types = Counter({t: n for t, n in query("SELECT type, COUNT(*) FROM posts GROUP BY type")})
    return _tally(records, types)


def count_sqlite(out: Path) -> Tally:
    db = sqlite3.connect(out)
    try:
        return _count_tables(lambda sql: db.execute(sql).fetchall())
    finally:
        db.close()


def count_sql_script(out: Path) -> Tally:
    db = sqlite3.connect(":memory:")
    db.executescript(out.read_text("utf-8"))
    return _count_tables(lambda sql: db.execute(sql).fetchall())


def _front_matter(path: Path) -> dict[str, Any]:
    text = path.read_text("utf-8")
    assert text.startswith("---\n"), path
    return yaml.safe_load(text[4 : text.index("\n---\n", 4)]) or {}


def _thread_size(comments: list[dict[str, Any]] | None) -> int:
    return sum(1 + _thread_size(c.get("replies")) for c in comments or [])


def count_markdown(out: Path) -> Tally:
    """Posts are the .md files (each says its type); comments those in the front matter."""
    records: Counter[str] = Counter()
    types: Counter[str] = Counter()
    for path in out.rglob("*.md"):
        fields = _front_matter(path)
        records["post"] += 1
        types[fields["type"]] += 1
        records["comment"] += _thread_size(fields.get("comments"))
    return _tally(records, types)


# What each exporter writes of each kind: (options, counter, kinds it holds).
CASES: dict[str, tuple[str, dict[str, str], Any, set[str]]] = {
    "jsonl": ("jsonl", {}, count_jsonl, {"site", "author", "term", "post", "comment"}),
    "json": ("json", {}, count_json, {"site", "author", "term", "post", "comment"}),
    "sqlite": ("sqlite", {}, count_sqlite, {"site", "author", "term", "post", "comment"}),
    "sql-script": (
        "sql",
        {"dialect": "sqlite"},
        count_sql_script,
        {"site", "author", "term", "post", "comment"},
    ),
    "markdown": (
        "markdown",
        {"jobs": "1", "fields": "title,type,comments"},
        count_markdown,
        {"post", "comment"},
    ),
    "markdown-all-comments": (
        "markdown",
        {"jobs": "2", "fields": "title,type,comments", "comment_statuses": "all"},
        count_markdown,
        {"post", "comment"},
    ),
    "markdown-no-comments": (
        "markdown",
        {"jobs": "1", "fields": "title,type,comments", "comments": "none"},
        count_markdown,
        {"post", "comment"},
    ),
}


def _only(tally: Tally, kinds: set[str]) -> Tally:
    return {
        "records": Counter({k: n for k, n in tally["records"].items() if k in kinds}),
        "post_types": tally["post_types"],
    }


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("source", REAL, ids=lambda p: p.name)
def test_the_report_counts_what_the_output_holds(source: Path, case: str, tmp_path: Path) -> None:
    to, options, count, kinds = CASES[case]
    out = tmp_path / ("site" if to == "markdown" else "out")
    report = wpmigrate.convert(source, out, to=to, options=options, repairs=repairs_for(source))
    assert report.failure is None, report.failure
    assert _only(count(out), kinds) == _only(_written(report), kinds)


def test_comments_left_out_by_markdown_are_counted_as_filtered(tmp_path: Path) -> None:
    source = next(p for p in REAL if p.name.startswith("1Marc"))
    report = wpmigrate.convert(
        source, tmp_path / "site", to="markdown", options={"comments": "none"}
    )
    comments = report.records["comment"]
    assert comments.written == 0 and comments.filtered["comments=none"] > 1000
    report = wpmigrate.convert(source, tmp_path / "site2", to="markdown")
    filtered = report.records["comment"].filtered
    assert set(filtered) <= {f"comment status {s}" for s in ("spam", "hold", "trash")}
    assert report.records["comment"].balanced()


def _server_counts(query: Any) -> Tally:
    return _count_tables(query)


@pytest.mark.servers
@pytest.mark.needs("postgresql")
@pytest.mark.parametrize("source", REAL, ids=lambda p: p.name)
def test_the_postgresql_load_holds_what_the_report_says(source: Path) -> None:
    import psycopg

    schema = "a_" + uuid.uuid4().hex[:10]
    try:
        report = wpmigrate.convert(
            source,
            None,
            to="postgresql",
            repairs=repairs_for(source),
            options={"url": PG_URL, "schema": schema},
        )
        assert report.output == f"postgresql://127.0.0.1:5432/test (schema {schema})"
        with psycopg.connect(PG_URL) as db:
            db.execute(f'SET search_path TO "{schema}"')
            counted = _server_counts(lambda sql: db.execute(sql).fetchall())
        assert counted == _written(report)
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as db:
            db.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.mark.servers
@pytest.mark.needs("mariadb")
def test_the_mysql_load_holds_what_the_report_says() -> None:
    import pymysql

    database = "a_" + uuid.uuid4().hex[:10]
    admin = pymysql.connect(host="127.0.0.1", user="root", autocommit=True)
    admin.cursor().execute(f"CREATE DATABASE `{database}`")
    try:
        for source in REAL:
            url = f"mysql://root@127.0.0.1/{database}"
            report = wpmigrate.convert(
                source,
                None,
                to="mysql",
                repairs=repairs_for(source),
                options={"url": url, "replace": "true"},
            )
            assert report.output == f"mysql://127.0.0.1/{database}"
            db = pymysql.connect(host="127.0.0.1", user="root", database=database)

            def query(sql: str, db: Any = db) -> Any:
                with db.cursor() as cursor:
                    cursor.execute(sql)
                    return cursor.fetchall()

            counted = _server_counts(query)
            db.close()
            assert counted == _written(report), source.name
    finally:
        admin.cursor().execute(f"DROP DATABASE IF EXISTS `{database}`")
        admin.close()
