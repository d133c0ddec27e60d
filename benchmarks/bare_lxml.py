"""The baseline: a bare lxml iterparse loop that reads every field of every item into a dict."""

from __future__ import annotations

import sys
from collections.abc import Iterator

from lxml import etree


def items(path: str) -> Iterator[etree._Element]:
    """Every <item>, each cleared (with the siblings before it) once the caller is done."""
    for _event, item in etree.iterparse(
        path, events=("end",), tag="item", huge_tree=True, resolve_entities=False, no_network=True
    ):
        yield item
        item.clear(keep_tail=True)
        while item.getprevious() is not None:
            del item.getparent()[0]


def read_all(path: str) -> int:
    n = 0
    for item in items(path):
        record: dict[str, object] = {}
        for child in item:
            if len(child):  # wp:postmeta, wp:comment: nested fields
                nested = {sub.tag: sub.text for sub in child}
                record.setdefault(child.tag, []).append(nested)  # type: ignore[union-attr]
            else:
                record[child.tag] = child.text
                if child.attrib:
                    record[child.tag + "@"] = dict(child.attrib)
        n += 1
    return n


if __name__ == "__main__":
    print(read_all(sys.argv[1]))
