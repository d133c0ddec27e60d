"""Reading one large export in several processes, with the records of one reader.

An uncompressed export is cut between two items into parts. The reader reads the first
part itself; each other part is read by a forked process, which sees it as a document of
its own: the export's opening (up to and with the ``<channel>`` tag), then the part's
items. Such a process sends its records back through an unnamed temporary file, in
batches, while the first part is still being read.

What a part's reader decides from what came before it (keys, inferred authors and
terms, warnings given once per thing) is checked against what the parts before it
established (see :class:`~wpmigrate.wxr.state.ReadState`). At any doubt (a part that
does not parse, a key used before, a declaration among the items, an item without an
id, more namespace problems than libxml2 keeps) the reader starts again as one reader and skips the records
already given: the records and warnings are always those of one reader; a broken or
odd export only costs the time of a second pass.
"""

from __future__ import annotations

import mmap
import os
import pickle
import re
import signal
import stat
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any, Protocol

from lxml import etree

from ..pool import fork_context
from ..records import Author, Post, Record, Term
from ..report import Notice
from .parse_errors import PARSER_OPTIONS
from .state import ReadState

__all__ = [
    "PartPlan",
    "PartMismatch",
    "FirstPart",
    "PartReader",
    "plan_parts",
    "start_part_readers",
    "MIN_PART",
    "PART_LOG_LIMIT",
    "TAIL",
]

#: The closing tags that end a part (the export's own are in the last part).
TAIL = b"</channel></rss>"
#: A part smaller than this is not worth a process.
MIN_PART = 4 << 20
#: At most this many entries in the error logs of all parts together (libxml2 keeps
#: about 100 of one parse): beyond, one reader tells which it keeps.
PART_LOG_LIMIT = 50
#: The share of the export the reader reads itself: it also hands every record on (to
#: the exporter), so it takes less than an even share.
FIRST_SHARE = 0.45

_HEADER_LIMIT = 1 << 20
_CHANNEL_TAG = re.compile(rb"<channel(?:[ \t\r\n][^<>]*)?>")
# Between two items: the next part starts at the second's "<item".
_BETWEEN_ITEMS = re.compile(rb"</item>[ \t\r\n]*(?=<item[ \t\r\n>])")
_BATCH_BYTES = 1 << 20

#: One post's worth of a part: the warnings given while reading it (each with the
#: (code, subject) it is given once for, if any), then its inferred records and the post.
Group = tuple[list[tuple[Notice, tuple[str, str] | None]], list[Record]]


class PartSource(Protocol):
    """What a part's process asks of the reader it was forked with."""

    def continue_part(self, name: str) -> ReadState:
        """Become the reader of a part of the document ``name``; its state."""
        ...

    def read_part(self, stream: Any) -> Iterator[Record]:
        """The records of the part ``stream`` holds."""
        ...

    def namespace_problems(self) -> tuple[list[tuple[str, int]], int]:
        """Once read: the namespace problems found at the close, and the log's size."""
        ...


class PartMismatch(Exception):
    """A part cannot be taken as one reader would have read it: read it all again."""


@dataclass(frozen=True)
class PartPlan:
    """Where an export is cut: ``header`` opens every part after the first, and part
    ``k + 1`` starts at byte ``starts[k]``."""

    path: str
    header: bytes
    starts: tuple[int, ...]
    size: int


def plan_parts(
    path: str, parts: int, *, min_part: int = MIN_PART, first_share: float = FIRST_SHARE
) -> PartPlan | None:
    """How to cut the export at ``path`` into (at most) ``parts`` parts, or None when it
    is not one to cut: not a regular file, too small, not plain XML opening as an
    export does (compressed, UTF-16, a DOCTYPE), or no place between two items."""
    if parts < 2:
        return None
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size < 2 * min_part:
            return None
        with mmap.mmap(fd, 0, access=mmap.ACCESS_READ) as data:
            header = _header(data[:_HEADER_LIMIT])
            if header is None:
                return None
            starts = _starts(data, len(header), info.st_size, parts, min_part, first_share)
    finally:
        os.close(fd)
    if not starts:
        return None
    return PartPlan(path, header, tuple(starts), info.st_size)


