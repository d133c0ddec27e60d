"""``postgresql`` and ``mysql``: rows streamed straight into a running server.

The same tables as the ``sql`` dump, loaded over a connection in batches, in one
transaction: with COPY on PostgreSQL (psycopg), multi-row INSERTs on MySQL/MariaDB
(PyMySQL). The drivers are optional extras: ``pip install 'wpmigrate[postgres]'`` or
``'wpmigrate[mysql]'``. A run that fails rolls back; on MySQL, whose CREATE TABLE
commits by itself, the tables this run created are dropped again.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType
from typing import Any, TypeVar
from urllib.parse import unquote, urlsplit

from ..errors import ExporterOptionError, OutputError, UsageError
from ..options import ExporterOptions, option
from ..records import Record
from ..sql import TABLES, Names, RowBatches, RowBuilder, get_dialect
from ..sql.dialects import as_naive_utc
from ..sql.rows import refusal
from .base import Exporter, Output, RunLog

_BATCH = 1000


def _driver(module: str, extra: str, exporter: str) -> ModuleType:
    try:
        return importlib.import_module(module)
    except ImportError:
        raise UsageError(
            f"the {exporter} exporter needs {module}: pip install 'wpmigrate[{extra}]'"
        ) from None


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


@dataclass(frozen=True, kw_only=True)
class ServerOptions(ExporterOptions):
    url: str = option("", "where to connect: mysql://user:password@host:port/database")
    prefix: str = option("", "put this before every table and index name (e.g. wp_)")
    replace: bool = option(False, "drop our tables first if they exist (DROP TABLE IF EXISTS)")


@dataclass(frozen=True, kw_only=True)
class PostgresOptions(ServerOptions):
    url: str = option("", "where to connect: postgresql://user:password@host:port/database")
    schema: str = option("", "create the tables in this schema (made if missing)")


ServerOptionsT = TypeVar("ServerOptionsT", bound=ServerOptions)


class _ServerExporter(Exporter[ServerOptionsT]):
    output_kind = "server"
    dialect_name = ""

    def __init__(self, output: Output, options: ServerOptionsT, log: RunLog) -> None:
        super().__init__(output, options, log)
        opts = options
        if not opts.url:
            raise ExporterOptionError(f"the {self.name} exporter needs -O url=...")
        self.dialect = get_dialect(self.dialect_name)
        self.names = Names(self.dialect, opts.prefix, getattr(opts, "schema", ""))
        self._builder = RowBuilder()
        self._created = 0  # tables made so far, in TABLES order
        self._batches: RowBatches[tuple[Any, ...]] = RowBatches(
            [t.name for t in TABLES], self._insert, max_rows=_BATCH
        )
        self._columns = {
            t.name: ", ".join(self.dialect.quote(c) for c in t.column_names) for t in TABLES
        }

    def destination(self) -> str:
        """The server, database and schema loaded into (never the password)."""
        parts = urlsplit(self.options.url)
        where = f"{parts.scheme}://{parts.hostname or 'localhost'}"
        if parts.port:
            where += f":{parts.port}"
        where += parts.path or "/"
        schema = getattr(self.options, "schema", "")
        return where + (f" (schema {schema})" if schema else "")

    def write(self, record: Record) -> None:
        rows = list(self._builder.rows(record))
        reason = refusal(rows)
        if reason:
            self._builder.forget(record)
            self.log.skip(record, reason)
            return
        for table, values in rows:
            self._batches.add(table, values)

    def _insert(self, table: str, rows: list[tuple[Any, ...]]) -> None:
        try:
            self._load(table, rows)
        except self._errors as exc:
            raise OutputError(f"{self.name}: loading {table} failed: {_one_line(exc)}") from None

    def start(self) -> None:
        self._connect()
        try:
            self._execute(self.dialect.before_rows(self.names, replace=self.options.replace))
        except OutputError:
            self._abandon()  # finish() is not called when start() fails
            raise

    def finish(self) -> None:
        self._batches.flush()
        self._execute(self.dialect.after_rows(self.names, self._builder.term_parent_links()))
        self._close()

    def abort(self) -> None:
        self._abandon()

    def _execute(self, statements: list[str]) -> None:
        try:
            with self._connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
                    if statement.startswith("CREATE TABLE"):
                        self._created += 1
        except self._errors as exc:
            raise OutputError(f"{self.name}: {_one_line(exc)}") from None

    # Each server supplies these.
    _errors: tuple[type[BaseException], ...] = ()
    _connection: Any

    def _connect(self) -> None: ...
    def _load(self, table: str, rows: list[tuple[Any, ...]]) -> None: ...
    def _abandon(self) -> None: ...

    def _close(self) -> None:
        self._connection.close()


class PostgresExporter(_ServerExporter[PostgresOptions]):
    """Rows straight into PostgreSQL over COPY, in one transaction."""

    name = "postgresql"
    description = "load straight into a PostgreSQL server (-O url=postgresql://...; needs psycopg)"
    Options = PostgresOptions
    dialect_name = "postgresql"

    def _connect(self) -> None:
        psycopg = _driver("psycopg", "postgres", self.name)
        self._errors = (psycopg.Error,)
        try:
            self._connection = psycopg.connect(self.options.url, autocommit=True)
        except psycopg.Error as exc:
            raise OutputError(f"postgresql: cannot connect: {_one_line(exc)}") from None

    def _load(self, table: str, rows: list[tuple[Any, ...]]) -> None:
        with self._connection.cursor() as cursor:
            with cursor.copy(
                f"COPY {self.names.table(table)} ({self._columns[table]}) FROM STDIN"
            ) as copy:
                for row in rows:
                    copy.write_row(row)

    def _abandon(self) -> None:
        connection = getattr(self, "_connection", None)
        if connection is not None and not connection.closed:
            try:
                connection.execute("ROLLBACK")
            except self._errors:
                pass
            connection.close()


class MysqlExporter(_ServerExporter[ServerOptions]):
    """Rows straight into MySQL or MariaDB with multi-row INSERTs, in one transaction."""

    name = "mysql"
    description = "load straight into a MySQL/MariaDB server (-O url=mysql://...; needs PyMySQL)"
    Options = ServerOptions
    dialect_name = "mysql"

    def _connect(self) -> None:
        pymysql = _driver("pymysql", "mysql", self.name)
        self._errors = (pymysql.Error,)
        parts = urlsplit(self.options.url)
        if parts.scheme not in ("mysql", "mariadb") or not parts.path.strip("/"):
            raise ExporterOptionError("option url takes mysql://user:password@host:port/database")
        try:
            self._connection = pymysql.connect(
                host=parts.hostname or "localhost",
                port=parts.port or 3306,
                user=unquote(parts.username or "root"),
                password=unquote(parts.password or ""),
                database=unquote(parts.path.strip("/")),
                charset="utf8mb4",
                autocommit=True,
            )
        except pymysql.Error as exc:
            raise OutputError(f"mysql: cannot connect: {exc}") from None
        self._statements = {
            t.name: (
                f"INSERT INTO {self.names.table(t.name)} ({self._columns[t.name]}) VALUES "
                f"({', '.join('%s' for _ in t.columns)})"
            )
            for t in TABLES
        }
        self._stamps = {
            t.name: [n for n, c in enumerate(t.columns) if c.kind == "timestamp"] for t in TABLES
        }

    def _load(self, table: str, rows: list[tuple[Any, ...]]) -> None:
        stamps = self._stamps[table]
        if stamps:  # DATETIME has no zone: UTC wall-clock time
            rows = [
                tuple(
                    as_naive_utc(v) if n in stamps and v is not None else v
                    for n, v in enumerate(row)
                )
                for row in rows
            ]
        with self._connection.cursor() as cursor:
            cursor.executemany(self._statements[table], rows)

    def _abandon(self) -> None:
        connection = getattr(self, "_connection", None)
        if connection is None or not connection.open:
            return
        try:
            with connection.cursor() as cursor:
                cursor.execute("ROLLBACK")
                # CREATE TABLE committed by itself: drop exactly the tables this run made.
                cursor.execute("SET SESSION foreign_key_checks = 0")
                for table in reversed(TABLES[: self._created]):
                    cursor.execute(f"DROP TABLE IF EXISTS {self.names.table(table.name)}")
        except self._errors:
            pass
        connection.close()
