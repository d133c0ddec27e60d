"""SQL outputs, proven against real servers: every dump is loaded by the server's own
client (psql, mariadb, sqlite3), every direct load goes over the driver, and what the
database holds is read back and compared with the JSON export, field by field.

PostgreSQL (127.0.0.1:5432, user postgres, database test) and MariaDB (127.0.0.1:3306,
root, no password) must be running: tools/services.sh starts them (.ci/run calls it);
without them these tests skip, naming it. Each test gets its own PostgreSQL schema or
MariaDB database and drops it afterwards.
"""

from __future__ import annotations

import sqlite3
import subprocess
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pymysql
import pytest

import wpmigrate
from wpmigrate.sql import TABLES
from wpmigrate.testing import export_records

from .conftest import FIXTURES, SEED, corpus_files, repairs_for
from .needs import PG_URL, require
from .sql_readback import Database, assert_same, expected, read_back

HOSTILE = FIXTURES / "hostile" / "sql-values.xml"
SOURCES = [
    SEED,
    FIXTURES / "features-1.2.xml",
    FIXTURES / "wxr-1.0.xml",
    HOSTILE,
    *corpus_files("real", "theme-test-data"),
]


@pytest.fixture
def pg_schema() -> Iterator[str]:
    require("postgresql")
    name = "t_" + uuid.uuid4().hex[:12]
    yield name
    with psycopg.connect(PG_URL, autocommit=True) as connection:
        connection.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')


@pytest.fixture
def mariadb_database() -> Iterator[str]:
    require("mariadb")
    name = "t_" + uuid.uuid4().hex[:12]
    connection = pymysql.connect(host="127.0.0.1", user="root", autocommit=True)
    connection.cursor().execute(f"CREATE DATABASE `{name}`")
    yield name
    connection.cursor().execute(f"DROP DATABASE IF EXISTS `{name}`")
    connection.close()


def _convert(source: Path, out: Any, to: str, **options: Any) -> wpmigrate.Report:
    report = wpmigrate.convert(source, out, to=to, options=options, repairs=repairs_for(source))
    assert report.error is None
    assert report.exit_code == 0, report.summary()
    return report


def _client(command: list[str], script: Path) -> None:
    with script.open("rb") as stdin:
        done = subprocess.run(command, stdin=stdin, capture_output=True)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    assert done.stderr == b"", done.stderr.decode(errors="replace")


def load_postgresql(source: Path, tmp_path: Path, schema: str, **options: Any) -> Database:
    dump = tmp_path / "dump.sql"
    _convert(source, dump, "sql", dialect="postgresql", schema=schema, **options)
    _client(
        [
            "psql",
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-d",
            "test",
            "-f",
            "-",
        ],
        dump,
    )
    return Database(psycopg.connect(PG_URL), "postgresql", options.get("prefix", ""), schema)


def load_mariadb(
    source: Path, tmp_path: Path, database: str, *, sql_mode: str = "", **options: Any
) -> Database:
    dump = tmp_path / "dump.sql"
    _convert(source, dump, "sql", dialect="mysql", **options)
    command = ["mariadb", "-h", "127.0.0.1", "-u", "root", database]
    if sql_mode:  # the server's mode for this session, as a server configured so would have it
        command.insert(1, f"--init-command=SET SESSION sql_mode='{sql_mode}'")
    _client(command, dump)
    return _mariadb(database, options.get("prefix", ""))


def _mariadb(database: str, prefix: str = "") -> Database:
    connection = pymysql.connect(
        host="127.0.0.1", user="root", database=database, charset="utf8mb4"
    )
    return Database(connection, "mysql", prefix)


def load_sqlite_script(source: Path, tmp_path: Path, **options: Any) -> Database:
    dump = tmp_path / "dump.sql"
    _convert(source, dump, "sql", dialect="sqlite", **options)
    db = tmp_path / "from-script.db"
    _client(["sqlite3", "-bail", str(db)], dump)
    return Database(sqlite3.connect(db), "sqlite", options.get("prefix", ""))


