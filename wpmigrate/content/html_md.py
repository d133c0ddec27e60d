"""HTML to CommonMark with html2text, configured once per converter, never globally.

Settings: no line wrapping, ``*`` emphasis (works inside words, ``_`` does not), ``-``
bullets, inline links, images with alt and title, GFM tables, ``<br>`` as a hard
break, Unicode kept as it is. Text is escaped only where CommonMark would otherwise
read it as markup: ``*``, a ``_`` at a word's edge, a backtick, ``<`` before a tag
name, ``&`` before an entity name, ``]`` before ``(`` or ``[``, a backslash before
punctuation, and the line starts html2text already guards (``1.``, ``+``, ``-``).
"""

from __future__ import annotations

import re

import html2text
from html2text import config as html2text_config

__all__ = ["HtmlToMarkdown"]

_ESCAPES = [
    (re.compile(r"\\(?=[!-/:-@\[-`{-~])"), r"\\\\"),
    (re.compile(r"([*`])"), r"\\\1"),
    (re.compile(r"(?<![^\W_])_|_(?![^\W_])"), r"\\_"),
    (re.compile(r"<(?=[A-Za-z/!?])"), r"\\<"),
    (re.compile(r"&(?=#?[A-Za-z0-9]+;)"), r"\\&"),
    (re.compile(r"\](?=[(\[:])"), r"\\]"),
    (re.compile(r"^(\s*)([#>])", re.M), r"\1\\\2"),
    (html2text_config.RE_MD_DOT_MATCHER, r"\1\\\2"),
    (html2text_config.RE_MD_PLUS_MATCHER, r"\1\\\2"),
    (html2text_config.RE_MD_DASH_MATCHER, r"\1\\\2"),
]
_QUICK = re.compile(r"[\\*`_<&\]#>.+\-]")


def escape_text(text: str) -> str:
    if not _QUICK.search(text):
        return text
    for pattern, replacement in _ESCAPES:
        text = pattern.sub(replacement, text)
    return text


class _Converter(html2text.HTML2Text):  # type: ignore[misc]
    def handle_data(self, data: str, entity_char: bool = False) -> None:
        if data and not self.code and not self.pre and self.maybe_automatic_link is None:
            data = escape_text(data)
            entity_char = True  # escaped here; html2text's own escaping would double it
        super().handle_data(data, entity_char)


class HtmlToMarkdown:
    """One configured html2text converter per conversion (html2text keeps state)."""

    def convert(self, html: str) -> str:
        converter = _Converter(bodywidth=0)
        # Entities decoded by the HTML parser, so text reaches handle_data whole and
        # "&lt;div&gt;" is escaped as the "<div>" it reads as.
        converter.convert_charrefs = True
        converter.unicode_snob = True
        converter.escape_snob = False
        converter.body_width = 0
        converter.wrap_links = False
        converter.wrap_list_items = False
        converter.wrap_tables = False
        converter.inline_links = True
        converter.protect_links = True
        converter.skip_internal_links = False
        converter.use_automatic_links = True
        converter.ul_item_mark = "-"
        converter.emphasis_mark = "*"
        converter.strong_mark = "**"
        converter.pad_tables = True
        converter.bypass_tables = False
        converter.ignore_images = False
        converter.images_as_html = False
        converter.images_with_size = False
        converter.single_line_break = False
        converter.mark_code = False
        converter.open_quote = converter.close_quote = '"'
        return str(converter.handle(html))
