"""Block-editor markup: ``<!-- wp:name {attrs} -->`` comments read, used, and removed.

Static blocks store their HTML between the comments, so the comments go and the HTML
stays (columns, groups, buttons and covers keep their content). The attributes are
used where they carry meaning the HTML lacks: a code block's language, an embed's URL,
a syntax-highlighter block's language. Dynamic blocks (latest posts, archives...) are
rendered by the live site only; they are counted, since nothing of them is in the
export. ``<!--more-->`` and ``<!--nextpage-->`` are kept for the later steps.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from typing import Any

from .autop import autop

__all__ = ["has_blocks", "render_blocks"]

# WordPress serializes "--" inside attributes as \u002d\u002d, so "-->" ends a comment.
_DELIMITER = re.compile(
    r"<!--\s+(/)?wp:([a-z][a-z0-9_-]*(?:/[a-z][a-z0-9_-]*)?)\s+(?:(\{.*?\})\s+)?(/)?-->", re.S
)
_CODE_BLOCKS = (
    "code",
    "syntaxhighlighter/code",
    "kevinbatdorf/code-block-pro",
    "enlighter/codeblock",
    "codemirror-blocks/code-block",
)
_EMBED = re.compile(r"^(?:embed|core-embed/[a-z0-9-]+)$")
_PRE_OPEN = re.compile(r"<pre\b", re.I)


def has_blocks(content: str) -> bool:
    """WordPress's own test: the post holds a block comment."""
    return "<!-- wp:" in content


def _attributes(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _language(attrs: dict[str, Any]) -> str:
    for key in ("language", "lang", "languageLabel"):
        value = attrs.get(key)
        if isinstance(value, str) and re.fullmatch(r"[\w+#.-]{1,40}", value):
            return value.lower()
    match = re.search(r"\blanguage-([\w+#.-]+)", str(attrs.get("className", "")))
    return match.group(1).lower() if match else ""


def _code(inner: str, attrs: dict[str, Any]) -> str:
    language = _language(attrs)
    if language and _PRE_OPEN.search(inner):
        return _PRE_OPEN.sub(f'<pre data-language="{html.escape(language)}"', inner, count=1)
    if not _PRE_OPEN.search(inner):  # some plugins store the bare code
        return f'<pre data-language="{html.escape(language)}">{inner}</pre>'
    return inner


def _embed(inner: str, attrs: dict[str, Any]) -> str:
    url = attrs.get("url")
    if not isinstance(url, str) or not url.strip():
        match = re.search(r"https?://[^\s<\"]+", inner)
        url = html.unescape(match.group(0)) if match else ""
    caption = re.search(r"<figcaption[^>]*>(.*?)</figcaption>", inner, re.S)
    # Alone on its line between blank lines, the URL becomes an embed in the next steps.
    text = f"\n\n{html.escape(url.strip(), quote=False)}\n\n" if url else ""
    return text + (f"<p>{caption.group(1)}</p>\n" if caption else "")


#: Where a reusable block's content goes, followed by the block's id.
REUSABLE_BLOCK = "wpm-reusable-block:"


def render_blocks(content: str, dynamic: Counter[str]) -> str:
    """The post's HTML without block comments; dynamic blocks are counted by name."""
    out: list[str] = []
    stack: list[tuple[str, dict[str, Any], int]] = []  # (name, attributes, start in out)
    position = 0
    for match in _DELIMITER.finditer(content):
        out.append(content[position : match.start()])
        position = match.end()
        closing, name, raw_attrs, void = match.groups()
        if void:
            if name in ("more", "nextpage"):
                out.append(f"<!--{name}-->")
            elif name == "block" and str(_attributes(raw_attrs).get("ref", "")).isdigit():
                # A reusable block: its content is another item of the export, which may
                # come later; the Markdown exporter puts it here at the end.
                out.append(f"\n\n<p>{REUSABLE_BLOCK}{_attributes(raw_attrs)['ref']}</p>\n\n")
            elif not stack or stack[-1][0] not in _CODE_BLOCKS:
                dynamic[name] += 1
            continue
        if not closing:
            stack.append((name, _attributes(raw_attrs), len(out)))
            continue
        # Closing: pop to the matching opener (a stray closer is dropped).
        while stack and stack[-1][0] != name:
            stack.pop()
        if not stack:
            continue
        _, attrs, start = stack.pop()
        inner = "".join(out[start:])
        del out[start:]
        if name in _CODE_BLOCKS:
            out.append(_code(inner, attrs))
        elif _EMBED.match(name):
            out.append(_embed(inner, attrs))
        elif name == "more":
            text = attrs.get("customText")
            out.append("<!--more-->" if not text else f"<!--more {text}-->")
        elif name == "nextpage":
            out.append("<!--nextpage-->")
        elif name == "shortcode":  # WordPress auto-paragraphs this block's text
            out.append(autop(inner))
        else:
            out.append(inner)
    out.append(content[position:])
    return "".join(out)
