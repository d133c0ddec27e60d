"""What a run did: counts per record type and post type, warnings, and where input broke.

Every item read ends in exactly one bucket: written, skipped (could not be written, with a
reason) or filtered (left out on purpose, by an option or the exporter's policy), so
``seen == written + skipped + filtered`` holds per record type and per post type.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from .errors import InputError, WpmigrateError

__all__ = ["Notice", "Counts", "Report", "PostFate"]


@dataclass(frozen=True, slots=True)
class Notice:
    """A warning about one item or about the input: a stable code and a sentence."""

    code: str
    message: str
    file: str = ""
    line: int | None = None
    key: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Counts:
    """Seen, written, skipped (by reason) and filtered (by reason) for one kind of item."""

    seen: int = 0
    written: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    filtered: Counter[str] = field(default_factory=Counter)

    def balanced(self) -> bool:
        return self.seen == self.written + sum(self.skipped.values()) + sum(self.filtered.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "seen": self.seen,
            "written": self.written,
            "skipped": dict(sorted(self.skipped.items())),
            "filtered": dict(sorted(self.filtered.items())),
        }


@dataclass(slots=True)
class PostFate:
    """What became of one post (of any type): kept in the report when asked
    (``--report``, ``--report-html``), for a table of every post."""

    key: str
    id: Any
    type: str
    status: str
    title: str
    #: The post's date, ``YYYY-MM-DD`` ("" when it has none).
    date: str
    #: Its URL on the old site.
    link: str
    #: Characters of content: the largest posts are charted.
    size: int
    comments: int
    outcome: str = "written"
    reason: str = ""
    #: Where it went: a file, a line, a row ("" for the output as a whole).
    where: str = ""
    #: Details by topic, e.g. {"unknown shortcodes": ["foo"]}.
    flags: dict[str, list[str]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Report:
    """The outcome of one run over one input."""

    input: str = ""
    exporter: str = ""
    output: str = ""
    records: dict[str, Counts] = field(default_factory=dict)
    post_types: dict[str, Counts] = field(default_factory=dict)
    notices: list[Notice] = field(default_factory=list)
    repairs: Counter[str] = field(default_factory=Counter)
    #: What the exporter counted, by topic (e.g. "unknown shortcodes": {"foo": 2}).
    tallies: dict[str, Counter[str]] = field(default_factory=dict)
    #: What stopped the run: the input broke or was refused (items before a break are
    #: still written), or, in a batch, this input's usage or output error.
    failure: WpmigrateError | None = field(default=None, repr=False)
    #: ``--strict``: any warning makes the run fail (exit 1).
    strict: bool = False
    bytes_read: int = 0
    seconds: float = 0.0
    #: Every post's fate, in export order, when the run was asked to keep them (else None).
    posts: list[PostFate] | None = None
    #: Comments by the year they were written (kept with ``posts``).
    comment_years: Counter[str] = field(default_factory=Counter)

    def counts(self, record_type: str) -> Counts:
        found = self.records.get(record_type)
        if found is None:
            found = self.records[record_type] = Counts()
        return found

    def post_type(self, post_type: str) -> Counts:
        found = self.post_types.get(post_type)
        if found is None:
            found = self.post_types[post_type] = Counts()
        return found

    @property
    def skipped_total(self) -> int:
        return sum(sum(c.skipped.values()) for c in self.records.values())

    @property
    def error(self) -> dict[str, Any] | None:
        """The failure as plain data (where the input broke), or None."""
        failure = self.failure
        if failure is None:
            return None
        if isinstance(failure, InputError):
            return failure.as_dict()
        return {"kind": type(failure).__name__, "message": failure.one_line()}

    @property
    def exit_code(self) -> int:
        """0 all written, 1 some items not written (or a warning under ``strict``), 2 a
        usage error, 3 the input broke or was refused."""
        if self.failure is not None:
            return self.failure.exit_code
        if self.skipped_total or (self.strict and self.notices):
            return 1
        return 0

    def balanced(self) -> bool:
        """Whether every item seen is accounted for."""
        return all(c.balanced() for c in [*self.records.values(), *self.post_types.values()])

    def as_dict(self) -> dict[str, Any]:
        """The report as plain data, for ``--report FILE``."""
        by_code = Counter(n.code for n in self.notices)
        return {
            "input": self.input,
            "exporter": self.exporter,
            "output": self.output,
            "exit_code": self.exit_code,
            "records": {k: v.as_dict() for k, v in sorted(self.records.items())},
            "post_types": {k: v.as_dict() for k, v in sorted(self.post_types.items())},
            "warnings_by_code": dict(sorted(by_code.items())),
            "warnings": [n.as_dict() for n in self.notices],
            "repairs": dict(sorted(self.repairs.items())),
            "tallies": {k: dict(sorted(v.items())) for k, v in sorted(self.tallies.items())},
            "error": self.error,
            "bytes_read": self.bytes_read,
            "seconds": round(self.seconds, 3),
            **(
                {
                    "posts": [fate.as_dict() for fate in self.posts],
                    "comments_per_year": dict(sorted(self.comment_years.items())),
                }
                if self.posts is not None
                else {}
            ),
        }

    def summary(self) -> str:
        """A screenful for people, written to stderr at the end of a run."""
        lines = [f"{self.input} -> {self.output or '-'} ({self.exporter})"]
        for name, counts in sorted(self.post_types.items()):
            lines.append("  " + _count_line(name, counts))
        for name in ("author", "term", "comment"):
            if name in self.records:
                lines.append("  " + _count_line(name + "s", self.records[name]))
        if self.repairs:
            done = ", ".join(f"{k} {v}" for k, v in sorted(self.repairs.items()))
            lines.append(f"  repairs: {done}")
        for topic, tally in sorted(self.tallies.items()):
            if tally:
                top = ", ".join(f"{name} {n}" for name, n in tally.most_common(8))
                more = f" and {len(tally) - 8} more" if len(tally) > 8 else ""
                lines.append(f"  {topic}: {sum(tally.values())} ({top}{more})")
        if self.notices:
            by_code = Counter(n.code for n in self.notices)
            top = ", ".join(f"{code} {n}" for code, n in by_code.most_common(6))
            lines.append(f"  warnings: {len(self.notices)} ({top})")
        if self.seconds > 0 and self.bytes_read:
            rate = self.bytes_read / self.seconds / 1e6
            lines.append(
                f"  {self.bytes_read / 1e6:.1f} MB in {self.seconds:.2f} s ({rate:.1f} MB/s)"
            )
        return "\n".join(lines)


def _count_line(name: str, counts: Counts) -> str:
    text = f"{name}: {counts.seen} seen, {counts.written} written"
    for label, bucket in (("skipped", counts.skipped), ("filtered", counts.filtered)):
        if bucket:
            reasons = ", ".join(f"{reason} {n}" for reason, n in sorted(bucket.items()))
            text += f", {sum(bucket.values())} {label} ({reasons})"
    return text
