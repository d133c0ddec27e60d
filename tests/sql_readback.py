"""Reading a site back out of a database, as the JSON export's dicts, for any dialect.

Used by the SQL tests: what a database holds is rebuilt record by record from its
tables (through the driver, not by comparing SQL text) and compared field by field
with the JSON export of the same input.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import UTC
from typing import Any

from wpmigrate import Author, Post, Site, Term, read
from wpmigrate.encode import record_to_dict
from wpmigrate.sql import Names, get_dialect

_INTEGER = re.compile(r"-?[0-9]+")


def exported(text: str | None, number: int | None = None) -> Any:
    """An exported id back from its text: an int exactly where the reader made one."""
    if number is not None:
        return number
    if text is not None and _INTEGER.fullmatch(text) and abs(int(text)) <= 2**63 - 1:
        return int(text)
    return text


def _utc(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if value.tzinfo is None:  # MySQL DATETIME: UTC wall-clock time
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat()


class Database:
    """A DB-API connection and the names of our tables in it."""

    def __init__(self, connection: Any, dialect: str, prefix: str = "", schema: str = "") -> None:
        self.connection = connection
        self.dialect = get_dialect(dialect)
        self.names = Names(self.dialect, prefix, schema)

    def rows(self, table: str, columns: str, order: str) -> list[tuple[Any, ...]]:
        quoted = ", ".join(self.dialect.quote(c.strip()) for c in columns.split(","))
        cursor = self.connection.cursor()
        cursor.execute(f"SELECT {quoted} FROM {self.names.table(table)} ORDER BY {order}")
        rows = [tuple(row) for row in cursor.fetchall()]
        cursor.close()
        return rows

    def meta(self, table: str, owner: str) -> dict[int, list[list[str]]]:
        found: dict[int, list[list[str]]] = defaultdict(list)
        for owner_id, key, value in self.rows(
            table, f"{owner}, meta_key, meta_value", f"{owner}, position"
        ):
            found[owner_id].append([key, value])
        return found


def read_back(db: Database) -> dict[str, list[dict[str, Any]]]:
    """Every record the database holds, as JSON-export dicts, by record type."""
    site = [
        dict(
            zip(
                (
                    "title",
                    "link",
                    "description",
                    "language",
                    "base_site_url",
                    "base_blog_url",
                    "wxr_version",
                    "generator",
                ),
                row[1:],
                strict=True,
            )
        )
        for row in db.rows(
            "site",
            "id, title, link, description, language, base_site_url, "
            "base_blog_url, wxr_version, generator",
            "id",
        )
    ]
    authors = [
        {
            "key": login,
            "id": exported(text, number),
            "login": login,
            "email": email,
            "display_name": display,
            "first_name": first,
            "last_name": last,
            "inferred": bool(inferred),
        }
        for login, text, number, email, display, first, last, inferred in db.rows(
            "authors",
            "login, exported_id, wp_id, email, display_name, first_name, last_name, inferred",
            "id",
        )
    ]
    term_meta = db.meta("term_meta", "term_id")
    terms = [
        {
            "key": f"{taxonomy}:{slug}",
            "id": exported(text, number),
            "taxonomy": taxonomy,
            "slug": slug,
            "name": name,
            "parent": parent,
            "description": description,
            "meta": term_meta.get(term_id, []),
            "inferred": bool(inferred),
        }
        for term_id, taxonomy, slug, name, parent, description, text, number, inferred in db.rows(
            "terms",
            "id, taxonomy, slug, name, parent_slug, description, exported_id, wp_id, inferred",
            "id",
        )
    ]
    return {"site": site, "author": authors, "term": terms, "post": _posts(db)}


def _posts(db: Database) -> list[dict[str, Any]]:
    taxonomy_slug = {row[0]: row[1:] for row in db.rows("terms", "id, taxonomy, slug", "id")}
    refs: dict[int, list[dict[str, str]]] = defaultdict(list)
    for post_id, term_id, name in db.rows(
        "post_terms", "post_id, term_id, name", "post_id, position"
    ):
        taxonomy, slug = taxonomy_slug[term_id]
        refs[post_id].append({"taxonomy": taxonomy, "slug": slug, "name": name})
    post_meta = db.meta("post_meta", "post_id")
    comment_meta = db.meta("comment_meta", "comment_id")
    posts_by_id = {}
    posts = []
    for row in db.rows(
        "posts",
        "id, key, exported_id, wp_id, type, status, title, slug, link, "
        "guid, author_login, date, date_gmt, modified, modified_gmt, content, "
        "excerpt, parent_exported_id, menu_order, comment_status, ping_status, "
        "password, sticky, attachment_url",
        "id",
    ):
        (
            post_id,
            key,
            text,
            number,
            type_,
            status,
            title,
            slug,
            link,
            guid,
            author,
            date,
            date_gmt,
            modified,
            modified_gmt,
            content,
            excerpt,
            parent,
            menu_order,
            comment_status,
            ping_status,
            password,
            sticky,
            attachment_url,
        ) = row
        post = {
            "key": key,
            "id": exported(text, number),
            "type": type_,
            "status": status,
            "title": title,
            "slug": slug,
            "link": link,
            "guid": guid,
            "author": author,
            "date": date,
            "date_gmt": _utc(date_gmt),
            "modified": modified,
            "modified_gmt": _utc(modified_gmt),
            "content": content,
            "excerpt": excerpt,
            "parent_id": exported(parent),
            "menu_order": menu_order,
            "comment_status": comment_status,
            "ping_status": ping_status,
            "password": password,
            "sticky": bool(sticky),
            "terms": refs.get(post_id, []),
            "meta": post_meta.get(post_id, []),
            "attachment_url": attachment_url,
            "comments": [],
        }
        posts_by_id[post_id] = post
        posts.append(post)
    for row in db.rows(
        "comments",
        "id, key, exported_id, wp_id, post_id, parent_exported_id, "
        "author, author_email, author_url, author_ip, user_id, date, date_gmt, "
        "status, type, content",
        "id",
    ):
        (
            comment_id,
            key,
            text,
            number,
            post_id,
            parent,
            author,
            email,
            url,
            ip,
            user_id,
            date,
            date_gmt,
            status,
            type_,
            content,
        ) = row
        post = posts_by_id[post_id]
        post["comments"].append(
            {
                "key": key,
                "id": exported(text, number),
                "post_key": post["key"],
                "post_id": post["id"],
                "parent_id": exported(parent),
                "author": author,
                "author_email": email,
                "author_url": url,
                "author_ip": ip,
                "user_id": exported(user_id),
                "date": date,
                "date_gmt": _utc(date_gmt),
                "status": status,
                "type": type_,
                "content": content,
                "meta": comment_meta.get(comment_id, []),
            }
        )
    return posts


def expected(source: Any, repairs: tuple[str, ...] = ()) -> dict[str, list[dict[str, Any]]]:
    """The JSON export's records of ``source``, by record type."""
    found: dict[str, list[dict[str, Any]]] = {"site": [], "author": [], "term": [], "post": []}
    for record in read(source, repairs=repairs):
        kind = {Site: "site", Author: "author", Term: "term", Post: "post"}[type(record)]
        found[kind].append(record_to_dict(record, with_type=False))
    return found


def assert_same(
    actual: dict[str, list[dict[str, Any]]], wanted: dict[str, list[dict[str, Any]]]
) -> None:
    """Equal record by record, naming the first field that differs."""
    for kind in wanted:
        assert len(actual[kind]) == len(wanted[kind]), f"{kind}: count differs"
        for got, want in zip(actual[kind], wanted[kind], strict=True):
            for field in want:
                assert got[field] == want[field], (
                    f"{kind} {want.get('key', '')!r}: field {field!r} differs"
                )
