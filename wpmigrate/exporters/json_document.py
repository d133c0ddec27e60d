"""``json``: one JSON document holding the site, its authors, its terms and its posts.

Posts are spooled to a temporary file as they come, so memory stays flat however large
the export; authors and terms (few, and some only known once a post uses them) are kept
in memory and written first when the document is put together.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass

from ..encode import record_json, record_to_dict
from ..options import ReadingOptions, option
from ..records import Author, Post, Record, Site, Term
from .base import Exporter, Output, RunLog


@dataclass(frozen=True, kw_only=True)
class JsonOptions(ReadingOptions):
    pretty: bool = option(False, "indent the document for reading (larger, slower)")


class JsonExporter(Exporter[JsonOptions]):
    """``{"site": {...}, "authors": [...], "terms": [...], "posts": [...]}``, comments nested."""

    name = "json"
    description = "one JSON document: site, authors, terms, posts with nested comments"
    Options = JsonOptions
    suffix = ".json"

    def __init__(self, output: Output, options: JsonOptions, log: RunLog) -> None:
        super().__init__(output, options, log)
        self._site: bytes | None = None
        self._authors: list[bytes] = []
        self._terms: list[bytes] = []
        self._post_count = 0

    def start(self) -> None:
        self._posts = tempfile.TemporaryFile()

    def _encode(self, record: Record) -> bytes:
        if self.options.pretty:
            import json

            data = record_to_dict(record, with_type=False)
            return json.dumps(data, ensure_ascii=False, indent=2).replace("\n", "\n  ").encode()
        return record_json(record, with_type=False)

    def write(self, record: Record) -> None:
        if isinstance(record, Post):
            if self._post_count:
                self._posts.write(b",\n  ")
            self._posts.write(self._encode(record))
            self._post_count += 1
        elif isinstance(record, Author):
            self._authors.append(self._encode(record))
        elif isinstance(record, Term):
            self._terms.append(self._encode(record))
        elif isinstance(record, Site):
            self._site = self._encode(record)

    def finish(self) -> None:
        try:
            self._assemble()
        finally:
            self._posts.close()

    def abort(self) -> None:
        self._posts.close()

    def _assemble(self) -> None:
        stream = self.file.open()
        site = self._site if self._site is not None else b"null"
        stream.write(b'{"site": ' + site)
        for key, items in ((b"authors", self._authors), (b"terms", self._terms)):
            stream.write(b',\n"' + key + b'": [')
            if items:
                stream.write(b"\n  " + b",\n  ".join(items) + b"\n")
            stream.write(b"]")
        stream.write(b',\n"posts": [')
        if self._post_count:
            stream.write(b"\n  ")
            self._posts.seek(0)
            shutil.copyfileobj(self._posts, stream, 1 << 20)
            stream.write(b"\n")
        stream.write(b"]}\n")
