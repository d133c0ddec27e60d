"""HTML to CommonMark with html2text, configured once per converter, never globally.

Settings: no line wrapping, ``*`` emphasis (works inside words, ``_`` does not), ``-``
bullets, inline links, images with alt and title, GFM tables, ``<br>`` as a hard
break, Unicode kept as it is. Text is escaped only where CommonMark would otherwise
read it as markup: ``*``, a ``_`` at a word's edge, a backtick, ``<`` before a tag
name, ``&`` before an entity name, ``]`` before ``(`` or ``[``, a backslash before
punctuation, and the line starts html2text already guards (``1.``, ``+``, ``-``).

html2text reads HTML with the standard library's HTMLParser, a tokenizer written in
Python. Where the HTML is well-formed XML that HTMLParser reads the same way (the tree
pass mostly writes it so), it is parsed as XML instead and html2text's handlers are
called from the tree, in the order HTMLParser would call them (``_as_tree``,
``_Converter.feed``).
"""

from __future__ import annotations

import html as htmllib
import re
from typing import Any

import html2text
from lxml import etree

__all__ = ["HtmlToMarkdown", "configure", "tidy", "escape_text"]

# Each escape with the characters that must be in the text for it to apply: most text
# holds a "." and few a "#", and a membership test costs far less than a regex pass.
_ESCAPES = [
    ("\\", re.compile(r"\\(?=[!-/:-@\[-`{-~])"), r"\\\\"),
    ("`", re.compile(r"`"), r"\\`"),
    ("<", re.compile(r"<(?=[A-Za-z/!?])"), r"\\<"),
    ("&", re.compile(r"&(?=#?[A-Za-z0-9]+;)"), r"\\&"),
    ("]", re.compile(r"\](?=[(\[:])"), r"\\]"),
    ("#>", re.compile(r"^(\s*)([#>])", re.M), r"\1\\\2"),
    # "07." or "1)" ending its text (a line break follows) is a list marker too.
    (".)", re.compile(r"^(\s*\d+)([.)])(?=\s|$)", re.M), r"\1\\\2"),
    # "+" or "-" that starts a line and ends its text (a break or the end follows).
    ("+", re.compile(r"^(\s*)(\+)(?=\s|$)", re.M), r"\1\\\2"),
    ("-", re.compile(r"^(\s*)(-)(?=\s|-|$)", re.M), r"\1\\\2"),
]
_QUICK = re.compile(r"[\\*`_<&\]#>.)+\-]")


_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def _emphasis_escapes(text: str, mark: str) -> set[int]:
    """Where ``mark`` (``*`` or ``_``) could open or close emphasis that it also closes
    or opens within this text: only those need a backslash (CommonMark flanking rules)."""
    openers, closers, forced = [], [], []
    for i, char in enumerate(text):
        if char != mark:
            continue
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        left = not after.isspace() and (
            after not in _PUNCTUATION or before.isspace() or before in _PUNCTUATION
        )
        right = not before.isspace() and (
            before not in _PUNCTUATION or after.isspace() or after in _PUNCTUATION
        )
        if mark == "_":
            can_open = left and (not right or before in _PUNCTUATION)
            can_close = right and (not left or after in _PUNCTUATION)
        else:
            can_open, can_close = left, right
            if not text[text.rfind("\n", 0, i) + 1 : i].strip() and after in " \t\n":
                forced.append(i)  # "* " at a line start (after spaces) would be a list item
                continue
        if can_open:
            openers.append(i)
        if can_close:
            closers.append(i)
    escaped = set(forced)
    if openers and closers:
        escaped.update(i for i in openers if i < closers[-1])
        escaped.update(i for i in closers if i > openers[0])
    return escaped


def _escape_emphasis(text: str) -> str:
    positions: set[int] = set()
    for mark in "*_":
        if mark in text:
            positions |= _emphasis_escapes(text, mark)
    if not positions:
        return text
    return "".join("\\" + c if i in positions else c for i, c in enumerate(text))


