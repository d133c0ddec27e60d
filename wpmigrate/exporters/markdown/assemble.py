"""One post's files, made from the spooled post and the site plan.

The body's attachment and gallery placeholders are resolved, downloaded media and links
to other posts rewritten; the front matter fields are built, renamed for the preset and
rendered; comments go into the front matter or a data file of their own.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any, Literal
from urllib.parse import urljoin

from ...content import ATTACHMENT_SCHEME, CHILD_GALLERY, REUSABLE_BLOCK, Converted
from ...links import MEDIA_URLS, SCHEME, old_site_path, replace_urls
from ...paths import comment_data_path
from ...records import Post
from .fields import comment_thread, is_draft, post_fields
from .frontmatter import render_data, render_front_matter
from .index import SiteIndex, thumbnail_id
from .plan import SitePlan
from .presets import FIELDS

__all__ = ["assemble"]

_ATTACHMENT_IMAGE = re.compile(r"!\[([^\]]*)\]\(<?" + re.escape(ATTACHMENT_SCHEME) + r"(\d+)>?\)")
_REUSABLE = re.compile(r"^" + re.escape(REUSABLE_BLOCK) + r"(\d+)$", re.M)
Tallies = dict[str, Counter[str]]
_CHILD_GALLERY_IMAGE = re.compile(r"!\[[^\]]*\]\(<?" + re.escape(CHILD_GALLERY) + r">?\)")


def _resolve_media(markdown: str, post: Post, index: SiteIndex, tallies: Tallies) -> str:
    """Gallery images by attachment id, and a gallery of the post's own attachments; what
    the export does not hold becomes a note a reader sees, and is counted."""
    if ATTACHMENT_SCHEME in markdown:

        def attachment(match: re.Match[str]) -> str:
            url = index.attachment_url(int(match.group(2)))
            if url:
                _tally(tallies, "gallery images", "found")
                return match.group(0).replace(ATTACHMENT_SCHEME + match.group(2), url)
            _tally(tallies, "gallery images", "not in the export")
            return f"*(image {match.group(2)} of a gallery: not in the export)*"

        markdown = _ATTACHMENT_IMAGE.sub(attachment, markdown)
    if CHILD_GALLERY in markdown:
        urls = index.gallery_of(post.id)
        _tally(tallies, "gallery images", "found" if urls else "not in the export", len(urls) or 1)
        images = "  \n".join(f"![](<{url}>)" for url in urls) or (
            "*(a gallery of this post's images: none is in the export)*"
        )
        markdown = _CHILD_GALLERY_IMAGE.sub(lambda _: images, markdown)
    return markdown


def _reusable_blocks(markdown: str, index: SiteIndex, tallies: Tallies) -> str:
    """Each reusable block's content where a post uses it (blocks may nest, a little)."""
    for _ in range(5):
        if REUSABLE_BLOCK not in markdown:
            break

        def block(match: re.Match[str]) -> str:
            number = int(match.group(1))
            if number in index.reusable:
                _tally(tallies, "reusable blocks", "resolved")
                return index.reusable[number]
            _tally(tallies, "reusable blocks", "not in the export")
            return f"*(reusable block {number}: not in the export)*"

        markdown = _REUSABLE.sub(block, markdown)
    return markdown


#: Markdown link and image destinations (not URLs in code or kept HTML).
_DESTINATIONS = re.compile(r"\]\(<([^>\n]+)>|\]\(([^)\s<]+)\)")


def _absolute_links(markdown: str, base: str, tallies: Tallies) -> str:
    """Relative link and image paths resolved against the post's old URL, as WordPress
    served them: on the new site they would point nowhere (and Astro fails a build on an
    image it cannot find)."""
    if not base.startswith(("http://", "https://")) or "](" not in markdown:
        return markdown

    def resolve(url: str) -> str | None:
        if SCHEME.match(url) or url.startswith(("/", "#", "?")):
            return None
        return urljoin(base, url)

    markdown, count = replace_urls(markdown, resolve, _DESTINATIONS)
    if count:
        _tally(tallies, "links rewritten", "relative, made absolute", count)
    return markdown


