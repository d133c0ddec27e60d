"""Turning parsed WXR elements into records: the site, authors, terms and items.

Elements are matched by namespace URI, never by prefix: every WXR version (1.0, 1.1, 1.2)
over ``http`` or ``https`` is one vocabulary. Enumerated values, ids, dates and names are
stripped of padding (re-formatted exports pad them); content, excerpts, descriptions and
meta values are kept exactly as exported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any, Protocol

from lxml import etree

from ..records import Author, Comment, Meta, Post, Term, TermRef
from .normalize import as_utc, decode_slug, local_with_offset, parse_date, parse_id, parse_int
from .vocabulary import Vocabulary

__all__ = [
    "read_author",
    "read_term",
    "read_item",
    "read_comment",
    "read_channel_value",
    "untangle_threads",
    "Warn",
]

_COMMENT_STATUS = {"1": "approved", "0": "pending", "approve": "approved", "hold": "pending"}


class Warn(Protocol):
    """How items report an oddity: a stable code, a sentence, the item's key; and the
    thing it is about (``subject``), for warnings given once per thing."""

    def __call__(self, code: str, message: str, key: str, *, subject: str = "") -> None: ...


def _unpadded(text: str) -> str:
    """Text as stored; padding that pretty-printing added (line breaks at either end,
    as in re-formatted exports) is removed, other spaces are the author's and stay."""
    if text[:1] in ("\n", "\r") or text[-1:] in ("\n", "\r"):
        return text.strip()
    return text


_META_FIELDS = ("wp:meta_key", "wp:meta_value")


def read_meta(elem: Any, vocab: Vocabulary) -> tuple[str, str]:
    """A ``wp:postmeta``/``wp:termmeta``/``wp:commentmeta`` element as (key, value)."""
    (key, value), _, _ = vocab.table(_META_FIELDS).read(elem)
    return _unpadded(key or ""), value or ""


_AUTHOR_FIELDS = (
    "wp:author_login",
    "wp:author_id",
    "wp:author_email",
    "wp:author_display_name",
    "wp:author_first_name",
    "wp:author_last_name",
)


def read_author(elem: Any, vocab: Vocabulary) -> Author:
    values, _, _ = vocab.table(_AUTHOR_FIELDS).read(elem)
    login, id_text, email, display_name, first_name, last_name = (
        (value or "").strip() for value in values
    )
    author_id, _ = parse_id(id_text)
    return Author(
        key=login,
        id=author_id,
        login=login,
        email=email,
        display_name=display_name,
        first_name=first_name,
        last_name=last_name,
    )


# Channel term elements: the taxonomy ("": read from wp:term_taxonomy) and the fields
# for slug, name, parent, description, taxonomy and id. A tag has no parent: "(none)" is
# no name an element can have.
_TERM_ID = ("wp:term_taxonomy", "wp:term_id")
_TERM_KINDS = {
    "wp:category": (
        "category",
        ("wp:category_nicename", "wp:cat_name", "wp:category_parent", "wp:category_description")
        + _TERM_ID,
    ),
    "wp:tag": (
        "post_tag",
        ("wp:tag_slug", "wp:tag_name", "(none)", "wp:tag_description") + _TERM_ID,
    ),
    "wp:term": (
        "",
        ("wp:term_slug", "wp:term_name", "wp:term_parent", "wp:term_description") + _TERM_ID,
    ),
}
_TERM_REPEATS = ("wp:termmeta",)


def read_term(elem: Any, kind: str, vocab: Vocabulary) -> Term:
    taxonomy, names = _TERM_KINDS[kind]
    values, (metas,), _ = vocab.table(names, _TERM_REPEATS).read(elem)
    slug_text, name, parent, description, taxonomy_text, id_text = values
    if not taxonomy:
        taxonomy = (taxonomy_text or "").strip()
    slug = decode_slug(slug_text)
    term_id, _ = parse_id(id_text)
    return Term(
        key=f"{taxonomy}:{slug}",
        id=term_id,
        taxonomy=taxonomy,
        slug=slug,
        name=(name or "").strip(),
        parent=decode_slug(parent),
        description=description or "",
        meta=tuple([read_meta(child, vocab) for child in metas]),
    )


