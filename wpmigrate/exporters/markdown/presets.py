"""What each static site generator expects: where files go, which front matter keys it reads.

A preset names a path template per kind of item and maps our front matter fields to
the generator's keys (``None`` leaves a field out). Templates take ``{type}``,
``{year}``, ``{month}``, ``{day}``, ``{slug}``, ``{id}`` and ``{parent_path}`` (the
slugs of a page's ancestors); ``-O path=`` replaces them all. The URL a generator will
serve a file at is worked out from its path, so links and redirects point to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Preset", "PRESETS", "FIELDS"]

#: Our front matter fields, in the order they are written.
FIELDS = (
    "layout",
    "title",
    "date",
    "lastmod",
    "slug",
    "permalink",
    "draft",
    "published",
    "status",
    "type",
    "author",
    "categories",
    "tags",
    "taxonomies",
    "summary",
    "aliases",
    "featured_image",
    "id",
    "comments",
)


@dataclass(frozen=True)
class Preset:
    name: str
    post_path: str
    page_path: str
    other_path: str
    #: Where drafts go instead (Jekyll's _drafts), or "" to keep them with the others.
    draft_path: str = ""
    #: How the generator turns a file's path (without ``.md``) into its URL: regular
    #: expression substitutions, applied in order.
    url_rules: tuple[tuple[str, str], ...] = ()
    #: Our field name -> the generator's key; fields not listed are left out.
    keys: dict[str, str] = field(default_factory=dict)
    #: "hugo" to use Hugo's youtube/vimeo shortcodes for embeds, else "link".
    embeds: str = "link"
    #: Where comment data files go (``-O comments=data-file``).
    data_folder: str = "comments"
    #: Which template syntax the generator runs inside Markdown ("hugo", "liquid", "").
    templates: str = ""
    #: Where files served as they are go (downloaded media).
    static_folder: str = ""
    #: The generator's Markdown reader, where it reads more than CommonMark.
    dialect: str = ""
    #: The folder the generator reads content from; ``-O path=`` templates start there.
    content_root: str = ""
    #: Whether a page can be served at a URL naming a file (``/2012/12/x.html``); Astro
    #: builds every route as a folder.
    file_urls: bool = True
    #: A page whose folder holds other pages is that folder's own page (Hugo's
    #: ``_index.md``): a page file beside its folder is lost or loses its children.
    section_pages: bool = False

    def url_for(self, path: str) -> str:
        """The URL the generator serves the file at ``path`` at."""
        stem = re.sub(r"(?:/_?index)?\.md$", "", path)
        for pattern, replacement in self.url_rules:
            stem = re.sub(pattern, replacement, stem)
        return "/" + stem.strip("/") + "/"


#: Fields only the presets that need them write.
_ONLY_ASKED = {"published"}


def _keys(**renamed: str | None) -> dict[str, str]:
    keys = {name: name for name in FIELDS if name not in _ONLY_ASKED}
    for name, key in renamed.items():
        if key is None:
            keys.pop(name, None)
        else:
            keys[name] = key
    return keys


PRESETS: dict[str, Preset] = {
    "hugo": Preset(
        "hugo",
        post_path="content/posts/{slug}",
        page_path="content/{parent_path}/{slug}",
        other_path="content/{type}/{slug}",
        url_rules=((r"^content/", ""),),
        keys=_keys(
            layout=None,
            permalink=None,
            type=None,
            status=None,
            featured_image="images",
            id="wordpress_id",
        ),
        embeds="hugo",
        data_folder="data/comments",
        templates="hugo",
        static_folder="static",
        content_root="content",
        section_pages=True,
    ),
    "jekyll": Preset(
        "jekyll",
        post_path="_posts/{year}-{month}-{day}-{slug}",
        page_path="{parent_path}/{slug}",
        other_path="_{type}/{slug}",
        draft_path="_drafts/{slug}",
        # Posts are served by their date; drafts under /drafts/; a leading _ is dropped.
        url_rules=(
            (r"^_posts/(?:.*/)?(\d{4})-(\d{2})-(\d{2})-(.+)$", r"\1/\2/\3/\4"),
            (r"^_drafts/", "drafts/"),
            (r"^_", ""),
        ),
        keys=_keys(
            lastmod="last_modified_at",
            slug=None,
            draft=None,
            # Jekyll's drafts are the posts in _drafts/; any other item is held back so.
            published="published",
            status=None,
            type=None,
            summary="excerpt",
            aliases="redirect_from",
            featured_image="image",
            id="wordpress_id",
        ),
        data_folder="_data/comments",
        templates="liquid",
        dialect="kramdown",
    ),
    "eleventy": Preset(
        "eleventy",
        post_path="posts/{slug}",
        page_path="{parent_path}/{slug}",
        other_path="{type}/{slug}",
        keys=_keys(
            layout=None,
            lastmod="updated",
            slug=None,
            status=None,
            type=None,
            summary="description",
            aliases=None,
            featured_image="image",
            id="wordpress_id",
        ),
        data_folder="_data/comments",
        templates="liquid",
    ),
    "astro": Preset(
        "astro",
        post_path="src/content/posts/{slug}",
        page_path="src/content/pages/{parent_path}/{slug}",
        other_path="src/content/{type}/{slug}",
        # Pages at the top, as on WordPress; the new site's route serves each item at
        # its permalink.
        url_rules=((r"^src/content/pages/", ""), (r"^src/content/", "")),
        keys=_keys(
            layout=None,
            date="pubDate",
            lastmod="updatedDate",
            slug=None,
            status=None,
            type=None,
            summary="description",
            aliases=None,
            featured_image="heroImage",
            id="wordpress_id",
        ),
        data_folder="src/data/comments",
        static_folder="public",
        content_root="src/content",
        file_urls=False,
    ),
    "plain": Preset(
        "plain",
        post_path="{type}/{slug}",
        page_path="{type}/{parent_path}/{slug}",
        other_path="{type}/{slug}",
        keys=_keys(layout=None, permalink=None),
    ),
}
