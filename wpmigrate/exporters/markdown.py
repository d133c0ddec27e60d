"""``markdown``: one Markdown file per post and page, laid out for a static site generator.

While the export streams in, each post's HTML is converted in worker processes and the
post is spooled to a temporary file with its Markdown; only a small index entry per
post stays in memory. At the end, when every post and attachment is known, paths are
decided (in export order, so re-runs give the same tree), links between posts are
rewritten, galleries and featured images resolved, and the files written, each
atomically. A manifest records what was written (the folder output keeps the
manifest).
"""

from __future__ import annotations

import os
import pickle
import re
import string
import tempfile
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO, Literal

from ..content import ATTACHMENT_SCHEME, CHILD_GALLERY, ContentSettings
from ..errors import ExporterOptionError
from ..links import SiteLinks, render_redirects, site_host
from ..media import MediaDownloader, find_media
from ..options import ExporterOptions, option
from ..paths import safe_relative
from ..pool import OrderedPool, default_jobs
from ..presets import FIELDS, PRESETS
from ..records import Author, Post, Record, Site
from .base import Exporter, Output, RunLog
from .markdown_output import write_posts
from .markdown_site import SiteIndex, convert_job

_ATTACHMENT_IDS = re.compile(re.escape(ATTACHMENT_SCHEME) + r"(\d+)")
_TEMPLATE_NAMES = {"type", "year", "month", "day", "slug", "id", "parent_path"}
_SKIPPED_STATUSES = frozenset({"trash", "auto-draft"})


@dataclass(frozen=True, kw_only=True)
class MarkdownOptions(ExporterOptions):
    preset: Literal["plain", "hugo", "jekyll", "eleventy", "astro"] = option(
        "plain", "the site generator to lay files out for: hugo, jekyll, eleventy, astro or plain")
    front_matter: Literal["yaml", "toml", "json"] = option("yaml", "front matter format")
    fields: str = option("", "front matter fields to write, comma-separated; name=key renames "
                             "(e.g. title,date,tags=keywords); empty: the preset's")
    path: str = option("", "path template, e.g. posts/{year}/{slug} ({type} {year} {month} "
                           "{day} {slug} {id} {parent_path}); empty: the preset's")
    bundles: bool = option(False, "one folder per post with index.md (Hugo page bundles)")
    types: str = option("post,page", "post types to write, comma-separated (or all)")
    statuses: str = option("", "statuses to write, comma-separated; empty: all but trash and "
                               "auto-draft")
    comments: Literal["none", "front-matter", "data-file"] = option(
        "front-matter", "where comments go: none, front-matter, or a data file per post")
    comment_statuses: str = option("approved", "comment statuses to keep, comma-separated (or all)")
    data_format: Literal["json", "yaml"] = option("json", "format of comment data files")
    redirects: Literal["none", "netlify", "nginx", "apache", "csv", "json"] = option(
        "none", "write a map from every old URL to its new one in this format")
    media: Literal["keep", "download"] = option(
        "keep", "keep links to the old site's images and files, or download them into the site")
    media_folder: str = option("", "where downloaded media go (default: the preset's static "
                                   "folder: static/ for hugo, public/ for astro, the top otherwise)")
    media_private: bool = option(False, "allow downloads from private and local addresses")
    ascii: bool = option(False, "transliterate file names to ASCII (über -> uber)")
    embeds: Literal["", "link", "hugo"] = option("", "embeds as links, or as Hugo shortcodes "
                                                     "(default: hugo for the hugo preset)")
    jobs: int = option(0, "processes converting HTML (0: one per core)")


