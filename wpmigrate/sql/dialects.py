"""SQL per dialect: names, column types, DDL, literals and the statements that link rows.

Each dialect renders the one schema of :mod:`.schema`. Literals are for the dump
scripts; servers loaded directly get parameters instead. The escaping rules:

- PostgreSQL: quotes doubled, with ``standard_conforming_strings = on`` (the dump sets
  it), so a backslash is an ordinary character.
- MySQL/MariaDB: quotes doubled; backslash, CR, LF and Ctrl-Z escaped; the dump sets its own
  ``sql_mode`` (without ``NO_BACKSLASH_ESCAPES``) for its session, so it loads the same
  whatever mode the server has.
- SQLite: quotes doubled; a CR spliced in as ``char(13)``.

No dialect's script can carry a NUL character in text (PostgreSQL cannot store one at
all), so a value holding one is refused with :class:`NulInText`.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any, ClassVar

from ..errors import ExporterOptionError
from .schema import INDEXES, TABLES, Column, Index, Kind, Table

__all__ = ["Dialect", "Names", "NulInText", "DIALECTS", "get_dialect"]

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,39}")


class NulInText(ValueError):
    """A text value holds U+0000, which no SQL script here can carry."""


class Names:
    """Table and index names with the user's prefix (and PostgreSQL schema)."""

    def __init__(self, dialect: Dialect, prefix: str = "", schema: str = "") -> None:
        for label, value in (("prefix", prefix), ("schema", schema)):
            if value and not _IDENTIFIER.fullmatch(value):
                raise ExporterOptionError(
                    f"option {label} takes letters, digits and _ (not starting with a digit, "
                    f"at most 40), not {value!r}"
                )
        self.dialect = dialect
        self.prefix = prefix
        self.schema = schema

    def table(self, name: str) -> str:
        quoted = self.dialect.quote(self.prefix + name)
        return f"{self.dialect.quote(self.schema)}.{quoted}" if self.schema else quoted

    def index(self, name: str) -> str:
        return self.dialect.quote(self.prefix + name)


