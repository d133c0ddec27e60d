"""Turning libxml2's parse errors into one clear InputError: what, where, what to try.

libxml2 often names a symptom ("CData section not finished", "no element found") rather
than the cause, so the bytes fed last are kept to name the real character and its line.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import InputError, MalformedInputError
from .repair import CONTROL_CHARACTERS

__all__ = [
    "RecentBytes",
    "translate_syntax_error",
    "namespace_notices",
    "logged",
    "EXPORT_NAME",
    "PARSER_OPTIONS",
]

#: The name the reader's parsers give the export: their entries in the error log carry it.
EXPORT_NAME = "wpmigrate:export"
#: What every parser of the export is given (docs/security.md): no DTD, no entities, no
#: network, never lxml's ``recover``.
PARSER_OPTIONS: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": True,
    "recover": False,
    "remove_blank_text": False,
    "base_url": EXPORT_NAME,
}

_ENTITY_NAME = re.compile(r"Entity '([^']+)' not defined")

HINT_CONTROLS = "--repair strip-controls drops characters XML does not allow"
HINT_CP1252 = "--repair cp1252 re-reads the bad bytes as Windows-1252"
HINT_ENTITIES = "--repair html-entities turns HTML entities into characters"


def _last_item_start(chunk: bytes, start: int) -> int:
    """Where the last ``<item>`` or ``<item ...>`` at or after ``start`` begins, or -1:
    only the bytes after the last ``</item>`` are searched, not the whole chunk."""
    end = len(chunk)
    while (found := chunk.rfind(b"<item", start, end)) >= 0:
        if chunk[found + 5 : found + 6] in (b">", b" "):
            return found
        end = found
    return -1


class RecentBytes:
    """The last two chunks fed to the parser, with the line each starts on."""

    def __init__(self) -> None:
        self.chunks: list[tuple[int, bytes]] = []
        self.line = 1
        #: The line of the last ``<item>`` not closed yet, for "the export ends inside...".
        self.open_item_line: int | None = None

    def add(self, chunk: bytes) -> None:
        closed = chunk.rfind(b"</item>")
        opened = _last_item_start(chunk, closed + 1)
        if opened > closed:
            self.open_item_line = self.line + chunk.count(b"\n", 0, opened)
        elif closed >= 0:
            self.open_item_line = None
        self.chunks.append((self.line, chunk))
        self.line += chunk.count(b"\n")
        if len(self.chunks) > 2:
            del self.chunks[0]

    def find_control(self) -> tuple[str, int] | None:
        """The first character XML forbids, as (description, line), in the recent bytes."""
        for start_line, chunk in self.chunks:
            match = CONTROL_CHARACTERS.search(chunk)
            if match:
                found = match.group()
                code = found[0] if len(found) == 1 else _reference_value(found)
                line = start_line + chunk.count(b"\n", 0, match.start())
                return f"control character U+{code:04X}", line
        return None

    def find_bad_utf8(self) -> tuple[str, int] | None:
        """The first byte that is not valid UTF-8, as (description, line)."""
        for start_line, chunk in self.chunks:
            begin = 0
            while begin < 3 and begin < len(chunk) and 0x80 <= chunk[begin] < 0xC0:
                begin += 1  # a chunk may start inside a character
            try:
                chunk[begin:].decode("utf-8")
            except UnicodeDecodeError as exc:
                if exc.reason == "unexpected end of data":
                    continue
                position = begin + exc.start
                line = start_line + chunk.count(b"\n", 0, position)
                return f"byte 0x{chunk[position]:02X} that is not valid UTF-8", line
        return None


def _reference_value(reference: bytes) -> int:
    body = reference[2:-1]
    return int(body[1:], 16) if body[:1] in (b"x", b"X") else int(body)


def _entries(exc: Any) -> list[Any]:
    """The reader's parsers' own entries: libxml2 keeps one log per thread, and a parse
    done meanwhile on the same thread (a post's content, as HTML or as XML) leaves its
    entries there too."""
    return [entry for entry in exc.error_log if entry.filename == EXPORT_NAME]


def _first_error(exc: Any) -> Any:
    for entry in _entries(exc):
        if entry.level_name in ("ERROR", "FATAL") and not _is_namespace_problem(entry):
            return entry
    return None


def _is_namespace_problem(entry: Any) -> bool:
    """Undeclared prefixes and odd namespace URIs: every element still parses."""
    return str(entry.type_name).startswith(("NS_ERR", "WAR_NS"))


def namespace_notices(exc: Any) -> list[tuple[str, int]] | None:
    """If every error is a namespace error (an undeclared prefix), their (message, line)s;
    None if any is another error, or if the log holds none of ours (a break all the same)."""
    entries = _entries(exc)
    if not entries or _first_error(exc) is not None:
        return None
    return [(entry.message, entry.line) for entry in entries if entry.level_name != "WARNING"]


def logged(exc: Any) -> int:
    """How many entries of ours the error log holds (libxml2 stops at about 100)."""
    return len(_entries(exc))


def truncated(*, name: str, recent: RecentBytes) -> InputError:
    """The input stopped before the document did: one line saying where."""
    if recent.open_item_line is not None:
        message = (
            f"the export ends inside an item at line {recent.open_item_line}: "
            "the file was cut short?"
        )
    else:
        message = "the export ends before </channel></rss>: the file was cut short?"
    return MalformedInputError(message, file=name, line=recent.line)


def translate_syntax_error(exc: Any, *, name: str, recent: RecentBytes) -> InputError:
    """The parse error as a MalformedInputError naming the cause and the repair."""
    entry = _first_error(exc)
    if entry is None:
        return MalformedInputError(str(exc.msg or "the XML is malformed"), file=name)
    kind = entry.type_name
    # libxml2 may quote the text it stopped at on further lines: the first line says it.
    message = entry.message.strip().split("\n", 1)[0].strip()
    line, column = entry.line or None, entry.column or None
    hint = ""
    if kind == "ERR_UNDECLARED_ENTITY":
        entity = _ENTITY_NAME.search(message)
        message = (
            f"undefined entity &{entity.group(1) if entity else '?'}; (HTML entities are not XML)"
        )
        hint = HINT_ENTITIES
    elif kind in ("ERR_INVALID_CHAR", "ERR_INVALID_CHARREF", "ERR_CDATA_NOT_FINISHED") or (
        "invalid xmlChar" in message or "CData section not finished" in message
    ):
        found = recent.find_control()
        if found:
            message = f"{found[0]} is not allowed in XML"
            line, column = found[1], None
            hint = HINT_CONTROLS
    elif "Invalid bytes in character encoding" in message or kind == "ERR_INVALID_ENCODING":
        bad = recent.find_bad_utf8()
        message = f"{bad[0]}" if bad else "bytes that are not valid in the declared encoding"
        if bad:
            line, column = bad[1], None
        hint = HINT_CP1252
    elif "Premature end of data" in message or kind in ("ERR_TAG_NOT_FINISHED", "ERR_GT_REQUIRED"):
        message = f"the export ends in the middle (truncated?): {message}"
    elif kind == "ERR_MISPLACED_CDATA_END":
        message = "an unescaped ']]>' in text (write it as ']]&gt;' or split the CDATA section)"
    elif kind == "ERR_DOCUMENT_EMPTY":
        message = "no XML found: the file is empty or is not XML"
    elif "Excessive depth" in message:
        message = "elements nested more than 2,048 deep: no WordPress export is, so it is refused"
    return MalformedInputError(message, file=name, line=line, column=column, hint=hint)
