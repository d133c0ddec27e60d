"""``inspect``: what an export holds, read in one streaming pass, without writing anything."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .encode import iso
from .errors import InputError
from .records import Author, Post, Site, Term
from .report import Notice
from .wxr import DEFAULT_CHUNK_SIZE, Reader, SourceLike, display_name

__all__ = ["Inspection", "inspect"]


@dataclass
class Inspection:
    """The summary of one export."""

    input: str
    site: Site | None = None
    records: Counter[str] = field(default_factory=Counter)
    post_types: dict[str, Counter[str]] = field(default_factory=dict)
    authors: list[dict[str, Any]] = field(default_factory=list)
    taxonomies: Counter[str] = field(default_factory=Counter)
    comments: Counter[str] = field(default_factory=Counter)
    comment_types: Counter[str] = field(default_factory=Counter)
    first_date: datetime | None = None
    last_date: datetime | None = None
    notices: list[Notice] = field(default_factory=list)
    #: Where the input broke, or why it was refused.
    failure: InputError | None = field(default=None, repr=False)
    bytes_read: int = 0

    @property
    def error(self) -> dict[str, Any] | None:
        """The failure as plain data, or None."""
        return self.failure.as_dict() if self.failure is not None else None

    @property
    def exit_code(self) -> int:
        return self.failure.exit_code if self.failure is not None else 0

    def as_dict(self) -> dict[str, Any]:
        site = self.site
        return {
            "input": self.input,
            "site": None
            if site is None
            else {
                "title": site.title,
                "link": site.link,
                "language": site.language,
                "base_site_url": site.base_site_url,
                "base_blog_url": site.base_blog_url,
            },
            "wxr_version": site.wxr_version if site else None,
            "generator": site.generator if site else None,
            "records": dict(sorted(self.records.items())),
            "post_types": {k: dict(sorted(v.items())) for k, v in sorted(self.post_types.items())},
            "authors": self.authors,
            "taxonomies": dict(sorted(self.taxonomies.items())),
            "comments": dict(sorted(self.comments.items())),
            "comment_types": dict(sorted(self.comment_types.items())),
            "date_range": [iso(self.first_date), iso(self.last_date)],
            "warnings_by_code": dict(sorted(Counter(n.code for n in self.notices).items())),
            "warnings": [n.as_dict() for n in self.notices],
            "error": self.error,
            "bytes_read": self.bytes_read,
        }

    def text(self) -> str:
        """The summary for people."""
        site = self.site
        lines = [f"{self.input}"]
        if site:
            lines.append(
                f"  site: {site.title or '(untitled)'} <{site.link}> ({site.language or '-'})"
            )
            lines.append(f"  WXR {site.wxr_version or '?'}, generator {site.generator or '?'}")
        lines.append("  records: " + _join(self.records))
        for post_type, statuses in sorted(self.post_types.items()):
            lines.append(f"  {post_type}: {sum(statuses.values())} ({_join(statuses)})")
        if self.authors:
            names = ", ".join(
                f"{a['login']}{' (inferred)' if a['inferred'] else ''} {a['posts']}"
                for a in self.authors
            )
            lines.append(f"  authors: {names}")
        if self.taxonomies:
            lines.append("  taxonomies: " + _join(self.taxonomies))
        if self.comments:
            lines.append(
                f"  comments: {sum(self.comments.values())} ({_join(self.comments)}; "
                f"{_join(self.comment_types)})"
            )
        if self.first_date:
            lines.append(f"  dates: {iso(self.first_date)} to {iso(self.last_date)}")
        if self.notices:
            lines.append(
                f"  warnings: {len(self.notices)} ({_join(Counter(n.code for n in self.notices))})"
            )
        if self.error:
            lines.append(f"  input broke: {self.error['message']}")
        return "\n".join(lines)


def _join(counter: Counter[str]) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


def inspect(
    source: SourceLike,
    *,
    repairs: Iterable[str] = (),
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    jobs: int = 1,
) -> Inspection:
    """Read an export and summarise it. A broken input is summarised up to the break.
    ``jobs`` processes read a large uncompressed export (the summary is the same)."""
    result = Inspection(input=display_name(source))
    reader = Reader(source, repairs=repairs, chunk_size=chunk_size, jobs=jobs)
    authors: dict[str, dict[str, Any]] = {}
    try:
        for record in reader:
            match record:
                case Site():
                    result.site = record
                    result.records["site"] += 1
                case Author():
                    authors[record.key] = {
                        "login": record.login,
                        "display_name": record.display_name,
                        "inferred": record.inferred,
                        "posts": 0,
                    }
                    result.records["author"] += 1
                case Term():
                    result.taxonomies[record.taxonomy] += 1
                    result.records["term"] += 1
                case Post():
                    _count_post(result, record, authors)
    except InputError as exc:
        result.failure = exc
    result.authors = list(authors.values())
    result.notices = reader.notices
    result.bytes_read = reader.progress()[0]
    return result


def _count_post(result: Inspection, post: Post, authors: dict[str, dict[str, Any]]) -> None:
    result.records["post"] += 1
    result.post_types.setdefault(post.type, Counter())[post.status or "(none)"] += 1
    if post.author in authors:
        authors[post.author]["posts"] += 1
    for comment in post.comments:
        result.comments[comment.status] += 1
        result.comment_types[comment.type] += 1
    result.records["comment"] += len(post.comments)
    when = post.date_gmt or post.date
    if when is not None and post.type not in ("nav_menu_item", "revision"):
        naive = when.replace(tzinfo=None)
        if result.first_date is None or naive < result.first_date:
            result.first_date = naive
        if result.last_date is None or naive > result.last_date:
            result.last_date = naive