def _tally(tallies: Tallies, topic: str, name: str, count: int = 1) -> None:
    tallies.setdefault(topic, Counter())[name] += count


def _featured_image(post: Post, index: SiteIndex) -> str | None:
    thumbnail = thumbnail_id(post)
    return index.attachment_url(thumbnail) if thumbnail is not None else None


def _local_media(markdown: str, media_map: dict[str, str]) -> str:
    if not media_map:
        return markdown
    return replace_urls(markdown, media_map.get, MEDIA_URLS)[0]


def _local_featured(url: str | None, media_map: dict[str, str]) -> str | None:
    return media_map.get(url, url) if url else url


def _aliases(link: str, hosts: set[str], permalink: str) -> list[str]:
    """The post's old path, for the generator to redirect from (decoded: a generator
    writes an alias as a file, and a web server decodes the request), never the post's
    own new URL (that alias would replace the page with a redirect to itself)."""
    path = old_site_path(link, hosts)
    return [path] if path and path.rstrip("/") != permalink.rstrip("/") else []


def assemble(
    plan: SitePlan,
    post: Post,
    converted: Converted,
    comment_bodies: list[str],
    path: str,
    tallies: dict[str, Counter[str]],
    *,
    slug: str,
    url: str,
) -> list[tuple[str, bytes]]:
    """The files of one post: its Markdown, and its comments' data file if asked.

    Raises FrontMatterError when the fields cannot be written to read back equal."""
    layout, index, links = plan.layout, plan.index, plan.links
    preset, opts = layout.preset, layout.options
    body = _reusable_blocks(converted.markdown, index, tallies)
    body = _local_media(_resolve_media(body, post, index, tallies), plan.media_map)
    body = _absolute_links(body, post.link or (index.site_urls()[0]), tallies)
    body, rewritten = links.rewrite(body)
    if rewritten:
        tallies.setdefault("links rewritten", Counter())["to other posts"] += rewritten
    thread = None
    files: list[tuple[str, bytes]] = []
    if opts.comments != "none" and post.comments:
        statuses = layout.comment_statuses or frozenset(c.status for c in post.comments)
        thread = comment_thread(post.comments, comment_bodies, statuses) or None
    if thread and opts.comments == "data-file":
        relative = comment_data_path(preset.data_folder, url, opts.data_format)
        files.append((relative, _data_file(thread, opts.data_format)))
        thread = None
    draft = is_draft(post)
    drafts_folder = preset.draft_path.split("/", 1)[0] + "/" if preset.draft_path else None
    fields = post_fields(
        post,
        draft=draft,
        # Held back where the generator has no drafts folder for it (Jekyll's pages).
        published=False
        if draft and not (drafts_folder and path.startswith(drafts_folder))
        else None,
        slug=slug,
        author=index.authors.get(post.author, post.author),
        permalink=url,
        aliases=_aliases(post.link, links.hosts, url),
        featured_image=_local_featured(_featured_image(post, index), plan.media_map),
        comments=thread,
        layout="post" if post.type == "post" else "page",
    )
    chosen = {
        layout.keys[name]: fields[name]
        for name in FIELDS
        if name in layout.keys and fields[name] is not None
    }
    if "images" in chosen and isinstance(chosen["images"], str):
        chosen["images"] = [chosen["images"]]  # Hugo reads a list of images
    text = render_front_matter(chosen, opts.front_matter) + ("\n" + body if body else "")
    files.insert(0, (path, text.encode("utf-8")))
    return files


def _data_file(thread: list[dict[str, Any]], form: Literal["json", "yaml"]) -> bytes:
    return render_data(thread, form).encode("utf-8")