LOADERS: dict[str, Callable[..., Database]] = {
    "postgresql-dump": lambda src, tmp, pg, my: load_postgresql(src, tmp, pg),
    "postgresql-direct": lambda src, tmp, pg, my: (
        _convert(src, None, "postgresql", url=PG_URL, schema=pg),
        Database(psycopg.connect(PG_URL), "postgresql", "", pg),
    )[1],
    "mariadb-dump": lambda src, tmp, pg, my: load_mariadb(src, tmp, my),
    "mariadb-dump-no-backslash-escapes": lambda src, tmp, pg, my: load_mariadb(
        src, tmp, my, sql_mode="NO_BACKSLASH_ESCAPES,STRICT_TRANS_TABLES"
    ),
    "mariadb-direct": lambda src, tmp, pg, my: (
        _convert(src, None, "mysql", url=f"mysql://root@127.0.0.1/{my}"),
        _mariadb(my),
    )[1],
    "sqlite-script": lambda src, tmp, pg, my: load_sqlite_script(src, tmp),
    "sqlite": lambda src, tmp, pg, my: (
        _convert(src, tmp / "site.db", "sqlite"),
        Database(sqlite3.connect(tmp / "site.db"), "sqlite"),
    )[1],
}


def _needs(loader: str) -> list[str]:
    """The servers and clients a loader uses."""
    server = (
        "postgresql"
        if loader.startswith("postgresql")
        else ("mariadb" if loader.startswith("mariadb") else "")
    )
    client = {"postgresql": "psql", "mariadb": "mariadb-client", "": "sqlite3"}[server]
    return ([server] if server else []) + (
        [client] if "dump" in loader or "script" in loader else []
    )


def loader_params(names: list[str] | dict[str, Any]) -> list[Any]:
    """Each loader as a test parameter marked with what it needs."""
    params = []
    for name in names:
        needs = _needs(name)
        marks = [pytest.mark.needs(*needs)] if needs else []
        if {"postgresql", "mariadb"} & set(needs):
            marks.append(pytest.mark.servers)
        params.append(pytest.param(name, marks=marks))
    return params