def read_term_ref(elem: Any) -> TermRef | None:
    """An item's ``<category>``; None for WXR 1.0's duplicate without a nicename."""
    attrib = elem.attrib
    name = _unpadded(elem.text or "")
    domain = (attrib.get("domain") or "category").strip()
    if domain == "tag":
        domain = "post_tag"  # WXR 1.0 spelling
    nicename = attrib.get("nicename")
    if nicename is None:
        return TermRef(taxonomy=domain, slug="", name=name)
    return TermRef(taxonomy=domain, slug=decode_slug(nicename), name=name)


def merge_term_refs(refs: list[TermRef]) -> tuple[TermRef, ...]:
    """Drop slug-less references that a full one repeats (WXR 1.0 writes both)."""
    if all(ref.slug for ref in refs):
        return tuple(refs)
    named = {(ref.taxonomy, ref.name) for ref in refs if ref.slug}
    return tuple(ref for ref in refs if ref.slug or (ref.taxonomy, ref.name) not in named)


def _dates(
    local_text: str | None,
    gmt_text: str | None,
    local_name: str,
    gmt_name: str,
    key: str,
    warn: Warn,
) -> tuple[Any, Any]:
    local, local_ok = parse_date(local_text)
    gmt, gmt_ok = parse_date(gmt_text)
    if not (local_ok and gmt_ok):
        for ok, name, text in ((local_ok, local_name, local_text), (gmt_ok, gmt_name, gmt_text)):
            if not ok:
                warn("bad-date", f"impossible date {(text or '').strip()!r} in {name}", key)
    return local_with_offset(local, gmt), as_utc(gmt)


_COMMENT_FIELDS = (
    "wp:comment_id",
    "wp:comment_author",
    "wp:comment_author_email",
    "wp:comment_author_url",
    "wp:comment_author_IP",
    "wp:comment_date",
    "wp:comment_date_gmt",
    "wp:comment_content",
    "wp:comment_approved",
    "wp:comment_type",
    "wp:comment_parent",
    "wp:comment_user_id",
)
_COMMENT_REPEATS = ("wp:commentmeta",)


def read_comment(
    elem: Any,
    vocab: Vocabulary,
    post_key: str,
    post_id: Any,
    key_for: Callable[[Any, str], str],
    warn: Warn,
) -> Comment:
    values, (metas,), _ = vocab.table(_COMMENT_FIELDS, _COMMENT_REPEATS).read(elem)
    (
        id_text,
        author,
        email,
        url,
        ip,
        date_text,
        gmt_text,
        content,
        approved,
        comment_type,
        parent_text,
        user_text,
    ) = values
    comment_id, _ = parse_id(id_text)
    key = key_for(comment_id, post_key)
    date, date_gmt = _dates(
        date_text, gmt_text, "wp:comment_date", "wp:comment_date_gmt", key, warn
    )
    status = (approved or "").strip()
    parent, _ = parse_id(parent_text)
    user, _ = parse_id(user_text)
    return Comment(
        key=key,
        id=comment_id,
        post_key=post_key,
        post_id=post_id,
        parent_id=parent or None,
        author=(author or "").strip(),
        author_email=(email or "").strip(),
        author_url=(url or "").strip(),
        author_ip=(ip or "").strip(),
        user_id=user or None,
        date=date,
        date_gmt=date_gmt,
        status=_COMMENT_STATUS.get(status, status),
        type=(comment_type or "").strip() or "comment",
        content=content or "",
        meta=tuple([read_meta(child, vocab) for child in metas]),
    )


_ITEM_FIELDS = (
    "title",
    "link",
    "guid",
    "creator",
    "content",
    "excerpt",
    "wp:post_id",
    "wp:post_date",
    "wp:post_date_gmt",
    "wp:post_modified",
    "wp:post_modified_gmt",
    "wp:comment_status",
    "wp:ping_status",
    "wp:post_name",
    "wp:status",
    "wp:post_parent",
    "wp:menu_order",
    "wp:post_type",
    "wp:post_password",
    "wp:is_sticky",
    "wp:attachment_url",
)
_ITEM_REPEATS = ("category", "wp:postmeta", "wp:comment")


