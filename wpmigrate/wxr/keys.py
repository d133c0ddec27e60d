"""Handing out unique, stable keys for posts and comments in constant memory.

Most ids are small integers, so those are remembered in a bitmap (one bit per id)
rather than a set of strings; everything else (text ids, huge numbers, suffixed
repeats) goes in a set, which real exports keep small.
"""

from __future__ import annotations

__all__ = ["KeyRegistry"]

_BITMAP_LIMIT = 1 << 27  # ids below this use the bitmap: 16 MiB at the very most


class KeyRegistry:
    """Gives each id a key no other record has: the id, or ``id~2``, ``id~3``..."""

    def __init__(self) -> None:
        self._bits = bytearray()
        self._others: set[str] = set()

    def _claim_int(self, number: int) -> bool:
        """Mark an integer id as used; False if it already was."""
        byte, bit = divmod(number, 8)
        if byte >= len(self._bits):
            self._bits.extend(bytes(max(byte + 1 - len(self._bits), len(self._bits))))
        mask = 1 << bit
        if self._bits[byte] & mask:
            return False
        self._bits[byte] |= mask
        return True

    def _claim_text(self, text: str) -> bool:
        if text in self._others:
            return False
        if (
            text.isdigit()
            and text.isascii()
            and int(text) < _BITMAP_LIMIT
            and text == str(int(text))
        ):
            return self._claim_int(int(text))  # a suffix-free numeric text is that integer
        self._others.add(text)
        return True

    def claim(self, base: str | int) -> str:
        """The key for ``base``: itself when free, else the first free ``base~N``."""
        if isinstance(base, int) and 0 <= base < _BITMAP_LIMIT:
            if self._claim_int(base):
                return str(base)
        elif self._claim_text(str(base)):
            return str(base)
        n = 2
        while not self._claim_text(f"{base}~{n}"):
            n += 1
        return f"{base}~{n}"
