"""The one place that wires a reader to an exporter and accounts for every item.

A refused input writes nothing (the exporter is started on the first record). An input
that breaks in the middle keeps what was read before the break: the exporter finishes
normally and the report says where the input broke. A failure on the output side makes
the exporter discard its partial output.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from .errors import InputError, OutputError
from .exporters import get_exporter
from .exporters.base import FILTERED_PREFIX, Exporter
from .options import ExporterOptions, parse_options
from .records import Post, Record, RECORD_TYPES
from .report import Report
from .source import SourceLike, display_name
from .wxr import DEFAULT_CHUNK_SIZE, Reader

__all__ = ["convert", "make_exporter", "ProgressCallback"]

#: Called now and then with (bytes read, total bytes or None).
ProgressCallback = Callable[[int, int | None], None]
_PROGRESS_EVERY = 64


def make_exporter(
    to: str | type[Exporter], out: Any,
    options: ExporterOptions | Mapping[str, Any] | None = None
) -> Exporter:
    """An exporter by name (or the class itself), its options checked and converted."""
    cls = to if isinstance(to, type) else get_exporter(to)
    if not isinstance(options, ExporterOptions):
        options = parse_options(cls.Options, options or {})
    return cls(out, options)


def _account(report: Report, record: Record, reason: str | None) -> None:
    """Put a record (and a post's comments) in exactly one bucket."""
    buckets = [(report.counts(RECORD_TYPES[type(record)]), 1)]
    if type(record) is Post:
        post: Post = record
        buckets.append((report.post_type(post.type), 1))
        if post.comments:
            buckets.append((report.counts("comment"), len(post.comments)))
    for bucket, n in buckets:
        bucket.seen += n
        if reason is None:
            bucket.written += n
        elif reason.startswith(FILTERED_PREFIX):
            bucket.filtered[reason[len(FILTERED_PREFIX) :]] += n
        else:
            bucket.skipped[reason] += n


def convert(
    source: SourceLike,
    out: Any,
    *,
    to: str | type[Exporter] = "jsonl",
    options: ExporterOptions | Mapping[str, Any] | None = None,
    repairs: Iterable[str] = (),
    strict: bool = False,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    progress: ProgressCallback | None = None,
    select: Callable[[Record], str | None] | None = None,
    **exporter_options: Any,
) -> Report:
    """Convert one export; returns the run's report (its ``exit_code`` says how it went).

    ``to`` names an exporter (built in or a plugin), or is an :class:`Exporter` subclass
    (one defined in the calling script). Exporter options go in ``options`` or as keywords (``preset="hugo"``), as ``-O`` takes
    them. ``select`` may return a reason to leave a record out (counted as filtered); a
    :class:`~wpmigrate.filters.PostFilter` is one.
    Raises :class:`~wpmigrate.errors.UsageError` for a bad exporter or option and
    :class:`~wpmigrate.errors.OutputError` when the output cannot be written; a broken
    input does not raise: the report's ``error`` says where it broke.
    """
    if exporter_options:
        if isinstance(options, ExporterOptions):
            raise TypeError("give exporter options either as an options object or as keywords")
        options = {**(options or {}), **exporter_options}
    exporter = make_exporter(to, out, options)
    reader = Reader(source, repairs=repairs, chunk_size=chunk_size)
    name = to if isinstance(to, str) else (to.name or to.__name__)
    report = Report(input=display_name(source), exporter=name, output=_output_name(out))
    started = False
    begun = time.perf_counter()
    count = 0
    try:
        for record in reader:
            if not started:
                exporter.start()
                started = True
            reason = select(record) if select is not None else None
            if reason is None:
                reason = exporter.write(record)
            else:
                reason = FILTERED_PREFIX + reason
            _account(report, record, reason)
            count += 1
            if progress is not None and count % _PROGRESS_EVERY == 0:
                progress(*reader.progress())
    except InputError as exc:
        report.error = exc.as_dict()
        report.failure = exc
    except BrokenPipeError:
        raise  # the reader of stdout went away; the command line ends quietly
    except OSError as exc:
        if started:
            exporter.finish(success=False)
        raise OutputError(f"cannot write {report.output}: {exc.strerror or exc}") from None
    except BaseException:
        if started:
            exporter.finish(success=False)
        raise
    if started:
        try:
            exporter.finish(success=True)
        except OSError as exc:
            raise OutputError(f"cannot write {report.output}: {exc.strerror or exc}") from None
    if progress is not None:
        progress(*reader.progress())
    report.notices = reader.notices + exporter.notices
    report.tallies = exporter.tallies
    for post_type, reason in exporter.late_skips:
        for counts in (report.counts("post"), report.post_type(post_type)):
            counts.written -= 1
            counts.skipped[reason] += 1
    report.repairs.update(reader.repair_counts)
    report.bytes_read = reader.progress()[0]
    report.seconds = time.perf_counter() - begun
    if strict and report.notices and report.exit_code == 0:
        report.exit_code_override = 1
    return report


def _output_name(out: Any) -> str:
    if isinstance(out, str):
        return "<stdout>" if out == "-" else out
    return str(getattr(out, "name", out))