class Dialect:
    name: ClassVar[str] = ""
    types: ClassVar[dict[Kind, str]] = {}
    true: ClassVar[str] = "TRUE"
    false: ClassVar[str] = "FALSE"
    #: Whether CREATE TABLE can run inside the data's transaction (MySQL commits on DDL).
    transactional_ddl: ClassVar[bool] = True

    def quote(self, identifier: str) -> str:
        return f'"{identifier}"'

    # --- DDL -------------------------------------------------------------------------------

    def column_sql(self, column: Column) -> str:
        sql = f"{self.quote(column.name)} {self.types[column.kind]}"
        return sql + " NOT NULL" if column.not_null or column.kind == "key" else sql

    def foreign_key(self, column: Column, names: Names) -> str:
        return (
            f"FOREIGN KEY ({self.quote(column.name)}) "
            f"REFERENCES {names.table(column.references)} ({self.quote('id')})"
        )

    def table_extras(self, table: Table, names: Names) -> list[str]:
        """Constraints after the columns (PRIMARY KEY, UNIQUE, FOREIGN KEY)."""
        parts = [f"PRIMARY KEY ({self._list(table.primary_key)})"]
        parts += [f"UNIQUE ({self._list(columns)})" for columns in table.unique]
        parts += [self.foreign_key(c, names) for c in table.columns if c.references]
        return parts

    def create_table(self, table: Table, names: Names) -> str:
        lines = [self.column_sql(c) for c in table.columns] + self.table_extras(table, names)
        body = ",\n    ".join(lines)
        return f"CREATE TABLE {names.table(table.name)} (\n    {body}\n){self.table_options()}"

    def table_options(self) -> str:
        return ""

    def create_index(self, index: Index, names: Names) -> str:
        return (
            f"CREATE INDEX {names.index(index.name)} ON {names.table(index.table)} "
            f"({self._list(index.columns)})"
        )

    def _list(self, columns: tuple[str, ...]) -> str:
        return ", ".join(self.quote(c) for c in columns)

    def schema_statements(self, names: Names) -> list[str]:
        """Statements that create the tables (and, where they belong there, the indexes)."""
        return [self.create_table(t, names) for t in TABLES]

    def index_statements(self, names: Names) -> list[str]:
        """Indexes made after the rows are in (faster than keeping them up to date)."""
        return [self.create_index(i, names) for i in INDEXES]

    def drop_statements(self, names: Names) -> list[str]:
        return [f"DROP TABLE IF EXISTS {names.table(t.name)}" for t in reversed(TABLES)]

    # --- linking rows once all are in ------------------------------------------------------

    def link_post_parents(self, names: Names) -> str:
        # The first post with an exported id has that id as its key (see KeyRegistry).
        posts = names.table("posts")
        return (
            f"UPDATE {posts} AS c SET parent_id = p.id FROM {posts} AS p "
            f"WHERE p.{self.quote('key')} = c.parent_exported_id "
            f"AND p.exported_id = c.parent_exported_id"
        )

    def link_term_parent(self, names: Names, term_id: int, parent_id: int) -> str:
        return f"UPDATE {names.table('terms')} SET parent_id = {parent_id} WHERE id = {term_id}"

    # --- the script around the rows --------------------------------------------------------

    def before_rows(self, names: Names, *, replace: bool = False) -> list[str]:
        """Everything up to the first INSERT: session settings, tables, the transaction."""
        ddl = self.namespace(names) + (self.drop_statements(names) if replace else [])
        ddl += self.schema_statements(names)
        if self.transactional_ddl:
            return self.session_setup() + ["BEGIN"] + ddl
        return self.session_setup() + ddl + ["START TRANSACTION"]

    def after_rows(self, names: Names, term_links: list[tuple[int, int]]) -> list[str]:
        """Everything after the last INSERT: links, indexes, COMMIT, session restored."""
        links = [self.link_term_parent(names, t, p) for t, p in term_links]
        links.append(self.link_post_parents(names))
        return (
            links
            + self.index_statements(names)
            + self.finalize(names)
            + ["COMMIT"]
            + self.session_restore()
        )

    def session_setup(self) -> list[str]:
        return []

    def session_restore(self) -> list[str]:
        return []

    def namespace(self, names: Names) -> list[str]:
        return []

    def finalize(self, names: Names) -> list[str]:
        return []

    # --- literals --------------------------------------------------------------------------

    def literal(self, value: Any) -> str:
        if value is None:
            return "NULL"
        if value is True:
            return self.true
        if value is False:
            return self.false
        if isinstance(value, int):
            return str(value)
        if isinstance(value, datetime):
            return self.timestamp(value)
        if "\x00" in value:
            raise NulInText("a NUL character")
        return self.string(value)

    def string(self, text: str) -> str:
        return "'" + text.replace("'", "''") + "'"

    def timestamp(self, value: datetime) -> str:
        return "'" + value.isoformat() + "'"


class PostgreSQL(Dialect):
    name = "postgresql"
    types = {
        "key": "BIGINT",
        "ref": "BIGINT",
        "int": "BIGINT",
        "bool": "BOOLEAN",
        "text": "TEXT",
        "label": "TEXT",
        "timestamp": "TIMESTAMPTZ",
    }

    def foreign_key(self, column: Column, names: Names) -> str:
        # Checked at COMMIT: a parent may arrive after the row that points to it.
        return super().foreign_key(column, names) + " DEFERRABLE INITIALLY DEFERRED"

    def index_statements(self, names: Names) -> list[str]:
        # The deferred checks run first: an index cannot be built over pending ones.
        return ["SET CONSTRAINTS ALL IMMEDIATE", *super().index_statements(names)]

    def session_setup(self) -> list[str]:
        return [
            "SET client_encoding = 'UTF8'",
            "SET standard_conforming_strings = on",
            "SET client_min_messages = warning",
        ]

    def namespace(self, names: Names) -> list[str]:
        if not names.schema:
            return []
        return [f"CREATE SCHEMA IF NOT EXISTS {self.quote(names.schema)}"]


