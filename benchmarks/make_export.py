"""Build a large, valid WXR export of a given size from real items.

Items are taken byte for byte from real exports (the bundled fixtures and, when present,
../shared/corpus/real), and repeated with fresh post ids, slugs, guids and comment ids
until the file reaches the size asked for::

    python benchmarks/make_export.py --size-mb 100 --out bench-data/100mb.xml
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator
from itertools import count
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCES = [
    ROOT / "fixtures" / "nummer15-wordpress-com.xml",
    ROOT / "fixtures" / "features-1.2.xml",
    *sorted((ROOT.parent / "shared" / "corpus" / "real").glob("*.xml")),
]
HEADER = b"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
\txmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
\txmlns:content="http://purl.org/rss/1.0/modules/content/"
\txmlns:wfw="http://wellformedweb.org/CommentAPI/"
\txmlns:dc="http://purl.org/dc/elements/1.1/"
\txmlns:wp="http://wordpress.org/export/1.2/"
>
<channel>
\t<title>Benchmark Site</title>
\t<link>https://bench.example.org</link>
\t<description>Generated from real items</description>
\t<language>en</language>
\t<wp:wxr_version>1.2</wp:wxr_version>
\t<wp:base_site_url>https://bench.example.org</wp:base_site_url>
\t<wp:base_blog_url>https://bench.example.org</wp:base_blog_url>
\t<generator>https://wordpress.org/?v=6.5.4</generator>
"""
FOOTER = b"</channel>\n</rss>\n"
_ITEM = re.compile(rb"<item>.*?</item>", re.DOTALL)
_POST_ID = re.compile(rb"<wp:post_id>[^<]*</wp:post_id>")
_SLUG = re.compile(rb"<wp:post_name>(?:<!\[CDATA\[)?([^<\]]*)(?:\]\]>)?</wp:post_name>")
_GUID = re.compile(rb"<guid([^>]*)>[^<]*</guid>")
_COMMENT_ID = re.compile(rb"<wp:comment_id>([^<]*)</wp:comment_id>")
_COMMENT_PARENT = re.compile(rb"<wp:comment_parent>([^<]*)</wp:comment_parent>")


def _renumber_comments(item: bytes, comment_ids: Iterator[int]) -> bytes:
    """New comment ids, and each reply's parent renumbered with its parent."""
    new_ids: dict[bytes, bytes] = {}

    def new_id(match: re.Match[bytes]) -> bytes:
        new_ids[match.group(1).strip()] = b"%d" % next(comment_ids)
        return b"<wp:comment_id>%s</wp:comment_id>" % new_ids[match.group(1).strip()]

    item = _COMMENT_ID.sub(new_id, item)
    return _COMMENT_PARENT.sub(
        lambda m: (
            b"<wp:comment_parent>%s</wp:comment_parent>" % new_ids.get(m.group(1).strip(), b"0")
        ),
        item,
    )


def real_items(sources: list[Path]) -> list[bytes]:
    """Items from exports that use the standard prefixes and are well-formed."""
    items: list[bytes] = []
    for path in sources:
        data = path.read_bytes()
        if b'xmlns:wp="http://wordpress.org/export/1.2/"' not in data or b"<atom:" in data:
            continue
        if b"]]]]><![CDATA[>" in data:
            continue  # keeps the regex split simple
        items.extend(match.group() for match in _ITEM.finditer(data))
    if not items:
        raise SystemExit("no usable source exports found")
    return items


def build(target: Path, size_mb: float, sources: list[Path]) -> int:
    items = real_items(sources)
    limit = int(size_mb * 1_000_000) - len(FOOTER)
    ids = count(1)
    comment_ids = count(1)
    written = len(HEADER)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as out:
        out.write(HEADER)
        n = 0
        while written < limit:
            item = items[n % len(items)]
            post_id = next(ids)
            item = _POST_ID.sub(b"<wp:post_id>%d</wp:post_id>" % post_id, item, count=1)
            item = _SLUG.sub(
                lambda m, n=post_id: (
                    b"<wp:post_name><![CDATA[%s-%d]]></wp:post_name>" % (m.group(1)[:150], n)
                ),
                item,
                count=1,
            )
            item = _GUID.sub(
                lambda m, n=post_id: (
                    b"<guid%s>https://bench.example.org/?p=%d</guid>" % (m.group(1), n)
                ),
                item,
                count=1,
            )
            item = _renumber_comments(item, comment_ids)
            out.write(b"\t" + item + b"\n")
            written += len(item) + 2
            n += 1
        out.write(FOOTER)
    return n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=float, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--source", type=Path, action="append", help="export to take items from")
    args = parser.parse_args()
    n = build(args.out, args.size_mb, args.source or DEFAULT_SOURCES)
    print(f"{args.out}: {n} items, {args.out.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
