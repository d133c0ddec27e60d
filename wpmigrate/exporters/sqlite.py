"""``sqlite``: the whole site in one SQLite database, with keys, indexes and full-text search.

The database is built under a temporary name beside the target, in one transaction, and
renamed into place only when complete. Rows go in through parameters, in batches. Our
own integer keys join the tables; each record's id as exported is kept in its own
column (SQLite keeps an int an int and text text there).
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import OutputError, UsageError
from ..options import ExporterOptions, option
from ..output import remove_if_present, temporary_beside
from ..records import Author, Post, Record, Site, Term
from ..values import iso
from .base import Exporter, Skip

SCHEMA = """
CREATE TABLE site (
    id INTEGER PRIMARY KEY, title TEXT, link TEXT, description TEXT, language TEXT,
    base_site_url TEXT, base_blog_url TEXT, wxr_version TEXT, generator TEXT
);
CREATE TABLE authors (
    id INTEGER PRIMARY KEY, login TEXT NOT NULL UNIQUE, exported_id, email TEXT,
    display_name TEXT, first_name TEXT, last_name TEXT, inferred INTEGER NOT NULL
);
CREATE TABLE terms (
    id INTEGER PRIMARY KEY, taxonomy TEXT NOT NULL, slug TEXT NOT NULL, name TEXT,
    parent_slug TEXT, parent_id INTEGER REFERENCES terms(id), description TEXT,
    exported_id, inferred INTEGER NOT NULL, UNIQUE (taxonomy, slug)
);
CREATE TABLE term_meta (
    term_id INTEGER NOT NULL REFERENCES terms(id), position INTEGER NOT NULL,
    meta_key TEXT, meta_value TEXT, PRIMARY KEY (term_id, position)
);
CREATE TABLE posts (
    id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, exported_id, type TEXT NOT NULL,
    status TEXT, title TEXT, slug TEXT, link TEXT, guid TEXT,
    author_id INTEGER REFERENCES authors(id), author_login TEXT,
    date TEXT, date_gmt TEXT, modified TEXT, modified_gmt TEXT, content TEXT, excerpt TEXT,
    parent_exported_id, parent_id INTEGER REFERENCES posts(id), menu_order INTEGER,
    comment_status TEXT, ping_status TEXT, password TEXT, sticky INTEGER NOT NULL,
    attachment_url TEXT
);
CREATE TABLE post_terms (
    post_id INTEGER NOT NULL REFERENCES posts(id), term_id INTEGER NOT NULL REFERENCES terms(id),
    position INTEGER NOT NULL, PRIMARY KEY (post_id, position)
);
CREATE TABLE post_meta (
    post_id INTEGER NOT NULL REFERENCES posts(id), position INTEGER NOT NULL,
    meta_key TEXT, meta_value TEXT, PRIMARY KEY (post_id, position)
);
CREATE TABLE comments (
    id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, exported_id,
    post_id INTEGER NOT NULL REFERENCES posts(id), parent_exported_id,
    parent_id INTEGER REFERENCES comments(id), author TEXT, author_email TEXT,
    author_url TEXT, author_ip TEXT, user_id, date TEXT, date_gmt TEXT, status TEXT,
    type TEXT, content TEXT
);
CREATE TABLE comment_meta (
    comment_id INTEGER NOT NULL REFERENCES comments(id), position INTEGER NOT NULL,
    meta_key TEXT, meta_value TEXT, PRIMARY KEY (comment_id, position)
);
CREATE INDEX posts_slug ON posts(slug);
CREATE INDEX posts_type_status ON posts(type, status);
CREATE INDEX posts_date ON posts(date_gmt);
CREATE INDEX posts_parent ON posts(parent_id);
CREATE INDEX post_terms_term ON post_terms(term_id);
CREATE INDEX post_meta_key ON post_meta(meta_key);
CREATE INDEX comments_post ON comments(post_id);
CREATE INDEX comments_parent ON comments(parent_id);
CREATE INDEX terms_parent ON terms(parent_id);
CREATE VIRTUAL TABLE posts_fts USING fts5(title, content, content='posts', content_rowid='id');
"""

# Links resolved once every row is in: parents by exported id or slug.
RESOLVE = """
UPDATE terms SET parent_id = (SELECT p.id FROM terms p WHERE p.taxonomy = terms.taxonomy
    AND p.slug = terms.parent_slug) WHERE parent_slug <> '';
UPDATE posts SET parent_id = (SELECT MIN(p.id) FROM posts p
    WHERE p.exported_id = posts.parent_exported_id) WHERE parent_exported_id IS NOT NULL;
UPDATE comments SET parent_id = (SELECT MIN(c.id) FROM comments c WHERE c.post_id = comments.post_id
    AND c.exported_id = comments.parent_exported_id) WHERE parent_exported_id IS NOT NULL;
