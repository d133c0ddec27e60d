"""The streaming WXR reader: bytes in, records out, in constant memory.

The parser is hardened as docs/security.md explains: no DTD, no entity resolution, no
network, never lxml's ``recover``. A first parser is fed the opening bytes one at a
time, so a DOCTYPE or an unsupported encoding is refused at the root element, before
any entity could be expanded. The main parser then reports only the elements we read
(items and the channel's authors and terms), and each is cleared once read.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any, BinaryIO

from lxml import etree

from ..errors import InputError, NotWXRError, RefusedInputError
from ..pool import fork_context
from ..records import Author, Post, Record, Site, Term
from ..report import Notice
from .items import read_author, read_channel_value, read_item, read_term
from .parse_errors import (
    PARSER_OPTIONS,
    RecentBytes,
    logged,
    namespace_notices,
    translate_syntax_error,
    truncated,
)
from .parts import (
    FIRST_SHARE,
    MIN_PART,
    PART_LOG_LIMIT,
    FirstPart,
    Group,
    PartMismatch,
    PartPlan,
    plan_parts,
    start_part_readers,
)
from .prolog import declared_encoding, skip_prolog_noise
from .source import DEFAULT_MAX_INFLATED, Source, SourceLike
from .state import ReadState
from .vocabulary import KNOWN_VERSIONS, Vocabulary, is_wxr_namespace

__all__ = ["Reader", "DEFAULT_CHUNK_SIZE"]

DEFAULT_CHUNK_SIZE = 64 * 1024
_ENCODINGS = frozenset(
    {
        "UTF-8",
        "UTF8",
        "UTF-16",
        "UTF-16LE",
        "UTF-16BE",
        "US-ASCII",
        "ASCII",
        "ISO-8859-1",
        "LATIN1",
        "ISO_8859-1",
        "WINDOWS-1252",
        "CP1252",
    }
)
_ROOT_SEARCH_LIMIT = 1 << 20
_CHANNEL_TERMS = ("wp:category", "wp:tag", "wp:term")


class Reader:
    """Iterate over the records of a WordPress export, reading as it goes.

    ``notices`` collects the warnings (odd ids, impossible dates, undeclared namespace
    prefixes...); ``progress()`` tells how far through the input the reader is. Errors
    in the input raise :class:`~wpmigrate.errors.InputError` after every record before
    the break has been yielded. With ``jobs`` above 1, a large uncompressed export is
    read in parts by that many processes (see parts.py): the same records, warnings
    and errors as with one.
    """

    def __init__(
        self,
        source: SourceLike,
        *,
        repairs: Iterable[str] = (),
        chunk_size: int = DEFAULT_CHUNK_SIZE,
        max_inflated: int = DEFAULT_MAX_INFLATED,
        on_notice: Callable[[Notice], None] | None = None,
        jobs: int = 1,
        min_part: int = MIN_PART,
        first_share: float = FIRST_SHARE,
    ) -> None:
        self.source = source
        #: Processes reading a large uncompressed export (parts.py); the records are
        #: the same whatever the number.
        self.jobs = jobs
        self.min_part = min_part
        self.first_share = first_share
        self.repairs = frozenset(repairs)
        self.chunk_size = max(1, chunk_size)
        self.max_inflated = max_inflated
        self.repair_counts: dict[str, int] = {}
        self._listener = on_notice
        self._source: Source | None = None
        #: How many parts other processes read (0: the export was read whole, here).
        self.parts_read_elsewhere = 0
        self._begin(on_notice)

    def _begin(self, listener: Callable[[Notice], None] | None) -> None:
        """What a reading establishes, from nothing (again, when read again whole)."""
        self._state = ReadState(listener)
        self._vocab = Vocabulary()
        self._site: Site | None = None
        self._site_fields: dict[str, str] = {}
        self._pending: list[Record] = []
        self._channel: Any = None
        self._documents = 0
        self._later_part: tuple[int, int | None] | None = None
        self._namespace_problems: tuple[list[tuple[str, int]], int] = ([], 0)

    def progress(self) -> tuple[int, int | None]:
        """(bytes read, total bytes or None) of the input."""
        if self._later_part is not None:
            return self._later_part
        return self._source.progress() if self._source else (0, None)

    @property
    def site(self) -> Site | None:
        return self._site

    @property
    def notices(self) -> list[Notice]:
        """The warnings so far."""
        return self._state.notices

    def warn(self, code: str, message: str, key: str = "") -> None:
        self._state.warn(code, message, key)

    @property
    def _document(self) -> str:
        return self._state.document

    def __iter__(self) -> Iterator[Record]:
        plan = self._plan_parts()
        if plan is None:
            yield from self._read_whole()
            return
        given = 0
        try:
            for record in self._read_parts(plan):
                given += 1
                yield record
            return
        except PartMismatch:
            pass
        yield from self._read_again(skip=given)

    def _read_whole(self) -> Iterator[Record]:
        with Source(self.source, max_inflated=self.max_inflated) as source:
            self._source = source
            for document in source.documents():
                self._state.document = document.name
                self._documents += 1
                yield from self._read_document(document.stream)

    # -- in parts, in several processes (parts.py) ----------------------------------------

    def _plan_parts(self) -> PartPlan | None:
        if self.jobs < 2 or self.repairs or fork_context() is None:
            return None
        if multiprocessing.current_process().daemon:  # it may not start processes
            return None
        if not isinstance(self.source, (str, os.PathLike)) or os.fspath(self.source) == "-":
            return None
        return plan_parts(
            os.fspath(self.source),
            self.jobs,
            min_part=self.min_part,
            first_share=self.first_share,
        )

    def _read_parts(self, plan: PartPlan) -> Iterator[Record]:
        """The first part read here, each other part's records taken from its process."""
        with Source(self.source, max_inflated=self.max_inflated) as source:
            self._source = source
            if source.kind != "xml":
                raise PartMismatch
            document = next(iter(source.documents()))
            self._state.document = document.name
            self._documents = 1
            try:
                parts = start_part_readers(self, plan, document.name)
            except OSError:  # no temporary file, no process: read it whole here
                raise PartMismatch from None
            try:
                try:
                    first = FirstPart(document.stream, plan.starts[0])
                    yield from self._read_document(first, whole=False)  # type: ignore[arg-type]
                except InputError:
                    # A break in the export or at the cut: one reader says which, and
                    # how far it read.
                    raise PartMismatch from None
                found, count = self._namespace_problems
                for part in parts:
                    for groups, position in part.batches():
                        yield from self._take_groups(groups)
                        self._later_part = (position, source.total)
                    self._later_part = (part.end, source.total)
                    found = found + part.namespace_problems
                    count += part.logged
                if count > PART_LOG_LIMIT:
                    raise PartMismatch
                self._warn_namespaces(found)
                self.parts_read_elsewhere = len(parts)
            finally:
                for part in parts:
                    part.stop()

    def _take_groups(self, groups: list[Group]) -> Iterator[Record]:
        state = self._state
        for notices, records in groups:
            post = records[-1] if records else None
            if isinstance(post, Post) and not state.adopt_keys(post):
                raise PartMismatch
            state.adopt_notices(notices)
            for record in records:
                if isinstance(record, (Author, Term)) and not state.adopt_inferred(record):
                    continue
                yield record

    def _read_again(self, skip: int) -> Iterator[Record]:
        """The export read whole, as one reader, but for the first ``skip`` records (given
        already, with their warnings)."""
        listener = self._listener
        self._begin(None if skip else listener)
        for record in self._read_whole():
            if skip:
                skip -= 1
                if not skip:
                    self._state.listen(listener)
                continue
            yield record

    def continue_part(self, name: str) -> ReadState:
        """In a part's process: read items only, after the export's opening; warnings
        are collected (for the main process to give), not told."""
        self._state = ReadState(None)
        self._state.document = name
        self._site = Site()  # the first part gives the site
        self._documents = 1
        return self._state

    def read_part(self, stream: Any) -> Iterator[Record]:
        """In a part's process: the records of the part (see :meth:`continue_part`)."""
        return self._read_document(stream, whole=False, opening=False)

    # -- one XML document ---------------------------------------------------------------

    def _read_document(
        self, raw: BinaryIO, *, whole: bool = True, opening: bool = True
    ) -> Iterator[Record]:
        stream, skipped, count = skip_prolog_noise(
            raw, name=self._document, allow_junk="leading-junk" in self.repairs
        )
        if skipped == "blank":
            self.warn("leading-blank-lines", f"skipped {count} blank bytes before <?xml")
        elif skipped == "junk":
            self.repair_counts["leading-junk"] = self.repair_counts.get("leading-junk", 0) + 1
            self.warn("leading-junk", f"skipped {count} bytes of junk before the XML")
        if self.repairs - {"leading-junk"}:
            from .repair import RepairingReader

            stream = RepairingReader(stream, self.repairs, self.repair_counts)  # type: ignore[assignment]
        head, namespaces = self._check_prolog(stream)
        # Wildcards, because a WXR namespace may be declared on any element, not just the root.
        tags = ["item", "channel", "{*}author", "{*}category", "{*}tag", "{*}term"]
        for uri in namespaces if opening else ():
            version = uri.rstrip("/").rsplit("/", 1)[-1]
            if is_wxr_namespace(uri) and version not in KNOWN_VERSIONS:
                self.warn("unknown-wxr-version", f"WXR namespace {uri} is of an unknown version")
        parser = etree.XMLPullParser(events=("end",), tag=tags, **PARSER_OPTIONS)
        etree.clear_error_log()
        recent = RecentBytes()
        data = head
        while data:
            recent.add(data)
            try:
                parser.feed(data)
            except etree.XMLSyntaxError as exc:
                yield from self._drain(parser)
                yield from self._flush_before_break()
                raise translate_syntax_error(exc, name=self._document, recent=recent) from None
            yield from self._drain(parser)
            data = stream.read(self.chunk_size)
        try:
            parser.close()
        except etree.XMLSyntaxError as exc:
            found = namespace_notices(exc)
            if not whole and found is None:
                # A break in the export or at the cut: one reader tells which.
                raise PartMismatch from None
            if found is None:
                # Not drained: at a failed close, libxml2 (2.14 on) ends every element
                # still open, and the item cut short would read as a whole one.
                yield from self._flush_before_break()
                error = translate_syntax_error(exc, name=self._document, recent=recent)
                if error.hint:  # damage a repair fixes, found at the end
                    raise error from None
                # Every byte was fed: what the parser misses now is the rest of the file.
                raise truncated(name=self._document, recent=recent) from None
            yield from self._drain(parser)
            if whole:
                self._warn_namespaces(found)
            else:  # one reader gives them after every record: after the last part's
                self._namespace_problems = (found, logged(exc))
        yield from self._drain(parser)
        if self._site is None:
            raise NotWXRError("an RSS document without a <channel>", file=self._document)

    def _warn_namespaces(self, found: list[tuple[str, int]]) -> None:
        for message, line in found:
            self._state.line = line
            self.warn("namespace", f"{message}; read as a plain name")

    def namespace_problems(self) -> tuple[list[tuple[str, int]], int]:
        """In parts: the namespace problems the part's parser found at its close (message,
        line), and how many entries its log held."""
        return self._namespace_problems

    def _flush_before_break(self) -> Iterator[Record]:
        """The input broke before the first item: still give the site, authors and terms read."""
        if self._site is None and self._channel is not None:
            yield from self._emit_site(self._channel, None)

    def _check_prolog(self, stream: BinaryIO) -> tuple[bytes, list[str]]:
        """Feed the opening bytes one by one up to the root; refuse what must be refused.

        Returns the bytes read so far and the namespace URIs declared on the root.
        """
        sniffer = etree.XMLPullParser(events=("start",), **PARSER_OPTIONS)
        etree.clear_error_log()
        recent = RecentBytes()
        head = bytearray()
        while len(head) < _ROOT_SEARCH_LIMIT:
            chunk = stream.read(4096)
            if not chunk:
                break
            head += chunk
            recent.add(chunk)
            for offset in range(len(chunk)):
                try:
                    sniffer.feed(chunk[offset : offset + 1])
                except etree.XMLSyntaxError as exc:
                    raise _refusal(exc, self._document, recent, bytes(head)) from None
                for _event, root in sniffer.read_events():
                    assert isinstance(root, etree._Element)  # start events give elements
                    self._check_root(root, bytes(head))
                    return bytes(head), list(root.nsmap.values())
        if not head:
            raise NotWXRError("the file is empty", file=self._document)
        if len(head) < _ROOT_SEARCH_LIMIT:
            raise NotWXRError(
                "the file ends before its first element: cut short, or not XML", file=self._document
            )
        raise NotWXRError("no XML root element in the first MiB", file=self._document)

    def _check_root(self, root: Any, head: bytes) -> None:
        info = root.getroottree().docinfo
        if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
            raise RefusedInputError(
                _DOCTYPE_REFUSED,
                file=self._document,
                line=root.sourceline,
            )
        # The parser does not tell the declared encoding at this point: read it ourselves.
        declared = declared_encoding(head) or info.encoding or "UTF-8"
        if declared.upper() not in _ENCODINGS:
            raise RefusedInputError(
                f"the export declares the encoding {declared!r}, which wpmigrate does not "
                f"read (it reads UTF-8, UTF-16, US-ASCII, ISO-8859-1 and windows-1252)",
                file=self._document,
                line=1,
            )
        if root.tag != "rss":
            raise NotWXRError(
                f"the root element is <{_plain(root.tag)}>, not <rss>: not a WordPress export",
                file=self._document,
                line=root.sourceline,
            )

    # -- events ---------------------------------------------------------------------------

    def _drain(self, parser: Any) -> Iterator[Record]:
        for _event, elem in parser.read_events():
            tag = elem.tag
            if tag == "item":
                yield from self._on_item(elem)
            elif tag == "channel":
                if self._site is None:
                    yield from self._emit_site(elem, None)
            elif self._vocab.name(tag).startswith("wp:"):
                parent = elem.getparent()
                if parent is not None and parent.tag == "channel":
                    yield from self._on_channel_element(elem, parent)
            # anything else is an item's own <category>, read with its item

    def _on_channel_element(self, elem: Any, channel: Any) -> Iterator[Record]:
        self._state.line = elem.sourceline
        self._channel = channel
        name = self._vocab.name(elem.tag)
        record: Record | None = None
        if name == "wp:author":
            author = read_author(elem, self._vocab)
            if self._state.first_author(author):
                record = author
            elif self._documents == 1:  # the files of a split export each declare them
                self.warn("duplicate-author", f"author {author.key!r} is declared twice")
        elif name in _CHANNEL_TERMS:
            term = read_term(elem, name, self._vocab)
            if self._state.first_term(term):
                record = term
        if self._site is None:
            self._collect_site_fields(channel, elem)
        _release(elem, channel)
        if record is not None:
            if self._site is None:
                self._pending.append(record)
            else:
                yield record

    def _collect_site_fields(self, channel: Any, upto: Any) -> None:
        for child in channel:
            if child is upto:
                break
            found = read_channel_value(child, self._vocab)
            if found:
                self._site_fields.setdefault(*found)

    def _emit_site(self, channel: Any, upto: Any) -> Iterator[Record]:
        self._collect_site_fields(channel, upto)
        namespaces = channel.nsmap.values()
        if not any(is_wxr_namespace(uri) for uri in namespaces):
            raise NotWXRError(
                "an RSS feed without the WordPress export (wp:) namespace: not a WordPress export",
                file=self._document,
                line=channel.sourceline,
            )
        self._site = Site(**self._site_fields)
        version = self._site.wxr_version
        if not version:
            self.warn("missing-wxr-version", "the export has no wp:wxr_version")
        elif version not in KNOWN_VERSIONS:
            self.warn("unknown-wxr-version", f"wp:wxr_version is {version!r}")
        yield self._site
        yield from self._pending
        self._pending.clear()

    def _on_item(self, elem: Any) -> Iterator[Record]:
        self._state.line = elem.sourceline
        parent = elem.getparent()
        in_channel = parent is not None and parent.tag == "channel"
        if self._site is None:
            if in_channel:
                yield from self._emit_site(parent, elem)
            else:
                channel = next(elem.iterancestors("channel"), None)
                if channel is None:
                    raise NotWXRError("an <item> outside any <channel>", file=self._document)
                yield from self._emit_site(channel, None)
        if not in_channel:
            where = "inside another element" if parent is None else f"inside <{_plain(parent.tag)}>"
            self.warn("misplaced-item", f"an <item> {where}; read as an item all the same")
        state = self._state
        post = read_item(elem, self._vocab, state.post_key, state.comment_key, state.warn_item)
        if in_channel:
            _release(elem, parent)
        else:
            elem.clear(keep_tail=True)
        yield from state.inferred(post)
        yield post


def _release(elem: Any, parent: Any) -> None:
    """Free an element once read, and the siblings before it (lxml's streaming idiom)."""
    elem.clear(keep_tail=True)
    while elem.getprevious() is not None:
        del parent[0]


def _plain(tag: Any) -> str:
    return str(tag).rsplit("}", 1)[-1]


_DOCTYPE_REFUSED = (
    "the export has a DOCTYPE; WordPress never writes one, and a DTD can expand "
    "entities or reach files, so it is refused"
)


def _refusal(exc: Any, name: str, recent: RecentBytes, head: bytes = b"") -> InputError:
    """An error before the root element: the document never starts."""
    error = translate_syntax_error(exc, name=name, recent=recent)
    if b"<!DOCTYPE" in head.upper().replace(b"\x00", b""):
        # A DTD so broken that the parser stops inside it is refused as any DTD is.
        return RefusedInputError(_DOCTYPE_REFUSED, file=name, line=error.line)
    if "Unsupported encoding" in error.message or "unknown encoding" in error.message.lower():
        return RefusedInputError(error.message, file=name, line=error.line, column=error.column)
    return error
