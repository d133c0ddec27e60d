"""Many inputs in one run: which files a command line names, where each output goes, and
converting them several at a time (one process each), one failure never stopping the rest."""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any

from .errors import UsageError, WpmigrateError
from .exporters.base import Exporter
from .paths import batch_output_path
from .pipeline import ConvertRequest, ProgressCallback, run
from .pool import process_context
from .report import Report

__all__ = ["expand_inputs", "output_for", "INPUT_SUFFIXES", "convert_one", "convert_many"]

#: The files a folder given as input is searched for.
INPUT_SUFFIXES = (".xml", ".xml.gz", ".xml.bz2", ".xml.xz", ".zip")


def expand_inputs(inputs: tuple[str, ...] | list[str]) -> list[str]:
    """The input files, with each folder replaced by the exports in it (sorted).

    A named file that does not exist is a usage error, before anything is read."""
    files: list[str] = []
    for item in inputs:
        if item != "-" and os.path.isdir(item):
            found = sorted(
                str(p)
                for p in Path(item).iterdir()
                if p.is_file() and p.name.lower().endswith(INPUT_SUFFIXES)
            )
            if not found:
                raise UsageError(f"{item} holds no export ({', '.join(INPUT_SUFFIXES)})")
            files.extend(found)
        elif item != "-" and not os.path.exists(item):
            raise UsageError(f"{item}: no such file")
        else:
            files.append(item)
    return files


def output_for(out: str, source: str, exporter: type[Exporter[Any]], files: list[str]) -> str:
    """Where one input of a batch is written: ``out/<file name>`` plus the format's suffix.

    Inputs whose names would collide get ``-2``, ``-3``... in input order. With ``--out -``
    every input is written to stdout (a stream format, such as jsonl, concatenates).
    """
    if out == "-":
        if exporter.output_kind == "folder":
            raise UsageError(
                f"the {exporter.name} exporter writes a folder; --out - cannot take it"
            )
        return out
    if os.path.exists(out) and not os.path.isdir(out):
        raise UsageError(f"with several inputs --out must be a folder, and {out} is a file")
    suffix = "" if exporter.output_kind == "folder" else exporter.suffix
    return batch_output_path(out, source, files, suffix)


def convert_one(
    request: ConvertRequest,
    source: str,
    target: str | None,
    progress: ProgressCallback | None = None,
) -> Report:
    """One input of a batch; an error of its own becomes its report, never an exception."""
    try:
        return run(source, target, request, progress)
    except WpmigrateError as exc:
        name = request.to if isinstance(request.to, str) else request.to.name
        return Report(input=source, exporter=name, output=str(target or ""), failure=exc)


def _convert_pair(request: ConvertRequest, pair: tuple[str, str | None]) -> Report:
    return convert_one(request, *pair)


def convert_many(
    request: ConvertRequest, pairs: list[tuple[str, str | None]], jobs: int
) -> Iterator[Report]:
    """Each (input, output) converted, ``jobs`` at a time, reports in input order.

    A failure of one input never stops the others."""
    if jobs <= 1 or len(pairs) <= 1:
        for pair in pairs:
            yield _convert_pair(request, pair)
        return
    with ProcessPoolExecutor(min(jobs, len(pairs)), mp_context=process_context()) as pool:
        yield from pool.map(partial(_convert_pair, request), pairs)
