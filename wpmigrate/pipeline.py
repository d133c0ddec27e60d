"""The one place that wires a reader to an exporter, owns the output, and accounts for
every item.

A refused input writes nothing (the output is opened and the exporter started on the
first record). An input that breaks in the middle keeps what was read before the break:
the exporter finishes normally, the output is committed and the report says where the
input broke. A failure on the output side aborts the exporter and discards the output.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from .errors import InputError, OutputError, UsageError
from .exporters import get_exporter
from .exporters.base import Exporter, Output
from .filters import PostFilter, combine
from .options import ExporterOptions, ReadingOptions, parse_options
from .output import FileOutput, OutputLike
from .output_folder import FolderOutput
from .pool import default_jobs
from .records import Post, Record
from .report import Report
from .runlog import RunLog
from .wxr import DEFAULT_CHUNK_SIZE, Reader, SourceLike, display_name

__all__ = [
    "convert",
    "run",
    "export_records",
    "ConvertRequest",
    "ProgressCallback",
    "open_output",
    "exporter_class",
]

#: Called now and then with (phase, done, total or None): "reading" counts bytes of the
#: input, "writing" counts the posts an exporter writes out at the end.
ProgressCallback = Callable[[str, int, int | None], None]
_PROGRESS_EVERY = 64


@dataclass(frozen=True)
class ConvertRequest:
    """Everything one conversion is asked to do, but the input and the output."""

    to: str | type[Exporter[Any]] = "jsonl"
    options: ExporterOptions | Mapping[str, Any] = field(default_factory=dict)
    repairs: tuple[str, ...] = ()
    strict: bool = False
    select: Callable[[Record], str | None] | None = None
    #: Processes for the exporters that use several (0: one per core).
    jobs: int = 0
    chunk_size: int = DEFAULT_CHUNK_SIZE
    #: Keep every post's fate in the report (for ``--report`` and ``--report-html``).
    post_fates: bool = False


def exporter_class(to: str | type[Exporter[Any]]) -> type[Exporter[Any]]:
    """The exporter named ``to`` (or ``to`` itself, a class)."""
    return to if isinstance(to, type) else get_exporter(to)


def open_output(cls: type[Exporter[Any]], out: Any) -> FileOutput | FolderOutput | None:
    """The output object for an exporter's kind of output, checked before any work."""
    if cls.output_kind == "server":
        return None
    if cls.output_kind == "folder":
        if not isinstance(out, (str, bytes)) and not hasattr(out, "__fspath__") or out == "-":
            raise UsageError(f"the {cls.name} exporter writes a folder: give --out a folder")
        folder = FolderOutput(out)
        folder.check()
        return folder
    if out is None:
        raise UsageError(f"the {cls.name} exporter needs --out (a path, or - for stdout)")
    output = FileOutput(out)
    output.check()
    return output


def _options(cls: type[Exporter[Any]], request: ConvertRequest) -> ExporterOptions:
    options = request.options
    if not isinstance(options, ExporterOptions):
        values = dict(options)
        if request.jobs and "jobs" in cls.Options.__dataclass_fields__ and "jobs" not in values:
            values["jobs"] = request.jobs
        options = parse_options(cls.Options, values)
    return options


def run(
    source: SourceLike, out: Any, request: ConvertRequest, progress: ProgressCallback | None = None
) -> Report:
    """Convert one export as ``request`` says; see :func:`convert`."""
    cls = exporter_class(request.to)
    options = _options(cls, request)
    request = replace(request, options=options)
    reader = Reader(
        source,
        repairs=request.repairs,
        chunk_size=request.chunk_size,
        jobs=(options.jobs or default_jobs()) if isinstance(options, ReadingOptions) else 1,
        first_share=cls.first_part_share,
    )
    report = export_records(
        reader,
        out,
        request,
        progress=progress,
        input_name=display_name(source),
        position=reader.progress,
    )
    report.notices = reader.notices + report.notices
    report.repairs.update(reader.repair_counts)
    report.bytes_read = reader.progress()[0]
    return report


