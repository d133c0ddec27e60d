"""The site plan: everything decided once the whole export has been read.

Every post's path, the map from old URLs to new ones, the downloaded media's new URLs,
with the settings and what the index knows. It is made once, in the main process, and
never changed: the processes that write the posts inherit it as it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...links import SiteLinks
from .index import SiteIndex
from .options import Layout

__all__ = ["SitePlan", "make_plan"]


@dataclass(frozen=True)
class SitePlan:
    layout: Layout
    index: SiteIndex
    #: Each post's file, by its number in the index.
    paths: tuple[str, ...]
    #: Each post's slug as its file name holds it (what ``slug:`` says).
    slugs: tuple[str, ...]
    links: SiteLinks
    #: Old media URL -> the downloaded file's URL on the new site.
    media_map: dict[str, str]


def make_plan(layout: Layout, index: SiteIndex, media_map: dict[str, str]) -> SitePlan:
    """Decide every path (in export order) and the links to the posts at them."""
    opts = layout.options
    paths, slugs = index.plan_paths(layout.preset, opts.path, opts.bundles)
    links = SiteLinks(index.site_urls())
    for entry in index.entries:
        links.add(
            link=entry.link,
            post_id=entry.post_id,
            post_type=entry.type,
            new_url=layout.preset.url_for(paths[entry.number]),
            redirect=not entry.draft,  # a draft is not built: nothing to redirect to
        )
    return SitePlan(
        layout=layout,
        index=index,
        paths=tuple(paths),
        slugs=tuple(slugs),
        links=links,
        media_map=media_map,
    )
