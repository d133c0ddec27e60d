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


_ITEM_REPEATS = frozenset({"category", "wp:postmeta", "wp:comment"})
_COMMENT_REPEATS = frozenset({"wp:commentmeta"})
_TERM_REPEATS = frozenset({"wp:termmeta"})


def _unpadded(text: str) -> str:
    """Text as stored; padding that pretty-printing added (line breaks at either end,
    as in re-formatted exports) is removed, other spaces are the author's and stay."""
    if text[:1] in ("\n", "\r") or text[-1:] in ("\n", "\r"):
        return text.strip()
    return text


def read_meta(elem: Any, vocab: Vocabulary) -> tuple[str, str]:
    """A ``wp:postmeta``/``wp:termmeta``/``wp:commentmeta`` element as (key, value)."""
    texts = vocab.texts(elem)
    return _unpadded(texts.get("wp:meta_key") or ""), texts.get("wp:meta_value") or ""


def read_author(elem: Any, vocab: Vocabulary) -> Author:
    fields = vocab.texts(elem)

    def get(name: str) -> str:
        return (fields.get(name) or "").strip()

    login = get("wp:author_login")
    author_id, _ = parse_id(fields.get("wp:author_id"))

    return Author(
        key=login,
        id=author_id,
        login=login,
        email=get("wp:author_email"),
        display_name=get("wp:author_display_name"),
        first_name=get("wp:author_first_name"),
        last_name=get("wp:author_last_name"),
    )


# Channel term elements: (slug, name, parent, description) field names per element kind.
_TERM_FIELDS = {
    "wp:category": (
        "category",
        "wp:category_nicename",
        "wp:cat_name",
        "wp:category_parent",
        "wp:category_description",
    ),
    "wp:tag": ("post_tag", "wp:tag_slug", "wp:tag_name", "", "wp:tag_description"),
    "wp:term": ("", "wp:term_slug", "wp:term_name", "wp:term_parent", "wp:term_description"),
}


def read_term(elem: Any, kind: str, vocab: Vocabulary) -> Term:
    taxonomy, slug_name, name_name, parent_name, description_name = _TERM_FIELDS[kind]
    fields, collected, _ = vocab.split(elem, _TERM_REPEATS)
    meta = [read_meta(child, vocab) for child in collected["wp:termmeta"]]

    def get(name: str, strip: bool = True) -> str:
        text = fields.get(name) or "" if name else ""
        return text.strip() if strip else text

    if not taxonomy:
        taxonomy = get("wp:term_taxonomy")
    slug = decode_slug(get(slug_name))
    term_id, _ = parse_id(fields.get("wp:term_id"))
    return Term(
        key=f"{taxonomy}:{slug}",
        id=term_id,
        taxonomy=taxonomy,
        slug=slug,
        name=get(name_name),
        parent=decode_slug(get(parent_name)),
        description=get(description_name, strip=False),
        meta=tuple(meta),
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
    fields: dict[str, str | None], local_name: str, gmt_name: str, key: str, warn: Warn
) -> tuple[Any, Any]:
    local, local_ok = parse_date(fields.get(local_name))
    gmt, gmt_ok = parse_date(fields.get(gmt_name))
    for ok, name in ((local_ok, local_name), (gmt_ok, gmt_name)):
        if not ok:
            warn("bad-date", f"impossible date {(fields.get(name) or '').strip()!r} in {name}", key)
    return local_with_offset(local, gmt), as_utc(gmt)


def read_comment(
    elem: Any,
    vocab: Vocabulary,
    post_key: str,
    post_id: Any,
    key_for: Callable[[Any, str], str],
    warn: Warn,
) -> Comment:
    fields, collected, _ = vocab.split(elem, _COMMENT_REPEATS)
    meta = [read_meta(child, vocab) for child in collected["wp:commentmeta"]]

    def get(name: str) -> str:
        return (fields.get(name) or "").strip()

    comment_id, _ = parse_id(get("wp:comment_id"))
    key = key_for(comment_id, post_key)
    date, date_gmt = _dates(fields, "wp:comment_date", "wp:comment_date_gmt", key, warn)
    approved = get("wp:comment_approved")
    parent, _ = parse_id(get("wp:comment_parent"))
    user, _ = parse_id(get("wp:comment_user_id"))
    return Comment(
        key=key,
        id=comment_id,
        post_key=post_key,
        post_id=post_id,
        parent_id=parent or None,
        author=get("wp:comment_author"),
        author_email=get("wp:comment_author_email"),
        author_url=get("wp:comment_author_url"),
        author_ip=get("wp:comment_author_IP"),
        user_id=user or None,
        date=date,
        date_gmt=date_gmt,
        status=_COMMENT_STATUS.get(approved, approved),
        type=get("wp:comment_type") or "comment",
        content=fields.get("wp:comment_content") or "",
        meta=tuple(meta),
    )


def read_item(
    elem: Any,
    vocab: Vocabulary,
    key_for: Callable[[Any, str], str],
    comment_key_for: Callable[[Any, str], str],
    warn: Warn,
) -> Post:
    """Read one ``<item>`` into a Post. ``key_for(id, odd)`` hands out the post's key."""
    fields, collected, unknown = vocab.split(elem, _ITEM_REPEATS)
    refs = [read_term_ref(child) for child in collected["category"]]
    meta = [read_meta(child, vocab) for child in collected["wp:postmeta"]]
    comments = collected["wp:comment"]

    def get(name: str) -> str:
        return (fields.get(name) or "").strip()

    def raw(name: str) -> str:
        return fields.get(name) or ""

    post_id, odd = parse_id(fields.get("wp:post_id"))
    key = key_for(post_id, odd)
    for tag in unknown:
        warn(
            "unknown-element",
            f"element {tag} in an item is not part of WXR; ignored",
            key,
            subject=tag,
        )
    date, date_gmt = _dates(fields, "wp:post_date", "wp:post_date_gmt", key, warn)
    modified, modified_gmt = _dates(fields, "wp:post_modified", "wp:post_modified_gmt", key, warn)
    parent, _ = parse_id(get("wp:post_parent"))
    post_type = get("wp:post_type")
    if not post_type:
        warn("missing-type", "item has no wp:post_type; read as a post", key)
        post_type = "post"
    return Post(
        key=key,
        id=post_id,
        type=post_type,
        status=get("wp:status"),
        title=_unpadded(raw("title")),
        slug=decode_slug(get("wp:post_name")),
        link=get("link"),
        guid=get("guid"),
        author=get("creator"),
        date=date,
        date_gmt=date_gmt,
        modified=modified,
        modified_gmt=modified_gmt,
        content=raw("content"),
        excerpt=raw("excerpt"),
        parent_id=parent or None,
        menu_order=parse_int(get("wp:menu_order")),
        comment_status=get("wp:comment_status"),
        ping_status=get("wp:ping_status"),
        password=raw("wp:post_password"),
        sticky=parse_int(get("wp:is_sticky")) == 1,
        terms=merge_term_refs([ref for ref in refs if ref is not None]),
        meta=tuple(meta),
        attachment_url=get("wp:attachment_url"),
        comments=untangle_threads(
            tuple(read_comment(c, vocab, key, post_id, comment_key_for, warn) for c in comments),
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
