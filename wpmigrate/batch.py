"""Many inputs in one run: which files a command line names, and where each output goes."""

from __future__ import annotations

import os
import re
from pathlib import Path

from .errors import UsageError
from .exporters.base import Exporter

__all__ = ["expand_inputs", "batch_output_path", "INPUT_SUFFIXES"]

#: The files a folder given as input is searched for.
INPUT_SUFFIXES = (".xml", ".xml.gz", ".xml.bz2", ".xml.xz", ".zip")
_STRIP = re.compile(r"(\.xml)?(\.gz|\.bz2|\.xz|\.zip)?$", re.IGNORECASE)


def expand_inputs(inputs: tuple[str, ...] | list[str]) -> list[str]:
    """The input files, with each folder replaced by the exports in it (sorted)."""
    files: list[str] = []
    for item in inputs:
        if item != "-" and os.path.isdir(item):
            found = sorted(
                str(p) for p in Path(item).iterdir()
                if p.is_file() and p.name.lower().endswith(INPUT_SUFFIXES)
            )
            if not found:
                raise UsageError(f"{item} holds no export ({', '.join(INPUT_SUFFIXES)})")
            files.extend(found)
        else:
            files.append(item)
    return files


def _stem(source: str) -> str:
    name = "stdin" if source == "-" else Path(source).name
    return _STRIP.sub("", name) or "export"


def batch_output_path(out: str, source: str, exporter: type[Exporter], files: list[str]) -> str:
    """Where one input of a batch is written: ``out/<file name>`` plus the format's suffix.

    Inputs whose names would collide get ``-2``, ``-3``... in input order. With ``--out -``
    every input is written to stdout (a stream format, such as jsonl, concatenates).
    """
    if out == "-":
        if exporter.output_kind == "folder":
            raise UsageError(f"the {exporter.name} exporter writes a folder; --out - cannot take it")
        return out
    if os.path.exists(out) and not os.path.isdir(out):
        raise UsageError(f"with several inputs --out must be a folder, and {out} is a file")
    taken: dict[str, int] = {}
    mine = ""
    for candidate in files:
        stem = _stem(candidate)
        taken[stem.lower()] = taken.get(stem.lower(), 0) + 1
        n = taken[stem.lower()]
        name = stem if n == 1 else f"{stem}-{n}"
        if candidate == source:
            mine = name
            break
    suffix = "" if exporter.output_kind == "folder" else exporter.suffix
    return os.path.join(out, mine + suffix)
