"""Where a single-file exporter writes: stdout, a stream it was given, or a file made atomically.

A file is written under a temporary name beside its final one and renamed into place
only when the run completes, so a crash or a kill leaves the previous file or nothing.
A stream the caller passed in is flushed, never closed.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import IO, BinaryIO, TypeAlias

from .errors import OutputError

__all__ = ["OutputLike", "FileOutput", "temporary_beside", "remove_if_present"]

#: An output: a path, ``"-"`` for stdout, or a binary stream.
OutputLike: TypeAlias = str | os.PathLike[str] | IO[bytes]


def temporary_beside(path: Path) -> str:
    """A new empty file beside ``path``, hidden, to be renamed onto it when complete."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # A short name of our own: the final one may already be as long as names can be.
        handle, temp = tempfile.mkstemp(prefix=".wpmigrate-", suffix=".part", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"cannot write to {path.parent}: {exc.strerror}") from None
    os.close(handle)
    return temp


def remove_if_present(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


class FileOutput:
    """One output file (or stream). ``open()``, write, then ``commit()`` or ``discard()``."""

    def __init__(self, target: OutputLike) -> None:
        self.target = target
        self.path: Path | None = None
        self._temp: str | None = None
        self._stream: BinaryIO | None = None
        self._owned = False
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
        return self.path is None

    def open(self) -> BinaryIO:
        if self._stream is not None:
            return self._stream
        if self.path is None:
            target = self.target
            self._stream = sys.stdout.buffer if isinstance(target, (str, os.PathLike)) else target  # type: ignore[assignment]
            return self._stream  # type: ignore[return-value]
        if self.path.is_dir():
            raise OutputError(f"{self.path} is a folder; give a file name for this format")
        self._temp = temporary_beside(self.path)
        self._stream = open(self._temp, "wb", buffering=1 << 20)
        self._owned = True
        return self._stream

    def commit(self) -> None:
        """Finish the output: flush a stream, or move the file into place."""
        if self._stream is None:
            return
        try:
            self._stream.flush()
            if self._owned:
                os.fsync(self._stream.fileno())
                self._stream.close()
                assert self._temp is not None and self.path is not None
                os.replace(self._temp, self.path)
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