def escape_text(text: str) -> str:
    if not _QUICK.search(text):
        return text
    for triggers, pattern, replacement in _ESCAPES:
        for char in triggers:  # a loop, not any(): no generator made per escape
            if char in text:
                text = pattern.sub(replacement, text)
                break
    return _escape_emphasis(text)


class _Converter(html2text.HTML2Text):
    """html2text with our escaping, and without its spacing around emphasis.

    html2text pads ``_`` emphasis with spaces to make it render; with ``*`` (which
    works inside words) the padding only changes the text, and it strips the space
    after an emphasised run's first text ("fin des <a>" lost its space).
    """

    #: The HTML already parsed (see _as_tree): html2text is handed its tags and texts
    #: from it, in the order its own parser would find them, instead of parsing again.
    tree: Any = None

    def feed(self, data: str) -> None:
        if self.tree is None:
            super().feed(data)
            return
        root, self.tree = self.tree, None
        if root.text:
            self.handle_data(root.text)
        for event, node in etree.iterwalk(root, events=("start", "end", "comment", "pi")):
            if node is root:
                continue
            if event == "start":
                self.handle_starttag(node.tag.lower(), [(k.lower(), v) for k, v in node.items()])
                if node.text:
                    self.handle_data(node.text)
                continue
            if event == "end":
                self.handle_endtag(node.tag.lower())
            if node.tail:  # after an element's end, a comment or a processing instruction
                self.handle_data(node.tail)

    def handle_tag(self, tag: str, attrs: dict[str, str | None], start: bool) -> None:
        if not start and tag in ("script", "style") and self.quiet <= 0:
            return  # a stray end tag: html2text would fall silent for the rest of the post
        if tag in ("head", "html", "body"):
            return  # typed in a post, a browser ignores them (html2text would go silent)
        if start and tag in ("em", "i", "u"):
            self.preceding_data = ""  # no space added before the mark
        super().handle_tag(tag, attrs, start)

    def handle_data(self, data: str, entity_char: bool = False) -> None:
        self.preceding_stressed = False  # no space added after a closing mark
        if data and not self.code and not self.pre and self.maybe_automatic_link is None:
            data = escape_text(data)
            entity_char = True  # escaped here; html2text's own escaping would double it
        if self.stressed and data[-1:].isspace() and data.strip():
            super().handle_data(data.rstrip(), entity_char)
            self.o(" ")  # html2text strips both ends of that first run; keep its end
            return
        super().handle_data(data, entity_char)


_EMPHASIS_OPEN_SPACE = re.compile(
    r"(<(?:em|i|u|strong|b|del|s|strike)\b[^>]*>)((?:\s|<br\s*/?>)+)", re.I
)
_EMPHASIS_CLOSE_SPACE = re.compile(
    r"((?:\s|<br\s*/?>)+)(</(?:em|i|u|strong|b|del|s|strike)>)", re.I
)
_EMPHASIS_CLOSE = re.compile(r"</(?:em|i|u|strong|b|del|s|strike)>", re.I)


def _space_before_close(html: str) -> bool:
    """Whether an emphasis end tag follows a space or a tag: the search for the end tags
    is fast, and a pass of _EMPHASIS_CLOSE_SPACE is slow (it starts at every space)."""
    for match in _EMPHASIS_CLOSE.finditer(html):
        before = html[match.start() - 1 : match.start()]
        if before.isspace() or before == ">":
            return True
    return False


_ADJACENT_EMPHASIS = re.compile(r"</(strong|b|em|i)>(?:<\1>)", re.I)
_URL_SPACES = re.compile(r"""(\s(?:href|src)=["'])\s*([^"'<>]*?)\s*(["'])""", re.I)
_TITLE = re.compile(r"""(\stitle=)(?:"([^"]*)"|'([^']*)')""", re.I)


