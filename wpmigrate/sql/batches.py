"""Rows waiting to be written, table by table, in batches: one writer for every SQL output.

Each table's rows wait until it holds ``max_rows`` (or ``max_bytes``, when rows are
sized); then every table's rows are written, in the schema's order, so a parent row is
always written before the rows that refer to it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

__all__ = ["RowBatches"]

Row = TypeVar("Row")


class RowBatches(Generic[Row]):
    """Collect rows per table; ``write(table, rows)`` gets them in batches."""

    def __init__(
        self,
        tables: Iterable[str],
        write: Callable[[str, list[Row]], None],
        *,
        max_rows: int,
        max_bytes: int = 0,
        size: Callable[[Row], int] | None = None,
    ) -> None:
        self._pending: dict[str, list[Row]] = {name: [] for name in tables}
        self._bytes = dict.fromkeys(self._pending, 0)
        self._write = write
        self._max_rows = max_rows
        self._max_bytes = max_bytes
        self._size = size

    def add(self, table: str, row: Row) -> None:
        rows = self._pending[table]
        rows.append(row)
        full = len(rows) >= self._max_rows
        if self._size is not None:
            self._bytes[table] += self._size(row)
            full = full or self._bytes[table] >= self._max_bytes
        if full:
            self.flush()

    def flush(self) -> None:
        """Write every waiting row, parents' tables first."""
        for table, rows in self._pending.items():
            if rows:
                self._write(table, rows)
                self._pending[table] = []
                self._bytes[table] = 0
