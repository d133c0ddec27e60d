"""Choosing which posts a run writes: by type, status, date, author and term.

A filter is given to :func:`wpmigrate.convert` as ``select``; it answers, for each
record, why it is left out (or None to keep it). Only posts are filtered: the site,
authors and terms always pass. Every post left out is counted in the report as
filtered, with the reason, never dropped silently.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date

from .records import Post, Record

__all__ = ["PostFilter", "CORE_STATUSES", "CORE_TYPES", "SITE_TYPES", "combine"]

#: Items a block theme or the site's settings keep as posts, which are not writing:
#: templates, template parts, global styles, navigation menus, custom CSS, fonts, and
#: reusable blocks (their content appears where a post uses them).
SITE_TYPES = frozenset(
    {
        "wp_template",
        "wp_template_part",
        "wp_global_styles",
        "wp_navigation",
        "custom_css",
        "wp_font_family",
        "wp_font_face",
        "customize_changeset",
        "oembed_cache",
        "user_request",
        "wp_block",
        "nav_menu_item",
        "revision",
    }
)

#: The statuses and post types WordPress itself has: a filter naming one that an export
#: lacks leaves nothing (a warning); a name outside these and the export is a mistake.
CORE_STATUSES = frozenset(
    {"publish", "future", "draft", "pending", "private", "trash", "auto-draft", "inherit"}
)
CORE_TYPES = frozenset(
    {
        "post",
        "page",
        "attachment",
        "revision",
        "nav_menu_item",
        "custom_css",
        "customize_changeset",
        "oembed_cache",
        "user_request",
        "wp_block",
        "wp_template",
        "wp_template_part",
        "wp_global_styles",
        "wp_navigation",
        "wp_font_family",
        "wp_font_face",
    }
)


def _names(values: Iterable[str] | None) -> frozenset[str] | None:
    """The names given (comma-separated or not); ``all`` gives the empty set: no condition,
    but one that replaces an exporter's default."""
    if values is None:
        return None
    names = frozenset(n.strip() for value in values for n in value.split(",") if n.strip())
    if "all" in names:
        return frozenset()
    return names or None


@dataclass(frozen=True)
class PostFilter:
    """Keep the posts that match every condition given (None: no condition).

    ``terms`` are ``(taxonomy, slug or name)`` pairs, e.g. ``("category", "news")``: a post
    must carry each of them. ``since`` and ``until`` are inclusive dates, compared with the
    post's own (local) date. An empty set of types or statuses is no condition.
    """

    types: frozenset[str] | None = None
    statuses: frozenset[str] | None = None
    #: Statuses left out (an exporter's default: trash, auto-drafts).
    exclude_statuses: frozenset[str] | None = None
    #: Types left out even when every type is asked for (an exporter's policy), unless
    #: named in ``types``.
    exclude_types: frozenset[str] | None = None
    since: date | None = None
    until: date | None = None
    authors: frozenset[str] | None = None
    terms: tuple[tuple[str, str], ...] = ()

    @classmethod
    def create(
        cls,
        *,
        types: Iterable[str] | None = None,
        statuses: Iterable[str] | None = None,
        since: date | None = None,
        until: date | None = None,
        authors: Iterable[str] | None = None,
        terms: Iterable[str | tuple[str, str]] = (),
    ) -> PostFilter:
        """From loose values: comma-separated names, ``"taxonomy=slug"`` terms."""
        pairs = []
        for term in terms:
            if isinstance(term, str):
                taxonomy, sep, value = term.partition("=")
                if not sep or not taxonomy.strip() or not value.strip():
                    raise ValueError(f"a term is taxonomy=slug (e.g. category=news), not {term!r}")
                term = (taxonomy.strip(), value.strip())
            pairs.append(term)
        return cls(
            types=_names(types),
            statuses=_names(statuses),
            since=since,
            until=until,
            authors=_names(authors),
            terms=tuple(pairs),
        )

    @property
    def active(self) -> bool:
        return bool(
            self.types
            or self.statuses
            or self.exclude_statuses
            or self.since
            or self.until
            or self.authors
            or self.terms
        )

    def over(self, default: PostFilter) -> PostFilter:
        """This filter, with ``default``'s conditions where this one sets none (statuses
        given here also lift the default's excluded ones)."""
        exclude = self.exclude_statuses
        if exclude is None and self.statuses is None:
            exclude = default.exclude_statuses
        excluded_types = self.exclude_types
        if excluded_types is None and default.exclude_types:
            excluded_types = default.exclude_types - (self.types or frozenset())
        return replace(
            self,
            types=self.types if self.types is not None else default.types,
            statuses=self.statuses if self.statuses is not None else default.statuses,
            exclude_statuses=exclude,
            exclude_types=excluded_types or None,
        )

    def unmatched(self, types: set[str], statuses: set[str]) -> str | None:
        """What is wrong with a ``types`` or ``statuses`` value that is neither in the export
        (which has ``types`` and ``statuses``) nor one WordPress has; None if nothing."""
        problems = []
        for label, wanted, present, core in (
            ("type", self.types, types, CORE_TYPES),
            ("status", self.statuses, statuses, CORE_STATUSES),
        ):
            for value in sorted(wanted or ()):
                if value in present or value in core:
                    continue
                known = sorted(present) or sorted(core)
                close = difflib.get_close_matches(value, sorted(present | core), n=1, cutoff=0.6)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                problems.append(
                    f"no post has the {label} {value!r}{hint} (the export has: {', '.join(known)})"
                )
        return "; ".join(problems) or None

    def __call__(self, record: Record) -> str | None:
        if not isinstance(record, Post):
            return None
        if self.types and record.type not in self.types:
            return f"type {record.type}"
        if self.exclude_types and record.type in self.exclude_types:
            return f"type {record.type} (not writing)"
        if self.statuses and record.status not in self.statuses:
            return f"status {record.status or '(none)'}"
        if self.exclude_statuses and record.status in self.exclude_statuses:
            return f"status {record.status}"
        if self.since or self.until:
            when = record.date or record.date_gmt
            if when is None:
                return "no date"
            if self.since and when.date() < self.since:
                return f"before {self.since.isoformat()}"
            if self.until and when.date() > self.until:
                return f"after {self.until.isoformat()}"
        if self.authors is not None and record.author not in self.authors:
            return f"author {record.author or '(none)'}"
        for taxonomy, value in self.terms:
            if not any(
                ref.taxonomy == taxonomy and value in (ref.slug, ref.name) for ref in record.terms
            ):
                return f"not in {taxonomy}={value}"
        return None


def combine(
    default: PostFilter | None, chosen: Callable[[Record], str | None] | None
) -> Callable[[Record], str | None] | None:
    """The run's filter: what was chosen, over an exporter's default."""
    if default is None:
        return chosen
    if chosen is None:
        return default
    if isinstance(chosen, PostFilter):
        return chosen.over(default)
    return lambda record: default(record) or chosen(record)
