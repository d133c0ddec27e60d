"""Compact tables for what a run keeps per post until its end.

A 50,000-post export leaves the Markdown exporter holding a few facts per post (a key,
a slug, a link, an id, later a path and a URL) until every post has been read. As
separate Python objects each fact costs a header of 50 bytes or more and scatters over
the heap; in a forked worker, merely reading one writes its reference count and copies
the page that holds it. Kept as one block of UTF-8 and arrays of integers, they cost
their characters, and pages shared with forked workers stay shared.
"""

from __future__ import annotations

import operator
import os
import tempfile
import zlib
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any, BinaryIO, overload

__all__ = ["PackedStrings", "IdIndex", "IdTable", "StringKeys", "INT64"]

#: The integers an ``array("q")`` holds; an id outside them is kept aside.
INT64 = range(-(2**63), 2**63)
#: What an on-disk table keeps in memory before writing it, and reads at once.
_BLOCK = 64 * 1024


class PackedStrings(Sequence[str]):
    """Strings appended to one block of UTF-8; each read decodes a new string from it.

    ``on_disk``: the block goes to an unnamed temporary file as it grows (all but its
    last 64 KiB), read back by offset, so the table costs the process 8 bytes a string
    whatever their length; forked workers read the same file. Where the system cannot
    read a file by offset without moving a shared position (no ``os.pread``), the block
    stays in memory."""

    def __init__(self, strings: Iterable[str] = (), *, on_disk: bool = False) -> None:
        self._data = bytearray()  # everything, or (on disk) what is not written yet
        self._ends = array("q")
        self._file: BinaryIO | None = None
        if on_disk and hasattr(os, "pread"):
            self._file = tempfile.TemporaryFile(prefix="wpmigrate-table-")
        self._written = 0
        self.extend(strings)

    def append(self, text: str) -> None:
        # surrogatepass: a lone surrogate (possible in a str) reads back as it was.
        self._data += text.encode("utf-8", "surrogatepass")
        self._ends.append(self._written + len(self._data))
        if self._file is not None and len(self._data) >= _BLOCK:
            self._file.write(self._data)
            self._file.flush()
            self._written += len(self._data)
            self._data = bytearray()

    def extend(self, texts: Iterable[str]) -> None:
        for text in texts:
            self.append(text)

    def __len__(self) -> int:
        return len(self._ends)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            first, stop, step = index.indices(len(self))
            if step != 1:
                return [self[n] for n in range(first, stop, step)]
            return self._run(first, stop)
        if index < 0:
            index += len(self._ends)
        end = self._ends[index]  # IndexError as a list gives it
        start = self._ends[index - 1] if index else 0
        return self._bytes(start, end).decode("utf-8", "surrogatepass")

    def _run(self, first: int, stop: int) -> list[str]:
        """The strings from ``first`` to ``stop``, read at once."""
        if first >= stop:
            return []
        ends = self._ends
        base = ends[first - 1] if first else 0
        block = self._bytes(base, ends[stop - 1])
        texts, start = [], 0
        for n in range(first, stop):
            end = ends[n] - base
            texts.append(block[start:end].decode("utf-8", "surrogatepass"))
            start = end
        return texts

    def __iter__(self) -> Iterator[str]:
        # Read in blocks: one system call for many strings.
        block, block_start, start = b"", 0, 0
        for end in self._ends:
            if end > block_start + len(block):
                block_start = start
                block = self._bytes(start, max(end, start + _BLOCK))
            yield block[start - block_start : end - block_start].decode("utf-8", "surrogatepass")
            start = end

    def __reduce__(self) -> tuple[Any, ...]:
        # Sent to another process as bytes; there it goes to a file of its own.
        whole = self._bytes(0, self._written + len(self._data))
        return _unpickled, (whole, self._ends, self._file is not None)

    def _bytes(self, start: int, end: int) -> bytes:
        """The block's bytes from ``start`` to ``end`` (or to the end of the block)."""
        written = self._written
        if start >= written:
            return bytes(self._data[start - written : end - written])
        assert self._file is not None
        head = os.pread(self._file.fileno(), min(end, written) - start, start)
        return head + self._data[: max(0, end - written)] if end > written else head


def _unpickled(whole: bytes, ends: array[int], on_disk: bool) -> PackedStrings:
    table = PackedStrings(on_disk=on_disk)
    if table._file is not None:
        table._file.write(whole)
        table._file.flush()
        table._written = len(whole)
    else:
        table._data = bytearray(whole)
    table._ends = ends
    return table


