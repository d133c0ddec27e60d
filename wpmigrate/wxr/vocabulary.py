"""The WXR vocabulary: element names matched by namespace URI, never by prefix.

Every WXR version (1.0, 1.1, 1.2) over ``http`` or ``https`` is one vocabulary, read as
short names (``wp:post_id``, ``content:encoded``, ``excerpt:encoded``, ``dc:creator``).
Splitting an element's children by those names is the reader's hot path.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["Vocabulary", "WXR_NAMESPACE", "KNOWN_VERSIONS", "is_wxr_namespace"]

WXR_NAMESPACE = re.compile(r"https?://wordpress\.org/export/([0-9]+\.[0-9]+)/")
_EXCERPT_NAMESPACE = re.compile(r"https?://wordpress\.org/export/[0-9]+\.[0-9]+/excerpt/")
_CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
_DC_NS = "http://purl.org/dc/elements/1.1/"
KNOWN_VERSIONS = frozenset({"1.0", "1.1", "1.2"})


def is_wxr_namespace(uri: str | None) -> bool:
    return bool(uri) and WXR_NAMESPACE.fullmatch(uri or "") is not None


class Vocabulary:
    """Short names for element tags, worked out once per tag and cached.

    ``wp:`` names for the WXR namespace of any version, ``content``, ``excerpt``,
    ``creator`` for the others, plain names for RSS elements and '' for anything unknown.
    """

    def __init__(self) -> None:
        self.names: dict[Any, str] = {}

    def name(self, tag: Any) -> str:
        found = self.names.get(tag)
        if found is None:
            found = self.names[tag] = _classify(tag)
        return found

    def texts(self, elem: Any) -> dict[str, str | None]:
        """A parent's children as {short name: text}, the first of each name."""
        return self.split(elem)[0]

    def split(
        self, elem: Any, collect: frozenset[str] = frozenset()
    ) -> tuple[dict[str, str | None], dict[str, list[Any]], list[str]]:
        """A parent's children, in one pass (the hot path of the reader).

        Returns the text of the first child of each name, the children whose names are in
        ``collect`` (repeated elements: categories, meta, comments), and unknown tags.
        """
        names = self.names
        fields: dict[str, str | None] = {}
        collected: dict[str, list[Any]] = {name: [] for name in collect}
        unknown: list[str] = []
        for child in elem:
            tag = child.tag
            name = names.get(tag)
            if name is None:
                name = self.name(tag)
            if name in collected:
                collected[name].append(child)
            elif name:
                if name not in fields:
                    fields[name] = child.text
            elif isinstance(tag, str):
                unknown.append(tag)
        return fields, collected, unknown


def _classify(tag: Any) -> str:
    if not isinstance(tag, str):
        return ""  # comments and processing instructions
    if tag[0] != "{":
        # An undeclared prefix (old WordPress.com 'atom:') leaves 'prefix:name' as the tag.
        return tag if ":" not in tag else ""
    uri, local = tag[1:].split("}", 1)
    if WXR_NAMESPACE.fullmatch(uri):
        return "wp:" + local
    if uri == _CONTENT_NS and local == "encoded":
        return "content"
    if _EXCERPT_NAMESPACE.fullmatch(uri) and local == "encoded":
        return "excerpt"
    if uri == _DC_NS and local == "creator":
        return "creator"
    return ""
