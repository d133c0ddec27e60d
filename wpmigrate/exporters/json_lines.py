"""``jsonl``: one JSON record per line, streamed as the export is read."""

from __future__ import annotations

from dataclasses import dataclass

from ..encode import record_json
from ..options import ReadingOptions, option
from ..records import Post, Record
from .base import Exporter


@dataclass(frozen=True, kw_only=True)
class JsonLinesOptions(ReadingOptions):
    flush: bool = option(True, "flush after every post when writing to a stream (pipelines)")


class JsonLinesExporter(Exporter[JsonLinesOptions]):
    """One record per line: ``{"record": "site"|"author"|"term"|"post", ...}``."""

    name = "jsonl"
    description = "JSON Lines: one record per line, streamed (site, authors, terms, posts)"
    Options = JsonLinesOptions
    suffix = ".jsonl"

    def start(self) -> None:
        self._stream = self.file.open()
        self._flush = self.options.flush and self.file.is_stream
        self._line = 0
        self._placing = self.log.keeps_posts

    def write(self, record: Record) -> None:
        self._stream.write(record_json(record) + b"\n")
        self._line += 1
        if self._placing and isinstance(record, Post):
            self.log.place(record.key, f"line {self._line}")
        if self._flush:
            self._stream.flush()
