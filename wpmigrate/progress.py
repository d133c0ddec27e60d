"""A progress bar on stderr, only when stderr is a terminal: bytes while the export is read,
then posts while an exporter writes them out (Markdown's last phase)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tqdm import tqdm

__all__ = ["progress_bar"]

_UNITS = {"reading": ("B", True), "writing": ("posts", False)}


@contextmanager
def progress_bar(
    name: str, *, disable: bool = False
) -> Iterator[Callable[[str, int, int | None], None]]:
    """Yield a callback taking (phase, done, total); a no-op in pipes or when disabled."""
    if disable or not sys.stderr.isatty():
        yield lambda phase, done, total: None
        return
    from tqdm import tqdm  # here: a run in a pipe does without its import (20 ms)

    label = name if len(name) < 32 else "…" + name[-31:]
    bars: dict[str, tqdm[Any]] = {}  # the bar of the current phase, by its phase

    def update(phase: str, done: int, total: int | None) -> None:
        if phase not in bars:
            for previous in bars.values():
                previous.close()
            bars.clear()
            unit, scale = _UNITS.get(phase, ("", False))
            bars[phase] = tqdm(
                desc=f"{label} {phase}",
                unit=unit,
                unit_scale=scale,
                unit_divisor=1024 if scale else 1000,
                file=sys.stderr,
                leave=False,
                dynamic_ncols=True,
                total=total,
            )
        bar = bars[phase]
        if total and bar.total != total:
            bar.total = total
        bar.update(done - bar.n)

    try:
        yield update
    finally:
        for bar in bars.values():
            bar.close()
