"""The migration report as one HTML page, made from the run's own JSON report.

The page holds everything it shows (styles, script, charts as SVG) and asks the network
for nothing: its Content-Security-Policy allows no request at all. It reads well without
its script (which only sorts and filters the table), in light and dark, and on paper.
Every value from the export goes through Jinja2's autoescaping.
"""

from __future__ import annotations

import html
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from .. import __version__
from ..filters import SITE_TYPES
from .charts import bars, stacked_columns

__all__ = ["render_report"]

#: Post types that are not the site's writing, left out of the charts of posts.
_MACHINERY = SITE_TYPES | {"attachment"}

_environment = Environment(
    loader=PackageLoader("wpmigrate.html_report", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass
class _Attention:
    """One heading of "Needs attention": entries, each with the rows it concerns."""

    title: str
    explain: str
    entries: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)


def _text(value: Any) -> str:
    """A value from the export as a reader sees it (WordPress stores some escaped)."""
    text = "" if value is None else str(value)
    return html.unescape(text) if "&" in text else text


def _run_view(number: int, run: Mapping[str, Any]) -> dict[str, Any]:
    posts: list[dict[str, Any]] = list(run.get("posts") or [])
    warnings: list[dict[str, Any]] = list(run.get("warnings") or [])
    row_id = {p["key"]: f"r{number}-{n}" for n, p in enumerate(posts)}
    title_of = {p["key"]: _text(p["title"]) or f"({p['type']} {p['id']})" for p in posts}
    warnings_of: dict[str, list[str]] = defaultdict(list)
    for warning in warnings:
        if warning.get("key"):
            warnings_of[warning["key"]].append(f"{warning['code']}: {warning['message']}")

    def rows(keys: Sequence[str]) -> list[tuple[str, str]]:
        return [(row_id[k], title_of[k]) for k in keys if k in row_id]

    attention: list[_Attention] = []
    if run.get("error"):
        error = run["error"]
        attention.append(
            _Attention(
                "The export is broken",
                "Reading stopped here; every item before it was converted.",
                [(error.get("message") or str(error), [])],
            )
        )
    skipped = [p for p in posts if p["outcome"] == "skipped"]
    if skipped:
        item = _Attention("Posts not written", "Each could not be written, for the reason given.")
        item.entries = [(p["reason"], rows([p["key"]])) for p in skipped]
        attention.append(item)
    shortcodes: dict[str, list[str]] = defaultdict(list)
    missing: dict[str, list[str]] = defaultdict(list)
    for post in posts:
        for name in post.get("flags", {}).get("unknown shortcodes", []):
            shortcodes[name].append(post["key"])
        for name in post.get("flags", {}).get("missing references", []):
            missing[name].append(post["key"])
    if not posts:  # a report kept without the posts: the names at least
        for name in (run.get("tallies") or {}).get("unknown shortcodes", {}):
            shortcodes[name] = []
    if shortcodes:
        item = _Attention(
            "Shortcodes not understood",
            "They stay in the text as written: a plugin made them on the old site.",
        )
        item.entries = [
            (f"[{name}]", rows(keys))
            for name, keys in sorted(shortcodes.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        ]
        attention.append(item)
    if missing:
        item = _Attention(
            "References the export does not hold",
            "A gallery image or reusable block used by a post is not in the export; the "
            "post shows a note in its place.",
        )
        item.entries = [(name, rows(keys)) for name, keys in sorted(missing.items())]
        attention.append(item)
    failed_media = [w["message"] for w in warnings if w["code"] == "media-failed"]
    if failed_media:
        item = _Attention(
            "Media that could not be downloaded",
            "The posts keep linking to the old site's copy.",
        )
        item.entries = [(message, []) for message in failed_media]
        attention.append(item)
    if run.get("repairs"):
        item = _Attention(
            "Repairs applied to the export", "The export was damaged and mended while read."
        )
        item.entries = [(f"{name}: {count}", []) for name, count in run["repairs"].items()]
        attention.append(item)
    by_code: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for warning in warnings:
        if warning["code"] != "media-failed":
            by_code[warning["code"]].append(warning)
    if by_code:
        item = _Attention("Warnings", "By kind; a warning about one post links to its row.")
        for code, found in sorted(by_code.items()):
            keys = [w["key"] for w in found if w.get("key")]
            messages = [w["message"] for w in found if not w.get("key")][:20]
            text = f"{code} ({len(found)})" + (": " + "; ".join(messages) if messages else "")
            item.entries.append((text, rows(keys)))
        attention.append(item)

    post_types = run.get("post_types") or {}
    return {
        "number": number,
        "run": run,
        "input": run.get("input", ""),
        "output": run.get("output", ""),
        "exporter": run.get("exporter", ""),
        "post_types": post_types,
        "records": run.get("records") or {},
        "attention": attention,
        "rows": [
            {
                "id": row_id[p["key"]],
                "title": title_of[p["key"]],
                "type": p["type"],
                "status": p["status"],
                "date": p["date"],
                "link": p["link"],
                "where": p["where"] or (run.get("output", "") if p["outcome"] == "written" else ""),
                "outcome": p["outcome"],
                "reason": p["reason"],
                "comments": p["comments"],
                "warnings": warnings_of.get(p["key"], [])
                + [f"{t}: {', '.join(n)}" for t, n in p.get("flags", {}).items()],
            }
            for p in posts
        ],
        "charts": _charts(run, posts),
    }


def _charts(run: Mapping[str, Any], posts: Sequence[Mapping[str, Any]]) -> list[tuple[str, Markup]]:
    charts: list[tuple[str, Markup]] = []
    by_year: dict[str, Counter[str]] = defaultdict(Counter)
    for post in posts:
        if post["type"] not in _MACHINERY and post["date"][:4].strip("0"):
            by_year[post["date"][:4]][post["type"]] += 1
    if by_year:
        kinds = Counter(t for c in by_year.values() for t in c.elements())
        series = [t for t, _ in kinds.most_common(5)]
        columns = [
            (year, {t: by_year[year][t] for t in series}) for year in _years(sorted(by_year))
        ]
        charts.append(
            ("Posts per year, by type", stacked_columns(columns, series, title="Posts per year"))
        )
    outcomes = Counter[str]()
    for counts in (run.get("post_types") or {}).values():
        outcomes["written"] += counts["written"]
        outcomes["filtered"] += sum(counts["filtered"].values())
        outcomes["skipped"] += sum(counts["skipped"].values())
    if sum(outcomes.values()):
        charts.append(
            (
                "Items by outcome",
                bars(
                    [(k, outcomes[k]) for k in ("written", "filtered", "skipped")], title="Outcome"
                ),
            )
        )
    statuses = Counter(p["status"] or "(none)" for p in posts)
    if statuses:
        charts.append(("Items by status", bars(statuses.most_common(12), title="Status")))
    comments = run.get("comments_per_year") or {}
    if comments:
        columns = [(year, {"comments": comments.get(year, 0)}) for year in _years(sorted(comments))]
        charts.append(
            (
                "Comments per year",
                stacked_columns(columns, ["comments"], title="Comments per year"),
            )
        )
    largest = sorted(
        (p for p in posts if p["type"] not in _MACHINERY), key=lambda p: -int(p["size"])
    )[:10]
    if largest:
        charts.append(
            (
                "The largest posts (characters of HTML)",
                bars(
                    [(_text(p["title"]) or p["key"], int(p["size"])) for p in largest],
                    title="Largest posts",
                ),
            )
        )
    unknown = (run.get("tallies") or {}).get("unknown shortcodes") or {}
    if unknown:
        top = sorted(unknown.items(), key=lambda kv: (-kv[1], kv[0]))[:12]
        charts.append(
            (
                "Unknown shortcodes (uses)",
                bars([(f"[{name}]", count) for name, count in top], title="Unknown shortcodes"),
            )
        )
    return charts


def _years(found: list[str]) -> list[str]:
    """Every year from the first to the last, the empty ones too."""
    first, last = int(found[0]), int(found[-1])
    if last - first > 200:
        return found
    return [f"{year:04d}" for year in range(first, last + 1)]


def render_report(runs: Sequence[Mapping[str, Any]], *, title: str = "") -> str:
    """The page for one run's JSON report, or for a batch's (one section per input)."""
    views = [_run_view(n, run) for n, run in enumerate(runs)]
    totals = Counter[str]()
    for run in runs:
        for counts in (run.get("post_types") or {}).values():
            totals["seen"] += counts["seen"]
            totals["written"] += counts["written"]
            totals["filtered"] += sum(counts["filtered"].values())
            totals["skipped"] += sum(counts["skipped"].values())
    types = sorted({row["type"] for view in views for row in view["rows"]})
    return _environment.get_template("report.html.j2").render(
        title=title
        or (
            "Migration report: "
            + (runs[0].get("input", "") if len(runs) == 1 else f"{len(runs)} exports")
        ),
        runs=views,
        totals=totals,
        types=types,
        version=__version__,
        exit_code=max((int(r.get("exit_code", 0)) for r in runs), default=0),
    )
