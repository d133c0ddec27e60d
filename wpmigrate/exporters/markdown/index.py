"""What the Markdown exporter learns about the site while the export streams in.

A few facts per post to be written (an :class:`Entry`: for its path, parents and
links), every attachment's URL (for galleries and featured images) and the authors'
names, all packed (see :mod:`wpmigrate.packed`); the posts themselves are spooled to
disk. :meth:`SiteIndex.plan_paths` decides every file's path
once all are known, in export order.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, overload
from urllib.parse import urlsplit

from ...packed import INT64, IdIndex, IdTable, PackedStrings
from ...paths import PathClaims, make_slug, post_path
from ...records import Post, Site
from .presets import Preset

__all__ = ["SiteIndex", "Entry", "thumbnail_id"]

_IMAGE_FILE = re.compile(r"\.(?:jpe?g|png|gif|webp|avif|svg|bmp|tiff?|heic)$", re.I)


@dataclass(slots=True)
class Entry:
    """One post to be written: what its path, its parents' paths and links need."""

    number: int
    key: str
    post_id: Any
    type: str
    status: str
    slug: str
    parent_id: Any
    #: The post's day as ``YYYY-MM-DD`` (one string: the index holds one per post).
    day: str
    link: str
    thumbnail: int | None
    #: Written as a draft: the public never saw it (a draft, scheduled, or private).
    draft: bool = False
    #: It has comments (which may get a data file of their own).
    comments: bool = False


#: An id column's mark for None, and for a value kept aside (not a 64-bit integer).
_NONE = -(2**63)
_ASIDE = _NONE + 1
_DRAFT, _COMMENTS = 1, 2


