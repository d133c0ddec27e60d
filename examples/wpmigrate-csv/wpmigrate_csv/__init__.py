"""``csv``: every post as one row of a CSV table (a wpmigrate exporter plugin).

Registered through the ``wpmigrate.exporters`` entry point in pyproject.toml, so that
``wpmigrate convert export.xml --to csv --out posts.csv`` finds it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

import wpmigrate
from wpmigrate.output import FileOutput

__all__ = ["CsvExporter", "CsvOptions"]

COLUMNS = ("id", "type", "status", "date", "title", "slug", "link", "author", "categories",
           "tags", "comments")


def _cell(post: wpmigrate.Post, column: str) -> str:
    if column == "categories":
        return "; ".join(t.name for t in post.terms if t.taxonomy == "category")
    if column == "tags":
        return "; ".join(t.name for t in post.terms if t.taxonomy == "post_tag")
    if column == "comments":
        return str(len(post.comments))
    if column == "date":
        return post.date.isoformat() if post.date else ""
    value = getattr(post, column)
    return "" if value is None else str(value)


@dataclass(frozen=True, kw_only=True)
class CsvOptions(wpmigrate.ExporterOptions):
    columns: str = wpmigrate.option(",".join(COLUMNS), "the columns, comma-separated")
    delimiter: str = wpmigrate.option(",", "the field separator (one character)")


class CsvExporter(wpmigrate.Exporter):
    """Posts as CSV rows, a header first."""

    name = "csv"
    description = "posts as a CSV table, one row each (plugin: wpmigrate-csv)"
    Options = CsvOptions
    suffix = ".csv"

    def __init__(self, out: Any, options: wpmigrate.ExporterOptions | None = None) -> None:
        super().__init__(out, options)
        opts: CsvOptions = self.options  # type: ignore[assignment]
        self.columns = [c.strip() for c in opts.columns.split(",") if c.strip()]
        unknown = set(self.columns) - set(COLUMNS)
        if unknown or len(opts.delimiter) != 1:
            raise wpmigrate.ExporterOptionError(
                f"csv: columns are {', '.join(COLUMNS)} and the delimiter is one character")
        self._output = FileOutput(out)

    def start(self) -> None:
        self._stream = self._output.open()
        self._text = io.TextIOWrapper(self._stream, encoding="utf-8", newline="",
                                      write_through=True)
        self._writer = csv.writer(self._text, delimiter=self.options.delimiter)  # type: ignore[attr-defined]
        self._writer.writerow(self.columns)

    def write(self, record: wpmigrate.Record) -> str | None:
        if not isinstance(record, wpmigrate.Post):
            return "filtered: a CSV of posts"  # counted in the report, not lost silently
        self._writer.writerow([_cell(record, c) for c in self.columns])
        return None

    def finish(self, *, success: bool = True) -> None:
        self._text.detach()  # the stream belongs to the output, not to the wrapper
        if success:
            self._output.commit()
        else:
            self._output.discard()
