"""Opening an export: a path, a binary file object or ``-`` for stdin.

Compression is recognised by its magic bytes, not the file name: gzip, bzip2 and xz are
inflated in Python (never by libxml2) behind a guard that refuses decompression bombs,
and a zip (as WordPress.com hands them out) yields each of its XML files in name order.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import os
import shutil
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, BinaryIO, TypeAlias

from ..errors import InputError, RefusedInputError

__all__ = ["SourceLike", "Document", "Source", "DEFAULT_MAX_INFLATED"]

#: What ``read`` accepts: a path, ``"-"`` for stdin, or a binary file object.
SourceLike: TypeAlias = str | os.PathLike[str] | IO[bytes]

#: Refuse to inflate a compressed export past this many bytes.
DEFAULT_MAX_INFLATED = 8 << 30
# A compressed stream that has inflated past BOMB_FLOOR bytes at more than BOMB_RATIO
# times its compressed size is a bomb: real exports compress well under 30:1.
BOMB_FLOOR = 16 << 20
BOMB_RATIO = 200

_MAGIC = {
    b"\x1f\x8b": "gzip",
    b"BZh": "bzip2",
    b"\xfd7zXZ\x00": "xz",
    b"PK\x03\x04": "zip",
}


@dataclass
class Document:
    """One XML document of a source: its display name and a binary stream of its bytes."""

    name: str
    stream: BinaryIO


class _Counting:
    """A read-only wrapper that counts the bytes read through it.

    Reads return what is available (``read1``) rather than waiting for a full chunk, so
    records from a pipe come out as soon as their bytes arrive.
    """

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.count = 0
        self._read = getattr(raw, "read1", None) or raw.read

    def read(self, size: int = -1) -> bytes:
        data = self._read(size)
        self.count += len(data)
        return data

    def readable(self) -> bool:
        return True


class _InflateGuard:
    """Stops inflating once the output passes the cap or looks like a bomb."""

    def __init__(self, inflated: BinaryIO, compressed: _Counting, name: str, cap: int) -> None:
        self.inflated = inflated
        self.compressed = compressed
        self.name = name
        self.cap = cap
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        data = self.inflated.read(size)
        self.count += len(data)
        if self.count > self.cap:
            raise RefusedInputError(
                f"inflates past the cap of {self.cap} bytes",
                file=self.name,
                hint="raise max_inflated if this export is really that large",
            )
        if self.count > BOMB_FLOOR and self.count > BOMB_RATIO * max(self.compressed.count, 1):
            raise RefusedInputError(
                f"decompression bomb: {self.compressed.count} compressed bytes inflate to "
                f"more than {self.count}",
                file=self.name,
            )
        return data

    def readable(self) -> bool:
        return True


class Source:
    """An opened export. Iterate ``documents()``; ``progress()`` gives (done, total) bytes."""

    def __init__(self, source: SourceLike, *, max_inflated: int = DEFAULT_MAX_INFLATED) -> None:
        self.max_inflated = max_inflated
        self._owned: list[IO[bytes]] = []
        self._spool: str | None = None
        self._zip_done = 0
        self._zip_current: _Counting | None = None
        raw: IO[bytes]
        if isinstance(source, (str, os.PathLike)):
            path = os.fspath(source)
            if path == "-":
                self.name = "<stdin>"
                raw = sys.stdin.buffer
            else:
                self.name = path
                try:
                    raw = open(path, "rb")
                except OSError as exc:
                    raise InputError(f"cannot open: {exc.strerror}", file=path) from None
                self._owned.append(raw)
        else:
            self.name = str(getattr(source, "name", "<stream>"))
            raw = source
        self._raw = _Counting(raw)  # type: ignore[arg-type]
        self.total: int | None = _size_of(raw)
        self.kind = self._sniff()

    def _sniff(self) -> str:
        peek = getattr(self._raw.raw, "peek", None)
        head = peek(8)[:8] if peek else b""
        if not peek:
            buffered = _Prefixed(self._raw.raw, self._raw.raw.read(8))
            head = buffered.prefix
            self._raw = _Counting(buffered)  # type: ignore[arg-type]
        for magic, kind in _MAGIC.items():
            if head.startswith(magic):
                return kind
        return "xml"

    def progress(self) -> tuple[int, int | None]:
        """Bytes of the input consumed so far, and the total where known."""
        if self.kind == "zip":
            current = self._zip_current.count if self._zip_current else 0
            return self._zip_done + current, self.total
        return self._raw.count, self.total

    def documents(self) -> Iterator[Document]:
        """Yield each XML document of the source, in order."""
        if self.kind == "xml":
            yield Document(self.name, self._raw)  # type: ignore[arg-type]
        elif self.kind == "zip":
            yield from self._zip_documents()
        else:
            inflated: IO[bytes]
            if self.kind == "gzip":
                inflated = gzip.GzipFile(fileobj=self._raw)  # type: ignore[call-overload]
            elif self.kind == "bzip2":
                inflated = bz2.BZ2File(self._raw)  # type: ignore[call-overload]
            else:
                inflated = lzma.LZMAFile(self._raw)  # type: ignore[arg-type]
            guard = _InflateGuard(inflated, self._raw, self.name, self.max_inflated)  # type: ignore[arg-type]
            yield Document(self.name, _TranslatingReader(guard, self.name))  # type: ignore[arg-type]

    def _zip_documents(self) -> Iterator[Document]:
        try:
            archive = zipfile.ZipFile(self._seekable())
        except zipfile.BadZipFile as exc:
            raise InputError(f"not a readable zip file: {exc}", file=self.name) from None
        with archive:
            members = sorted(
                (info for info in archive.infolist() if _is_xml_member(info)),
                key=lambda info: info.filename,
            )
            if not members:
                raise InputError("the zip file holds no .xml file", file=self.name)
            self.total = sum(info.compress_size for info in members)
            for info in members:
                name = f"{self.name}:{info.filename}"
                if info.file_size > self.max_inflated:
                    raise RefusedInputError(
                        f"declares {info.file_size} bytes, past the cap of {self.max_inflated}",
                        file=name,
                    )
                if info.flag_bits & 0x1:
                    raise InputError("is encrypted", file=name)
                counted = _Counting(archive.open(info))  # type: ignore[arg-type]
                # The guard measures the ratio against the member's whole compressed size.
                compressed = _Counting(_EmptyReader())  # type: ignore[arg-type]
                compressed.count = info.compress_size
                self._zip_current = counted
                guard = _InflateGuard(counted, compressed, name, self.max_inflated)  # type: ignore[arg-type]
                yield Document(name, _TranslatingReader(guard, name))  # type: ignore[arg-type]
                self._zip_done += info.compress_size
                self._zip_current = None
            # Progress for zip counts compressed sizes of finished members only.

    def _seekable(self) -> IO[bytes]:
        raw = self._raw.raw
        if _is_seekable(raw):
            return raw
        handle, self._spool = tempfile.mkstemp(prefix="wpmigrate-", suffix=".zip")
        with os.fdopen(handle, "wb") as spool:
            shutil.copyfileobj(self._raw, spool)
        spooled = open(self._spool, "rb")
        self._owned.append(spooled)
        return spooled

    def close(self) -> None:
        """Close what this source opened (never a stream the caller passed in)."""
        for handle in self._owned:
            handle.close()
        self._owned.clear()
        if self._spool:
            os.unlink(self._spool)
            self._spool = None

    def __enter__(self) -> Source:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Prefixed:
    """A stream with some bytes already read from it put back in front."""

    def __init__(self, raw: IO[bytes], prefix: bytes) -> None:
        self.raw = raw
        self.prefix = prefix
        self._pending = prefix

    def read(self, size: int = -1) -> bytes:
        if self._pending:
            if size < 0:
                data, self._pending = self._pending + self.raw.read(), b""
                return data
            data, self._pending = self._pending[:size], self._pending[size:]
            if len(data) < size:
                data += self.raw.read(size - len(data))
            return data
        return self.raw.read(size)

    def readable(self) -> bool:
        return True


class _TranslatingReader:
    """Turns the errors a decompressor raises into our InputError."""

    def __init__(self, inner: BinaryIO, name: str) -> None:
        self.inner = inner
        self.name = name

    def read(self, size: int = -1) -> bytes:
        try:
            return self.inner.read(size)
        except (OSError, EOFError, lzma.LZMAError, zipfile.BadZipFile) as exc:
            raise InputError(f"the compressed data is damaged: {exc}", file=self.name) from None

    def readable(self) -> bool:
        return True


class _EmptyReader:
    def read(self, size: int = -1) -> bytes:
        return b""


def _is_xml_member(info: zipfile.ZipInfo) -> bool:
    name = info.filename
    base = name.rsplit("/", 1)[-1]
    return (
        not info.is_dir()
        and name.lower().endswith(".xml")
        and not name.startswith("__MACOSX/")
        and not base.startswith("._")
    )


def _is_seekable(stream: IO[bytes]) -> bool:
    try:
        return bool(stream.seekable())
    except (AttributeError, ValueError):
        return False


def _size_of(stream: IO[bytes]) -> int | None:
    try:
        size = os.fstat(stream.fileno()).st_size
    except (AttributeError, OSError, ValueError):
        return None
    return size if size > 0 else None


def display_name(source: SourceLike) -> str:
    """A short name for a source, for messages."""
    if isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        return "<stdin>" if path == "-" else str(Path(path))
    return str(getattr(source, "name", "<stream>"))
