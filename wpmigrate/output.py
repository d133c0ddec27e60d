"""Where a single-file exporter writes: stdout, a stream it was given, or a path.

A path behaves as the shell's ``>`` does. A character device, FIFO or socket is written
into as a stream (``/dev/null`` stays a device). A symlink is followed: the file it
points to gets the output, the link stays. A folder is refused. A regular file is
written under a temporary name beside it and renamed into place only when the run
completes, so a crash or a kill leaves the previous file or nothing; it keeps the mode
of the file it replaces, and a new one gets ``0666 & ~umask`` like any Unix tool's.
A stream the caller passed in is flushed, never closed.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, BinaryIO, TypeAlias, TypeVar, cast

from .errors import OutputError, UsageError

__all__ = [
    "OutputLike",
    "FileOutput",
    "temporary_beside",
    "open_temporary_beside",
    "with_temporary_name",
    "remove_if_present",
    "NEW_FILE_MODE",
    "NEW_FILE_FLAGS",
]

#: An output: a path, ``"-"`` for stdout, or a binary stream.
OutputLike: TypeAlias = str | os.PathLike[str] | IO[bytes]

Made = TypeVar("Made")

#: The mode asked for when a file is created; the process's umask takes its bits off.
NEW_FILE_MODE = 0o666
#: How a temporary file is created: new, never through a symlink.
NEW_FILE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)


def temporary_beside(path: Path, *, mode: int | None = None) -> str:
    """A new empty file beside ``path``, hidden, to be renamed onto it when complete.

    It is created with ``mode`` (default ``0666``) less the umask, as ``open()`` would make
    ``path`` itself, so the rename gives the final file the mode a Unix tool gives."""
    temp, handle = open_temporary_beside(path, mode=mode)
    os.close(handle)
    return temp


def open_temporary_beside(path: Path, *, mode: int | None = None) -> tuple[str, int]:
    """As :func:`temporary_beside`, but the file is left open: (its name, its descriptor).
    Writing through it saves opening the file a second time (a tenth of a millisecond,
    ten thousand times over in a big site)."""
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        name, handle = with_temporary_name(
            lambda name: os.open(
                folder / name, NEW_FILE_FLAGS, NEW_FILE_MODE if mode is None else mode
            )
        )
    except OSError as exc:
        raise OutputError(f"cannot write to {folder}: {exc.strerror}") from None
    if mode is not None:
        os.fchmod(handle, mode)  # an existing file's mode is kept whatever the umask
    return str(folder / name), handle


def with_temporary_name(make: Callable[[str], Made]) -> tuple[str, Made]:
    """``make(name)`` for a new hidden temporary name, tried again with another while it
    raises FileExistsError: (the name, what ``make`` returned)."""
    for _ in range(100):
        # Short: the final name may already be as long as names can be.
        name = f".wpmigrate-{secrets.token_hex(6)}.part"
        try:
            return name, make(name)
        except FileExistsError:
            continue
    raise OSError(errno.EEXIST, "no free temporary name")


def remove_if_present(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def _is_stream_node(mode: int) -> bool:
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode) or stat.S_ISBLK(mode)


class FileOutput:
    """One output file (or stream). ``open()``, write, then ``commit()`` or ``discard()``."""

    def __init__(self, target: OutputLike) -> None:
        self.target = target
        self.path: Path | None = None
        self._temp: str | None = None
        self._stream: BinaryIO | None = None
        self._owned = False  # we opened it, so we close it
        self._atomic = False  # written under a temporary name, renamed at commit
        if isinstance(target, (str, os.PathLike)):
            if os.fspath(target) != "-":
                self.path = Path(os.fspath(target))

    @property
    def name(self) -> str:
        if self.path is not None:
            return str(self.path)
        if isinstance(self.target, (str, os.PathLike)):
            return "<stdout>"
        return str(getattr(self.target, "name", "<stream>"))

    @property
    def is_stream(self) -> bool:
        """Whether the output goes to a stream (stdout, a passed-in stream, a device, a
        FIFO) rather than to a file renamed into place; settled by ``open()``."""
        return not self._atomic

    def _node_mode(self) -> int | None:
        assert self.path is not None
        try:
            return os.stat(self.path).st_mode  # follows a symlink, as ``>`` does
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise OutputError(f"cannot write {self.path}: {exc.strerror}") from None

    def check(self) -> None:
        """Refuse, before any work, an output that can never be written (a folder)."""
        if self.path is not None:
            mode = self._node_mode()
            if mode is not None and stat.S_ISDIR(mode):
                raise UsageError(f"{self.path} is a folder; give a file name for this format")

    def begin(self) -> None:
        """The run has its first record. Nothing to do: the exporter opens the file when
        it writes (``open`` or ``open_path``)."""

    def open(self) -> BinaryIO:
        """The stream to write to, opened on the first call."""
        if self._stream is not None:
            return self._stream
        if self.path is None:
            target = self.target
            stream = sys.stdout.buffer if isinstance(target, (str, os.PathLike)) else target
            self._stream = cast(BinaryIO, stream)
            return self._stream
        self.check()
        mode = self._node_mode()
        if mode is not None and _is_stream_node(mode):
            self._stream = self._open_node()
        else:
            # Through a symlink, the file it points to is replaced; the link stays a link.
            final = Path(os.path.realpath(self.path))
            keep = stat.S_IMODE(mode) if mode is not None else None
            self._temp = temporary_beside(final, mode=keep)
            self._final = final
            self._stream = open(self._temp, "wb", buffering=1 << 20)
            self._atomic = True
        self._owned = True
        return self._stream

    def _open_node(self) -> BinaryIO:
        assert self.path is not None
        try:
            # No O_TRUNC, no O_CREAT: a device or FIFO is written into, never made or cut.
            handle = os.open(self.path, os.O_WRONLY)
        except OSError as exc:
            raise OutputError(f"cannot write {self.path}: {exc.strerror}") from None
        return open(handle, "wb", buffering=1 << 16)

    def open_path(self, what: str) -> str:
        """For a format written by name (a database): a temporary file beside the target,
        renamed into place by ``commit()``. ``what`` names the format in messages."""
        if self.path is None:
            raise UsageError(f"{what} is written to a file: give --out a file name")
        self.check()
        mode = self._node_mode()
        if mode is not None and not stat.S_ISREG(mode):
            raise UsageError(
                f"{self.path} is not a regular file, and {what} can only be written to one"
            )
        self._final = Path(os.path.realpath(self.path))
        self._temp = temporary_beside(
            self._final, mode=stat.S_IMODE(mode) if mode is not None else None
        )
        self._atomic = True
        return self._temp

    def commit(self) -> None:
        """Finish the output: flush a stream, or move the file into place."""
        stream = self._stream
        if stream is not None and stream.closed:
            self._stream = None
            self.discard()
            raise OutputError(
                f"{self.name} was closed before the run ended "
                "(an exporter must never close its output)"
            )
        try:
            if stream is not None:
                stream.flush()
                if self._atomic:
                    os.fsync(stream.fileno())
                if self._owned:
                    stream.close()
            if self._temp is not None:
                os.replace(self._temp, self._final)
                self._temp = None
        except OSError as exc:
            self.discard()
            raise OutputError(f"cannot write {self.name}: {exc.strerror}") from None
        finally:
            self._stream = None

    def discard(self) -> None:
        """Abandon the output: a file being written is removed, a stream left as it is."""
        stream, self._stream = self._stream, None
        if self._owned and stream is not None:
            try:
                stream.close()
            except OSError:
                pass
        if self._temp is not None:
            remove_if_present(self._temp)
            self._temp = None
