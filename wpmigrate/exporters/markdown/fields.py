"""A post's front matter fields and its comment thread, from the record and the site.

Fields are built under our own names (see :data:`wpmigrate.presets.FIELDS`) and then
renamed or left out as the preset, or ``-O fields=``, says.
"""

from __future__ import annotations

import html
import re
from datetime import datetime
from typing import Any

from ...records import Comment, Post

__all__ = [
    "post_fields",
    "comment_thread",
    "plain_text",
    "DRAFT_STATUSES",
    "hidden_reason",
    "is_draft",
]

#: Statuses whose posts the public never saw: written as drafts, in each generator's way.
DRAFT_STATUSES = frozenset({"draft", "pending", "auto-draft", "future"})


def is_draft(post: Post) -> bool:
    """Written as a draft: the public never saw it (unwritten, scheduled, or hidden)."""
    return post.status in DRAFT_STATUSES or hidden_reason(post) is not None


def hidden_reason(post: Post) -> str | None:
    """Why WordPress kept this post from the public (private, or behind a password)."""
    if post.status == "private":
        return "private"
    # Only blanks is the padding of a re-indented export, not a password anyone could type.
    if post.password.strip():
        return "password-protected"
    return None


_TAG = re.compile(r"<[^>]+>")


def _text(value: str) -> str:
    """A title or name as the reader sees it: HTML entities decoded."""
    return html.unescape(value) if "&" in value else value


def plain_text(markup: str) -> str:
    """An excerpt as one plain line (front matter is no place for HTML)."""
    return " ".join(html.unescape(_TAG.sub(" ", markup)).split())


def _date(value: datetime | None) -> datetime | None:
    return value.replace(microsecond=0) if value is not None else None


def post_fields(
    post: Post,
    *,
    draft: bool,
    published: bool | None = None,
    slug: str,
    author: str,
    permalink: str,
    aliases: list[str],
    featured_image: str | None,
    comments: list[dict[str, Any]] | None,
    layout: str,
) -> dict[str, Any]:
    """Every field we know, under our names, None where a post has nothing to say."""
    # WordPress stores titles and names with HTML entities ("Tips &amp; Tricks"):
    # front matter holds the text a reader sees.
    categories = [_text(t.name or t.slug) for t in post.terms if t.taxonomy == "category"]
    tags = [_text(t.name or t.slug) for t in post.terms if t.taxonomy == "post_tag"]
    taxonomies: dict[str, list[str]] = {}
    for ref in post.terms:
        if ref.taxonomy not in ("category", "post_tag", "nav_menu"):
            taxonomies.setdefault(ref.taxonomy, []).append(_text(ref.name or ref.slug))
    return {
        "layout": layout,
        "title": _text(post.title),
        "date": _date(post.date or post.date_gmt),
        "lastmod": _date(post.modified or post.modified_gmt),
        "slug": slug or None,
        "permalink": permalink,
        "draft": draft or None,
        "published": published,
        "status": post.status or None,
        "type": post.type,
        "author": _text(author) or None,
        "categories": categories or None,
        "tags": tags or None,
        "taxonomies": taxonomies or None,
        "summary": plain_text(post.excerpt) or None,
        "aliases": aliases or None,
        "featured_image": featured_image,
        "id": post.id,
        "comments": comments,
    }


def comment_thread(
    comments: tuple[Comment, ...], bodies: list[str], statuses: frozenset[str]
) -> list[dict[str, Any]]:
    """The comments with the wanted statuses, replies nested under their parents."""
    nodes: list[tuple[Comment, dict[str, Any]]] = []
    by_id: dict[object, dict[str, Any]] = {}
    for comment, body in zip(comments, bodies, strict=True):
        if comment.status not in statuses:
            continue
        node: dict[str, Any] = {"id": comment.id, "author": comment.author}
        if comment.author_url:
            node["author_url"] = comment.author_url
        if comment.date or comment.date_gmt:
            node["date"] = _date(comment.date or comment.date_gmt)
        if comment.type != "comment":
            node["type"] = comment.type
        if comment.status != "approved":
            node["status"] = comment.status
        node["content"] = body
        nodes.append((comment, node))
        if comment.id is not None:
            by_id.setdefault(comment.id, node)
    parent_of = {c.id: c.parent_id for c, _ in nodes if c.id is not None}
    top: list[dict[str, Any]] = []
    for comment, node in nodes:
        parent = by_id.get(comment.parent_id) if comment.parent_id else None
        if parent is not None and not _in_a_loop(comment.id, parent_of):
            parent.setdefault("replies", []).append(node)
        else:
            top.append(node)  # no parent, a parent left out, or a loop: kept at the top
    return top


def _in_a_loop(start: Any, parent_of: dict[Any, Any]) -> bool:
    seen = {start}
    current = parent_of.get(start)
    while current:
        if current in seen:
            return True
        seen.add(current)
        current = parent_of.get(current)
    return False
