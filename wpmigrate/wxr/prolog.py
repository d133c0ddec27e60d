"""What comes before the XML: blank lines, a byte order mark, or junk a server printed.

Blank lines before ``<?xml`` are skipped with a warning (libxml2 refuses them, and they
carry nothing). Anything else before the first ``<`` is junk, like the PHP warnings a
broken plugin leaks into the download: refused unless ``--repair leading-junk``.
"""

from __future__ import annotations

import re
from typing import BinaryIO

from ..errors import RefusedInputError

__all__ = ["skip_prolog_noise", "declared_encoding"]

_DECLARATION = re.compile(r"""^\s*<\?xml\s[^>]*?\bencoding\s*=\s*["']([^"']*)["']""")

_HEAD = 64 * 1024
_WHITESPACE = b" \t\r\n"
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class _Rest:
    """The head bytes still to be read, then the rest of the stream."""

    def __init__(self, head: bytes, stream: BinaryIO) -> None:
        self._head = head
        self._stream = stream

    def read(self, size: int = -1) -> bytes:
        if self._head:
            if size < 0 or size >= len(self._head):
                data, self._head = self._head, b""
                return data
            data, self._head = self._head[:size], self._head[size:]
            return data
        return self._stream.read(size)


def skip_prolog_noise(
    stream: BinaryIO, *, name: str, allow_junk: bool
) -> tuple[BinaryIO, str, int]:
    """Return the stream from its real start, what was skipped ('', 'blank' or 'junk'), and how many bytes."""
    head = _read_head(stream)
    if head.startswith(_UTF16_BOMS) or head.startswith(b"<") or not head:
        return _Rest(head, stream), "", 0  # type: ignore[return-value]
    bom = _UTF8_BOM if head.startswith(_UTF8_BOM) else b""
    body = head[len(bom) :]
    stripped = body.lstrip(_WHITESPACE)
    if stripped.startswith(b"<"):
        skipped = len(body) - len(stripped)
        if not skipped or not stripped.startswith(b"<?xml"):  # a byte order mark alone is fine
            return _Rest(head, stream), "", 0  # type: ignore[return-value]
        return _Rest(bom + stripped, stream), "blank", skipped  # type: ignore[return-value]
    start = _xml_start(body)
    if allow_junk and start >= 0:
        return _Rest(bom + body[start:], stream), "junk", start  # type: ignore[return-value]
    sample = stripped[:60].decode("utf-8", "replace").splitlines()[0] if stripped else ""
    junk = start if start >= 0 else len(body)
    what = "text" if sample.isprintable() else "binary data"
    if not sample.isprintable():
        sample = sample[:16]
    raise RefusedInputError(
        f"{junk} bytes of {what} before the XML starts (they begin {sample!r})",
        file=name,
        line=1,
        column=1,
        hint="--repair leading-junk skips them" if start >= 0 else "",
    )


def _read_head(stream: BinaryIO) -> bytes:
    """Read until the start of the XML can be told apart (never waiting for more)."""
    head = b""
    while len(head) < _HEAD:
        chunk = stream.read(_HEAD - len(head))
        if not chunk:
            break
        head += chunk
        body = head[3:] if head.startswith(_UTF8_BOM) else head
        stripped = body.lstrip(_WHITESPACE)
        if head.startswith(_UTF16_BOMS) or (
            stripped and stripped[:1] == b"<" and len(stripped) >= 5
        ):
            break
        if stripped and stripped[:1] != b"<" and _xml_start(body) >= 0:
            break
    return head


def _xml_start(body: bytes) -> int:
    """Where the XML starts in junk-prefixed bytes: the declaration, else the root."""
    found = body.find(b"<?xml")
    if found < 0:
        found = body.find(b"<rss")
    return found


def declared_encoding(head: bytes) -> str | None:
    """The encoding the XML declaration names, read from the document's first bytes
    (UTF-8, or UTF-16 by its byte order mark or its zero bytes); None if it names none."""
    text = head[:512]
    if text.startswith(_UTF8_BOM):
        text = text[3:]
    if text.startswith(_UTF16_BOMS) or text[:2] in (b"<\x00", b"\x00<"):
        codec = (
            "utf-16"
            if text.startswith(_UTF16_BOMS)
            else ("utf-16-le" if text[:1] == b"<" else "utf-16-be")
        )
        decoded = text[: len(text) // 2 * 2].decode(codec, errors="replace")
    else:
        decoded = text.decode("latin-1")
    match = _DECLARATION.match(decoded)
    return match.group(1).strip() if match else None
