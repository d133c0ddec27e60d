"""The tables every SQL output shares, described once and rendered per dialect.

Our own integer keys (``id``) join the tables. A record's id as the export wrote it is
kept as text in ``exported_id``, and as a number in ``wp_id`` when it is one, because
real exports hold slugs as ids, missing ids and repeats. Identifiers are fixed here and
never come from the data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["Column", "Table", "Index", "TABLES", "INDEXES", "table"]

#: key: our integer primary key; ref: our integer key of another row; int; bool;
#: text: any length; label: text that is indexed or compared (slugs, types, logins);
#: timestamp: a UTC date and time.
Kind = Literal["key", "ref", "int", "bool", "text", "label", "timestamp"]


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind = "text"
    not_null: bool = False
    references: str = ""


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ("id",)
    unique: tuple[tuple[str, ...], ...] = ()

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)


@dataclass(frozen=True)
class Index:
    name: str
    table: str
    columns: tuple[str, ...]


def _text(*names: str) -> tuple[Column, ...]:
    return tuple(Column(name) for name in names)


def _meta(owner: str, owner_table: str) -> Table:
    return Table(
        f"{owner}_meta",
        (
            Column(f"{owner}_id", "ref", True, owner_table),
            Column("position", "int", True),
            Column("meta_key", "label"),
            Column("meta_value"),
        ),
        primary_key=(f"{owner}_id", "position"),
    )


#: In the order rows go in: a table only references tables before it (or itself).
TABLES: tuple[Table, ...] = (
    Table(
        "site",
        (
            Column("id", "key"),
            *_text(
                "title",
                "link",
                "description",
                "language",
                "base_site_url",
                "base_blog_url",
                "wxr_version",
                "generator",
            ),
        ),
    ),
    Table(
        "authors",
        (
            Column("id", "key"),
            Column("login", "label", True),
            Column("exported_id"),
            Column("wp_id", "int"),
            *_text("email", "display_name", "first_name", "last_name"),
            Column("inferred", "bool", True),
        ),
        unique=(("login",),),
    ),
    Table(
        "terms",
        (
            Column("id", "key"),
            Column("taxonomy", "label", True),
            Column("slug", "label", True),
            Column("name"),
            Column("parent_slug", "label"),
            Column("parent_id", "ref", references="terms"),
            Column("description"),
            Column("exported_id"),
            Column("wp_id", "int"),
            Column("inferred", "bool", True),
        ),
        unique=(("taxonomy", "slug"),),
    ),
    _meta("term", "terms"),
    Table(
        "posts",
        (
            Column("id", "key"),
            Column("key", "label", True),
            Column("exported_id"),
            Column("wp_id", "int"),
            Column("type", "label", True),
            Column("status", "label"),
            Column("title"),
            Column("slug", "label"),
            Column("link"),
            Column("guid"),
            Column("author_id", "ref", references="authors"),
            Column("author_login", "label"),
            Column("date"),
            Column("date_gmt", "timestamp"),
            Column("modified"),
            Column("modified_gmt", "timestamp"),
            Column("content"),
            Column("excerpt"),
            Column("parent_exported_id", "label"),
            Column("parent_id", "ref", references="posts"),
            Column("menu_order", "int"),
            Column("comment_status", "label"),
            Column("ping_status", "label"),
            Column("password"),
            Column("sticky", "bool", True),
            Column("attachment_url"),
        ),
        unique=(("key",),),
    ),
    Table(
        "post_terms",
        (
            Column("post_id", "ref", True, "posts"),
            Column("position", "int", True),
            Column("term_id", "ref", True, "terms"),
            Column("name"),
        ),
        primary_key=("post_id", "position"),
    ),
    _meta("post", "posts"),
    Table(
        "comments",
        (
            Column("id", "key"),
            Column("key", "label", True),
            Column("exported_id"),
            Column("wp_id", "int"),
            Column("post_id", "ref", True, "posts"),
            Column("parent_exported_id", "label"),
            Column("parent_id", "ref", references="comments"),
            *_text("author", "author_email", "author_url", "author_ip"),
            Column("user_id", "label"),
            Column("date"),
            Column("date_gmt", "timestamp"),
            Column("status", "label"),
            Column("type", "label"),
            Column("content"),
        ),
        unique=(("key",),),
    ),
    _meta("comment", "comments"),
)

INDEXES: tuple[Index, ...] = (
    Index("posts_slug", "posts", ("slug",)),
    Index("posts_type_status", "posts", ("type", "status")),
    Index("posts_date", "posts", ("date_gmt",)),
    Index("posts_parent", "posts", ("parent_id",)),
    Index("posts_wp_id", "posts", ("wp_id",)),
    Index("post_terms_term", "post_terms", ("term_id",)),
    Index("post_meta_key", "post_meta", ("meta_key",)),
    Index("comments_post", "comments", ("post_id",)),
    Index("comments_parent", "comments", ("parent_id",)),
    Index("terms_parent", "terms", ("parent_id",)),
)

_BY_NAME = {t.name: t for t in TABLES}


def table(name: str) -> Table:
    return _BY_NAME[name]