def export_records(
    records: Iterable[Record],
    out: Any,
    request: ConvertRequest,
    *,
    progress: ProgressCallback | None = None,
    input_name: str = "<records>",
    position: Callable[[], tuple[int, int | None]] | None = None,
) -> Report:
    """Write ``records`` (any iterable: a reader, a list) with the requested exporter.

    ``position`` tells how far the input has been read, for ``progress``."""
    cls = exporter_class(request.to)
    options = _options(cls, request)
    output = open_output(cls, out)
    name = request.to if isinstance(request.to, str) else (cls.name or cls.__name__)
    report = Report(
        input=input_name, exporter=name, output=_output_name(out), strict=request.strict
    )
    log = RunLog(report, progress=progress, keep_posts=request.post_fates)
    exporter = cls(output, options, log)
    report.output = exporter.destination() or report.output
    select = combine(cls.default_filter, request.select)
    statuses: set[str] = set()
    chosen = 0
    started = False
    begun = time.perf_counter()
    count = 0
    try:
        for record in records:
            if not started:
                if output is not None:
                    output.begin()
                exporter.start()
                started = True
            log.received(record)
            reason = select(record) if select is not None else None
            if isinstance(record, Post):
                statuses.add(record.status)
            if reason is not None:
                exporter.observe(record)
                log.filter(record, reason)
            else:
                chosen += isinstance(record, Post)
                exporter.write(record)
            count += 1
            if progress is not None and position is not None and count % _PROGRESS_EVERY == 0:
                progress("reading", *position())
        if progress is not None and position is not None:
            progress("reading", *position())
        if isinstance(select, PostFilter):
            unmatched = select.unmatched(set(report.post_types), statuses)
            if unmatched:
                raise UsageError(unmatched)
            if select.active and not chosen and report.post_types:
                log.notice("filter-empty", "the filters left no post to write")
    except InputError as exc:
        report.failure = exc
    except OSError as exc:
        _abandon(exporter, output, started)
        if isinstance(exc, BrokenPipeError):
            raise  # the reader of stdout went away; the command line ends quietly
        raise OutputError(f"cannot write {report.output}: {exc.strerror or exc}") from None
    except BaseException:
        _abandon(exporter, output, started)
        raise
    if started:
        finished = False  # abort() is for an exporter whose finish() did not return
        try:
            exporter.finish()
            finished = True
            if output is not None:
                output.commit()
        except OSError as exc:
            _abandon(exporter, output, not finished)
            raise OutputError(f"cannot write {report.output}: {exc.strerror or exc}") from None
        except BaseException:
            _abandon(exporter, output, not finished)
            raise
    report.notices = log.notices
    report.seconds = time.perf_counter() - begun
    return report


def _abandon(
    exporter: Exporter[Any], output: Output | FileOutput | FolderOutput, abort: bool
) -> None:
    if abort:
        exporter.abort()
    if isinstance(output, (FileOutput, FolderOutput)):
        output.discard()


def convert(
    source: SourceLike,
    out: OutputLike | None,
    *,
    to: str | type[Exporter[Any]] = "jsonl",
    options: ExporterOptions | Mapping[str, Any] | None = None,
    repairs: Iterable[str] = (),
    strict: bool = False,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    progress: ProgressCallback | None = None,
    select: Callable[[Record], str | None] | None = None,
    jobs: int = 0,
    post_fates: bool = False,
    **exporter_options: Any,
) -> Report:
    """Convert one export; returns the run's report (its ``exit_code`` says how it went).

    ``to`` names an exporter (built in or a plugin), or is an :class:`Exporter` subclass
    (one defined in the calling script). ``out`` is a path (a file, or a folder for
    Markdown), ``"-"`` for stdout, a binary stream (never closed), or None for the
    exporters that load a server. Exporter options go in ``options`` or as keywords
    (``preset="hugo"``), as ``-O`` takes them. ``select`` may return a reason to leave a
    record out (counted as filtered); a :class:`~wpmigrate.filters.PostFilter` is one.
    ``jobs`` is how many processes an exporter that uses several may start (0: one per
    core). ``post_fates`` keeps every post's fate in the report (``report.posts``: where
    it went, or why not), as ``--report`` does. Raises
    :class:`~wpmigrate.errors.UsageError` for a bad exporter, option or
    filter and :class:`~wpmigrate.errors.OutputError` when the output cannot be written;
    a broken input does not raise: the report's ``failure`` says where it broke.
    """
    if exporter_options:
        if isinstance(options, ExporterOptions):
            raise TypeError("give exporter options either as an options object or as keywords")
        options = {**(options or {}), **exporter_options}
    request = ConvertRequest(
        to=to,
        options=options if options is not None else {},
        repairs=tuple(repairs),
        strict=strict,
        select=select,
        jobs=jobs,
        chunk_size=chunk_size,
        post_fates=post_fates,
    )
    return run(source, out, request, progress)


def _output_name(out: Any) -> str:
    if isinstance(out, str):
        return "<stdout>" if out == "-" else out
    if out is None:
        return ""
    return str(getattr(out, "name", out))
