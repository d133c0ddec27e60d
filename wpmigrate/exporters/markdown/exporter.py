"""``markdown``: one Markdown file per post and page, laid out for a static site generator.

The phases, each in a module of its own:

1. **options** settle into a :class:`~.options.Layout` (with the preset);
2. **streaming in**: each post's HTML is converted in worker processes and the post is
   spooled to a temporary file with its Markdown, while the :class:`~.index.SiteIndex`
   keeps a few packed facts per post;
3. **plan**: when every post and attachment is known, media are downloaded and the
   :class:`~.plan.SitePlan` decides every path (in export order, so re-runs give the
   same tree) and every link, in a short-lived process of its own;
4. **write**: forked processes :func:`~.assemble.assemble` the posts' files and write
   them into the output folder, each atomically. The folder's manifest is the run's.

Which posts are written is the run's filter: by default posts and pages, but not trash
or auto-drafts (``MarkdownExporter.default_filter``); ``--type``/``--status`` change it.
Items that are a site's machinery, not its writing (templates, global styles,
navigation, custom CSS, fonts, reusable blocks, menu items, revisions: ``SITE_TYPES``)
are never written as pages, even with ``--type all``, unless ``--type`` names them.
"""

from __future__ import annotations

import os
import pickle
import re
import tempfile
from array import array
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO

from ...content import ATTACHMENT_SCHEME, CHILD_GALLERY, ContentSettings, Converted, to_markdown
from ...errors import OutputError
from ...filters import SITE_TYPES, PostFilter
from ...links import render_redirects, site_hosts
from ...media import MediaDownloader, find_media
from ...paths import comment_data_path, redirects_file, safe_relative
from ...pool import OrderedPool, default_jobs, release_free_memory
from ...records import Author, Comment, Post, Record, Site
from ..base import Exporter, Output, RunLog
from .fields import hidden_reason, is_draft
from .index import SiteIndex
from .options import Layout, MarkdownOptions, resolve
from .plan import SitePlan, make_plan
from .scaffold import site_files
from .write import Spool, write_posts

__all__ = ["MarkdownExporter", "MarkdownOptions"]

_ATTACHMENT_IDS = re.compile(re.escape(ATTACHMENT_SCHEME) + r"(\d+)")


def convert_job(
    settings: ContentSettings, job: tuple[int, str, list[str]]
) -> tuple[int, Converted, list[str]]:
    """In a worker: a post's HTML and its comments' HTML to Markdown."""
    number, content, comments = job
    return (
        number,
        to_markdown(content, settings),
        [to_markdown(c, settings).markdown.rstrip("\n") for c in comments],
    )


class _MediaWanted:
    """The media URLs the posts use, collected while they stream in (for downloads)."""

    def __init__(self) -> None:
        self.urls: set[str] = set()
        self.gallery_ids: set[int] = set()
        self.gallery_parents: set[Any] = set()

    def add(self, post: Post, markdown: str, site_hosts: set[str]) -> None:
        self.urls |= find_media(markdown, site_hosts)
        self.gallery_ids.update(int(n) for n in _ATTACHMENT_IDS.findall(markdown))
        if CHILD_GALLERY in markdown and post.id is not None:
            self.gallery_parents.add(post.id)

    def all(self, index: SiteIndex) -> set[str]:
        urls = self.urls | set(index.featured_urls())
        urls |= {u for u in map(index.attachment_url, self.gallery_ids) if u}
        for parent in self.gallery_parents:
            urls.update(index.gallery_of(parent))
        return urls


