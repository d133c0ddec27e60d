"""Exporter options: a typed dataclass per exporter, filled from ``-O key=value`` text.

Each field's ``metadata["help"]`` is what ``wpmigrate exporters`` and the docs show. A
key the exporter does not have, or a value of the wrong kind, is an error naming the
closest option, never silently ignored.
"""

from __future__ import annotations

import dataclasses
import difflib
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, get_args, get_origin

from .errors import ExporterOptionError

__all__ = ["ExporterOptions", "ReadingOptions", "option", "parse_options", "describe_options"]

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


@dataclass(frozen=True, kw_only=True)
class ExporterOptions:
    """Base class of every exporter's options (an exporter without options uses it as is)."""


def option(default: Any, help: str) -> Any:
    """A dataclass field with its help text."""
    if isinstance(default, (list, dict, set)):
        raise TypeError("use a tuple for a sequence default")
    return dataclasses.field(default=default, metadata={"help": help})


@dataclass(frozen=True, kw_only=True)
class ReadingOptions(ExporterOptions):
    """Options of an exporter whose own work is light: a large uncompressed export may be
    read by several processes (cut between items; the records are the same)."""

    jobs: int = option(
        0, "processes reading a large uncompressed export (0: one per core; --jobs sets it too)"
    )


def _convert(name: str, text: str, kind: Any) -> Any:
    origin = get_origin(kind)
    if kind is bool:
        lowered = text.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ExporterOptionError(f"option {name} takes true or false, not {text!r}")
    if kind is int:
        try:
            return int(text)
        except ValueError:
            raise ExporterOptionError(f"option {name} takes a whole number, not {text!r}") from None
    if kind is str:
        return text
    if origin is Literal:
        choices = get_args(kind)
        if text in choices:
            return text
        raise ExporterOptionError(
            f"option {name} takes one of {', '.join(map(str, choices))}, not {text!r}"
        )
    if origin is tuple:
        inner = get_args(kind)[0]
        return tuple(
            _convert(name, part.strip(), inner) for part in text.split(",") if part.strip()
        )
    if origin in (typing.Union, types.UnionType):
        args = [a for a in get_args(kind) if a is not type(None)]
        if text == "" and len(args) < len(get_args(kind)):
            return None
        return _convert(name, text, args[0])
    raise ExporterOptionError(f"option {name} cannot be set from the command line")


def parse_options(cls: type[ExporterOptions], values: Mapping[str, Any]) -> ExporterOptions:
    """Build ``cls`` from text values (``-O``) or typed values (library calls)."""
    hints = typing.get_type_hints(cls)
    known = {f.name for f in dataclasses.fields(cls)}
    converted: dict[str, Any] = {}
    for key, value in values.items():
        name = key.replace("-", "_")
        if name not in known:
            close = difflib.get_close_matches(name, sorted(known), n=1)
            suggestion = f"; did you mean {close[0]}?" if close else ""
            offered = ", ".join(sorted(known)) or "none"
            raise ExporterOptionError(f"unknown option {key!r}{suggestion} (options: {offered})")
        converted[name] = _convert(name, value, hints[name]) if isinstance(value, str) else value
    try:
        return cls(**converted)
    except (TypeError, ValueError) as exc:
        raise ExporterOptionError(str(exc)) from None


def describe_options(cls: type[ExporterOptions]) -> list[tuple[str, str, str]]:
    """(name, default as text, help) for each option."""
    rows = []
    for f in dataclasses.fields(cls):
        default = f.default if f.default is not dataclasses.MISSING else ""
        if isinstance(default, tuple):
            default = ",".join(map(str, default))
        elif isinstance(default, bool):
            default = str(default).lower()
        rows.append((f.name, str(default), str(f.metadata.get("help", ""))))
    return rows