def read_item(
    elem: Any,
    vocab: Vocabulary,
    key_for: Callable[[Any, str], str],
    comment_key_for: Callable[[Any, str], str],
    warn: Warn,
) -> Post:
    """Read one ``<item>`` into a Post. ``key_for(id, odd)`` hands out the post's key."""
    values, (categories, metas, comments), unknown = vocab.table(_ITEM_FIELDS, _ITEM_REPEATS).read(
        elem
    )
    (
        title,
        link,
        guid,
        creator,
        content,
        excerpt,
        id_text,
        date_text,
        gmt_text,
        modified_text,
        modified_gmt_text,
        comment_status,
        ping_status,
        slug,
        status,
        parent_text,
        menu_order,
        post_type,
        password,
        sticky,
        attachment_url,
    ) = values
    post_id, odd = parse_id(id_text)
    key = key_for(post_id, odd)
    for tag in unknown:
        warn(
            "unknown-element",
            f"element {tag} in an item is not part of WXR; ignored",
            key,
            subject=tag,
        )
    date, date_gmt = _dates(date_text, gmt_text, "wp:post_date", "wp:post_date_gmt", key, warn)
    modified, modified_gmt = _dates(
        modified_text, modified_gmt_text, "wp:post_modified", "wp:post_modified_gmt", key, warn
    )
    parent, _ = parse_id(parent_text)
    post_type = (post_type or "").strip()
    if not post_type:
        warn("missing-type", "item has no wp:post_type; read as a post", key)
        post_type = "post"
    refs = [read_term_ref(child) for child in categories]
    return Post(
        key=key,
        id=post_id,
        type=post_type,
        status=(status or "").strip(),
        title=_unpadded(title or ""),
        slug=decode_slug(slug),
        link=(link or "").strip(),
        guid=(guid or "").strip(),
        author=(creator or "").strip(),
        date=date,
        date_gmt=date_gmt,
        modified=modified,
        modified_gmt=modified_gmt,
        content=content or "",
        excerpt=excerpt or "",
        parent_id=parent or None,
        menu_order=parse_int(menu_order),
        comment_status=(comment_status or "").strip(),
        ping_status=(ping_status or "").strip(),
        password=password or "",
        sticky=parse_int(sticky) == 1,
        terms=merge_term_refs([ref for ref in refs if ref is not None]),
        meta=tuple([read_meta(child, vocab) for child in metas]),
        attachment_url=(attachment_url or "").strip(),
        comments=untangle_threads(
            tuple([read_comment(c, vocab, key, post_id, comment_key_for, warn) for c in comments]),
            warn,
        ),
    )


def read_channel_value(elem: etree._Element, vocab: Vocabulary) -> tuple[str, str] | None:
    """A channel-level scalar (title, link, wp:base_site_url...) as (field, value)."""
    name = vocab.name(elem.tag)
    field = _SITE_FIELDS.get(name)
    if field is None:
        return None
    text = elem.text or ""
    return field, text if field == "description" else text.strip()


_SITE_FIELDS = {
    "title": "title",
    "link": "link",
    "description": "description",
    "language": "language",
    "generator": "generator",
    "wp:wxr_version": "wxr_version",
    "wp:base_site_url": "base_site_url",
    "wp:base_blog_url": "base_blog_url",
}


def meta_value(meta: Meta, key: str) -> str | None:
    """The first value of a meta key, or None."""
    for k, v in meta:
        if k == key:
            return v
    return None


def untangle_threads(comments: tuple[Comment, ...], warn: Warn) -> tuple[Comment, ...]:
    """A post's comments with every reply's parent among them and no thread in a loop.

    A comment whose parent is itself, is not a comment of the same post, or closes a loop
    (the reply that closes it, in export order) loses its parent, with a warning."""
    if not any(c.parent_id for c in comments):
        return comments
    ids = {c.id for c in comments if c.id is not None}
    parent_of: dict[Any, Any] = {}
    fixed = list(comments)
    for n, comment in enumerate(comments):
        parent = comment.parent_id
        if not parent:
            continue
        problem = ""
        if parent == comment.id:
            problem = "is its own parent"
        elif parent not in ids:
            problem = f"replies to comment {parent!r}, which this post does not have"
        else:
            current: Any = parent
            seen = {comment.id}
            while current is not None and current not in seen:
                seen.add(current)
                current = parent_of.get(current)
            if current is not None:
                problem = f"replies to comment {parent!r}, whose thread leads back to it"
        if problem:
            warn(
                "comment-parent",
                f"comment {comment.id!r} {problem}: kept without a parent",
                comment.key,
            )
            fixed[n] = replace(comment, parent_id=None)
        elif comment.id is not None:
            parent_of[comment.id] = parent
    return tuple(fixed)
