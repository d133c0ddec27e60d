"""The Markdown exporter's options, and the settings they resolve to with the preset.

:class:`MarkdownOptions` is what ``-O key=value`` fills; :func:`resolve` checks it once
and gives :class:`Layout`, the frozen settings every later phase reads.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Literal

from ...content import ContentSettings
from ...errors import ExporterOptionError
from ...options import ExporterOptions, option
from .presets import FIELDS, PRESETS, Preset
from .scaffold import SITE_PRESETS

__all__ = ["MarkdownOptions", "Layout", "resolve"]

_TEMPLATE_NAMES = {"type", "year", "month", "day", "slug", "id", "parent_path"}


@dataclass(frozen=True, kw_only=True)
class MarkdownOptions(ExporterOptions):
    preset: Literal["plain", "hugo", "jekyll", "eleventy", "astro"] = option(
        "plain", "the site generator to lay files out for: hugo, jekyll, eleventy, astro or plain"
    )
    site: Literal["content", "new"] = option(
        "content",
        "content: only the content, to go into a site you have (e.g. a `hugo new site` "
        "folder); new: a working site around it (configuration and plain layouts)",
    )
    urls: Literal["new", "wordpress"] = option(
        "new",
        "new: posts at the generator's URLs, old URLs redirected; wordpress: posts keep "
        "their WordPress URLs (Hugo url:, Jekyll/Eleventy/Astro permalink:)",
    )
    front_matter: Literal["yaml", "toml", "json"] = option("yaml", "front matter format")
    fields: str = option(
        "",
        "front matter fields to write, comma-separated; name=key renames "
        "(e.g. title,date,tags=keywords); empty: the preset's",
    )
    path: str = option(
        "",
        "path template, e.g. posts/{year}/{slug} ({type} {year} {month} "
        "{day} {slug} {id} {parent_path}); empty: the preset's",
    )
    bundles: bool = option(False, "one folder per post with index.md (Hugo page bundles)")
    private: Literal["skip", "draft"] = option(
        "skip",
        "private and password-protected posts: skip (not written, counted as filtered) or "
        "draft (written as drafts, which no generator publishes)",
    )
    comments: Literal["none", "front-matter", "data-file"] = option(
        "front-matter", "where comments go: none, front-matter, or a data file per post"
    )
    comment_statuses: str = option("approved", "comment statuses to keep, comma-separated (or all)")
    data_format: Literal["json", "yaml"] = option("json", "format of comment data files")
    redirects: Literal["none", "netlify", "nginx", "apache", "csv", "json"] = option(
        "none", "write a map from every old URL to its new one in this format"
    )
    media: Literal["keep", "download"] = option(
        "keep", "keep links to the old site's images and files, or download them into the site"
    )
    media_folder: str = option(
        "",
        "where downloaded media go (default: the preset's static "
        "folder: static/ for hugo, public/ for astro, the top otherwise)",
    )
    media_private: bool = option(False, "allow downloads from private and local addresses")
    ascii: bool = option(False, "transliterate file names to ASCII (über -> uber)")
    embeds: Literal["", "link", "hugo"] = option(
        "", "embeds as links, or as Hugo shortcodes (default: hugo for the hugo preset)"
    )
    jobs: int = option(0, "processes converting HTML (0: one per core; --jobs sets it too)")


@dataclass(frozen=True)
class Layout:
    """The options, checked and combined with the preset: what every phase reads."""

    options: MarkdownOptions
    preset: Preset
    #: Our front matter field -> the key written.
    keys: dict[str, str]
    #: The comment statuses kept, or None for all.
    comment_statuses: frozenset[str] | None
    content: ContentSettings


def resolve(options: MarkdownOptions) -> Layout:
    """Check the options that take more than a type check, and settle them."""
    preset = PRESETS[options.preset]
    if options.path:
        _check_template(options.path)
    if options.site == "new" and preset.name not in SITE_PRESETS:
        raise ExporterOptionError(
            f"option site=new: a site is made for {', '.join(SITE_PRESETS)}; "
            f"choose one with -O preset="
        )
    statuses = (
        None
        if options.comment_statuses.strip() == "all"
        else frozenset(names(options.comment_statuses))
    )
    return Layout(
        options=options,
        preset=preset,
        keys=_field_keys(options.fields, _url_key(preset, options.urls)),
        comment_statuses=statuses,
        content=ContentSettings(
            embeds=options.embeds or preset.embeds,
            templates=preset.templates,
            dialect=preset.dialect,
        ),
    )


def _url_key(preset: Preset, urls: str) -> dict[str, str]:
    """Hugo serves a page at its ``url:`` where one is given."""
    if urls == "wordpress" and preset.name == "hugo":
        return {**preset.keys, "permalink": "url"}
    return preset.keys


def names(text: str) -> list[str]:
    """The names of a comma-separated option."""
    return [n.strip() for n in text.split(",") if n.strip()]


def _field_keys(spec: str, preset_keys: dict[str, str]) -> dict[str, str]:
    if not spec:
        return preset_keys
    keys: dict[str, str] = {}
    for item in names(spec):
        name, _, key = item.partition("=")
        name = name.strip()
        if name not in FIELDS:
            raise ExporterOptionError(
                f"option fields: no field {name!r} (known: {', '.join(FIELDS)})"
            )
        keys[name] = key.strip() or preset_keys.get(name, name)
    return keys


def _check_template(template: str) -> None:
    try:
        found = {n for _, n, _, _ in string.Formatter().parse(template) if n is not None}
    except ValueError as exc:
        raise ExporterOptionError(f"option path: {exc}") from None
    unknown = found - _TEMPLATE_NAMES
    if unknown or not found:
        raise ExporterOptionError(
            f"option path takes {{slug}}, {{id}}, {{type}}, {{year}}, "
            f"{{month}}, {{day}}, {{parent_path}}; not {sorted(unknown)}"
        )