class MarkdownExporter(Exporter[MarkdownOptions]):
    """Markdown files with front matter, for Hugo, Jekyll, Eleventy, Astro or any generator."""

    name = "markdown"
    description = "Markdown files with front matter for Hugo, Jekyll, Eleventy or Astro (a folder)"
    Options = MarkdownOptions
    output_kind = "folder"

    def __init__(self, output: Output, options: MarkdownOptions, log: RunLog) -> None:
        super().__init__(output, options, log)
        opts = options
        self.root = self.folder.root
        self.preset = PRESETS[opts.preset]
        self.opts = opts
        self.keys = _field_keys(opts.fields, self.preset.keys)
        if opts.path:
            _check_template(opts.path)
        self.types = None if opts.types.strip() == "all" else _names(opts.types)
        self.statuses = _names(opts.statuses) if opts.statuses else None
        self.comment_statuses = (None if opts.comment_statuses.strip() == "all"
                                 else frozenset(_names(opts.comment_statuses)))
        self.settings = ContentSettings(embeds=opts.embeds or self.preset.embeds,
                                        templates=self.preset.templates)
        self.index = SiteIndex(ascii_only=opts.ascii)
        self._media_urls: set[str] = set()
        self._site_hosts: set[str] = set()
        self._gallery_ids: set[int] = set()
        self._gallery_parents: set[Any] = set()
        #: Old media URL -> the downloaded file's URL on the new site.
        self.media_map: dict[str, str] = {}

    # --- streaming in ----------------------------------------------------------------------

    def start(self) -> None:
        # A named file: the processes that write the posts out read it by offset.
        handle, self._spool_path = tempfile.mkstemp(prefix="wpmigrate-spool-")
        self._spool: BinaryIO = os.fdopen(handle, "w+b")
        self._offsets: list[int] = []
        self.jobs = self.opts.jobs or default_jobs()
        self._pool: OrderedPool[Any, Any] = OrderedPool(partial(convert_job, self.settings),
                                                        self.jobs)
        self._waiting: dict[int, Post] = {}
        self._submitted = 0

    def write(self, record: Record) -> None:
        match record:
            case Site():
                self.index.site = record
                # Known once, here: media links are checked against them for every post.
                self._site_hosts = {h for h in map(site_host, self.index.site_urls()) if h}
            case Author():
                self.index.authors[record.login] = record.display_name or record.login
            case Post():
                self._post(record)

    def _left_out(self, post: Post) -> str | None:
        """Why this exporter's options leave a post out, or None."""
        if self.types is not None and post.type not in self.types:
            return f"type {post.type}"
        if self.statuses is not None and post.status not in self.statuses:
            return f"status {post.status or '(none)'}"
        if self.statuses is None and post.status in _SKIPPED_STATUSES:
            return f"status {post.status}"
        return None

    def _post(self, post: Post) -> None:
        if post.type == "attachment":
            self.index.add_attachment(post)
        reason = self._left_out(post)
        if reason is not None:
            self.log.filter(post, reason)
            return
        self.index.add_post(post)
        self._account_comments(post)
        comments = [c.content for c in post.comments] if self.opts.comments != "none" else []
        self._waiting[self._submitted] = post
        self._pool.submit((self._submitted, post.content, comments))
        self._submitted += 1
        self._spool_ready(self._pool.ready())
        return None

    def _account_comments(self, post: Post) -> None:
        """The comments the options leave out, counted now; the rest go with the post."""
        if not post.comments:
            return
        if self.opts.comments == "none":
            self.log.filter_comments(post, post.comments, "comments=none")
            return
        if self.comment_statuses is None:
            return
        left: dict[str, list[Any]] = {}
        for comment in post.comments:
            if comment.status not in self.comment_statuses:
                left.setdefault(comment.status, []).append(comment)
        for status, comments in left.items():
            self.log.filter_comments(post, comments, f"comment status {status or '(none)'}")

    def _spool_ready(self, results: Any) -> None:
        for number, converted, comment_bodies in results:
            post = self._waiting.pop(number)
            if self.opts.media == "download":
                self._media_urls |= find_media(converted.markdown, self._site_hosts)
                self._gallery_ids.update(int(n) for n in _ATTACHMENT_IDS.findall(converted.markdown))
                if CHILD_GALLERY in converted.markdown and post.id is not None:
                    self._gallery_parents.add(post.id)
            self._offsets.append(self._spool.tell())
            pickle.dump((post, converted, comment_bodies), self._spool, pickle.HIGHEST_PROTOCOL)

    # --- writing out -----------------------------------------------------------------------

    def finish(self) -> None:
        try:
            self._spool_ready(self._pool.drain())
            self._write_all()
        finally:
            self._release()

    def abort(self) -> None:
        self._release()

    def _release(self) -> None:
        self._pool.close()
        self._spool.close()
        Path(self._spool_path).unlink(missing_ok=True)

    def _download_media(self) -> None:
        urls = self._media_urls | set(self.index.featured_urls())
        urls |= {u for u in map(self.index.attachment_url, self._gallery_ids) if u}
        for parent in self._gallery_parents:
            urls.update(self.index.gallery_of(parent))
        folder = safe_relative(self.opts.media_folder or self.preset.static_folder)
        downloader = MediaDownloader(self.root, folder, allow_private=self.opts.media_private)
        for url, outcome in sorted(downloader.download_all(urls).items()):
            if outcome.local_url:
                self.media_map[url] = outcome.local_url
                self.log.tally("media", "downloaded")
            else:
                self.log.tally("media", "failed")
                self.log.notice("media-failed", f"{url}: {outcome.error}")
        self.folder.keep(downloader.written())

    def _write_all(self) -> None:
        if self.opts.media == "download":
            self._download_media()
        paths = self.index.plan_paths(self.preset, self.opts.path, self.opts.bundles)
        for key, wanted, given in self.index.renamed:
            self.log.notice("path-renamed", f"{wanted} is taken; written as {given}", key=key)
        links = SiteLinks(self.index.site_urls())
        for entry in self.index.entries:
            links.add(link=entry.link, post_id=entry.post_id, post_type=entry.type,
                      new_url=self.preset.url_for(paths[entry.number]))
        self._spool.flush()
        written = write_posts(self, paths, links, self._offsets, self._spool_path, self.jobs)
        self.folder.keep(written.files)
        for topic, tally in written.tallies.items():
            for name, count in tally.items():
                self.log.tally(topic, name, count)
        for post, reason in written.failed:
            self.log.skip(post, reason)
        if self.opts.redirects != "none":
            name = {"netlify": "_redirects", "nginx": "redirects.nginx.conf",
                    "apache": "redirects.htaccess", "csv": "redirects.csv",
                    "json": "redirects.json"}[self.opts.redirects]
            self.folder.write_file(
                name, render_redirects(links.redirects, self.opts.redirects).encode())
            self.folder.keep([name])


def _names(text: str) -> list[str]:
    return [n.strip() for n in text.split(",") if n.strip()]


def _field_keys(spec: str, preset_keys: dict[str, str]) -> dict[str, str]:
    if not spec:
        return preset_keys
    keys: dict[str, str] = {}
    for item in _names(spec):
        name, _, key = item.partition("=")
        name = name.strip()
        if name not in FIELDS:
            raise ExporterOptionError(f"option fields: no field {name!r} (known: {', '.join(FIELDS)})")
        keys[name] = key.strip() or preset_keys.get(name, name)
    return keys


def _check_template(template: str) -> None:
    try:
        names = {n for _, n, _, _ in string.Formatter().parse(template) if n is not None}
    except ValueError as exc:
        raise ExporterOptionError(f"option path: {exc}") from None
    unknown = names - _TEMPLATE_NAMES
    if unknown or not names:
        raise ExporterOptionError(f"option path takes {{slug}}, {{id}}, {{type}}, {{year}}, "
                                  f"{{month}}, {{day}}, {{parent_path}}; not {sorted(unknown)}")
