"""The site plan: everything decided once the whole export has been read.

Every post's path, the map from old URLs to new ones, the downloaded media's new URLs,
with the settings and what the index knows. It is made once (decided in a process of
its own, kept by the main one) and never changed: the processes that write the posts
inherit it as it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...links import SiteLinks, old_site_path, site_hosts
from ...packed import PackedStrings
from ...pool import forked_call, release_free_memory
from .index import SiteIndex
from .options import Layout

__all__ = ["SitePlan", "make_plan"]


@dataclass(frozen=True)
class SitePlan:
    layout: Layout
    index: SiteIndex
    #: Each post's file, by its number in the index. (Packed: the forked writers read
    #: them without copying the pages that hold them.)
    paths: PackedStrings
    #: Each post's slug as its file name holds it (what ``slug:`` says).
    slugs: PackedStrings
    #: Each post's URL on the new site (its permalink).
    urls: PackedStrings
    links: SiteLinks
    #: Old media URL -> the downloaded file's URL on the new site.
    media_map: dict[str, str]
    #: (key, path wanted, path given) for every post whose path was taken.
    renamed: list[tuple[str, str, str]]


def make_plan(layout: Layout, index: SiteIndex, media_map: dict[str, str]) -> SitePlan:
    """Decide every path (in export order) and the links to the posts at them.

    The deciding runs in a forked process where there is fork: it makes and drops a
    few hundred bytes of small objects per post, whose pages the allocator would keep
    for the rest of the run, shared with every writer (at 50,000 posts, about 30 MB).
    What it decides comes back packed."""
    index.seal()  # here: the writers look attachments up in this process's index
    release_free_memory()  # what reading dropped: else the planner's copy of it counts too
    paths, slugs, urls, links, renamed = forked_call(_decide, layout, index)
    return SitePlan(
        layout=layout,
        index=index,
        paths=paths,
        slugs=slugs,
        urls=urls,
        links=links,
        media_map=media_map,
        renamed=renamed,
    )


def _decide(
    layout: Layout, index: SiteIndex
) -> tuple[PackedStrings, PackedStrings, PackedStrings, SiteLinks, list[tuple[str, str, str]]]:
    opts = layout.options
    paths, slugs, urls, renamed = index.plan_paths(layout.preset, opts.path, opts.bundles)
    site_urls = index.site_urls()
    if opts.urls == "wordpress":
        urls = _old_urls(index, urls, site_hosts(site_urls), layout.preset.file_urls)
    links = SiteLinks(site_urls, urls)
    for entry, url in zip(index.entries, urls, strict=True):
        links.add(
            link=entry.link,
            post_id=entry.post_id,
            post_type=entry.type,
            number=entry.number,
            new_url=url,
            redirect=not entry.draft,  # a draft is not built: nothing to redirect to
        )
    links.seal()
    return paths, slugs, urls, links, renamed


def _old_urls(
    index: SiteIndex, urls: PackedStrings, hosts: set[str], file_urls: bool
) -> PackedStrings:
    """Each post at its WordPress URL where it had a path of its own on the site (not
    ``/?p=12``, not another site's, not one another post has, not a file's name where
    the generator cannot serve one); the others keep theirs."""
    taken = {u.casefold() for u in urls}
    chosen = PackedStrings(on_disk=True)
    for entry, url in zip(index.entries, urls, strict=True):
        old = old_site_path(entry.link, hosts)
        if old and not file_urls and "." in old.rstrip("/").rsplit("/", 1)[-1]:
            old = ""
        if old and (old.casefold() not in taken or old.casefold() == url.casefold()):
            taken.add(old.casefold())
            url = old
        chosen.append(url)
    return chosen
