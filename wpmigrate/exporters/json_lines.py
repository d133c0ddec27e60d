"""``jsonl``: one JSON record per line, streamed as the export is read."""

from __future__ import annotations

from dataclasses import dataclass

from ..encode import record_to_dict, to_json_bytes
from ..options import ExporterOptions, option
from ..output import FileOutput, OutputLike
from ..records import Record
from .base import Exporter, Skip


@dataclass(frozen=True, kw_only=True)
class JsonLinesOptions(ExporterOptions):
    flush: bool = option(True, "flush after every post when writing to a stream (pipelines)")


class JsonLinesExporter(Exporter):
    """One record per line: ``{"record": "site"|"author"|"term"|"post", ...}``."""

    name = "jsonl"
    description = "JSON Lines: one record per line, streamed (site, authors, terms, posts)"
    Options = JsonLinesOptions
    suffix = ".jsonl"

    def __init__(self, out: OutputLike, options: ExporterOptions | None = None) -> None:
        super().__init__(out, options)
        self._output = FileOutput(out)

    def start(self) -> None:
        self._stream = self._output.open()
        self._flush = self.options.flush and self._output.is_stream  # type: ignore[attr-defined]

    def write(self, record: Record) -> Skip:
        self._stream.write(to_json_bytes(record_to_dict(record)) + b"\n")
        if self._flush:
            self._stream.flush()
        return None

    def finish(self, *, success: bool = True) -> None:
        if success:
            self._output.commit()
        else:
            self._output.discard()
