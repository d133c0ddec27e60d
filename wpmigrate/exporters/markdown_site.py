"""What the Markdown exporter knows about the whole site, and how one post's files are made.

``SiteIndex`` holds a small entry per post (for paths, parents and links), every
attachment's URL (for galleries and featured images) and the authors' names.
``assemble`` turns one spooled post into its file (and its comment data file).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

from ..content import ATTACHMENT_SCHEME, CHILD_GALLERY, ContentSettings, Converted, to_markdown
from ..frontmatter import render_data, render_front_matter
from ..links import SiteLinks, replace_urls, site_host
from ..paths import PathClaims, make_slug, safe_relative
from ..presets import FIELDS, Preset
from ..records import Post, Site
from .markdown_fields import DRAFT_STATUSES, comment_thread, post_fields

if TYPE_CHECKING:
    from .markdown import MarkdownExporter

__all__ = ["SiteIndex", "Entry", "assemble", "convert_job"]

_IMAGE_FILE = re.compile(r"\.(?:jpe?g|png|gif|webp|avif|svg|bmp|tiff?|heic)$", re.I)
_ATTACHMENT_TOKEN = re.compile(re.escape(ATTACHMENT_SCHEME) + r"(\d+)")
_CHILD_GALLERY_IMAGE = re.compile(r"!\[[^\]]*\]\(<?" + re.escape(CHILD_GALLERY) + r">?\)")


def convert_job(settings: ContentSettings, job: tuple[int, str, list[str]]
                ) -> tuple[int, Converted, list[str]]:
    """In a worker: a post's HTML and its comments' HTML to Markdown."""
    number, content, comments = job
    return (number, to_markdown(content, settings),
            [to_markdown(c, settings).markdown.rstrip("\n") for c in comments])


@dataclass(slots=True)
class Entry:
    number: int
    key: str
    post_id: Any
    type: str
    status: str
    slug: str
    parent_id: Any
    date: tuple[str, str, str]
    link: str
    thumbnail: int | None


@dataclass
class SiteIndex:
    ascii_only: bool = False
    site: Site | None = None
    authors: dict[str, str] = field(default_factory=dict)
    entries: list[Entry] = field(default_factory=list)
    #: (key, path wanted, path given) for every post whose path was taken.
    renamed: list[tuple[str, str, str]] = field(default_factory=list)
    _attachments: dict[Any, str] = field(default_factory=dict)
    _children: dict[Any, list[str]] = field(default_factory=dict)

    def add_attachment(self, post: Post) -> None:
        url = post.attachment_url or post.guid
        if post.id is not None and url:
            self._attachments.setdefault(post.id, url)
            if post.parent_id and _IMAGE_FILE.search(urlsplit(url).path):
                self._children.setdefault(post.parent_id, []).append(url)

    def attachment_url(self, attachment_id: Any) -> str | None:
        return self._attachments.get(attachment_id)

    def add_post(self, post: Post) -> None:
        when = post.date or post.date_gmt or post.modified
        date = (f"{when.year:04d}", f"{when.month:02d}", f"{when.day:02d}") if when else (
            "0000", "00", "00")
        slug = make_slug(post.slug, post.title, ascii_only=self.ascii_only) or make_slug(
            f"{post.type}-{post.id if post.id is not None else post.key}")
        self.entries.append(Entry(len(self.entries), post.key, post.id, post.type, post.status,
                                  slug, post.parent_id, date, post.link, _thumbnail_id(post)))

    def featured_urls(self) -> list[str]:
        urls = (self.attachment_url(e.thumbnail) for e in self.entries if e.thumbnail is not None)
        return [u for u in urls if u]

    def site_urls(self) -> list[str]:
        site = self.site or Site()
        return [site.link, site.base_site_url, site.base_blog_url]

    def plan_paths(self, preset: Preset, template: str, bundles: bool) -> list[str]:
        """Every post's file, in export order; a taken path gets -2, -3..."""
        by_id: dict[Any, Entry] = {}
        for entry in self.entries:
            if entry.post_id is not None:
                by_id.setdefault(entry.post_id, entry)
        claims = PathClaims()
        suffix = "/index.md" if bundles else ".md"
        paths = []
        for entry in self.entries:
            chosen = template or _template_for(preset, entry)
            values = {"type": entry.type, "year": entry.date[0], "month": entry.date[1],
                      "day": entry.date[2], "slug": entry.slug,
                      "id": str(entry.post_id if entry.post_id is not None else entry.key),
                      "parent_path": _parent_path(entry, by_id)}
            stem = safe_relative(chosen.format(**values)) or "untitled"
            path, renamed = claims.claim(stem, suffix)
            if renamed:
                self.renamed.append((entry.key, stem + suffix, path))
            paths.append(path)
        return paths

    def gallery_of(self, post_id: Any) -> list[str]:
        return self._children.get(post_id, [])


