"""A progress bar by bytes read, on stderr, only when stderr is a terminal."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from tqdm import tqdm

__all__ = ["progress_bar"]


@contextmanager
def progress_bar(name: str, *, disable: bool = False) -> Iterator[Callable[[int, int | None], None]]:
    """Yield a callback taking (bytes read, total); a no-op in pipes or when disabled."""
    if disable or not sys.stderr.isatty():
        yield lambda done, total: None
        return
    bar = tqdm(desc=name if len(name) < 40 else "…" + name[-39:], unit="B", unit_scale=True,
               unit_divisor=1024, file=sys.stderr, leave=False, dynamic_ncols=True)
    try:
        def update(done: int, total: int | None) -> None:
            if total and bar.total != total:
                bar.total = total
            bar.update(done - bar.n)

        yield update
    finally:
        bar.close()
