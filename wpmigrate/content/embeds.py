"""Embedded media (YouTube, Vimeo, tweets, audio and video files) as Markdown.

WordPress turns the URL of a known provider, alone on its line, into the provider's
player (its "auto-embed"), and so do ``[embed]``, ``[youtube]`` and friends. A static
site gets a link to the same URL, or, with ``embeds=hugo``, Hugo's own ``youtube`` and
``vimeo`` shortcodes.
"""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

__all__ = ["is_embeddable", "embed_markdown", "embed_bare_urls", "youtube_id", "vimeo_id"]

_PROVIDERS = re.compile(
    r"^(?:[\w-]+\.)*(?:youtube\.com|youtu\.be|youtube-nocookie\.com|vimeo\.com|twitter\.com|x\.com"
    r"|soundcloud\.com|open\.spotify\.com|flickr\.com|flic\.kr|instagram\.com|tiktok\.com"
    r"|dailymotion\.com|dai\.ly|slideshare\.net|wordpress\.tv|ted\.com|speakerdeck\.com"
    r"|reddit\.com|tumblr\.com|imgur\.com|giphy\.com|mixcloud\.com|kickstarter\.com"
    r"|scribd\.com|issuu\.com|videopress\.com|facebook\.com|pinterest\.com|smugmug\.com"
    r"|animoto\.com|cloudup\.com|crowdsignal\.com|polldaddy\.com|screencast\.com"
    r"|amazon\.com|bandcamp\.com|codepen\.io|gist\.github\.com)$",
    re.I,
)
_BARE_URL_LINE = re.compile(r"^(\s*)(https?://[^\s<>\"]+)(\s*)$", re.M | re.I)


def is_embeddable(url: str) -> bool:
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return False
    return bool(_PROVIDERS.match(host))


def youtube_id(url: str) -> str:
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    host = (parts.hostname or "").lower()
    if host.endswith("youtu.be"):
        candidate = parts.path.strip("/").split("/")[0]
    elif "youtube" in host:
        candidate = (parse_qs(parts.query).get("v") or [""])[0]
        if not candidate:
            match = re.match(r"/(?:embed|v|shorts|live)/([\w-]+)", parts.path)
            candidate = match.group(1) if match else ""
    else:
        return ""
    return candidate if re.fullmatch(r"[\w-]{6,20}", candidate) else ""


def vimeo_id(url: str) -> str:
    match = re.search(r"vimeo\.com/(?:video/|channels/[\w-]+/)?(\d+)", url)
    return match.group(1) if match else ""


def embed_markdown(url: str, style: str) -> str:
    """The Markdown for an embedded URL: a link, or a Hugo shortcode."""
    url = url.strip()
    if style == "hugo":
        if video := youtube_id(url):
            return "{{< youtube " + video + " >}}"
        if video := vimeo_id(url):
            return "{{< vimeo " + video + " >}}"
    return f"<{url}>" if " " not in url and ">" not in url else f"[{url}](<{url}>)"


def embed_bare_urls(text: str, keep: object) -> str:
    """WordPress's auto-embed: a provider URL alone on its line becomes an embed."""
    if "http" not in text:
        return text

    def replace(match: re.Match[str]) -> str:
        url = html.unescape(match.group(2))
        if not is_embeddable(url):
            return match.group(0)
        return keep(url)  # type: ignore[operator, no-any-return]

    return _BARE_URL_LINE.sub(replace, text)
