"""Old WordPress URLs and their new homes: links between posts rewritten, redirect maps.

Every exported post is known by its permalink, ``?p=ID`` and (pages) ``?page_id=ID``,
on any of the site's hosts (with or without ``www.``, http or https) or as a path
alone. Links in the Markdown that lead to one of them are rewritten to the post's new
URL (the fragment kept); ``write_redirects`` writes the whole map in the format a
host reads.
"""

from __future__ import annotations

import csv
import io
import json
import re
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from urllib.parse import parse_qs, unquote, urlsplit

from .packed import PackedStrings, StringKeys

__all__ = [
    "SiteLinks",
    "REDIRECT_FORMATS",
    "render_redirects",
    "replace_urls",
    "urls_in",
    "site_host",
    "site_hosts",
    "old_site_path",
    "LINK_URLS",
    "SCHEME",
    "MEDIA_URLS",
]

REDIRECT_FORMATS = ("netlify", "nginx", "apache", "csv", "json")

# The URLs in Markdown. In each pattern every alternative captures one group, the URL,
# and begins with a plain character: the regex engine then looks for the next of those
# characters instead of trying every alternative at every position (ten times faster).
#: Links and images, autolinks, and href/src attributes of HTML kept as it is.
LINK_URLS = re.compile(
    r"\]\(<([^>\n]+)>|\]\(([^)\s]+)\)|<(https?://[^>\s]+)>"
    r"|href=[\"']([^\"'>]+)[\"']|src=[\"']([^\"'>]+)[\"']"
)
#: Where a media file can be: as LINK_URLS, but never an autolink (that is a link shown
#: as its text, which must stay the old URL).
MEDIA_URLS = re.compile(
    r"\]\(<([^>\n]+)>|\]\(([^)\s<]+)\)|src=[\"']([^\"'>]+)[\"']|href=[\"']([^\"'>]+)[\"']"
)


#: A URL's scheme as urlsplit reads it: a letter, then letters, digits, "+", "-" or ".".
SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")


def site_hosts(site_urls: Iterable[str]) -> set[str]:
    """The hosts of the site's own URLs, as ``site_host`` gives them."""
    return {h for h in map(site_host, site_urls) if h}


def site_host(url: str) -> str:
    """A URL's host as the site's links compare it: lower case, without ``www.``."""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""
    return host[4:] if host.startswith("www.") else host


def old_site_path(link: str, hosts: set[str]) -> str:
    """A post's old URL as a path of its site, as a web server finds it: decoded, doubled
    slashes merged; "" where it is no such path (another site's, ``/?p=12``, the root,
    a ``..`` segment)."""
    try:
        parts = urlsplit(link)
    except ValueError:
        return ""
    if parts.query or parts.fragment or (parts.hostname and site_host(link) not in hosts):
        return ""
    path = re.sub(r"/{2,}", "/", unquote(parts.path))
    if path.strip("/") == "" or ".." in path.split("/"):
        return ""
    return path if path.startswith("/") else "/" + path


def _path_key(path: str) -> str:
    return re.sub(r"/{2,}", "/", unquote(path)).rstrip("/") or "/"


