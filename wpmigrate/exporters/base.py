"""The exporter contract: ``start()``, ``write(record)`` for each record, ``finish()``.

``finish`` always runs, with ``success=False`` when the run failed on the output side
(the exporter then discards what it was writing). An exporter never closes a stream it
did not open. ``write`` returns None when the record was written, or the reason it was
not: a skip goes into the report, it is never an exception.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import Counter
from typing import ClassVar

from ..options import ExporterOptions
from ..records import Record
from ..report import Notice

__all__ = ["Exporter", "ExporterOptions", "Skip", "FILTERED_PREFIX"]

#: A skip reason starting with this is a choice (an option or policy), not a failure.
FILTERED_PREFIX = "filtered: "

#: What ``write`` returns: None when written, else the reason it was not.
Skip = str | None


class Exporter(ABC):
    """Base class of every exporter, built in or plugged in.

    Subclasses set ``name``, ``description`` and ``Options`` (a dataclass derived from
    :class:`ExporterOptions`), and say whether ``--out`` names a file or a folder.
    """

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    Options: ClassVar[type[ExporterOptions]] = ExporterOptions
    #: "file" (a path or ``-``), "folder", or "server" (no --out: the options say where).
    output_kind: ClassVar[str] = "file"
    #: The file name suffix used when a batch run names the output.
    suffix: ClassVar[str] = ""

    def __init__(self, out: object, options: ExporterOptions | None = None) -> None:
        self.out = out
        self.options = options if options is not None else self.Options()
        #: Warnings about the output (a renamed file, a failed download), for the report.
        self.notices: list[Notice] = []
        #: Counts by topic for the report (e.g. "unknown shortcodes" by name).
        self.tallies: dict[str, Counter[str]] = {}
        #: Posts accepted by ``write`` that ``finish`` could not write after all:
        #: (post type, reason). The report moves them from written to skipped.
        self.late_skips: list[tuple[str, str]] = []

    def tally(self, topic: str, name: str, count: int = 1) -> None:
        self.tallies.setdefault(topic, Counter())[name] += count

    def start(self) -> None:
        """Called once before the first record."""

    @abstractmethod
    def write(self, record: Record) -> Skip:
        """Write one record; return None, or why it was not written."""

    def finish(self, *, success: bool = True) -> None:
        """Called once at the end, always: complete the output, or discard it."""