def _escaped_title(match: re.Match[str]) -> str:
    # A title goes into Markdown as "..." and html2text does not escape the quotes in it
    # (it does its backslashes): double quotes become single ones, or the link breaks.
    value = htmllib.unescape(match.group(2) if match.group(2) is not None else match.group(3))
    value = value.replace('"', "'")
    return match.group(1) + '"' + htmllib.escape(value) + '"'


def prepare(html: str) -> str:
    """Spaces moved out of emphasis (so ``**x **`` never happens), URLs trimmed, titles
    made safe."""
    html = _ADJACENT_EMPHASIS.sub("", html)  # "</strong><strong>" would be "****"
    html = _URL_SPACES.sub(r"\1\2\3", html)  # browsers ignore spaces around a URL
    html = _EMPHASIS_OPEN_SPACE.sub(r"\2\1", html)
    if _space_before_close(html):
        html = _EMPHASIS_CLOSE_SPACE.sub(r"\2\1", html)
    if "title=" in html:
        html = _TITLE.sub(_escaped_title, html)
    return html


def configure(converter: html2text.HTML2Text) -> html2text.HTML2Text:
    """html2text's settings for CommonMark, as the Markdown exporter uses them (the
    benchmark's html2text-only limit uses them too)."""
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
    return converter


class HtmlToMarkdown:
    """One configured html2text converter per conversion (html2text keeps state)."""

    def convert(self, html: str) -> str:
        converter = _Converter(bodywidth=0)
        configure(converter)
        html = prepare(html)
        converter.tree = _as_tree(html)
        return str(converter.handle(html))


# What html2text's HTML parser reads otherwise than an XML parser would, even in
# well-formed XML: script and style hold raw text; a processing instruction ends at the
# first ">"; CDATA sections are skipped; a tag name must start with an ASCII letter
# (else it is text); a newline or tab inside a tag, an attribute value's too, is a
# space for XML. Every alternative starts with "<", so the search jumps from one to the
# next; the rest is looked for as plain text (_NOT_AS_XML_TEXT).
_NOT_AS_XML = re.compile(
    r"<(?:(?:script|style)\b|[^A-Za-z/!]|/[^A-Za-z]|!\["
    r"|[A-Za-z](?:[^>\"'\n\t]|\"[^\"\n\t]*\"|'[^'\n\t]*')*"
    r"(?:[\n\t]|\"[^\"\n\t]*[\n\t]|'[^'\n\t]*[\n\t]))",
    re.I,
)
#: Namespaces make other names; a character reference may be HTML's own (&#128; to
#: &#159; are windows-1252's); XML reads a \r as a \n.
_NOT_AS_XML_TEXT = ("xmlns", "xml:", "&#", "\r")
_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def _as_tree(html: str) -> Any:
    """The HTML as an XML tree under a root of ours, where it is well-formed XML that an
    HTML parser reads the same way; else None."""
    if any(text in html for text in _NOT_AS_XML_TEXT) or _NOT_AS_XML.search(html):
        return None
    try:
        return etree.fromstring("<r>" + html + "</r>", _XML)
    except etree.XMLSyntaxError:
        return None


_BLANK_RUNS = re.compile(r"\n[ \t]*(?:\n[ \t]*)+\n")


def tidy(markdown: str) -> str:
    """html2text's output without trailing spaces (but hard breaks) and blank-line runs."""
    lines = []
    for line in markdown.split("\n"):
        stripped = line.rstrip()
        # html2text writes a line break as two trailing spaces: keep those, drop the rest.
        lines.append(stripped + "  " if line.endswith("  ") and stripped else stripped)
    text = "\n".join(lines)
    text = _BLANK_RUNS.sub("\n\n", text).strip("\n")
    # A hard break at the end of a paragraph means nothing; drop its spaces.
    text = re.sub(r" {2}(?=\n\n|\Z)", "", text)
    return text + "\n" if text else ""