def _template_for(preset: Preset, entry: Entry) -> str:
    if preset.draft_path and entry.type == "post" and entry.status in DRAFT_STATUSES:
        return preset.draft_path
    if entry.type == "post":
        return preset.post_path
    if entry.type == "page":
        return preset.page_path
    return preset.other_path


def _parent_path(entry: Entry, by_id: dict[Any, Entry]) -> str:
    slugs: list[str] = []
    seen = {entry.number}
    parent = by_id.get(entry.parent_id) if entry.parent_id else None
    while parent is not None and parent.number not in seen and len(slugs) < 20:
        slugs.append(parent.slug)
        seen.add(parent.number)
        parent = by_id.get(parent.parent_id) if parent.parent_id else None
    return "/".join(reversed(slugs))


def _resolve_media(markdown: str, post: Post, index: SiteIndex) -> str:
    if ATTACHMENT_SCHEME in markdown:
        def attachment(match: re.Match[str]) -> str:
            return index.attachment_url(int(match.group(1))) or match.group(0)
        markdown = _ATTACHMENT_TOKEN.sub(attachment, markdown)
    if CHILD_GALLERY in markdown:
        images = "  \n".join(f"![](<{url}>)" for url in index.gallery_of(post.id))
        markdown = _CHILD_GALLERY_IMAGE.sub(lambda _: images, markdown)
    return markdown


def _thumbnail_id(post: Post) -> int | None:
    for key, value in post.meta:
        if key == "_thumbnail_id" and value.strip().isdigit():
            return int(value.strip())
    return None


def _featured_image(post: Post, index: SiteIndex) -> str | None:
    thumbnail = _thumbnail_id(post)
    return index.attachment_url(thumbnail) if thumbnail is not None else None


_MEDIA_URL = re.compile(r"(\]\(<)([^>\n]+)(>)|(\]\()([^)\s<]+)(\))|((?:src|href)=[\"'])([^\"'>]+)([\"'])")


def _local_media(markdown: str, media_map: dict[str, str]) -> str:
    if not media_map:
        return markdown
    return replace_urls(markdown, media_map.get, _MEDIA_URL)[0]


def _local_featured(url: str | None, media_map: dict[str, str]) -> str | None:
    return media_map.get(url, url) if url else url


def _old_path(link: str, hosts: set[str]) -> list[str]:
    try:
        parts = urlsplit(link)
    except ValueError:
        return []
    host = site_host(link)
    if not parts.path or parts.path == "/" or parts.query or (host and host not in hosts):
        return []
    return [parts.path]


def assemble(exporter: MarkdownExporter, post: Post, converted: Converted,
             comment_bodies: list[str], path: str, links: SiteLinks,
             tallies: dict[str, Counter[str]]) -> list[tuple[str, bytes]]:
    """The files of one post: its Markdown, and its comments' data file if asked.

    Raises FrontMatterError when the fields cannot be written to read back equal."""
    index, preset, opts = exporter.index, exporter.preset, exporter.opts
    body = _local_media(_resolve_media(converted.markdown, post, index), exporter.media_map)
    body, rewritten = links.rewrite(body)
    if rewritten:
        tallies.setdefault("links rewritten", Counter())["to other posts"] += rewritten
    thread = None
    files: list[tuple[str, bytes]] = []
    if opts.comments != "none" and post.comments:
        statuses = exporter.comment_statuses or frozenset(c.status for c in post.comments)
        thread = comment_thread(post.comments, comment_bodies, statuses) or None
    if thread and opts.comments == "data-file":
        stem = preset.url_for(path).strip("/") or "index"
        relative = f"{preset.data_folder}/{safe_relative(stem)}.{opts.data_format}"
        files.append((relative, _data_file(thread, opts.data_format)))
        thread = None
    fields = post_fields(
        post, author=index.authors.get(post.author, post.author),
        permalink=preset.url_for(path), aliases=_old_path(post.link, links.hosts),
        featured_image=_local_featured(_featured_image(post, index), exporter.media_map),
        comments=thread,
        layout="post" if post.type == "post" else "page")
    chosen = {exporter.keys[name]: fields[name] for name in FIELDS
              if name in exporter.keys and fields[name] is not None}
    if "images" in chosen and isinstance(chosen["images"], str):
        chosen["images"] = [chosen["images"]]  # Hugo reads a list of images
    text = render_front_matter(chosen, opts.front_matter) + ("\n" + body if body else "")
    files.insert(0, (path, text.encode("utf-8")))
    return files


def _data_file(thread: list[dict[str, Any]], form: Literal["json", "yaml"]) -> bytes:
    return render_data(thread, form).encode("utf-8")
