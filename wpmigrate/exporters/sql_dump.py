"""``sql``: a script that loads the site into PostgreSQL, MySQL/MariaDB or SQLite as it is.

CREATE TABLE, then multi-row INSERTs inside one transaction, then the statements that
link parents and build indexes. Rows are rendered as literals of the chosen dialect
(see :mod:`wpmigrate.sql.dialects` for the escaping); a record that no script can carry
(a NUL character, a lone surrogate) is refused and reported, the rest goes on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..errors import ExporterOptionError
from ..options import ReadingOptions, option
from ..records import Record
from ..sql import TABLES, Names, NulInText, RowBatches, RowBuilder, get_dialect
from ..sql.rows import NUL_REFUSED, surrogate_refused
from .base import Exporter, Output, RunLog

_COLUMNS = {t.name: t.column_names for t in TABLES}


@dataclass(frozen=True, kw_only=True)
class SqlDumpOptions(ReadingOptions):
    dialect: Literal["postgresql", "mysql", "sqlite"] = option(
        "sqlite", "the database the script is for: postgresql, mysql (also MariaDB) or sqlite"
    )
    prefix: str = option("", "put this before every table and index name (e.g. wp_)")
    schema: str = option("", "PostgreSQL only: create the tables in this schema")
    replace: bool = option(False, "drop our tables first if they exist (DROP TABLE IF EXISTS)")
    batch_rows: int = option(500, "rows per INSERT statement at most")
    batch_bytes: int = option(
        1 << 20, "bytes per INSERT statement at most (a bigger row goes alone)"
    )


class SqlDumpExporter(Exporter[SqlDumpOptions]):
    """A SQL script: tables, rows and links, in one transaction, for one dialect."""

    name = "sql"
    description = "a SQL script for PostgreSQL, MySQL/MariaDB or SQLite (-O dialect=...)"
    Options = SqlDumpOptions
    suffix = ".sql"
    first_part_share = 0.3  # statements cost more than reading: measured best at 100 MB

    def __init__(self, output: Output, options: SqlDumpOptions, log: RunLog) -> None:
        super().__init__(output, options, log)
        opts = options
        self.dialect = get_dialect(opts.dialect)
        if opts.schema and self.dialect.name != "postgresql":
            raise ExporterOptionError("option schema is for -O dialect=postgresql only")
        if opts.batch_rows < 1 or opts.batch_bytes < 1:
            raise ExporterOptionError("options batch_rows and batch_bytes take a number above 0")
        self.names = Names(self.dialect, opts.prefix, opts.schema)
        self._opts = opts
        self._builder = RowBuilder()
        self._batches: RowBatches[bytes] = RowBatches(
            [t.name for t in TABLES],
            self._insert,
            max_rows=opts.batch_rows,
            max_bytes=opts.batch_bytes,
            size=lambda row: len(row) + 2,
        )
        self._insert_heads = {
            t.name: (
                f"INSERT INTO {self.names.table(t.name)} "
                f"({', '.join(self.dialect.quote(c) for c in t.column_names)}) VALUES\n"
            ).encode()
            for t in TABLES
        }

    def start(self) -> None:
        self._stream = self.file.open()
        self._stream.write(f"-- wpmigrate: SQL for {self.dialect.name}\n".encode())
        self._statements(self.dialect.before_rows(self.names, replace=self._opts.replace))

    def _statements(self, statements: list[str]) -> None:
        self._stream.write("".join(f"{s};\n" for s in statements).encode())

    def write(self, record: Record) -> None:
        literal = self.dialect.literal
        rendered = []
        try:
            for table, values in self._builder.rows(record):
                text = "(" + ",".join([literal(v) for v in values]) + ")"
                rendered.append((table, text.encode("utf-8")))
        except NulInText:
            self._builder.forget(record)
            self.log.skip(record, NUL_REFUSED)
            return
        except UnicodeEncodeError as exc:
            self._builder.forget(record)
            self.log.skip(record, surrogate_refused(exc.object[exc.start]))
            return
        for table, encoded in rendered:
            self._batches.add(table, encoded)

    def _insert(self, table: str, rows: list[bytes]) -> None:
        self._stream.write(self._insert_heads[table] + b",\n".join(rows) + b";\n")

    def finish(self) -> None:
        self._batches.flush()
        self._statements(self.dialect.after_rows(self.names, self._builder.term_parent_links()))
