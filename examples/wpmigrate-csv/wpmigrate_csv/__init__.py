"""``csv``: every post as one row of a CSV table (a wpmigrate exporter plugin).

Registered through the ``wpmigrate.exporters`` entry point in pyproject.toml, so that
``wpmigrate convert export.xml --to csv --out posts.csv`` finds it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import wpmigrate

__all__ = ["CsvExporter", "CsvOptions"]

COLUMNS = (
    "id",
    "type",
    "status",
    "date",
    "title",
    "slug",
    "link",
    "author",
    "categories",
    "tags",
    "comments",
)


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


class CsvExporter(wpmigrate.Exporter[CsvOptions]):
    """Posts as CSV rows, a header first."""

    name = "csv"
    description = "posts as a CSV table, one row each (plugin: wpmigrate-csv)"
    Options = CsvOptions
    suffix = ".csv"

    def __init__(
        self, output: wpmigrate.FileTarget | None, options: CsvOptions, log: wpmigrate.RunLog
    ) -> None:
        super().__init__(output, options, log)
        self.columns = [c.strip() for c in options.columns.split(",") if c.strip()]
        unknown = set(self.columns) - set(COLUMNS)
        if unknown or len(options.delimiter) != 1:
            raise wpmigrate.ExporterOptionError(
                f"csv: columns are {', '.join(COLUMNS)} and the delimiter is one character"
            )

    def start(self) -> None:
        self._text = io.TextIOWrapper(
            self.file.open(), encoding="utf-8", newline="", write_through=True
        )
        self._writer = csv.writer(self._text, delimiter=self.options.delimiter)
        self._writer.writerow(self.columns)

    def write(self, record: wpmigrate.Record) -> None:
        if not isinstance(record, wpmigrate.Post):
            self.log.filter(record, "a CSV of posts")  # counted in the report, not lost
            return
        self._writer.writerow([_cell(record, c) for c in self.columns])

    def finish(self) -> None:
        self._text.detach()  # the stream belongs to the run, not to the wrapper

    def abort(self) -> None:
        self._text.detach()
