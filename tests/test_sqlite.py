"""The SQLite exporter: queries a user would run, and atomic replacement.

Every field of every record is read back in test_sql.py, for every SQL output.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import wpmigrate

from .conftest import FIXTURES, SEED


def to_sqlite(source: Path, target: Path, **kwargs) -> sqlite3.Connection:
    report = wpmigrate.convert(source, target, to="sqlite", **kwargs)
    assert report.exit_code == 0, report.error
    return sqlite3.connect(target)


def test_seed_title_and_full_text_search(tmp_path: Path) -> None:
    db = to_sqlite(SEED, tmp_path / "seed.db")
    assert db.execute("select title from posts").fetchall() == [
        ("Social Media: Ohne die Unternehmen wird auch geredet",)
    ]
    found = db.execute(
        "select p.title from posts_fts join posts p on p.id = posts_fts.rowid "
        "where posts_fts match 'Glaubwürdigkeit'"
    ).fetchall()
    assert len(found) == 1
    assert db.execute("select author, content from comments").fetchone()[0] == "Tobias"
    assert db.execute(
        "select a.login from posts p join authors a on a.id = p.author_id"
    ).fetchone() == ("nilsn",)


def test_threads_hierarchy_and_meta(tmp_path: Path) -> None:
    db = to_sqlite(FIXTURES / "features-1.2.xml", tmp_path / "f.db")
    thread = db.execute(
        "select c.exported_id, p.exported_id from comments c "
        "left join comments p on p.id = c.parent_id order by c.id"
    ).fetchall()
    assert thread == [("1", None), ("2", "1"), ("3", "2"), ("4", None), ("5", None)]
    parents = dict(
        db.execute("select t.slug, p.slug from terms t join terms p on p.id = t.parent_id")
    )
    assert parents == {"physics": "science", "quantum": "physics", "sci-fi": "fiction"}
    assert db.execute(
        "select p.slug from posts c join posts p on p.id = c.parent_id where c.slug = 'team'"
    ).fetchone() == ("about",)
    assert db.execute(
        "select meta_value from post_meta m join posts p on p.id = m.post_id "
        "where p.key = '100' and meta_key = 'related' order by position"
    ).fetchall() == [("101",), ("102",)]
    assert db.execute("select exported_id, wp_id from posts where key = 'slug-id'").fetchone() == (
        "slug-id",
        None,
    )
    assert db.execute("select exported_id, wp_id from posts where key = '100'").fetchone() == (
        "100",
        100,
    )
    assert db.execute("pragma foreign_key_check").fetchall() == []


def test_refused_input_leaves_no_database(tmp_path: Path) -> None:
    source = tmp_path / "doctype.xml"
    source.write_bytes(b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x "y">]><rss/>')
    report = wpmigrate.convert(source, tmp_path / "out.db", to="sqlite")
    assert report.exit_code == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["doctype.xml"]


def test_previous_database_survives_until_the_new_one_is_complete(tmp_path: Path) -> None:
    target = tmp_path / "site.db"
    to_sqlite(SEED, target).close()
    before = target.read_bytes()
    cut = tmp_path / "cut.xml"
    cut.write_bytes(b"<?xml")
    wpmigrate.convert(cut, target, to="sqlite")
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cut.xml", "site.db"]


def test_stdout_is_refused_for_a_database() -> None:
    with pytest.raises(wpmigrate.UsageError):
        wpmigrate.convert(SEED, "-", to="sqlite")
