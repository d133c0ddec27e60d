"""Opt-in repairs of damage real exports carry, done on the byte stream before parsing.

``strip-controls``  drops control characters XML forbids (raw, or as ``&#x10;``).
``cp1252``          re-reads bytes that are not valid UTF-8 as Windows-1252 (Latin-1
                    text pasted into a file that says UTF-8).
``html-entities``   turns HTML entities (``&nbsp;``, ``&eacute;``) outside CDATA into
                    numeric references, which XML understands.
``leading-junk``    skips text before the XML starts (done in ``prolog``).

Each repair counts what it changed; the report shows the counts. Repairs apply to
UTF-8 exports, which is what WordPress writes.
"""

from __future__ import annotations

import html.entities
import re
from typing import BinaryIO

__all__ = ["REPAIRS", "RepairingReader", "CONTROL_CHARACTERS"]

REPAIRS = {
    "strip-controls": "drop control characters that XML does not allow",
    "cp1252": "re-read bytes that are not valid UTF-8 as Windows-1252",
    "html-entities": "turn HTML entities outside CDATA into characters",
    "leading-junk": "skip text (such as PHP warnings) before the XML starts",
}

#: A character XML 1.0 forbids, raw or as a character reference (what strip-controls drops).
CONTROL_CHARACTERS = re.compile(
    rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|&#(?:[xX]0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F])|0*(?:[0-8]|1[1-24-9]|2[0-9]|3[01]));"
)
_ENTITY = re.compile(rb"&([A-Za-z][A-Za-z0-9]{1,31});")
_XML_ENTITIES = {b"amp", b"lt", b"gt", b"quot", b"apos"}
_HTML_ENTITIES = {
    name[:-1].encode(): "".join(f"&#{ord(ch)};" for ch in text).encode()
    for name, text in html.entities.html5.items()
    if name.endswith(";") and name[:-1].encode() not in _XML_ENTITIES
}
_CDATA_OPEN = b"<![CDATA["
_CDATA_CLOSE = b"]]>"


class RepairingReader:
    """A binary stream that applies the chosen repairs to what it reads."""

    def __init__(self, stream: BinaryIO, repairs: frozenset[str], counts: dict[str, int]) -> None:
        self.stream = stream
        self.repairs = repairs
        self.counts = counts
        self._carry = b""
        self._in_cdata = False
        self._eof = False

    def read(self, size: int = -1) -> bytes:
        while not self._eof:
            chunk = self.stream.read(size if size > 0 else 1 << 16)
            if not chunk:
                self._eof = True
                data, self._carry = self._carry, b""
                return self._repair(data) if data else b""
            data = self._carry + chunk
            cut = self._safe_cut(data)
            data, self._carry = data[:cut], data[cut:]
            if data:
                return self._repair(data)
        return b""

    def _safe_cut(self, data: bytes) -> int:
        """Where to stop so no character, reference or CDATA marker is split."""
        cut = len(data)
        if "cp1252" in self.repairs:
            lead = len(data) - 1
            while lead >= 0 and len(data) - lead <= 3 and 0x80 <= data[lead] < 0xC0:
                lead -= 1
            if lead >= 0 and data[lead] >= 0xC0 and len(data) - lead < _utf8_length(data[lead]):
                cut = lead
        amp = data.rfind(b"&")
        if amp >= 0 and len(data) - amp < 40 and data.find(b";", amp) < 0:
            cut = min(cut, amp)
        lt = data.rfind(b"<")
        if lt >= 0 and len(data) - lt < len(_CDATA_OPEN):
            cut = min(cut, lt)
        return min(cut, max(len(data) - 2, 0))

    def _repair(self, data: bytes) -> bytes:
        if "cp1252" in self.repairs:
            data = self._cp1252(data)
        if "strip-controls" in self.repairs:
            data, n = CONTROL_CHARACTERS.subn(b"", data)
            self._count("strip-controls", n)
        if "html-entities" in self.repairs:
            data = self._entities(data)
        return data

    def _count(self, repair: str, n: int) -> None:
        if n:
            self.counts[repair] = self.counts.get(repair, 0) + n

    def _cp1252(self, data: bytes) -> bytes:
        try:
            data.decode("utf-8")
            return data
        except UnicodeDecodeError:
            pass
        pieces: list[str] = []
        position = fixed = 0
        while position < len(data):
            try:
                pieces.append(data[position:].decode("utf-8"))
                break
            except UnicodeDecodeError as exc:
                pieces.append(data[position : position + exc.start].decode("utf-8"))
                bad = data[position + exc.start]
                pieces.append(bytes([bad]).decode("cp1252", errors="ignore") or chr(bad))
                position += exc.start + 1
                fixed += 1
        self._count("cp1252", fixed)
        return "".join(pieces).encode("utf-8")

    def _entities(self, data: bytes) -> bytes:
        out: list[bytes] = []
        position = 0
        while position < len(data):
            if self._in_cdata:
                end = data.find(_CDATA_CLOSE, position)
                if end < 0:
                    out.append(data[position:])
                    break
                out.append(data[position : end + 3])
                position = end + 3
                self._in_cdata = False
            else:
                start = data.find(_CDATA_OPEN, position)
                stop = len(data) if start < 0 else start
                out.append(_ENTITY.sub(self._entity, data[position:stop]))
                if start < 0:
                    break
                out.append(_CDATA_OPEN)
                position = start + len(_CDATA_OPEN)
                self._in_cdata = True
        return b"".join(out)

    def _entity(self, match: re.Match[bytes]) -> bytes:
        replacement = _HTML_ENTITIES.get(match.group(1))
        if replacement is None:
            return match.group()
        self._count("html-entities", 1)
        return replacement


def _utf8_length(lead: int) -> int:
    if lead >= 0xF0:
        return 4
    if lead >= 0xE0:
        return 3
    return 2
