"""An independent count of what an export holds, made with the standard library's parser.

It shares no code with wpmigrate: xml.etree reads the whole file, and namespaces are
matched by URI pattern here too, but by separate code, so the two can disagree.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import unquote

_WXR = re.compile(r"\{https?://wordpress\.org/export/[0-9.]+/\}(.+)")


def _local(tag: str) -> str | None:
    match = _WXR.fullmatch(tag)
    return match.group(1) if match else None


def independent_counts(path: Path) -> dict[str, Any]:
    """Items by post type, comments, and channel authors/terms, counted by xml.etree."""
    data = path.read_bytes()
    start = data.find(b"<?xml")
    if start > 0 and not data[:start].strip() == b"":
        data = data[start:]  # junk before the declaration (tested with the repair on)
    if b"xmlns:atom" not in data[:5000] and b"<atom:" in data:
        data = data.replace(b"<rss ", b'<rss xmlns:atom="http://www.w3.org/2005/Atom" ', 1)
    root = ET.fromstring(data.lstrip())
    posts: Counter[str] = Counter()
    comments: Counter[str] = Counter()
    channel_items: Counter[str] = Counter()
    term_keys: set[str] = set()
    for item in root.iter("item"):
        post_type = "post"
        for child in item:
            if _local(child.tag) == "post_type" and (child.text or "").strip():
                post_type = (child.text or "").strip()
            if _local(child.tag) == "comment":
                comments["comment"] += 1
        posts[post_type] += 1
    channel = root.find("channel")
    if channel is not None:
        for child in channel:
            name = _local(child.tag)
            if name in ("author", "category", "tag", "term"):
                channel_items[name] += 1
            if name in ("category", "tag", "term"):
                term_keys.add(_term_key(name, child))
    return {"posts": posts, "comments": comments, "channel": channel_items, "terms": term_keys}


def _term_key(kind: str, element: ET.Element) -> str:
    fields = {_local(c.tag): (c.text or "").strip() for c in element}
    taxonomy = {"category": "category", "tag": "post_tag"}.get(kind) or fields.get(
        "term_taxonomy", ""
    )
    slug_field = {"category": "category_nicename", "tag": "tag_slug", "term": "term_slug"}[kind]
    return f"{taxonomy}:{unquote(fields.get(slug_field, ''))}"
