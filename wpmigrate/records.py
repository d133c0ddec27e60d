"""The normalized records a WordPress export is read into.

Plain, frozen data: every field holds a str, int, bool, None, datetime or a tuple of
those, so ``dataclasses.asdict`` gives JSON-ready data. ``docs/records.md`` describes
every field. The reader yields them in this order: one ``Site``, the ``Author``s and
``Term``s the channel declares, then the ``Post``s in document order (each with its
``Comment``s). An author or term that a post uses but the channel never declared is
yielded, flagged ``inferred``, just before the first post that uses it, so a consumer
never meets a reference to a record it has not seen.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from operator import attrgetter
from typing import Any, TypeAlias, TypeVar

__all__ = [
    "ExportedId",
    "Meta",
    "Site",
    "Author",
    "Term",
    "TermRef",
    "Comment",
    "Post",
    "Record",
    "RECORD_TYPES",
]

#: An id as the export wrote it: an int where it is one, else the text, None when absent.
ExportedId: TypeAlias = int | str | None
#: Meta as ordered (key, value) pairs; keys may repeat, values are kept exactly as exported.
Meta: TypeAlias = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Site:
    """The site the export came from (the RSS channel)."""

    title: str = ""
    link: str = ""
    description: str = ""
    language: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    wxr_version: str = ""
    generator: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Author:
    """A user who wrote posts; ``key`` is the login."""

    key: str
    id: ExportedId = None
    login: str = ""
    email: str = ""
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""
    inferred: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Term:
    """A category, tag, nav menu, post format or term of any custom taxonomy.

    ``key`` is ``taxonomy:slug``; ``parent`` is the parent term's slug in the same taxonomy.
    """

    key: str
    id: ExportedId = None
    taxonomy: str = ""
    slug: str = ""
    name: str = ""
    parent: str = ""
    description: str = ""
    meta: Meta = ()
    inferred: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class TermRef:
    """A post's reference to a term."""

    taxonomy: str
    slug: str
    name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Comment:
    """A comment, pingback or trackback on a post.

    ``status`` is ``approved``, ``pending``, ``spam`` or ``trash`` (or what else the export
    says); ``type`` is ``comment``, ``pingback``, ``trackback`` or a plugin's own type.
    """

    key: str
    id: ExportedId = None
    post_key: str = ""
    post_id: ExportedId = None
    parent_id: ExportedId = None
    author: str = ""
    author_email: str = ""
    author_url: str = ""
    author_ip: str = ""
    user_id: ExportedId = None
    date: datetime | None = None
    date_gmt: datetime | None = None
    status: str = "approved"
    type: str = "comment"
    content: str = ""
    meta: Meta = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Post:
    """An item of any post type: post, page, attachment, nav_menu_item, revision, custom.

    ``key`` is unique in the stream and stable across runs: the exported id where it is
    unique, else the id with a ``~N`` suffix, or ``~ordinal`` when the item has no id.
    """

    key: str
    id: ExportedId = None
    type: str = "post"
    status: str = ""
    title: str = ""
    slug: str = ""
    link: str = ""
    guid: str = ""
    author: str = ""
    date: datetime | None = None
    date_gmt: datetime | None = None
    modified: datetime | None = None
    modified_gmt: datetime | None = None
    content: str = ""
    excerpt: str = ""
    parent_id: ExportedId = None
    menu_order: int = 0
    comment_status: str = ""
    ping_status: str = ""
    password: str = ""
    sticky: bool = False
    terms: tuple[TermRef, ...] = ()
    meta: Meta = ()
    attachment_url: str = ""
    comments: tuple[Comment, ...] = ()


Record: TypeAlias = Site | Author | Term | Post

_Class = TypeVar("_Class", bound=type)


def _pickled_as_tuples(cls: _Class) -> _Class:
    """Pickled as a tuple of field values, read in one C call and set through the slots'
    descriptors: the state methods dataclasses give a frozen class with slots call
    ``fields()`` each time. The Markdown exporter spools every post and reads it back.
    """
    names = tuple(f.name for f in fields(cls))
    read = attrgetter(*names)
    slots = tuple(getattr(cls, name) for name in names)

    def __getstate__(self: Any) -> tuple[Any, ...]:
        return read(self)

    def __setstate__(self: Any, state: tuple[Any, ...]) -> None:
        for slot, value in zip(slots, state, strict=True):
            slot.__set__(self, value)

    # setattr: mypy refuses a function assigned to an attribute of a type variable.
    setattr(cls, "__getstate__", __getstate__)  # noqa: B010
    setattr(cls, "__setstate__", __setstate__)  # noqa: B010
    return cls


for _record in (Site, Author, Term, TermRef, Comment, Post):
    _pickled_as_tuples(_record)

#: The record type names used in reports and JSON Lines, by class.
RECORD_TYPES: dict[type, str] = {
    Site: "site",
    Author: "author",
    Term: "term",
    Post: "post",
    Comment: "comment",
}