def _header(head: bytes) -> bytes | None:
    """The export's opening through its ``<channel>`` tag, if it is plainly that: parsed,
    it opens exactly ``<rss>`` and then ``<channel>``, with no DTD."""
    if not head.startswith((b"<", b"\xef\xbb\xbf<")):
        return None
    match = _CHANNEL_TAG.search(head)
    if match is None:
        return None
    header = head[: match.end()]
    if b"<!DOCTYPE" in header.upper():
        return None
    parser = etree.XMLPullParser(events=("start",), **PARSER_OPTIONS)
    try:
        parser.feed(header)
        opened = [getattr(element, "tag", None) for _event, element in parser.read_events()]
        parser.feed(TAIL)
        parser.close()  # raises for any problem, a namespace one too: it would be every part's
    except etree.XMLSyntaxError:
        return None
    return header if opened == ["rss", "channel"] else None


def _starts(
    data: Any, header_end: int, size: int, parts: int, min_part: int, first_share: float
) -> list[int]:
    starts: list[int] = []
    previous = header_end
    for k in range(1, parts):
        target = int(size * (first_share + (1 - first_share) * (k - 1) / (parts - 1)))
        found = _BETWEEN_ITEMS.search(data, max(target, previous + min_part))
        if found is None or size - found.end() < min_part:
            break
        previous = found.end()
        starts.append(previous)
    return starts


class FirstPart:
    """The export up to the second part, then :data:`TAIL`: what the reader reads itself.
    A parse error may then lie in the export or in the cut (not between two of the
    channel's items after all): the export is read again whole to tell."""

    def __init__(self, stream: Any, end: int) -> None:
        self._stream = stream
        self._left = end
        self._tail = TAIL

    def read(self, size: int = -1) -> bytes:
        if self._left > 0:
            data: bytes = self._stream.read(self._left if size < 0 else min(size, self._left))
            if data:
                self._left -= len(data)
                return data
            self._left = 0  # the file got shorter: the tail is no help now
            self._tail = b""
        data, self._tail = self._tail, b""
        return data


class _PartStream:
    """What a part's reader parses: the header, the part's bytes, and the tail unless
    the part is the export's last."""

    def __init__(self, fd: int, header: bytes, start: int, end: int, tail: bytes) -> None:
        self._fd = fd
        self._pending = header
        self.position = start
        self._end = end
        self._tail = tail
        self.header_lines = header.count(b"\n")

    def lines_before(self) -> int:
        """How many line breaks the export has before the part."""
        newlines = 0
        position = 0
        while position < self.position:
            block = os.pread(self._fd, min(1 << 24, self.position - position), position)
            if not block:
                break
            newlines += block.count(b"\n")
            position += len(block)
        return newlines

    def read(self, size: int = -1) -> bytes:
        if self._pending:
            data, self._pending = self._pending, b""
            return data
        if self.position < self._end:
            want = self._end - self.position if size < 0 else min(size, self._end - self.position)
            data = os.pread(self._fd, want, self.position)
            if data:
                self.position += len(data)
                return data
            self._end = self.position
        data, self._tail = self._tail, b""
        return data


class PartReader:
    """One forked process reading one part; its batches come back in order."""

    def __init__(self, process: Any, receiver: Any, spool: Any) -> None:
        self._process = process
        self._receiver = receiver
        self._spool = spool
        #: Once read to the end: the byte of the export the part ends at, the namespace
        #: problems found at its close (message, line) and how many entries its log held.
        self.end = 0
        self.namespace_problems: list[tuple[str, int]] = []
        self.logged = 0

    def batches(self) -> Iterator[tuple[list[Group], int]]:
        """Each batch of groups with the byte of the export read up to; raises
        :class:`PartMismatch` where the part could not be read as one reader would."""
        while True:
            try:
                message = self._receiver.recv()
            except (EOFError, OSError):  # the process died (killed, out of memory)
                raise PartMismatch from None
            if message[0] == "batch":
                _kind, offset, length, position = message
                yield pickle.loads(_pread_all(self._spool.fileno(), length, offset)), position
            elif message[0] == "done":
                _kind, self.end, self.namespace_problems, self.logged = message
                return
            else:
                raise PartMismatch

    def stop(self) -> None:
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._receiver.close()
        self._spool.close()