class IdIndex:
    """Positions filed under ids (a post's id, its parent's), in the order added.

    Integer ids are kept in arrays and found by bisection once sorted (the first lookup
    sorts; :meth:`seal` does it before workers are forked, so none sorts its own copy).
    Other ids (an export's odd ones: text, or too large) are kept aside in a dict."""

    def __init__(self) -> None:
        self._ids = array("q")
        self._positions = array("q")
        self._aside: dict[Any, list[int]] = {}
        # The ids sorted, and the position of each; None until the next lookup.
        self._sorted: tuple[array[int], array[int]] | None = None

    def add(self, key: Any, position: int) -> None:
        if type(key) is int and key in INT64:
            self._ids.append(key)
            self._positions.append(position)
            self._sorted = None
        else:
            self._aside.setdefault(key, []).append(position)

    def __len__(self) -> int:
        return len(self._ids) + sum(map(len, self._aside.values()))

    def first(self, key: Any) -> int | None:
        found = self.all(key, first=True)
        return found[0] if found else None

    def all(self, key: Any, *, first: bool = False) -> list[int]:
        """The positions filed under ``key``, in the order added (``first``: one at most)."""
        if type(key) is not int or key not in INT64:
            return self._aside.get(key, [])[: 1 if first else None]
        self.seal()
        assert self._sorted is not None
        ids, positions = self._sorted
        n = bisect_left(ids, key)
        found = []
        while n < len(ids) and ids[n] == key:
            found.append(positions[n])
            if first:
                break
            n += 1
        return found

    def seal(self) -> None:
        if self._sorted is None:
            ids, positions = self._ids, self._positions
            if all(map(operator.le, ids, islice(ids, 1, None))):
                # The usual export: ids ascending. Adding resets _sorted, so sharing the
                # arrays is safe.
                self._sorted = ids, positions
                return
            # Stable: among equal ids, the first added comes first.
            order = sorted(range(len(ids)), key=ids.__getitem__)
            self._sorted = (
                array("q", [ids[n] for n in order]),
                array("q", [positions[n] for n in order]),
            )


class IdTable:
    """Strings filed under ids, in the order added: the first under an id, or all."""

    def __init__(self) -> None:
        self._index = IdIndex()
        self._values = PackedStrings(on_disk=True)

    def add(self, key: Any, value: str) -> None:
        self._index.add(key, len(self._values))
        self._values.append(value)

    def __len__(self) -> int:
        return len(self._values)

    def first(self, key: Any) -> str | None:
        found = self._index.first(key)
        return None if found is None else self._values[found]

    def all(self, key: Any) -> list[str]:
        return [self._values[n] for n in self._index.all(key)]

    def seal(self) -> None:
        self._index.seal()


class StringKeys:
    """A map from strings to numbers in which the first number given a string stays
    (with numbers of no meaning, a set of strings).

    New strings wait in a dict; :meth:`seal` packs them with the others (the strings
    on disk, their CRC-32 and numbers in arrays sorted by it), for lookups that cost
    no objects per string, such as those of forked workers."""

    def __init__(self, keys: Iterable[str] = ()) -> None:
        self._new: dict[str, int] = dict.fromkeys(keys, 0)
        self._keys = PackedStrings(on_disk=True)
        self._hashes = array("q")
        self._numbers = array("q")

    def setdefault(self, key: str, number: int = 0) -> bool:
        """Map ``key`` to ``number`` unless it is mapped already; whether it was new."""
        if key in self._new or self._sealed(key) is not None:
            return False
        self._new[key] = number
        return True

    def get(self, key: str) -> int | None:
        found = self._new.get(key)
        return found if found is not None else self._sealed(key)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def __len__(self) -> int:
        return len(self._new) + len(self._numbers)

    def __iter__(self) -> Iterator[str]:
        """The strings: the sealed ones (in no useful order), then the new ones."""
        yield from self._keys
        yield from list(self._new)

    def seal(self) -> None:
        if not self._new:
            return
        items = [*zip(self._keys, self._numbers, strict=True), *self._new.items()]
        hashed = sorted(((_crc(key), key, number) for key, number in items), key=_first)
        self._keys = PackedStrings(on_disk=True)
        self._hashes, self._numbers = array("q"), array("q")
        for crc, key, number in hashed:
            self._keys.append(key)
            self._hashes.append(crc)
            self._numbers.append(number)
        self._new = {}

    def _sealed(self, key: str) -> int | None:
        hashes = self._hashes
        if not hashes:
            return None
        target = _crc(key)
        n = bisect_left(hashes, target)
        while n < len(hashes) and hashes[n] == target:
            if self._keys[n] == key:
                return self._numbers[n]
            n += 1
        return None


_first = operator.itemgetter(0)


def _crc(text: str) -> int:
    return zlib.crc32(text.encode("utf-8", "surrogatepass"))
