"""Markdown made safe for kramdown, Jekyll's Markdown reader, which reads more syntax
than CommonMark does.

kramdown takes a line holding a ``|`` for a table row (CommonMark needs a delimiter row
under the first), ``{:`` for an attribute list, and ``[label\\]: <url>`` for a reference
definition (it lets the escaped bracket close the label), and each of those changes or
drops the text. In the prose of a converted post, outside code, HTML blocks and the
tables the conversion wrote on purpose: ``|`` becomes ``\\|`` (``%7C`` in a link's
destination, ``&#124;`` inside an HTML tag), ``{:`` becomes ``\\{:``, and a line that
would be a reference definition has its opening bracket escaped too.
"""

from __future__ import annotations

import re

__all__ = ["for_kramdown"]

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# Lines that open an HTML block: a block-level element, or a comment.
_HTML_BLOCK = re.compile(
    r"^ {0,3}<(?:!--|/?(?:address|article|aside|audio|blockquote|canvas|center|details|dialog|"
    r"dd|div|dl|dt|embed|fieldset|figcaption|figure|footer|form|h[1-6]|header|hr|iframe|li|"
    r"main|nav|noscript|object|ol|p|pre|script|section|style|table|tbody|td|tfoot|th|thead|"
    r"tr|ul|video)\b)",
    re.IGNORECASE,
)
_DELIMITER_ROW = re.compile(r"^ {0,3}\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
_REFERENCE = re.compile(r"^( {0,3})\[([^\]\n]*\\\]:)")
# Pieces of a line, in the order they are tried: code spans, link destinations, HTML tags.
_PIECE = re.compile(
    r"(?P<code>(?P<ticks>`+).+?(?<!`)(?P=ticks)(?!`))"
    r"|(?P<destination>\]\(<[^>\n]*>\)|\]\([^)\s]*\))"
    r"|(?P<tag></?[a-zA-Z][^<>]*>)"
)


def for_kramdown(markdown: str) -> str:
    """``markdown`` with the syntax only kramdown reads escaped (see the module's notes)."""
    if "|" not in markdown and "{:" not in markdown and "\\]:" not in markdown:
        return markdown
    lines = markdown.split("\n")
    out: list[str] = []
    fence = ""
    in_html = False
    in_table = False
    for n, line in enumerate(lines):
        opening = _FENCE.match(line)
        if fence:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = ""
            out.append(line)
            continue
        if opening:
            fence = opening.group(1)
            out.append(line)
            continue
        if not line.strip():
            in_html = in_table = False
            out.append(line)
            continue
        if in_html or (not out or not out[-1].strip()) and _HTML_BLOCK.match(line):
            in_html = True
            out.append(line)
            continue
        if in_table or (
            line.lstrip().startswith("|")
            and n + 1 < len(lines)
            and _DELIMITER_ROW.match(lines[n + 1])
        ):
            in_table = True  # a table the conversion wrote: kramdown reads it as one
            out.append(line)
            continue
        out.append(_escape_line(line))
    return "\n".join(out)


def _escape_line(line: str) -> str:
    line = _REFERENCE.sub(r"\1\\[\2", line)
    pieces: list[str] = []
    at = 0
    for match in _PIECE.finditer(line):
        pieces.append(_escape_prose(line[at : match.start()]))
        piece = match.group(0)
        if match.group("destination"):
            piece = piece.replace("|", "%7C")
        elif match.group("tag"):
            piece = piece.replace("|", "&#124;")
        pieces.append(piece)
        at = match.end()
    pieces.append(_escape_prose(line[at:]))
    return "".join(pieces)


def _escape_prose(text: str) -> str:
    text = re.sub(r"(?<!\\)\|", r"\\|", text)
    return re.sub(r"(?<!\\)\{:", r"\\{:", text)
