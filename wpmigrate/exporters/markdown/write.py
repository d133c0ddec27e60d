"""The last phase: every post's files written, spread over forked processes.

By then the plan holds every path, link and media URL. Each worker takes a range of post
numbers, reads those posts from the spool file itself (by offset), assembles their files
and writes them into the output folder; what it wrote and counted comes back and is
merged in order. The plan reaches the workers by inheritance (they are forked): nothing
but the ranges is sent to them.
"""

from __future__ import annotations

import pickle
from array import array
from collections import Counter
from dataclasses import dataclass, field

from ...packed import PackedStrings
from ...pool import forked_map
from ...records import Post
from ..base import FolderTarget, RunLog
from .assemble import assemble
from .frontmatter import FrontMatterError
from .plan import SitePlan

__all__ = ["Spool", "Written", "write_posts"]

_RANGE = 64


@dataclass(frozen=True)
class Spool:
    """Where the converted posts wait: a file, and each post's offset in it (an array:
    reading one writes to no object the forked writers share)."""

    path: str
    offsets: array[int]


@dataclass
class Written:
    #: One per post or more: packed (and, for the whole run, on disk).
    files: PackedStrings = field(default_factory=PackedStrings)
    tallies: dict[str, Counter[str]] = field(default_factory=dict)
    #: (post, reason) for posts whose front matter could not be written.
    failed: list[tuple[Post, str]] = field(default_factory=list)
    #: (post key, topic, name): what a reader of the report should look at, per post.
    flags: list[tuple[str, str, str]] = field(default_factory=list)
    #: (post key, file) for every post written.
    placed: list[tuple[str, str]] = field(default_factory=list)

    def merge(self, other: Written) -> None:
        self.files.extend(other.files)
        self.flags.extend(other.flags)
        self.placed.extend(other.placed)
        for topic, tally in other.tallies.items():
            self.tallies.setdefault(topic, Counter()).update(tally)
        self.failed.extend(other.failed)


@dataclass(frozen=True)
class _Job:
    plan: SitePlan
    spool: Spool
    folder: FolderTarget
    #: Tell where each post went and what to look at (the run keeps every post's fate).
    fates: bool


def _write_range(job: _Job, bounds: tuple[int, int]) -> Written:
    out = Written()
    with open(job.spool.path, "rb") as handle:
        for number in range(*bounds):
            handle.seek(job.spool.offsets[number])
            post, converted, comment_bodies = pickle.load(handle)
            tallies: dict[str, Counter[str]] = {}
            for topic, tally in (
                ("unknown shortcodes", converted.unknown_shortcodes),
                ("dynamic blocks", converted.dynamic_blocks),
                ("kept as HTML", converted.raw_html),
                ("template syntax escaped", converted.templates_escaped),
            ):
                if tally:
                    tallies[topic] = Counter(tally)
            try:
                files = assemble(
                    job.plan,
                    post,
                    converted,
                    comment_bodies,
                    job.plan.paths[number],
                    tallies,
                    slug=job.plan.slugs[number],
                    url=job.plan.urls[number],
                )
            except FrontMatterError as exc:
                out.failed.append((post, str(exc)))
                continue
            finally:
                for topic, tally in tallies.items():
                    out.tallies.setdefault(topic, Counter()).update(tally)
            if job.fates:
                out.flags.extend(_flags(post.key, tallies))
                out.placed.append((post.key, files[0][0]))
            for relative, data in files:
                job.folder.write_file(relative, data)
                out.files.append(relative)
    return out


#: What a post's tallies hold that a reader of the report should look at.
_WORTH_A_LOOK = {"gallery images": "not in the export", "reusable blocks": "not in the export"}


def _flags(key: str, tallies: dict[str, Counter[str]]) -> list[tuple[str, str, str]]:
    flags = [(key, "unknown shortcodes", name) for name in tallies.get("unknown shortcodes", ())]
    flags += [
        (key, "missing references", topic)
        for topic, name in _WORTH_A_LOOK.items()
        if topic in tallies and tallies[topic][name]
    ]
    return flags


def write_posts(
    plan: SitePlan, spool: Spool, folder: FolderTarget, log: RunLog, jobs: int
) -> Written:
    """Every spooled post's files, written; in export order, whatever the jobs."""
    total = len(spool.offsets)
    ranges = [(n, min(n + _RANGE, total)) for n in range(0, total, _RANGE)]
    written = Written(files=PackedStrings(on_disk=True))
    done = 0
    for bounds, part in zip(
        ranges,
        forked_map(_write_range, _Job(plan, spool, folder, log.keeps_posts), ranges, jobs),
        strict=True,
    ):
        written.merge(part)
        done += bounds[1] - bounds[0]
        log.progress("writing", done, total)
    return written