INSERT INTO posts_fts(posts_fts) VALUES ('rebuild');
"""

_BATCH = 2000
_INSERTS = {
    "site": "INSERT INTO site VALUES (?,?,?,?,?,?,?,?,?)",
    "authors": "INSERT INTO authors VALUES (?,?,?,?,?,?,?,?)",
    "terms": "INSERT INTO terms VALUES (?,?,?,?,?,NULL,?,?,?)",
    "term_meta": "INSERT INTO term_meta VALUES (?,?,?,?)",
    "posts": "INSERT INTO posts VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,NULL,?,?,?,?,?,?)",
    "post_terms": "INSERT OR IGNORE INTO post_terms VALUES (?,?,?)",
    "post_meta": "INSERT INTO post_meta VALUES (?,?,?,?)",
    "comments": "INSERT INTO comments VALUES (?,?,?,?,?,NULL,?,?,?,?,?,?,?,?,?,?)",
    "comment_meta": "INSERT INTO comment_meta VALUES (?,?,?,?)",
}


@dataclass(frozen=True, kw_only=True)
class SqliteOptions(ExporterOptions):
    overwrite: bool = option(True, "replace an existing database file at --out")


class SqliteExporter(Exporter):
    """A normalized SQLite database: site, authors, terms, posts, comments, meta, FTS5."""

    name = "sqlite"
    description = "a SQLite database: normalized tables, keys, indexes, FTS5 full-text search"
    Options = SqliteOptions
    suffix = ".db"

    def __init__(self, out: Any, options: ExporterOptions | None = None) -> None:
        super().__init__(out, options)
        if not isinstance(out, (str, os.PathLike)) or os.fspath(out) == "-":
            raise UsageError("the sqlite exporter writes a database file: give --out a file name")
        self.path = Path(os.fspath(out))
        if self.path.exists() and not self.options.overwrite:  # type: ignore[attr-defined]
            raise UsageError(f"{self.path} exists (use -O overwrite=true to replace it)")
        self._rows: dict[str, list[tuple[Any, ...]]] = {table: [] for table in _INSERTS}
        self._authors: dict[str, int] = {}
        self._terms: dict[tuple[str, str], int] = {}
        self._posts = 0
        self._comments = 0

    def start(self) -> None:
        self._temp = temporary_beside(self.path)
        try:
            self._db = sqlite3.connect(self._temp, isolation_level=None)
            self._db.execute("PRAGMA journal_mode = OFF")
            self._db.execute("PRAGMA synchronous = OFF")
            self._db.execute("BEGIN")
            self._run(SCHEMA)
        except sqlite3.Error as exc:
            self._discard()
            raise OutputError(f"cannot create {self.path}: {exc}") from None

    def _run(self, script: str) -> None:
        """Run statements one by one (executescript would commit the open transaction)."""
        for statement in script.split(";"):
            if statement.strip():
                self._db.execute(statement)

    def _add(self, table: str, row: tuple[Any, ...]) -> None:
        rows = self._rows[table]
        rows.append(row)
        if len(rows) >= _BATCH:
            self._flush(table)

    def _flush(self, table: str) -> None:
        rows = self._rows[table]
        if rows:
            self._db.executemany(_INSERTS[table], rows)
            rows.clear()

    def write(self, record: Record) -> Skip:
        match record:
            case Site():
                self._add("site", (1, record.title, record.link, record.description,
                                   record.language, record.base_site_url, record.base_blog_url,
                                   record.wxr_version, record.generator))
            case Author():
                author_id = self._authors[record.key] = len(self._authors) + 1
                self._add("authors", (author_id, record.login, record.id, record.email,
                                      record.display_name, record.first_name, record.last_name,
                                      int(record.inferred)))
            case Term():
                term_id = self._terms[(record.taxonomy, record.slug)] = len(self._terms) + 1
                self._add("terms", (term_id, record.taxonomy, record.slug, record.name,
                                    record.parent, record.description, record.id,
                                    int(record.inferred)))
                for n, (key, value) in enumerate(record.meta):
                    self._add("term_meta", (term_id, n, key, value))
            case Post():
                self._write_post(record)
        return None

    def _write_post(self, post: Post) -> None:
        self._posts += 1
        post_id = self._posts
        self._add("posts", (
            post_id, post.key, post.id, post.type, post.status, post.title, post.slug,
            post.link, post.guid, self._authors.get(post.author), post.author,
            iso(post.date), iso(post.date_gmt), iso(post.modified), iso(post.modified_gmt),
            post.content, post.excerpt, post.parent_id, post.menu_order, post.comment_status,
            post.ping_status, post.password, int(post.sticky), post.attachment_url))
        for n, ref in enumerate(post.terms):
            term_id = self._terms.get((ref.taxonomy, ref.slug))
            if term_id is not None:
                self._add("post_terms", (post_id, term_id, n))
        for n, (key, value) in enumerate(post.meta):
            self._add("post_meta", (post_id, n, key, value))
        for comment in post.comments:
            self._comments += 1
            comment_id = self._comments
            self._add("comments", (
                comment_id, comment.key, comment.id, post_id, comment.parent_id, comment.author,
                comment.author_email, comment.author_url, comment.author_ip, comment.user_id,
                iso(comment.date), iso(comment.date_gmt), comment.status, comment.type,
                comment.content))
            for n, (key, value) in enumerate(comment.meta):
                self._add("comment_meta", (comment_id, n, key, value))

    def finish(self, *, success: bool = True) -> None:
        try:
            if success:
                for table in _INSERTS:
                    self._flush(table)
                self._run(RESOLVE)
                self._db.execute("COMMIT")
                self._db.close()
                os.replace(self._temp, self.path)
                return
        except (OSError, sqlite3.Error) as exc:
            self._discard()
            raise OutputError(f"cannot write {self.path}: {exc}") from None
        self._discard()

    def _discard(self) -> None:
        db = getattr(self, "_db", None)  # absent when connecting itself failed
        try:
            if db is not None:
                db.close()
        except sqlite3.Error:
            pass
        remove_if_present(self._temp)
