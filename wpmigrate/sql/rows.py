"""Records into table rows, with our own integer keys, for every SQL output.

Rows hold plain Python values (None, int, bool, str, datetime) in the column order of
:mod:`.schema`; each output turns them into parameters or literals of its dialect.
Authors and terms are few and are remembered by name to link posts to them; posts are
not remembered: a post's parent is linked by one UPDATE once every row is in.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..encode import iso
from ..records import Author, Comment, ExportedId, Post, Record, Site, Term

__all__ = ["Row", "RowBuilder", "exported_text", "wp_id", "refusal", "NUL_REFUSED"]

#: (table name, values in column order)
Row = tuple[str, tuple[Any, ...]]

_MAX_BIGINT = 2**63 - 1


NUL_REFUSED = (
    "holds a NUL character, which SQL text cannot carry "
    "(--repair strip-controls removes control characters)"
)


def surrogate_refused(char: str) -> str:
    return f"holds {char!r}, a lone surrogate, which is not text"


def refusal(rows: list[Row]) -> str | None:
    """Why these rows cannot be stored as text (None when they can)."""
    for _, values in rows:
        for value in values:
            if isinstance(value, str):
                if "\x00" in value:
                    return NUL_REFUSED
                try:
                    value.encode("utf-8")
                except UnicodeEncodeError as exc:
                    return surrogate_refused(exc.object[exc.start])
    return None


def exported_text(value: ExportedId) -> str | None:
    """An exported id as the text the export held (None when it had none)."""
    return None if value is None else str(value)


def wp_id(value: ExportedId) -> int | None:
    """An exported id as a number, when it is one that fits a BIGINT."""
    if isinstance(value, int) and -_MAX_BIGINT <= value <= _MAX_BIGINT:
        return value
    return None


class RowBuilder:
    """Hands out keys and turns each record into its rows, in insertion order."""

    def __init__(self) -> None:
        self._authors: dict[str, int] = {}
        self._terms: dict[tuple[str, str], int] = {}
        self._unlinked_terms: list[tuple[int, str, str]] = []
        self._posts = 0
        self._comments = 0

    def rows(self, record: Record) -> Iterator[Row]:
        match record:
            case Site():
                yield (
                    "site",
                    (
                        1,
                        record.title,
                        record.link,
                        record.description,
                        record.language,
                        record.base_site_url,
                        record.base_blog_url,
                        record.wxr_version,
                        record.generator,
                    ),
                )
            case Author():
                yield self._author(record)
            case Term():
                yield from self._term(record)
            case Post():
                yield from self._post(record)

    def _author(self, author: Author) -> Row:
        author_id = self._authors.setdefault(author.key, len(self._authors) + 1)
        return "authors", (
            author_id,
            author.login,
            exported_text(author.id),
            wp_id(author.id),
            author.email,
            author.display_name,
            author.first_name,
            author.last_name,
            author.inferred,
        )

    def _term(self, term: Term) -> Iterator[Row]:
        term_id = self._terms.setdefault((term.taxonomy, term.slug), len(self._terms) + 1)
        parent_id = None
        if term.parent:
            parent_id = self._terms.get((term.taxonomy, term.parent))
            if parent_id is None:  # declared later: linked by term_parent_links()
                self._unlinked_terms.append((term_id, term.taxonomy, term.parent))
        yield (
            "terms",
            (
                term_id,
                term.taxonomy,
                term.slug,
                term.name,
                term.parent,
                parent_id,
                term.description,
                exported_text(term.id),
                wp_id(term.id),
                term.inferred,
            ),
        )
        for n, (key, value) in enumerate(term.meta):
            yield "term_meta", (term_id, n, key, value)

    def forget(self, record: Record) -> None:
        """Undo the key of a record whose rows were refused, so nothing links to it."""
        if isinstance(record, Author):
            self._authors.pop(record.key, None)
        elif isinstance(record, Term):
            self._terms.pop((record.taxonomy, record.slug), None)

    def term_parent_links(self) -> list[tuple[int, int]]:
        """(term id, parent id) for terms whose parent came after them in the export."""
        links = []
        for term_id, taxonomy, parent in self._unlinked_terms:
            parent_id = self._terms.get((taxonomy, parent))
            if parent_id is not None:
                links.append((term_id, parent_id))
        return links

    def _post(self, post: Post) -> Iterator[Row]:
        self._posts += 1
        post_id = self._posts
        yield (
            "posts",
            (
                post_id,
                post.key,
                exported_text(post.id),
                wp_id(post.id),
                post.type,
                post.status,
                post.title,
                post.slug,
                post.link,
                post.guid,
                self._authors.get(post.author),
                post.author,
                iso(post.date),
                post.date_gmt,
                iso(post.modified),
                post.modified_gmt,
                post.content,
                post.excerpt,
                exported_text(post.parent_id),
                None,
                post.menu_order,
                post.comment_status,
                post.ping_status,
                post.password,
                post.sticky,
                post.attachment_url,
            ),
        )
        for n, ref in enumerate(post.terms):
            term_id = self._terms.get((ref.taxonomy, ref.slug))
            if term_id is not None:
                yield "post_terms", (post_id, n, term_id, ref.name)
        for n, (key, value) in enumerate(post.meta):
            yield "post_meta", (post_id, n, key, value)
        yield from self._comments_of(post.comments, post_id)

    def _comments_of(self, comments: tuple[Comment, ...], post_id: int) -> Iterator[Row]:
        # A comment's parent is on the same post, so the thread is linked here, in one pass.
        first = self._comments + 1
        by_exported: dict[ExportedId, int] = {}
        for n, comment in enumerate(comments):
            if comment.id is not None:
                by_exported.setdefault(comment.id, first + n)
        for comment in comments:
            self._comments += 1
            comment_id = self._comments
            parent_id = by_exported.get(comment.parent_id) if comment.parent_id else None
            yield (
                "comments",
                (
                    comment_id,
                    comment.key,
                    exported_text(comment.id),
                    wp_id(comment.id),
                    post_id,
                    exported_text(comment.parent_id),
                    parent_id,
                    comment.author,
                    comment.author_email,
                    comment.author_url,
                    comment.author_ip,
                    exported_text(comment.user_id),
                    iso(comment.date),
                    comment.date_gmt,
                    comment.status,
                    comment.type,
                    comment.content,
                ),
            )
            for n, (key, value) in enumerate(comment.meta):
                yield "comment_meta", (comment_id, n, key, value)
