"""``sqlite``: the whole site in one SQLite database, with keys, indexes and full-text search.

The database is built under a temporary name beside the target, in one transaction, and
renamed into place only when complete. Rows go in through parameters, in batches. Our
own integer keys join the tables; each record's id as exported is kept in its own
column (SQLite keeps an int an int and text text there).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from ..encode import iso
from ..errors import OutputError, UsageError
from ..options import ReadingOptions, option
from ..records import Record
from ..sql import TABLES, Names, RowBatches, RowBuilder, Table, get_dialect
from .base import Exporter, Output, RunLog

_BATCH = 2000
_DIALECT = get_dialect("sqlite")


@dataclass(frozen=True, kw_only=True)
class SqliteOptions(ReadingOptions):
    overwrite: bool = option(True, "replace an existing database file at --out")
    prefix: str = option("", "put this before every table and index name (e.g. wp_)")


class SqliteExporter(Exporter[SqliteOptions]):
    """A normalized SQLite database: site, authors, terms, posts, comments, meta, FTS5."""

    name = "sqlite"
    description = "a SQLite database: normalized tables, keys, indexes, FTS5 full-text search"
    Options = SqliteOptions
    suffix = ".db"
    first_part_share = 0.3  # rows cost more than reading: measured best at 100 MB

    def __init__(self, output: Output, options: SqliteOptions, log: RunLog) -> None:
        super().__init__(output, options, log)
        if self.file.path is None:
            raise UsageError("the sqlite exporter writes a database file: give --out a file name")
        self.path = self.file.path
        if self.path.exists() and not options.overwrite:
            raise UsageError(f"{self.path} exists (use -O overwrite=true to replace it)")
        self.names = Names(_DIALECT, options.prefix)
        self._builder = RowBuilder()
        self._batches: RowBatches[tuple[Any, ...]] = RowBatches(
            [t.name for t in TABLES], self._insert, max_rows=_BATCH
        )
        self._inserts = {t.name: self._insert_sql(t) for t in TABLES}
        self._timestamps = {
            t.name: [n for n, c in enumerate(t.columns) if c.kind == "timestamp"] for t in TABLES
        }

    def _insert_sql(self, table: Table) -> str:
        columns = ", ".join(_DIALECT.quote(c) for c in table.column_names)
        marks = ", ".join("?" for _ in table.columns)
        return f"INSERT INTO {self.names.table(table.name)} ({columns}) VALUES ({marks})"

    def start(self) -> None:
        self._temp = self.file.open_path("a SQLite database")
        try:
            self._db = sqlite3.connect(self._temp, isolation_level=None)
            self._db.execute("PRAGMA journal_mode = OFF")
            self._db.execute("PRAGMA synchronous = OFF")
            self._run(_DIALECT.before_rows(self.names))
        except sqlite3.Error as exc:
            self.abort()
            raise OutputError(f"cannot create {self.path}: {exc}") from None

    def _run(self, statements: list[str]) -> None:
        for statement in statements:
            self._db.execute(statement)

    def write(self, record: Record) -> None:
        for table, values in self._builder.rows(record):
            stamps = self._timestamps[table]
            if stamps:
                row = list(values)
                for n in stamps:
                    row[n] = iso(row[n])
                values = tuple(row)
            self._batches.add(table, values)

    def _insert(self, table: str, rows: list[tuple[Any, ...]]) -> None:
        self._db.executemany(self._inserts[table], rows)

    def finish(self) -> None:
        try:
            self._batches.flush()
            self._run(_DIALECT.after_rows(self.names, self._builder.term_parent_links()))
            self._db.close()
        except sqlite3.Error as exc:
            raise OutputError(f"cannot write {self.path}: {exc}") from None

    def abort(self) -> None:
        db = getattr(self, "_db", None)  # absent when connecting itself failed
        try:
            if db is not None:
                db.close()
        except sqlite3.Error:
            pass
