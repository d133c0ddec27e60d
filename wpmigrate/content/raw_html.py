"""HTML that Markdown cannot express, kept as HTML: players, forms, scripts, hard tables.

``<iframe>``, ``<video>``, ``<audio>``, ``<object>``, ``<embed>``, ``<svg>``, ``<form>``,
``<script>`` and ``<style>`` have no Markdown form (html2text would drop them), and a
table with merged cells, nested tables or block content in its cells cannot be a GFM
table. Each is set aside whole, outermost element first, and put back as an HTML block
without blank lines inside (a blank line would end the HTML block in CommonMark).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

import lxml.html
from lxml import etree

from .keeper import Keeper

__all__ = ["keep_raw_html", "keep_unflankable_emphasis"]

# Emphasis whose text ends in punctuation right before a letter (common in Chinese and
# Japanese: "<strong>标题：</strong>正文") cannot close in CommonMark as ** or *: those
# tags stay HTML, which CommonMark passes through.
# Starting with "<" lets the regex engine jump from one "<" to the next.
_EMPHASIS = re.compile(r"<(strong|b|em|i)\b[^>]*>((?:(?!</?\1\b).){0,600}?)</\1>", re.S | re.I)
_ANY_TAG = re.compile(r"<[^>]*>")
_TRAILING_TAGS = re.compile(r"(?:<[^<>]*>)+$")
_LEADING_TAGS = re.compile(r"^(?:<[^<>]*>)+")
_ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")

_KEPT = (
    "iframe",
    "video",
    "audio",
    "object",
    "svg",
    "form",
    "script",
    "noscript",
    "style",
    "table",
)
_OPEN_OR_CLOSE = {tag: re.compile(rf"<(/?){tag}\b[^>]*>", re.I) for tag in _KEPT}
_VOID_EMBED = re.compile(r"<embed\b[^>]*>", re.I)
_HARD_TABLE = re.compile(
    r"\b(?:rowspan|colspan)\s*=\s*[\"']?(?!1[\"'\s>])\d|<table\b.*<table\b"
    r"|<t[dh]\b[^>]*>(?:(?!</t[dh]>).)*?<(?:p|ul|ol|pre|blockquote|h[1-6]|div|img|br)\b",
    re.I | re.S,
)


def _outermost(text: str, tag: str) -> list[tuple[int, int]]:
    spans = []
    depth = 0
    start = 0
    for match in _OPEN_OR_CLOSE[tag].finditer(text):
        if not match.group(1):
            if match.group(0).endswith("/>"):
                if depth == 0:
                    spans.append((match.start(), match.end()))
                continue
            if depth == 0:
                start = match.start()
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                spans.append((start, match.end()))
    return spans


# End tags of elements that have none: browsers ignore them, kramdown prints them as text.
_VOID_END = re.compile(
    r"</(?:area|base|col|embed|hr|img|input|link|meta|param|source|track|wbr)\s*>", re.I
)


def _balanced(markup: str) -> str:
    """A form's HTML with its tags nested as a browser nests them: wpautop puts ``<p>``
    around its fields that close inside a ``<select>``, and a Markdown reader that
    follows the tags (kramdown) never finds the form's end and prints the rest of the
    post as code."""
    try:
        fragment = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return markup
    return (
        "".join(
            lxml.html.tostring(child, encoding="unicode", method="html").strip()
            for child in fragment
        )
        or markup
    )


def _as_block(markup: str) -> str:
    return _VOID_END.sub("", re.sub(r"\n\s*\n", "\n", markup.strip()))


def _punctuation(char: str) -> bool:
    """Punctuation as CommonMark's flanking rules count it: ASCII punctuation (the
    backtick too), and Unicode punctuation and symbols."""
    return bool(char) and (char in _ASCII_PUNCTUATION or unicodedata.category(char)[0] in "PS")


def keep_unflankable_emphasis(text: str, keeper: Keeper) -> str:
    if "<" not in text:
        return text

    def replace(match: re.Match[str]) -> str:
        # The visible characters around the element, past tags that wrap it.
        start = match.start()
        before = (
            _ANY_TAG.sub("", _TRAILING_TAGS.sub("", text[max(0, start - 300) : start]))[-1:] or " "
        )
        end = match.end()
        after = _ANY_TAG.sub("", _LEADING_TAGS.sub("", text[end : end + 300]))[:1] or " "
        tag, inner = match.group(1), match.group(2)
        # What set-aside pieces (inline code) will write at the edges, not their tokens.
        stripped = keeper.restore(keeper.restore(inner.strip()), late=True)
        visible = _ANY_TAG.sub("", stripped)
        if not visible.strip():
            return match.group(0)
        # Judged by what Markdown will write at each edge: a link ends in ")" and starts
        # with "["; other tags write nothing there.
        last = ")" if re.search(r"</a\s*>$", stripped, re.I) else visible[-1:]
        first = "[" if re.match(r"<a\b", stripped, re.I) else visible[:1]
        # Spaces at the edges move outside the marks later, and then the marks flank.
        closes_badly = _punctuation(last) and after.isalnum() and not inner[-1].isspace()
        opens_badly = _punctuation(first) and before.isalnum() and not inner[0].isspace()
        if not (closes_badly or opens_badly):
            return match.group(0)
        name = {"b": "strong", "i": "em"}.get(tag.lower(), tag.lower())
        return keeper.keep(f"<{name}>") + inner + keeper.keep(f"</{name}>")

    return _EMPHASIS.sub(replace, text)


def keep_raw_html(text: str, keeper: Keeper, kept: Counter[str]) -> str:
    """Set aside each element Markdown cannot express; count them by tag."""
    lowered = text.lower()
    for tag in _KEPT:
        if f"<{tag}" not in lowered:
            continue
        spans = _outermost(text, tag)
        if not spans:
            continue
        out = []
        position = 0
        for start, end in spans:
            element = text[start:end]
            if (
                tag == "table"
                and not _HARD_TABLE.search(element)
                and len(re.findall(r"<tr\b", element, re.I)) >= 2
            ):
                continue  # html2text makes a GFM table of it
            if tag == "form":
                element = _balanced(element)
            out.append(text[position:start])
            out.append(keeper.keep(_as_block(element), own_lines=True))
            kept[tag] += 1
            position = end
        out.append(text[position:])
        text = "".join(out)
        lowered = text.lower()
    if "<embed" in lowered:

        def replace(match: re.Match[str]) -> str:
            kept["embed"] += 1
            return keeper.keep(match.group(0))

        text = _VOID_EMBED.sub(replace, text)
    return text
