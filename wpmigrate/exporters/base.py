"""The exporter contract: ``start()``, ``write(record)`` for each record, ``finish()``.

The pipeline owns the output. It opens it (a file or stream, a folder, or nothing for an
exporter that loads a server), hands it to the exporter with the options and a
:class:`~wpmigrate.runlog.RunLog`, and commits it once ``finish()`` has returned; when
anything fails it calls ``abort()`` and discards the output. An exporter only writes
records: it never commits, closes or removes its output.

Every record handed to ``write`` counts as written unless the exporter tells the log
otherwise (``log.skip(record, reason)``, ``log.filter(record, reason)``), at any time
until ``finish()`` returns: a post skipped at the end takes its comments with it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO, ClassVar, Generic, Literal, Protocol, TypeVar, runtime_checkable

from ..filters import PostFilter
from ..options import ExporterOptions
from ..records import Record
from ..runlog import RunLog

__all__ = ["Exporter", "ExporterOptions", "FileTarget", "FolderTarget", "OutputKind", "RunLog"]

OutputKind = Literal["file", "folder", "server"]
OptionsT = TypeVar("OptionsT", bound=ExporterOptions)


@runtime_checkable
class FileTarget(Protocol):
    """The output of a ``file`` exporter: a file, stdout, a stream, a device or a FIFO."""

    @property
    def name(self) -> str:
        """How messages name it."""
        ...

    @property
    def path(self) -> Path | None:
        """The path given, or None for stdout and passed-in streams."""
        ...

    @property
    def is_stream(self) -> bool:
        """Whether it is written as a stream (once opened), not renamed into place."""
        ...

    def open(self) -> BinaryIO:
        """The stream to write to; call it when the first record arrives."""
        ...

    def open_path(self, what: str) -> str:
        """A file to write by name (a database), put in place when the run succeeds."""
        ...


@runtime_checkable
class FolderTarget(Protocol):
    """The output of a ``folder`` exporter: a folder with a manifest of the files wpmigrate
    wrote there. Other files in it are never replaced or removed."""

    @property
    def root(self) -> Path:
        """The folder itself."""
        ...

    def claim(self, relatives: list[str]) -> None:
        """Before writing them: refuse (OutputRefusedError) if one of these files is there
        and not from wpmigrate; else mark them ours, so a killed run can be run again."""
        ...

    def write_file(self, relative: str, data: bytes) -> None:
        """Write one file inside the folder, atomically; safe in forked worker processes."""
        ...

    def keep(self, relatives: Iterable[str]) -> None:
        """Declare files this run wrote (in the main process), for the manifest."""
        ...


Output = FileTarget | FolderTarget | None


class Exporter(ABC, Generic[OptionsT]):
    """Base class of every exporter, built in or plugged in.

    Subclasses set ``name``, ``description`` and ``Options`` (a dataclass derived from
    :class:`ExporterOptions`, also given as the type parameter), and say in
    ``output_kind`` whether ``--out`` names a file, a folder, or nothing (a server).
    """

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    Options: ClassVar[type[ExporterOptions]] = ExporterOptions
    output_kind: ClassVar[OutputKind] = "file"
    #: The file name suffix used when a batch run names the output.
    suffix: ClassVar[str] = ""
    #: The posts written unless the run's own filter (``--type``, ``--status``) says
    #: otherwise, each condition on its own; None: every record.
    default_filter: ClassVar[PostFilter | None] = None
    #: Where the options are :class:`~wpmigrate.options.ReadingOptions` and several
    #: processes read: the share of the export this process reads itself, less where the
    #: exporter's own work on each record is more (it is done here, for every part).
    first_part_share: ClassVar[float] = 0.45

    def __init__(self, output: Output, options: OptionsT, log: RunLog) -> None:
        self.output = output
        self.options = options
        self.log = log

    @property
    def file(self) -> FileTarget:
        """The output, for a ``file`` exporter."""
        if not isinstance(self.output, FileTarget):
            raise TypeError(f"the {self.name} exporter was not given a file")
        return self.output

    @property
    def folder(self) -> FolderTarget:
        """The output, for a ``folder`` exporter."""
        if not isinstance(self.output, FolderTarget):
            raise TypeError(f"the {self.name} exporter was not given a folder")
        return self.output

    def destination(self) -> str:
        """Where the output goes, for the report, when ``--out`` does not say it (a server)."""
        return ""

    def start(self) -> None:
        """Called once, when the first record has arrived."""

    @abstractmethod
    def write(self, record: Record) -> None:
        """Write one record (or tell the log why not)."""

    def observe(self, record: Record) -> None:
        """Called with each record the run's filter leaves out (it is counted filtered),
        for an exporter that needs to know of it all the same."""

    def finish(self) -> None:
        """Called once after the last record, when the run went well: complete the output."""

    def abort(self) -> None:
        """Called instead of ``finish`` when the run failed: release what ``start`` took
        (connections, worker processes, temporary files). The output is discarded."""
