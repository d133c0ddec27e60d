"""The run log: the one place where a run accounts for every record.

The pipeline hands each record to :meth:`RunLog.received` before the exporter sees it: the
record (a post with its comments) is counted seen and written. Whatever happens to it
afterwards moves it out of "written": the pipeline's filters, or the exporter, at any time
until it has finished, through :meth:`~RunLog.skip` (it could not be written) and
:meth:`~RunLog.filter` (left out on purpose, by an option or a policy). So
``seen == written + skipped + filtered`` holds by construction, for late skips too.

Exporters also leave warnings (:meth:`~RunLog.notice`) and counts by topic
(:meth:`~RunLog.tally`) here; when the run keeps every post's fate (``keep_posts``),
where each post went (:meth:`~RunLog.place`) and what is worth a look (:meth:`~RunLog.flag`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

from .records import RECORD_TYPES, Comment, Post, Record
from .report import Counts, Notice, PostFate, Report

__all__ = ["RunLog"]


class RunLog:
    """What happened to each record of one run, kept in its :class:`Report`."""

    def __init__(
        self,
        report: Report,
        *,
        progress: Callable[[str, int, int | None], None] | None = None,
        keep_posts: bool = False,
    ) -> None:
        self.report = report
        self._progress = progress
        self._fates: dict[str, PostFate] | None = {} if keep_posts else None
        if keep_posts:
            report.posts = []
        #: Warnings from the exporter (the reader's come first in the report).
        self.notices: list[Notice] = []
        # Comments already moved out of "written", by post key: a post moved later
        # takes only the rest with it.
        self._comments_moved: dict[str, int] = {}

    # --- the pipeline ----------------------------------------------------------------------

    def received(self, record: Record) -> None:
        """Count a record (a post with its comments) as seen and written."""
        for counts, n in self._buckets(record):
            counts.seen += n
            counts.written += n
        if self._fates is not None and isinstance(record, Post):
            self._keep_fate(record)

    # --- the exporter (and the pipeline's filters) -------------------------------------------

    def skip(self, record: Record, reason: str) -> None:
        """The record could not be written, for ``reason``; a post's comments with it."""
        for counts, n in self._moving(record):
            counts.written -= n
            counts.skipped[reason] += n
        self._outcome(record, "skipped", reason)

    def filter(self, record: Record, reason: str) -> None:
        """The record was left out on purpose, for ``reason``; a post's comments with it."""
        for counts, n in self._moving(record):
            counts.written -= n
            counts.filtered[reason] += n
        self._outcome(record, "filtered", reason)

    def filter_comments(self, post: Post, comments: Iterable[Comment], reason: str) -> None:
        """Some of a written post's comments were left out on purpose."""
        self._move_comments(post, comments, reason, filtered=True)

    def skip_comments(self, post: Post, comments: Iterable[Comment], reason: str) -> None:
        """Some of a written post's comments could not be written."""
        self._move_comments(post, comments, reason, filtered=False)

    def notice(self, code: str, message: str, *, key: str = "") -> None:
        """A warning for the report, with a stable ``code`` (and the post's key if any)."""
        self.notices.append(Notice(code, message, key=key))

    def tally(self, topic: str, name: str, count: int = 1) -> None:
        """Count ``name`` under ``topic`` (e.g. "unknown shortcodes", "gallery")."""
        self.report.tallies.setdefault(topic, Counter())[name] += count

    @property
    def keeps_posts(self) -> bool:
        """Whether this run keeps every post's fate: without it, ``place`` and ``flag``
        are no-ops, and an exporter can skip the work of calling them."""
        return self._fates is not None

    def place(self, key: str, where: str) -> None:
        """Where the post ``key`` was written (a file, a line, a row), for the report."""
        if self._fates is not None and key in self._fates:
            self._fates[key].where = where

    def flag(self, key: str, topic: str, name: str) -> None:
        """Something about the post ``key`` worth a look (e.g. an unknown shortcode)."""
        if self._fates is not None and key in self._fates:
            names = self._fates[key].flags.setdefault(topic, [])
            if name not in names:
                names.append(name)

    def progress(self, phase: str, done: int, total: int | None) -> None:
        """How far a long phase of the exporter has come (e.g. "writing", posts)."""
        if self._progress is not None:
            self._progress(phase, done, total)

    # --- inside ------------------------------------------------------------------------------

    def _keep_fate(self, post: Post) -> None:
        assert self._fates is not None and self.report.posts is not None
        when = post.date or post.date_gmt
        fate = PostFate(
            key=post.key,
            id=post.id,
            type=post.type,
            status=post.status,
            title=post.title,
            date=when.strftime("%Y-%m-%d") if when else "",
            link=post.link,
            size=len(post.content),
            comments=len(post.comments),
        )
        self._fates.setdefault(post.key, fate)
        self.report.posts.append(fate)
        for comment in post.comments:
            when = comment.date or comment.date_gmt
            if when:
                self.report.comment_years[f"{when.year:04d}"] += 1

    def _outcome(self, record: Record, outcome: str, reason: str) -> None:
        if self._fates is not None and isinstance(record, Post) and record.key in self._fates:
            fate = self._fates[record.key]
            fate.outcome, fate.reason = outcome, reason

    def _buckets(self, record: Record) -> list[tuple[Counts, int]]:
        report = self.report
        buckets = [(report.counts(RECORD_TYPES[type(record)]), 1)]
        if isinstance(record, Post):
            buckets.append((report.post_type(record.type), 1))
            if record.comments:
                buckets.append((report.counts("comment"), len(record.comments)))
        return buckets

    def _moving(self, record: Record) -> list[tuple[Counts, int]]:
        buckets = self._buckets(record)
        if isinstance(record, Post) and record.comments:
            moved = self._comments_moved.pop(record.key, 0)
            counts, n = buckets[-1]
            buckets[-1] = (counts, n - moved)
        return buckets

    def _move_comments(
        self, post: Post, comments: Iterable[Comment], reason: str, *, filtered: bool
    ) -> None:
        n = sum(1 for _ in comments)
        if not n:
            return
        counts = self.report.counts("comment")
        counts.written -= n
        (counts.filtered if filtered else counts.skipped)[reason] += n
        self._comments_moved[post.key] = self._comments_moved.get(post.key, 0) + n
