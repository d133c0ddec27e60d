"""The built-in shortcode handlers: captions, galleries, embeds, audio, video and code.

Each returns HTML for the later steps (or a kept token for finished Markdown). Images
of a gallery are named by attachment id (``wpm-attachment:ID``) and resolved to their
URLs when every attachment of the export is known; a gallery without ids shows the
post's own attachments (``wpm-gallery:children``), as WordPress does.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .code import CODE_SHORTCODES, CODECOLORER, code_shortcode
from .embeds import embed_markdown
from .keeper import Keeper
from .shortcodes import Shortcode, ShortcodeRegistry

__all__ = ["Context", "default_registry", "ATTACHMENT_SCHEME", "CHILD_GALLERY"]

ATTACHMENT_SCHEME = "wpm-attachment:"
CHILD_GALLERY = "wpm-gallery:children"

_IMAGE_PART = re.compile(r"^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", re.S | re.I)
_MEDIA_SOURCES = (
    "src",
    "mp3",
    "m4a",
    "ogg",
    "oga",
    "wav",
    "flac",
    "mp4",
    "m4v",
    "webm",
    "ogv",
    "wmv",
    "flv",
    "mov",
    "0",
)


@dataclass
class Context:
    """What a conversion's steps share: the token keeper, settings and counts."""

    keeper: Keeper
    registry: ShortcodeRegistry
    embeds: str = "link"
    unknown_shortcodes: Counter[str] = field(default_factory=Counter)
    dynamic_blocks: Counter[str] = field(default_factory=Counter)


def _strip_paragraphs(markup: str) -> str:
    return re.sub(r"</?p>|<br\s*/?>", " ", markup).strip()


def caption(code: Shortcode, context: Context) -> str:
    inner = context.registry.expand(code.content or "", context)
    match = _IMAGE_PART.match(inner)
    image, text = (match.group(1), match.group(2)) if match else ("", inner)
    text = _strip_paragraphs(code.get("caption") or text)
    parts = [f"<p>{image}</p>"] if image else []
    if text:
        parts.append(f"<p><em>{text}</em></p>")
    return "\n" + "\n".join(parts) + "\n"


def gallery(code: Shortcode, context: Context) -> str:
    ids = code.get("ids", "include")
    numbers = [n for n in re.split(r"[\s,]+", ids) if n.isdigit()]
    if numbers:
        images = "".join(f'<img src="{ATTACHMENT_SCHEME}{n}" alt="" /><br />' for n in numbers)
    else:
        images = f'<img src="{CHILD_GALLERY}" alt="" />'
    return f"\n<p>{images}</p>\n"


def _url_of(code: Shortcode) -> str:
    url = (code.content or "").strip() or code.get("url", "src", "0")
    return html.unescape(url.lstrip("=").strip())


def embed(code: Shortcode, context: Context) -> str:
    url = _url_of(code)
    if not url:
        return ""
    if code.name in ("youtube", "vimeo"):  # [youtube=URL&w=320] and [vimeo 1234]
        url = url.split("&w=")[0]
        if code.name == "vimeo" and url.isdigit():
            url = f"https://vimeo.com/{url}"
        elif code.name == "youtube" and re.fullmatch(r"[\w-]{6,20}", url):
            url = f"https://www.youtube.com/watch?v={url}"
    return context.keeper.block(embed_markdown(url, context.embeds), late=True)


def media(code: Shortcode, context: Context) -> str:
    """[audio] and [video]: a link to the file, named by it."""
    url = next((code.attrs[k] for k in _MEDIA_SOURCES if code.attrs.get(k)), "")
    if not url:
        return ""
    url = html.unescape(url.strip())
    name = urlsplit(url).path.rsplit("/", 1)[-1] or url
    return f'\n<p><a href="{html.escape(url)}">{html.escape(name)}</a></p>\n'


def videopress(code: Shortcode, context: Context) -> str:
    video = code.get("0")
    if not re.fullmatch(r"\w{1,40}", video):
        return ""
    url = f"https://videopress.com/v/{video}"
    return context.keeper.block(embed_markdown(url, context.embeds), late=True)


# WordPress.com and Jetpack embeds: where each one's content lives, as a URL to link to.
# A bare id (or one in id=) becomes the provider's URL; a full URL is taken as it is.
_SERVICE_URLS = {
    "dailymotion": "https://www.dailymotion.com/video/{}",
    "soundcloud": "https://soundcloud.com/{}",
    "gist": "https://gist.github.com/{}",
    "tweet": "https://twitter.com/i/status/{}",
    "instagram": "https://www.instagram.com/p/{}/",
    "googlemaps": "https://maps.google.com/maps?q={}",
    "slideshare": "https://www.slideshare.net/slideshow/embed_code/{}",
    "ted": "https://www.ted.com/talks/{}",
    "spotify": "https://open.spotify.com/{}",
    "polldaddy": "https://poll.fm/{}",
    "crowdsignal": "https://poll.fm/{}",
    "scribd": "https://www.scribd.com/document/{}",
    "flickr": "https://www.flickr.com/photos/{}",
}


def service_embed(code: Shortcode, context: Context) -> str:
    """[dailymotion x7], [gist URL], [tweet 123], [spotify spotify:track:abc]...: a link
    to what the service showed (never dropped: one with nothing to link to is counted)."""
    found = _url_of(code) or code.get("id", "poll", "survey", "photo")
    if code.name == "slideshare":
        found = found.split("&", 1)[0].removeprefix("id=")
    if code.name == "spotify" and found.startswith("spotify:"):
        found = found.removeprefix("spotify:").replace(":", "/")
    if not found:
        context.unknown_shortcodes[code.name] += 1
        return ""
    url = found if re.match(r"https?://", found) else _SERVICE_URLS[code.name].format(found)
    return context.keeper.block(embed_markdown(url, context.embeds), late=True)


def default_registry() -> ShortcodeRegistry:
    """A new registry with every built-in handler; change it freely."""
    registry = ShortcodeRegistry()
    for name in ("caption", "wp_caption"):
        registry.register(name, caption)
    registry.register("gallery", gallery)
    for name in ("embed", "youtube", "vimeo"):
        registry.register(name, embed)
    for name in ("audio", "video"):
        registry.register(name, media)
    registry.register("wpvideo", videopress)
    for name in _SERVICE_URLS:
        registry.register(name, service_embed)
    for name in CODE_SHORTCODES:
        registry.register(name, code_shortcode)
    registry.register_family(CODECOLORER, code_shortcode)
    return registry
