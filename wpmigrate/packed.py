"""Compact tables for what a run keeps per post until its end.

A 50,000-post export leaves the Markdown exporter holding a few facts per post (a key,
a slug, a link, an id, later a path and a URL) until every post has been read. As
separate Python objects each fact costs a header of 50 bytes or more and scatters over
the heap; in a forked worker, merely reading one writes its reference count and copies
the page that holds it. Kept as one block of UTF-8 and arrays of integers, they cost
their characters, and pages shared with forked workers stay shared.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, overload

__all__ = ["PackedStrings", "IdTable", "INT64"]

#: The integers an ``array("q")`` holds; an id outside them is kept aside.
INT64 = range(-(2**63), 2**63)


class PackedStrings(Sequence[str]):
    """Strings appended to one block of UTF-8; each read decodes a new string from it."""

    def __init__(self, strings: Iterable[str] = ()) -> None:
        self._data = bytearray()
        self._ends = array("q")
        self.extend(strings)

    def append(self, text: str) -> None:
        # surrogatepass: a lone surrogate (possible in a str) reads back as it was.
        self._data += text.encode("utf-8", "surrogatepass")
        self._ends.append(len(self._data))

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
            return [self[n] for n in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self._ends)
        end = self._ends[index]  # IndexError as a list gives it
        start = self._ends[index - 1] if index else 0
        return self._data[start:end].decode("utf-8", "surrogatepass")

    def __iter__(self) -> Iterator[str]:
        data, start = self._data, 0
        for end in self._ends:
            yield data[start:end].decode("utf-8", "surrogatepass")
            start = end


class IdTable:
    """Strings filed under ids (a post's id, its parent's), in the order they were added:
    the first under an id, or all of them.

    Integer ids are kept in arrays and found by bisection once sorted (the first lookup
    sorts; :meth:`seal` does it before workers are forked, so none sorts its own copy).
    Other ids (an export's odd ones: text, or too large) are kept aside in a dict."""

    def __init__(self) -> None:
        self._ids = array("q")
        self._values = PackedStrings()
        self._aside: dict[Any, list[str]] = {}
        # The ids sorted, and where each one was added; None until the next lookup.
        self._sorted: tuple[array[int], array[int]] | None = None

    def add(self, key: Any, value: str) -> None:
        if type(key) is int and key in INT64:
            self._ids.append(key)
            self._values.append(value)
            self._sorted = None
        else:
            self._aside.setdefault(key, []).append(value)

    def __len__(self) -> int:
        return len(self._ids) + sum(map(len, self._aside.values()))

    def first(self, key: Any) -> str | None:
        found = self._positions(key, first=True)
        if found is None:
            values = self._aside.get(key)
            return values[0] if values else None
        return self._values[found[0]] if found else None

    def all(self, key: Any) -> list[str]:
        found = self._positions(key, first=False)
        if found is None:
            return list(self._aside.get(key, ()))
        return [self._values[n] for n in found]

    def seal(self) -> None:
        if self._sorted is None:
            ids = self._ids
            # Stable: among equal ids, the first added comes first.
            order = array("q", sorted(range(len(ids)), key=ids.__getitem__))
            self._sorted = array("q", [ids[n] for n in order]), order

    def _positions(self, key: Any, *, first: bool) -> list[int] | None:
        """Where ``key`` was added, in order; None for a key kept aside."""
        if type(key) is not int or key not in INT64:
            return None
        self.seal()
        assert self._sorted is not None
        ids, order = self._sorted
        n = bisect_left(ids, key)
        found = []
        while n < len(ids) and ids[n] == key:
            found.append(order[n])
            if first:
                break
            n += 1
        return found
