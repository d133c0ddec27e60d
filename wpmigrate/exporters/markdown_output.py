"""The Markdown exporter's last step, writing every post's files, spread over processes.

By then every path, link and media file is known. Each worker gets a range of post
numbers, reads those posts from the spool file itself (by offset), assembles their
files and writes them; what it counted comes back to be merged in order. Workers are
forked, so they start with everything the exporter knows and nothing is sent to them
but the ranges.
"""

from __future__ import annotations

import pickle
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..errors import OutputError
from ..frontmatter import FrontMatterError
from ..links import SiteLinks
from ..pool import fork_context
from ..records import Post
from .markdown_site import assemble

if TYPE_CHECKING:
    from .markdown import MarkdownExporter

__all__ = ["write_posts", "Written"]

_RANGE = 64
#: The exporter whose posts are being written; forked workers inherit it.
_CURRENT: tuple[MarkdownExporter, list[str], SiteLinks, list[int], str] | None = None


@dataclass
class Written:
    files: list[str] = field(default_factory=list)
    tallies: dict[str, Counter[str]] = field(default_factory=dict)
    #: (post, reason) for posts whose front matter could not be written.
    failed: list[tuple[Post, str]] = field(default_factory=list)

    def merge(self, other: Written) -> None:
        self.files.extend(other.files)
        for topic, tally in other.tallies.items():
            self.tallies.setdefault(topic, Counter()).update(tally)
        self.failed.extend(other.failed)


def _write_range(bounds: tuple[int, int]) -> Written:
    assert _CURRENT is not None
    exporter, paths, links, offsets, spool = _CURRENT
    out = Written()
    with open(spool, "rb") as handle:
        for number in range(*bounds):
            handle.seek(offsets[number])
            post, converted, comment_bodies = pickle.load(handle)
            for topic, tally in (("unknown shortcodes", converted.unknown_shortcodes),
                                 ("dynamic blocks", converted.dynamic_blocks),
                                 ("kept as HTML", converted.raw_html),
                                 ("template syntax escaped", converted.templates_escaped)):
                if tally:
                    out.tallies.setdefault(topic, Counter()).update(tally)
            try:
                files = assemble(exporter, post, converted, comment_bodies, paths[number],
                                 links, out.tallies)
            except FrontMatterError as exc:
                out.failed.append((post, str(exc)))
                continue
            for relative, data in files:
                exporter.folder.write_file(relative, data)
                out.files.append(relative)
    return out


def write_posts(exporter: MarkdownExporter, paths: list[str], links: SiteLinks,
                offsets: list[int], spool: str, jobs: int) -> Written:
    """Every spooled post's files, written; in export order, whatever the jobs."""
    global _CURRENT
    _CURRENT = (exporter, paths, links, offsets, spool)
    ranges = [(n, min(n + _RANGE, len(offsets))) for n in range(0, len(offsets), _RANGE)]
    total = Written()
    done = 0

    def merge(bounds: tuple[int, int], part: Written) -> None:
        nonlocal done
        total.merge(part)
        done += bounds[1] - bounds[0]
        exporter.log.progress("writing", done, len(offsets))

    try:
        context = fork_context()  # the workers must inherit the exporter: fork only
        if jobs > 1 and len(ranges) > 1 and context is not None:
            with ProcessPoolExecutor(jobs, mp_context=context) as pool:
                for bounds, part in zip(ranges, pool.map(_write_range, ranges), strict=True):
                    merge(bounds, part)
        else:
            for bounds in ranges:
                merge(bounds, _write_range(bounds))
    except BrokenProcessPool:
        raise OutputError("a worker process stopped abruptly while writing; "
                          "try --jobs 1") from None
    finally:
        _CURRENT = None
    return total