@pytest.mark.parametrize("loader", loader_params(LOADERS))
@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_database_reads_back_equal_to_the_json_export(
    source: Path, loader: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    # Only the server this loader uses is asked for: the sqlite ones run without servers.
    pg = request.getfixturevalue("pg_schema") if loader.startswith("postgresql") else ""
    my = request.getfixturevalue("mariadb_database") if loader.startswith("mariadb") else ""
    db = LOADERS[loader](source, tmp_path, pg, my)
    try:
        assert_same(read_back(db), expected(source, repairs_for(source)))
    finally:
        db.connection.close()


@pytest.mark.servers
@pytest.mark.needs("psql", "mariadb-client", "sqlite3")
def test_script_commands_in_content_run_nowhere(
    tmp_path: Path, pg_schema: str, mariadb_database: str
) -> None:
    """`\\!` and `.shell` lines in a post are text in every client, never commands."""
    canary = Path("/tmp/wpmigrate-pwned")
    canary.unlink(missing_ok=True)
    for loader in ("postgresql-dump", "mariadb-dump", "sqlite-script"):
        LOADERS[loader](HOSTILE, tmp_path, pg_schema, mariadb_database).connection.close()
    assert not canary.exists()


@pytest.mark.servers
def test_links_between_rows(tmp_path: Path, pg_schema: str) -> None:
    db = load_postgresql(FIXTURES / "features-1.2.xml", tmp_path, pg_schema)
    cursor = db.connection.cursor()
    cursor.execute(
        f"SELECT c.exported_id, p.exported_id FROM {db.names.table('comments')} c "
        f"LEFT JOIN {db.names.table('comments')} p ON p.id = c.parent_id ORDER BY c.id"
    )
    assert cursor.fetchall() == [("1", None), ("2", "1"), ("3", "2"), ("4", None), ("5", None)]
    cursor.execute(
        f"SELECT t.slug, p.slug FROM {db.names.table('terms')} t "
        f"JOIN {db.names.table('terms')} p ON p.id = t.parent_id ORDER BY t.slug"
    )
    assert cursor.fetchall() == [
        ("physics", "science"),
        ("quantum", "physics"),
        ("sci-fi", "fiction"),
    ]
    cursor.execute(
        f"SELECT c.slug, p.slug FROM {db.names.table('posts')} c "
        f"JOIN {db.names.table('posts')} p ON p.id = c.parent_id ORDER BY c.slug"
    )
    assert ("team", "about") in cursor.fetchall()
    db.connection.close()


@pytest.mark.servers
def test_hostile_parents_link_by_text_id(tmp_path: Path, mariadb_database: str) -> None:
    db = load_mariadb(HOSTILE, tmp_path, mariadb_database)
    cursor = db.connection.cursor()
    cursor.execute("SELECT c.title, p.exported_id FROM posts c JOIN posts p ON p.id = c.parent_id")
    assert cursor.fetchall() == (("child of the slug id", "it's-a-slug\\"),)
    cursor.execute(
        "SELECT c.content, p.exported_id FROM comments c JOIN comments p ON p.id = c.parent_id"
    )
    assert cursor.fetchall() == (("reply", "99999999999999999999"),)
    db.connection.close()


@pytest.mark.servers
def test_prefix_and_replace(tmp_path: Path, pg_schema: str, mariadb_database: str) -> None:
    for _ in range(2):  # the second run replaces the first one's tables
        db = load_postgresql(SEED, tmp_path, pg_schema, prefix="wp_", replace=True)
        assert_same(read_back(db), expected(SEED))
        db.connection.close()
        db = load_mariadb(SEED, tmp_path, mariadb_database, prefix="wp_", replace=True)
        assert_same(read_back(db), expected(SEED))
        db.connection.close()
    with psycopg.connect(PG_URL) as connection:
        tables = connection.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s ORDER BY 1",
            (pg_schema,),
        ).fetchall()
    assert [t for (t,) in tables] == sorted("wp_" + t.name for t in TABLES)


def test_nul_is_refused_and_named_with_its_repair(tmp_path: Path) -> None:
    post = wpmigrate.Post(key="1", id=1, title="a\x00b")
    report = export_records("sql", [post], tmp_path / "d.sql")
    assert sum(report.records["post"].skipped.values()) == 1
    [reason] = report.records["post"].skipped
    assert "NUL" in reason and "strip-controls" in reason
    assert b"a\x00b" not in (tmp_path / "d.sql").read_bytes()


@pytest.mark.servers
def test_a_failed_direct_load_drops_only_the_tables_it_made(mariadb_database: str) -> None:
    db = _mariadb(mariadb_database)
    cursor = db.connection.cursor()
    cursor.execute("CREATE TABLE posts (mine TEXT)")  # someone else's table, in the way
    with pytest.raises(wpmigrate.OutputError, match="already exists"):
        wpmigrate.convert(
            SEED, None, to="mysql", options={"url": f"mysql://root@127.0.0.1/{mariadb_database}"}
        )
    cursor.execute("SHOW TABLES")
    assert cursor.fetchall() == (("posts",),)
    db.connection.close()


@pytest.mark.parametrize(
    "options, message",
    [
        ({"dialect": "oracle"}, "dialect"),
        ({"dialect": "mysql", "schema": "x"}, "schema"),
        ({"dialect": "postgresql", "prefix": "wp; DROP"}, "prefix"),
        ({"dialect": "postgresql", "schema": '"x"'}, "schema"),
    ],
)
def test_bad_options_are_refused(options: dict[str, str], message: str, tmp_path: Path) -> None:
    with pytest.raises(wpmigrate.ExporterOptionError, match=message):
        wpmigrate.convert(SEED, tmp_path / "d.sql", to="sql", options=options)
