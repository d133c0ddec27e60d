"""WordPress's auto-paragraphs: blank lines become ``<p>``, single newlines ``<br />``.

Classic-editor posts are stored without paragraph tags; WordPress adds them when it
renders a post (``wpautop`` in wp-includes/formatting.php). This module does the same
steps in the same order, so the HTML we convert is the HTML readers saw:

- ``<pre>`` sections are set aside first and put back untouched;
- block-level tags get blank lines around them, so they are never wrapped in ``<p>``;
- newlines inside tags and HTML comments are kept as they are (not made ``<br />``);
- inside ``<script>``, ``<style>``, ``<svg>`` and ``<math>`` newlines stay newlines;
- ``shortcode_unautop``: a shortcode alone in a paragraph is not wrapped in ``<p>``.

WordPress skips all of this for block-editor posts (see :mod:`.blocks`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

__all__ = ["autop", "unautop_shortcodes"]

_BLOCKS = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre"
    r"|form|map|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section"
    r"|article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary)"
)

_DOUBLE_BR = re.compile(r"<br\s*/?>\s*<br\s*/?>")
_BLOCK_OPEN = re.compile(r"(<" + _BLOCKS + r"[\s/>])")
_BLOCK_CLOSE = re.compile(r"(</" + _BLOCKS + r">)")
_HR = re.compile(r"(<hr\s*?/?>)")
# A tag, an HTML comment or a CDATA section, as WordPress's wp_html_split sees them.
_HTML_SPLIT = re.compile(
    r"(<(?:(?=!--)!(?:-(?!->)[^\-]*+)*+(?:-->)?"
    r"|(?=!\[CDATA\[)!\[CDATA\[[^\]]*+(?:](?!]>)[^\]]*+)*+(?:]]>)?"
    r"|[^>]*>?))"
)
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_STEPS_AFTER_WRAP = [
    (re.compile(r"<p>\s*</p>"), ""),
    (re.compile(r"<p>([^<]+)</(div|address|form)>"), r"<p>\1</p></\2>"),
    (re.compile(r"<p>\s*(</?" + _BLOCKS + r"[^>]*>)\s*</p>"), r"\1"),
    (re.compile(r"<p>(<li.+?)</p>"), r"\1"),
    (re.compile(r"<p><blockquote([^>]*)>", re.I), r"<blockquote\1><p>"),
    (re.compile(r"</blockquote></p>"), "</p></blockquote>"),
    (re.compile(r"<p>\s*(</?" + _BLOCKS + r"[^>]*>)"), r"\1"),
    (re.compile(r"(</?" + _BLOCKS + r"[^>]*>)\s*</p>"), r"\1"),
]
_KEEP_NEWLINES = re.compile(r"<(script|style|svg|math).*?</\1>", re.S)
# The lookahead first: most positions fail it at once, before the costlier lookbehind.
_NEWLINE_TO_BR = re.compile(r"(?=\s)(?<!<br />)\s*\n")
_BR_AFTER_BLOCK = re.compile(r"(</?" + _BLOCKS + r"[^>]*>)\s*<br />")
_BR_BEFORE_BLOCK = re.compile(r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)")
_LAST_NEWLINE = re.compile(r"\n</p>$")
_NEWLINE_MARK = " <!-- wpnl --> "


def _mark_newlines_in_tags(text: str) -> str:
    parts = _HTML_SPLIT.split(text)
    for n in range(1, len(parts), 2):  # odd parts are the tags and comments
        if "\n" in parts[n]:
            parts[n] = parts[n].replace("\n", _NEWLINE_MARK)
    return "".join(parts)


def _set_aside_pre(text: str) -> tuple[str, dict[str, str]]:
    if "<pre" not in text:
        return text, {}
    pieces = text.split("</pre>")
    last = pieces.pop()
    kept: dict[str, str] = {}
    out = []
    for piece in pieces:
        start = piece.find("<pre")
        if start < 0:
            out.append(piece)  # a stray </pre> is dropped, as WordPress drops it
            continue
        name = f"<pre wp-pre-tag-{len(kept)}></pre>"
        kept[name] = piece[start:] + "</pre>"
        out.append(piece[:start] + name)
    out.append(last)
    return "".join(out), kept


def autop(text: str, *, br: bool = True) -> str:
    """``wpautop``: paragraphs from blank lines, ``<br />`` from newlines when ``br``."""
    if not text.strip():
        return ""
    text, pre_tags = _set_aside_pre(text + "\n")
    text = _DOUBLE_BR.sub("\n\n", text)
    text = _BLOCK_OPEN.sub(r"\n\n\1", text)
    text = _BLOCK_CLOSE.sub(r"\1\n\n", text)
    text = _HR.sub(r"\1\n\n", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _mark_newlines_in_tags(text)
    if "<option" in text:
        text = re.sub(r"\s*<option", "<option", text)
        text = re.sub(r"</option>\s*", "</option>", text)
    if "</object>" in text:
        text = re.sub(r"(<object[^>]*>)\s*", r"\1", text)
        text = re.sub(r"\s*</object>", "</object>", text)
        text = re.sub(r"\s*(</?(?:param|embed)[^>]*>)\s*", r"\1", text)
    if "<source" in text or "<track" in text:
        text = re.sub(r"([<\[](?:audio|video)[^>\]]*[>\]])\s*", r"\1", text)
        text = re.sub(r"\s*([<\[]/(?:audio|video)[>\]])", r"\1", text)
        text = re.sub(r"\s*(<(?:source|track)[^>]*>)\s*", r"\1", text)
    if "<figcaption" in text:
        text = re.sub(r"\s*(<figcaption[^>]*>)", r"\1", text)
        text = re.sub(r"</figcaption>\s*", "</figcaption>", text)
    text = re.sub(r"\n\n+", "\n\n", text)
    paragraphs = [p for p in _PARAGRAPH_BREAK.split(text) if p]
    text = "".join(f"<p>{p.strip(chr(10))}</p>\n" for p in paragraphs)
    for pattern, replacement in _STEPS_AFTER_WRAP:
        text = pattern.sub(replacement, text)
    if br:
        text = _KEEP_NEWLINES.sub(lambda m: m.group(0).replace("\n", "<WPPreserveNewline />"), text)
        text = text.replace("<br>", "<br />").replace("<br/>", "<br />")
        text = _NEWLINE_TO_BR.sub("<br />\n", text)
        text = text.replace("<WPPreserveNewline />", "\n")
    text = _BR_AFTER_BLOCK.sub(r"\1", text)
    text = _BR_BEFORE_BLOCK.sub(r"\1", text)
    text = _LAST_NEWLINE.sub("</p>", text)
    for name, original in pre_tags.items():
        text = text.replace(name, original)
    if "<!-- wpnl -->" in text:
        text = text.replace(_NEWLINE_MARK, "\n").replace("<!-- wpnl -->", "\n")
    return text


def unautop_shortcodes(text: str, names: Iterable[str]) -> str:
    """``shortcode_unautop``: unwrap a paragraph that holds nothing but one shortcode."""
    if "[" not in text:
        return text
    names = tuple(sorted(names))
    if not names:
        return text
    return _lone_shortcode(names).sub(r"\1", text)


@lru_cache(maxsize=16)
def _lone_shortcode(names: tuple[str, ...]) -> re.Pattern[str]:
    """A paragraph holding one shortcode of these names (the same for every post of a run)."""
    tags = "|".join(re.escape(n) for n in names)
    return re.compile(
        r"<p>\s*+(\[(" + tags + r")(?![\w-])[^\]/]*(?:/(?!\])[^\]/]*)*?"
        r"(?:/\]|\](?:[^\[]*+(?:\[(?!/\2\])[^\[]*+)*+\[/\2\])?))\s*+</p>"
    )