class Entries(Sequence[Entry]):
    """The entries, kept as columns; an :class:`Entry` is made each time one is read."""

    def __init__(self) -> None:
        self._texts = PackedStrings(on_disk=True)  # key, slug, day, link: four per entry
        self._ids = array("q")  # post id, parent id, thumbnail id: three per entry
        self._aside: dict[tuple[int, int], Any] = {}  # (entry, column) -> an odd id
        self._kinds = array("H")  # type and status, as codes of _names
        self._names: list[str] = []
        self._codes: dict[str, int] = {}
        self._flags = bytearray()

    def append(self, post: Post, slug: str, day: str, *, draft: bool, comments: bool) -> None:
        number = len(self._flags)
        self._texts.extend((post.key, slug, day, post.link))
        for column, value in enumerate((post.id, post.parent_id, thumbnail_id(post))):
            self._ids.append(self._id_code(number, column, value))
        self._kinds.append(self._code(post.type))
        self._kinds.append(self._code(post.status))
        self._flags.append((_DRAFT if draft else 0) | (_COMMENTS if comments else 0))

    def _id_code(self, number: int, column: int, value: Any) -> int:
        if value is None:
            return _NONE
        if type(value) is int and value in INT64 and value > _ASIDE:
            return value
        self._aside[number, column] = value
        return _ASIDE

    def _code(self, name: str) -> int:
        code = self._codes.get(name)
        if code is None:
            code = self._codes[name] = len(self._names)
            self._names.append(name)
        return code

    def post_id(self, number: int) -> Any:
        return self._id(number, 0)

    def parent_id(self, number: int) -> Any:
        return self._id(number, 1)

    def slug(self, number: int) -> str:
        return self._texts[4 * number + 1]

    def _id(self, number: int, column: int) -> Any:
        code = self._ids[3 * number + column]
        if code == _NONE:
            return None
        return self._aside[number, column] if code == _ASIDE else code

    def __len__(self) -> int:
        return len(self._flags)

    @overload
    def __getitem__(self, index: int) -> Entry: ...
    @overload
    def __getitem__(self, index: slice) -> list[Entry]: ...
    def __getitem__(self, index: int | slice) -> Entry | list[Entry]:
        if isinstance(index, slice):
            return [self[n] for n in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        self._flags[index]  # IndexError as a list gives it
        return self._entry(index, *self._texts[4 * index : 4 * index + 4])

    def __iter__(self) -> Iterator[Entry]:
        texts = iter(self._texts)  # read in blocks
        for number, four in enumerate(zip(texts, texts, texts, texts, strict=True)):
            yield self._entry(number, *four)

    def _entry(self, number: int, key: str, slug: str, day: str, link: str) -> Entry:
        names, flags = self._names, self._flags[number]
        return Entry(
            number,
            key,
            self._id(number, 0),
            names[self._kinds[2 * number]],
            names[self._kinds[2 * number + 1]],
            slug,
            self._id(number, 1),
            day,
            link,
            self._id(number, 2),
            bool(flags & _DRAFT),
            bool(flags & _COMMENTS),
        )


@dataclass
class SiteIndex:
    """Everything known about the site but the posts' bodies."""

    ascii_only: bool = False
    site: Site | None = None
    authors: dict[str, str] = field(default_factory=dict)
    entries: Entries = field(default_factory=Entries)
    #: Reusable blocks (wp_block items) by id, as Markdown.
    reusable: dict[Any, str] = field(default_factory=dict)
    #: Attachments' URLs by their ids, and images' URLs by their parents' ids.
    _attachments: IdTable = field(default_factory=IdTable)
    _children: IdTable = field(default_factory=IdTable)

    def add_attachment(self, post: Post) -> None:
        url = post.attachment_url or post.guid
        if post.id is not None and url:
            self._attachments.add(post.id, url)
            if post.parent_id and _IMAGE_FILE.search(urlsplit(url).path):
                self._children.add(post.parent_id, url)

    def attachment_url(self, attachment_id: Any) -> str | None:
        return self._attachments.first(attachment_id)

    def seal(self) -> None:
        """Ready for lookups from forked workers (which would each sort their own copy)."""
        self._attachments.seal()
        self._children.seal()

    def add_post(self, post: Post, *, draft: bool = False, comments: bool = False) -> None:
        when = post.date or post.date_gmt or post.modified
        day = f"{when.year:04d}-{when.month:02d}-{when.day:02d}" if when else "0000-00-00"
        slug = make_slug(post.slug, post.title, ascii_only=self.ascii_only) or make_slug(
            f"{post.type}-{post.id if post.id is not None else post.key}"
        )
        self.entries.append(post, slug, day, draft=draft, comments=comments)

    def featured_urls(self) -> list[str]:
        urls = (self.attachment_url(e.thumbnail) for e in self.entries if e.thumbnail is not None)
        return [u for u in urls if u]

    def site_urls(self) -> list[str]:
        site = self.site or Site()
        return [site.link, site.base_site_url, site.base_blog_url]

    def plan_paths(
        self, preset: Preset, template: str, bundles: bool
    ) -> tuple[PackedStrings, PackedStrings, PackedStrings, list[tuple[str, str, str]]]:
        """Every post's file, its slug and its URL as served, in export order; a taken
        path (or a path served at a taken URL) gets -2, -3..., and the slug with it (a
        generator serves a page by its front matter slug). And (key, path wanted, path
        given) for each post whose path was taken."""
        entries = self.entries
        by_id = IdIndex()
        for number in range(len(entries)):
            post_id = entries.post_id(number)
            if post_id is not None:
                by_id.add(post_id, number)
        claims = PathClaims()
        served: set[str] = set()
        suffix = "/index.md" if bundles else ".md"
        if template and preset.content_root:
            template = f"{preset.content_root}/{template}"
        paths, slugs, urls = (PackedStrings(on_disk=True) for _ in range(3))
        renamed: list[tuple[str, str, str]] = []
        for entry in self.entries:
            chosen = template or _template_for(preset, entry)
            year, month, day = entry.day.split("-")
            values = {
                "type": entry.type,
                "year": year,
                "month": month,
                "day": day,
                "slug": entry.slug,
                "id": str(entry.post_id if entry.post_id is not None else entry.key),
                "parent_path": _parent_path(entries, entry, by_id),
            }
            wanted, path = post_path(claims, chosen, values, suffix)
            url = preset.url_for(path)
            while url.casefold() in served:
                # Another file is served at this URL (Astro's pages and posts can be).
                path = claims.claim(wanted[: -len(suffix)], suffix)[0]
                url = preset.url_for(path)
            served.add(url.casefold())
            if path != wanted:
                renamed.append((entry.key, wanted, path))
            paths.append(path)
            slugs.append(_served_slug(chosen, values, path, suffix, entry.slug))
            urls.append(url)
        if preset.section_pages:
            paths = _section_pages(paths, suffix)  # the same URLs: a folder's own page
        return paths, slugs, urls, renamed

    def gallery_of(self, post_id: Any) -> list[str]:
        return self._children.all(post_id)


def _section_pages(paths: PackedStrings, suffix: str) -> PackedStrings:
    """A page whose folder holds other files becomes the folder's own page (``_index.md``):
    Hugo takes a page's ``index.md`` beside other pages for a bundle that hides them, and
    before 0.123 lets a section's list replace the page beside its folder."""
    holding: dict[str, int] = {}
    for path in paths:
        folder = path
        while "/" in folder:
            folder = folder.rsplit("/", 1)[0]
            key = folder.casefold()
            holding[key] = holding.get(key, 0) + 1
    own = 1 if suffix == "/index.md" else 0  # a bundle's folder holds its own index.md
    changed = PackedStrings(on_disk=True)
    for path in paths:
        stem = path[: -len(suffix)]
        if holding.get(stem.casefold(), 0) > own:
            path = f"{stem}/_index.md"
        changed.append(path)
    return changed


def _served_slug(template: str, values: dict[str, str], path: str, suffix: str, slug: str) -> str:
    """The slug the file's name holds: the post's, with what made the name unique."""
    last_template = template.rsplit("/", 1)[-1]
    if "{slug}" not in last_template:
        return slug
    before = last_template.split("{slug}", 1)[0].format(**values)
    name = path[: -len(suffix)].rsplit("/", 1)[-1]
    return name[len(before) :] if name.startswith(before) and name[len(before) :] else slug


def _template_for(preset: Preset, entry: Entry) -> str:
    if preset.draft_path and entry.type == "post" and entry.draft:
        return preset.draft_path
    if entry.type == "post":
        return preset.post_path
    if entry.type == "page":
        return preset.page_path
    return preset.other_path


def _parent_path(entries: Entries, entry: Entry, by_id: IdIndex) -> str:
    slugs: list[str] = []
    seen = {entry.number}
    parent = by_id.first(entry.parent_id) if entry.parent_id else None
    while parent is not None and parent not in seen and len(slugs) < 20:
        slugs.append(entries.slug(parent))
        seen.add(parent)
        grandparent = entries.parent_id(parent)
        parent = by_id.first(grandparent) if grandparent else None
    return "/".join(reversed(slugs))


def thumbnail_id(post: Post) -> int | None:
    for key, value in post.meta:
        if key == "_thumbnail_id" and value.strip().isdigit():
            return int(value.strip())
    return None