class MySQL(Dialect):
    name = "mysql"
    types = {
        "key": "BIGINT",
        "ref": "BIGINT",
        "int": "BIGINT",
        "bool": "BOOLEAN",
        "text": "LONGTEXT",
        "label": "LONGTEXT",
        "timestamp": "DATETIME",
    }
    transactional_ddl = False
    #: Characters of a text column that its index covers (191 x 4 bytes fits any row format).
    index_prefix = 191
    # As mysqldump does: the client would drop a CR before a line end, and read Ctrl-Z
    # as the end of the file on Windows; with newlines escaped, no line of a value can
    # start a client command.
    _escapes = str.maketrans({"\\": "\\\\", "'": "''", "\n": "\\n", "\r": "\\r", "\x1a": "\\Z"})

    def quote(self, identifier: str) -> str:
        return f"`{identifier}`"

    def table_options(self) -> str:
        return " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"

    def _indexed(self, table: Table, columns: tuple[str, ...]) -> str:
        kinds = {c.name: c.kind for c in table.columns}
        return ", ".join(
            self.quote(c) + (f"({self.index_prefix})" if kinds[c] in ("text", "label") else "")
            for c in columns
        )

    def table_extras(self, table: Table, names: Names) -> list[str]:
        # Text columns are indexed by prefix, and a prefix cannot be unique, so UNIQUE
        # becomes a plain index here; our keys are unique by construction.
        parts = [f"PRIMARY KEY ({self._list(table.primary_key)})"]
        for columns in table.unique:
            parts.append(
                f"INDEX {names.index(table.name + '_' + '_'.join(columns))} "
                f"({self._indexed(table, columns)})"
            )
        for index in INDEXES:
            if index.table == table.name:
                parts.append(
                    f"INDEX {names.index(index.name)} ({self._indexed(table, index.columns)})"
                )
        parts += [self.foreign_key(c, names) for c in table.columns if c.references]
        return parts

    def index_statements(self, names: Names) -> list[str]:
        return []  # declared with the tables: ALTER TABLE would commit the transaction

    def link_post_parents(self, names: Names) -> str:
        posts = names.table("posts")
        return (
            f"UPDATE {posts} AS c JOIN {posts} AS p ON p.{self.quote('key')} = c.parent_exported_id "
            f"AND p.exported_id = c.parent_exported_id SET c.parent_id = p.id"
        )

    def session_setup(self) -> list[str]:
        return [
            "SET NAMES utf8mb4",
            "SET @wpmigrate_sql_mode = @@SESSION.sql_mode",
            "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION'",
            "SET @wpmigrate_foreign_key_checks = @@SESSION.foreign_key_checks",
            "SET SESSION foreign_key_checks = 0",
        ]

    def session_restore(self) -> list[str]:
        return [
            "SET SESSION foreign_key_checks = @wpmigrate_foreign_key_checks",
            "SET SESSION sql_mode = @wpmigrate_sql_mode",
        ]

    def string(self, text: str) -> str:
        return "'" + text.translate(self._escapes) + "'"

    def timestamp(self, value: datetime) -> str:
        return "'" + as_naive_utc(value).isoformat(sep=" ") + "'"


class SQLite(Dialect):
    name = "sqlite"
    types = {
        "key": "INTEGER",
        "ref": "INTEGER",
        "int": "INTEGER",
        "bool": "INTEGER",
        "text": "TEXT",
        "label": "TEXT",
        "timestamp": "TEXT",
    }
    true = "1"
    false = "0"

    def schema_statements(self, names: Names) -> list[str]:
        return super().schema_statements(names) + [
            f"CREATE VIRTUAL TABLE {names.table('posts_fts')} USING fts5(title, content, "
            f"content={self.string(names.prefix + 'posts')}, content_rowid='id')"
        ]

    def string(self, text: str) -> str:
        quoted = super().string(text)
        if "\r" in text:  # the sqlite3 shell drops a CR before a line end; char(13) keeps it
            quoted = quoted.replace("\r", "' || char(13) || '")
        return quoted

    def drop_statements(self, names: Names) -> list[str]:
        return [f"DROP TABLE IF EXISTS {names.table('posts_fts')}", *super().drop_statements(names)]

    def link_post_parents(self, names: Names) -> str:
        posts = names.table("posts")
        return (
            f"UPDATE {posts} SET parent_id = (SELECT p.id FROM {posts} AS p "
            f"WHERE p.{self.quote('key')} = {posts}.parent_exported_id "
            f"AND p.exported_id = {posts}.parent_exported_id) "
            f"WHERE parent_exported_id IS NOT NULL"
        )

    def finalize(self, names: Names) -> list[str]:
        fts = names.table("posts_fts")
        return [f"INSERT INTO {fts}({fts}) VALUES ('rebuild')"]


def as_naive_utc(value: datetime) -> datetime:
    """UTC wall-clock time for a column type without zones (MySQL DATETIME)."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


DIALECTS: dict[str, Dialect] = {d.name: d for d in (PostgreSQL(), MySQL(), SQLite())}


def get_dialect(name: str) -> Dialect:
    try:
        return DIALECTS[name]
    except KeyError:
        raise ExporterOptionError(
            f"option dialect takes one of {', '.join(DIALECTS)}, not {name!r}"
        ) from None