class SiteLinks:
    """The map from old URLs to new ones, and the rewriting of links with it.

    Each post is added by its number in ``new_urls`` (the posts' new URLs, in order):
    the maps hold numbers, and a URL is read from ``new_urls`` when a link needs it."""

    def __init__(self, site_urls: Iterable[str], new_urls: Sequence[str]) -> None:
        self.hosts = site_hosts(site_urls)
        self._urls = new_urls
        self._by_path = StringKeys()
        #: "p=12", "page_id=12": a post's unpretty permalinks.
        self._by_query = StringKeys()
        # The redirect rules: (old URL as a site-relative path or query, post number).
        self._redirected_from = PackedStrings(on_disk=True)
        self._redirected_to = array("q")

    def add(
        self,
        *,
        link: str,
        post_id: object,
        post_type: str,
        number: int,
        new_url: str,
        redirect: bool = True,
    ) -> None:
        """Map a post's old URLs to its new one (``new_url``, its ``new_urls[number]``,
        which the caller reading them in order has at hand); ``redirect=False`` (a post
        that will not be built) maps links without a redirect rule. A rule to itself is
        never written."""

        new_key = ""  # the new URL as a path key, worked out once if a rule needs it

        def rule(old: str, old_key: str) -> None:
            nonlocal new_key
            if redirect:
                new_key = new_key or _path_key(new_url)
                if old_key != new_key:
                    self._redirected_from.append(old)
                    self._redirected_to.append(number)

        if link:
            try:
                parts = urlsplit(link)
            except ValueError:
                parts = None
            if parts is not None and (not parts.hostname or site_host(link) in self.hosts):
                query = parse_qs(parts.query) if parts.query else {}
                if "p" in query or "page_id" in query:
                    pass  # an unpretty permalink: covered by the id forms below
                elif parts.path not in ("", "/"):
                    key = _path_key(parts.path)
                    if self._by_path.setdefault(key, number):
                        rule(parts.path, key)
        if isinstance(post_id, int):
            for name in ["p"] + (["page_id"] if post_type == "page" else []):
                query_key = f"{name}={post_id}"
                if self._by_query.setdefault(query_key, number):
                    rule(f"/?{query_key}", _path_key(f"/?{query_key}"))

    def seal(self) -> None:
        """Every post added: the maps packed for the lookups of forked workers."""
        self._by_path.seal()
        self._by_query.seal()

    @property
    def redirects(self) -> list[tuple[str, str]]:
        """(old URL as a site-relative path or query, new URL), in export order."""
        urls, olds = self._urls, self._redirected_from
        return [(old, urls[n]) for old, n in zip(olds, self._redirected_to, strict=True)]

    def new_url(self, url: str) -> str | None:
        """The new URL for a link to one of the site's posts, else None."""
        stripped = url.strip()
        scheme = SCHEME.match(stripped)
        if scheme and scheme.group(1).lower() not in ("http", "https"):
            # mailto:, data:... never lead to a post; urlsplit would take long over a
            # data: URI of an inline image (hundreds of kilobytes) to say so.
            return None
        try:
            parts = urlsplit(stripped)
        except ValueError:
            return None
        if parts.scheme not in ("http", "https", "") or (
            parts.netloc and site_host(url) not in self.hosts
        ):
            return None
        if not parts.netloc and not parts.path.startswith("/"):
            return None
        found = None
        if parts.query:
            query = parse_qs(parts.query)
            for name in ("p", "page_id"):
                value = query.get(name)
                if value and (found := self._by_query.get(f"{name}={value[0]}")) is not None:
                    break
        if found is None:
            found = self._by_path.get(_path_key(parts.path))
        if found is None:
            return None
        return self._urls[found] + (f"#{parts.fragment}" if parts.fragment else "")

    def rewrite(self, markdown: str) -> tuple[str, int]:
        """Links to the site's posts pointed at their new URLs; how many were."""
        if not (len(self._by_path) or len(self._by_query)):
            return markdown, 0
        return replace_urls(markdown, self.new_url)


def replace_urls(
    markdown: str, new_for: Callable[[str], str | None], pattern: re.Pattern[str] = LINK_URLS
) -> tuple[str, int]:
    """Each URL that ``pattern`` finds (one group per alternative: the URL) replaced by
    ``new_for(url)``, unless that is None; and how many were."""
    count = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal count
        group = match.lastindex or 0
        new = new_for(match.group(group))
        if new is None:
            return match.group(0)
        count += 1
        start, end = match.span(group)
        return markdown[match.start() : start] + new + markdown[end : match.end()]

    return pattern.sub(replace, markdown), count


def urls_in(markdown: str, pattern: re.Pattern[str]) -> Iterator[str]:
    """Every URL ``pattern`` finds in ``markdown``."""
    for match in pattern.finditer(markdown):
        yield match.group(match.lastindex or 0)


def render_redirects(redirects: list[tuple[str, str]], form: str) -> str:
    """The redirect map in a host's format (see docs/markdown.md for where it goes)."""
    if form == "json":
        return (
            json.dumps(
                [{"from": old, "to": new} for old, new in redirects], ensure_ascii=False, indent=2
            )
            + "\n"
        )
    if form == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["from", "to"])
        writer.writerows(redirects)
        return buffer.getvalue()
    lines = []
    for old, new in redirects:
        path, _, query = old.partition("?")
        if form == "netlify":
            lines.append(
                f"{_no_space(path)} {query} {_no_space(new)} 301"
                if query
                else f"{_no_space(path)} {_no_space(new)} 301"
            )
        elif form == "nginx":
            if query:
                name, _, value = query.partition("=")
                lines.append(f'if ($arg_{name} = "{value}") {{ return 301 {_quoted(new)}; }}')
            else:
                lines.append(f"location = {_quoted(path)} {{ return 301 {_quoted(new)}; }}")
        elif form == "apache":
            if query:
                lines.append(f"RewriteCond %{{QUERY_STRING}} ^{re.escape(query)}$")
                lines.append(f"RewriteRule ^$ {_no_space(new)}? [R=301,L]")
            else:
                lines.append(
                    f"RewriteRule ^{re.escape(path.lstrip('/'))}$ {_no_space(new)} [R=301,L]"
                )
    header = "RewriteEngine On\n" if form == "apache" and lines else ""
    return header + "\n".join(lines) + ("\n" if lines else "")


def _no_space(url: str) -> str:
    return url.replace(" ", "%20").replace("\n", "")


def _quoted(url: str) -> str:
    return '"' + _no_space(url).replace("\\", "\\\\").replace('"', '\\"') + '"'