def start_part_readers(reader: PartSource, plan: PartPlan, name: str) -> list[PartReader]:
    """Fork one process for each part after the first."""
    context: Any = fork_context()
    assert context is not None  # plans are only made where there is fork
    ends = (*plan.starts[1:], plan.size)
    started: list[PartReader] = []
    fd = os.open(plan.path, os.O_RDONLY)
    try:
        for start, end in zip(plan.starts, ends, strict=True):
            tail = b"" if end == plan.size else TAIL
            spool = tempfile.TemporaryFile(prefix="wpmigrate-part-")
            receiver, sender = context.Pipe(duplex=False)
            stream = _PartStream(fd, plan.header, start, end, tail)
            process = context.Process(
                target=_read_part,
                args=(reader, stream, name, sender, spool),
                daemon=True,
            )
            process.start()
            sender.close()
            started.append(PartReader(process, receiver, spool))
    except BaseException:
        for part in started:
            part.stop()
        raise
    finally:
        os.close(fd)  # each process has its own copy
    return started


def _read_part(reader: PartSource, stream: _PartStream, name: str, sender: Any, spool: Any) -> None:
    """The forked process: read the part, send batches, then "done" or "mismatch"."""
    # Ctrl-C reaches the whole process group: the main process answers it, and stops
    # this one.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        shift = stream.lines_before() - stream.header_lines
        for message in _part_batches(reader, stream, name, shift, spool):
            sender.send(message)
        found, count = reader.namespace_problems()
        shifted = [(text, line + shift) for text, line in found]
        sender.send(("done", stream.position, shifted, count))
    except Exception:  # a break, a doubt, anything: one reader will meet it, and say it
        sender.send(("mismatch",))
    finally:
        sender.close()


def _part_batches(
    reader: PartSource, stream: _PartStream, name: str, shift: int, spool: Any
) -> Iterator[tuple[str, int, int, int]]:
    """The part's records as groups, one per post, written to ``spool`` in batches; a
    message for each batch (where it lies in the spool, how far the part is read)."""
    state = reader.continue_part(name)
    notices = _NoticeTaker(state, shift)
    batch = _Batch(spool)
    inferred: list[Record] = []
    for record in reader.read_part(stream):
        if type(record) is Post:
            batch.add((notices.take(), [*inferred, record]), len(record.content))
            inferred.clear()
            if batch.full():
                yield batch.write(stream.position)
        elif isinstance(record, (Author, Term)) and record.inferred:
            inferred.append(record)
        else:
            raise PartMismatch  # a declaration among the items: decided by what came before
    trailing = notices.take()
    if trailing or inferred:
        batch.add((trailing, inferred), 0)
    if batch.groups:
        yield batch.write(stream.position)


class _NoticeTaker:
    """The warnings a part's reader gave since the last post, with the export's lines."""

    def __init__(self, state: ReadState, shift: int) -> None:
        self._state = state
        self._shift = shift
        self._taken = 0

    def take(self) -> list[tuple[Notice, tuple[str, str] | None]]:
        state = self._state
        found = [
            (_shifted(notice, self._shift), state.subjects.get(n))
            for n, notice in enumerate(state.notices[self._taken :], self._taken)
        ]
        self._taken = len(state.notices)
        if any(notice.code == "missing-id" for notice, _ in found):
            raise PartMismatch  # its key counts the items before it
        return found


class _Batch:
    """Groups gathered until about ``_BATCH_BYTES`` of posts, then pickled to the spool."""

    def __init__(self, spool: Any) -> None:
        self._spool = spool
        self._offset = 0
        self._size = 0
        self.groups: list[Group] = []

    def add(self, group: Group, size: int) -> None:
        self.groups.append(group)
        self._size += size + 512

    def full(self) -> bool:
        return self._size >= _BATCH_BYTES

    def write(self, position: int) -> tuple[str, int, int, int]:
        data = pickle.dumps(self.groups, protocol=pickle.HIGHEST_PROTOCOL)
        self._spool.write(data)
        self._spool.flush()  # the main process reads it by offset as soon as it is told
        message = ("batch", self._offset, len(data), position)
        self._offset += len(data)
        self._size = 0
        self.groups.clear()
        return message


def _shifted(notice: Notice, shift: int) -> Notice:
    return replace(notice, line=notice.line + shift) if notice.line is not None else notice


def _pread_all(fd: int, length: int, offset: int) -> bytes:
    chunks = []
    while length > 0:
        chunk = os.pread(fd, length, offset)
        if not chunk:
            raise PartMismatch  # the spool is shorter than its batch: never trust it
        chunks.append(chunk)
        length -= len(chunk)
        offset += len(chunk)
    return b"".join(chunks)
