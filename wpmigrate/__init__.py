"""wpmigrate: get your writing out of WordPress, whole and correct.

Read a WordPress export (WXR) as a stream of records, or convert it with an exporter::

    import wpmigrate

    for record in wpmigrate.read("export.xml"):
        if isinstance(record, wpmigrate.Post):
            print(record.title)

    report = wpmigrate.convert("export.xml", "site.jsonl", to="jsonl")
"""

from __future__ import annotations

from .errors import (
    ExporterOptionError,
    InputError,
    MalformedInputError,
    NotWXRError,
    OutputError,
    OutputRefusedError,
    RefusedInputError,
    UnknownExporterError,
    UsageError,
    WpmigrateError,
)
from .exporters import Exporter, ExporterOptions, FileTarget, FolderTarget, get_exporter
from .filters import PostFilter
from .options import ReadingOptions, option
from .pipeline import convert
from .records import Author, Comment, Post, Record, Site, Term, TermRef
from .report import Counts, Notice, Report
from .runlog import RunLog
from .summary import Inspection, inspect
from .wxr import Reader, SourceLike

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "read",
    "convert",
    "inspect",
    "Reader",
    "Report",
    "Counts",
    "Notice",
    "Inspection",
    "Exporter",
    "ExporterOptions",
    "ReadingOptions",
    "FileTarget",
    "FolderTarget",
    "RunLog",
    "option",
    "get_exporter",
    "PostFilter",
    "Site",
    "Author",
    "Term",
    "TermRef",
    "Post",
    "Comment",
    "Record",
    "WpmigrateError",
    "UsageError",
    "UnknownExporterError",
    "ExporterOptionError",
    "OutputRefusedError",
    "InputError",
    "RefusedInputError",
    "NotWXRError",
    "MalformedInputError",
    "OutputError",
]


def read(
    source: SourceLike,
    *,
    repairs: tuple[str, ...] = (),
    chunk_size: int = 64 * 1024,
    jobs: int = 1,
) -> Reader:
    """Read an export as records, streaming: a :class:`Reader` to iterate over.

    ``source`` is a path (plain, ``.gz``, ``.bz2``, ``.xz`` or a WordPress.com ``.zip``),
    ``"-"`` for stdin, or a binary file object. The reader's ``notices`` hold the
    warnings once it has been read. With ``jobs`` above 1, a large uncompressed export
    is read in parts by that many processes (where the system has fork): the records
    and warnings are the same, sooner when the caller's own work per record is light.
    """
    return Reader(source, repairs=repairs, chunk_size=chunk_size, jobs=jobs)