class MarkdownExporter(Exporter[MarkdownOptions]):
    """Markdown files with front matter, for Hugo, Jekyll, Eleventy, Astro or any generator."""

    name = "markdown"
    description = "Markdown files with front matter for Hugo, Jekyll, Eleventy or Astro (a folder)"
    Options = MarkdownOptions
    output_kind = "folder"
    default_filter = PostFilter(
        types=frozenset({"post", "page"}),
        exclude_statuses=frozenset({"trash", "auto-draft"}),
        exclude_types=SITE_TYPES,
    )

    def __init__(self, output: Output, options: MarkdownOptions, log: RunLog) -> None:
        super().__init__(output, options, log)
        self.layout: Layout = resolve(options)
        self.index = SiteIndex(ascii_only=options.ascii)
        self._site_hosts: set[str] = set()
        self._media = _MediaWanted()
        self._media_files: list[str] = []

    # --- streaming in ----------------------------------------------------------------------

    def start(self) -> None:
        # A named file: the processes that write the posts out read it by offset.
        handle, self._spool_path = tempfile.mkstemp(prefix="wpmigrate-spool-")
        self._spool: BinaryIO = os.fdopen(handle, "w+b")
        self._offsets = array("q")
        self.jobs = self.options.jobs or default_jobs()
        self._pool: OrderedPool[Any, Any] = OrderedPool(
            partial(convert_job, self.layout.content), self.jobs
        )
        self._waiting: dict[int, Post] = {}
        self._submitted = 0

    def write(self, record: Record) -> None:
        match record:
            case Site():
                self.index.site = record
                # Known once, here: media links are checked against them for every post.
                self._site_hosts = site_hosts(self.index.site_urls())
            case Author():
                self.index.authors[record.login] = record.display_name or record.login
            case Post():
                self.observe(record)
                self._post(record)

    def observe(self, record: Record) -> None:
        """Attachments and reusable blocks are not written as pages, but galleries,
        featured images and the posts that use a reusable block need them."""
        if isinstance(record, Post) and record.type == "attachment":
            self.index.add_attachment(record)
        elif isinstance(record, Post) and record.type == "wp_block" and record.id is not None:
            # Few and small: converted here, put where posts use them at the end.
            self.index.reusable[record.id] = to_markdown(
                record.content, self.layout.content
            ).markdown.strip("\n")

    def _post(self, post: Post) -> None:
        hidden = hidden_reason(post)
        if hidden and self.options.private == "skip":
            # Never a public page for what WordPress kept from the public.
            self.log.filter(post, f"{hidden} (-O private=draft writes it as a draft)")
            return
        self.index.add_post(post, draft=is_draft(post), comments=bool(post.comments))
        self._account_comments(post)
        comments = [c.content for c in post.comments] if self.options.comments != "none" else []
        self._waiting[self._submitted] = post
        self._pool.submit((self._submitted, post.content, comments))
        self._submitted += 1
        self._spool_ready(self._pool.ready())

    def _account_comments(self, post: Post) -> None:
        """The comments the options leave out, counted now; the rest go with the post."""
        if not post.comments:
            return
        if self.options.comments == "none":
            self.log.filter_comments(post, post.comments, "comments=none")
            return
        kept = self.layout.comment_statuses
        if kept is None:
            return
        left: dict[str, list[Comment]] = {}
        for comment in post.comments:
            if comment.status not in kept:
                left.setdefault(comment.status, []).append(comment)
        for status, comments in left.items():
            self.log.filter_comments(post, comments, f"comment status {status or '(none)'}")

    def _spool_ready(self, results: Any) -> None:
        for number, converted, comment_bodies in results:
            post = self._waiting.pop(number)
            if self.options.media == "download":
                self._media.add(post, converted.markdown, self._site_hosts)
            self._offsets.append(self._spool.tell())
            pickle.dump((post, converted, comment_bodies), self._spool, pickle.HIGHEST_PROTOCOL)

    # --- planning and writing out ----------------------------------------------------------

    def finish(self) -> None:
        try:
            self._spool_ready(self._pool.drain())
            # The converting processes are done: gone before the writing ones start.
            self._pool.close()
            self._write_all()
        finally:
            self._release()

    def abort(self) -> None:
        self._release()

    def _release(self) -> None:
        self._pool.close()
        self._spool.close()
        Path(self._spool_path).unlink(missing_ok=True)

    def _download_media(self) -> dict[str, str]:
        opts = self.options
        folder = safe_relative(opts.media_folder or self.layout.preset.static_folder)
        downloader = MediaDownloader(self.folder.root, folder, allow_private=opts.media_private)
        media_map = {}
        for url, outcome in sorted(downloader.download_all(self._media.all(self.index)).items()):
            if outcome.local_url:
                media_map[url] = outcome.local_url
                self.log.tally("media", "downloaded")
            else:
                self.log.tally("media", "failed")
                self.log.notice("media-failed", f"{url}: {outcome.error}")
        self._media_files = downloader.written()
        self.folder.keep(self._media_files)
        return media_map

    def _write_all(self) -> None:
        media_map = self._download_media() if self.options.media == "download" else {}
        plan = make_plan(self.layout, self.index, media_map)
        for key, wanted, given in plan.renamed:
            self.log.notice("path-renamed", f"{wanted} is taken; written as {given}", key=key)
        extra: list[tuple[str, bytes]] = []
        if self.options.redirects != "none":
            name = redirects_file(self.options.redirects, self.layout.preset.static_folder)
            rules = render_redirects(plan.links.redirects, self.options.redirects)
            extra.append((name, rules.encode()))
        if self.options.site == "new":
            extra += self._site_files(plan, [n for n, _ in extra] + self._media_files)
        # Refused here, before anything is written, if a file of someone else's is in the way.
        self.folder.claim(list(plan.paths) + self._data_files(plan) + [n for n, _ in extra])
        self._spool.flush()
        # What planning and claiming dropped, handed back before the writers start (forked,
        # they would each share it).
        release_free_memory()
        written = write_posts(
            plan, Spool(self._spool_path, self._offsets), self.folder, self.log, self.jobs
        )
        self.folder.keep(written.files)
        for key, path in written.placed:
            self.log.place(key, path)
        for key, topic, name in written.flags:
            self.log.flag(key, topic, name)
        for topic, tally in written.tallies.items():
            for name, count in tally.items():
                self.log.tally(topic, name, count)
        for post, reason in written.failed:
            self.log.skip(post, reason)
        for name, data in extra:
            self.folder.write_file(name, data)
        self.folder.keep([name for name, _ in extra])

    def _data_files(self, plan: SitePlan) -> list[str]:
        """The comment data files the posts will have (``-O comments=data-file``)."""
        if self.options.comments != "data-file":
            return []
        folder, form = self.layout.preset.data_folder, self.options.data_format
        return [
            comment_data_path(folder, plan.urls[entry.number], form)
            for entry in self.index.entries
            if entry.comments
        ]

    def _site_files(self, plan: SitePlan, served: list[str]) -> list[tuple[str, bytes]]:
        """The generator's configuration and layouts around the content."""
        preset = self.layout.preset
        root = preset.content_root + "/" if preset.content_root else ""
        collections = {p[len(root) :].split("/", 1)[0] for p in plan.paths if p.startswith(root)}
        # Files served as they are, which the generator must be told to copy.
        passthrough = {f.split("/", 1)[0] for f in served if not preset.static_folder}
        files = site_files(
            preset.name,
            self.index.site,
            collections=sorted(c for c in collections if not c.endswith(".md")),
            passthrough=sorted(passthrough),
        )
        taken = {p.casefold() for p in plan.paths}
        for relative, _ in files:
            if relative.casefold() in taken:
                raise OutputError(f"{relative}: a post is written there; the site's file is not")
        return files
