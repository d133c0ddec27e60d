"""The WXR vocabulary: element names matched by namespace URI, never by prefix.

Every WXR version (1.0, 1.1, 1.2) over ``http`` or ``https`` is one vocabulary, read as
short names (``wp:post_id``, ``content:encoded``, ``excerpt:encoded``, ``dc:creator``).
Reading an element's children by those names (:class:`FieldTable`) is the reader's hot
path.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = [
    "Vocabulary",
    "FieldTable",
    "WXR_NAMESPACE",
    "KNOWN_VERSIONS",
    "is_wxr_namespace",
]

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
        self._tables: dict[tuple[tuple[str, ...], tuple[str, ...]], FieldTable] = {}

    def table(self, fields: tuple[str, ...], repeats: tuple[str, ...] = ()) -> FieldTable:
        """The table reading elements with these fields and repeated children."""
        found = self._tables.get((fields, repeats))
        if found is None:
            found = self._tables[fields, repeats] = FieldTable(self, fields, repeats)
        return found

    def name(self, tag: Any) -> str:
        found = self.names.get(tag)
        if found is None:
            found = self.names[tag] = _classify(tag)
        return found


#: Where a child goes that is not a field's text: a name this kind of element does not
#: read, and a name outside the vocabulary (reported).
SKIP = -1
UNKNOWN = -2


class FieldTable:
    """How to read the children of one kind of element (an item, a comment, a meta pair)
    in one pass: each tag, worked out once, maps to the slot of a field (the text of the
    first child of that name), of a repeated element (collected), or SKIP / UNKNOWN.

    A list of slots filled by a dict lookup per child is what keeps the reader close to
    the bare parse loop: no dict of names per element, no lookups by name afterwards.
    """

    def __init__(
        self, vocab: Vocabulary, fields: tuple[str, ...], repeats: tuple[str, ...] = ()
    ) -> None:
        self.vocab = vocab
        self.width = len(fields)
        self.repeats = len(repeats)
        self._named = {name: n for n, name in enumerate(fields + repeats)}
        self.slots: dict[Any, int] = {}

    def _learn(self, tag: Any) -> int:
        name = self.vocab.name(tag)
        slot = self._named.get(name)
        if slot is None:
            slot = SKIP if name or not isinstance(tag, str) else UNKNOWN
        self.slots[tag] = slot
        return slot

    def read(self, elem: Any) -> tuple[list[str | None], list[list[Any]], list[str]]:
        """The fields' texts (None where absent), the repeated children by kind, and the
        tags outside the vocabulary."""
        values: list[str | None] = [None] * self.width
        groups: list[list[Any]] = [[] for _ in range(self.repeats)]
        unknown: list[str] = []
        slots = self.slots
        width = self.width
        for child in elem:
            tag = child.tag
            slot = slots.get(tag)
            if slot is None:
                slot = self._learn(tag)
            if slot >= width:
                groups[slot - width].append(child)
            elif slot >= 0:
                if values[slot] is None:
                    values[slot] = child.text or ""
            elif slot == UNKNOWN:
                unknown.append(tag)
        return values, groups, unknown


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
