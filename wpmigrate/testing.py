"""The exporter contract, as checks any exporter can be put through (built in or a plugin).

::

    from wpmigrate.testing import check_exporter

    def test_my_exporter_keeps_the_contract(tmp_path):
        check_exporter(MyExporter, tmp_path)

:func:`check_exporter` runs the exporter on :func:`sample_records` (a site, an author,
terms, posts of several types and statuses, comments with replies, spam and a pingback)
and asserts: unknown options are refused; every record is accounted for (seen equals
written plus skipped plus filtered, for every record type and post type); a passed-in
stream is never closed; a run that fails half-way leaves nothing behind; an output that
already exists survives a failed run unchanged (a folder's manifest then says that a run
did not complete, so the folder stays ours and can be written again). :func:`export_records` runs an exporter
on any records, without an export file.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .errors import ExporterOptionError, OutputError, UsageError
from .exporters.base import Exporter
from .output_folder import MANIFEST
from .pipeline import ConvertRequest
from .pipeline import export_records as _export_records
from .records import Author, Comment, Post, Record, Site, Term, TermRef
from .report import Report

__all__ = ["check_exporter", "export_records", "sample_records", "ContractError"]


class ContractError(AssertionError):
    """An exporter broke the contract."""


def export_records(
    to: str | type[Exporter[Any]], records: Iterable[Record], out: Any, **options: Any
) -> Report:
    """Write ``records`` with the exporter ``to`` (a name or a class) into ``out``."""
    return _export_records(records, out, ConvertRequest(to=to, options=options))


def sample_records() -> list[Record]:
    """A small site touching every kind of record and the usual statuses."""
    when = datetime(2024, 5, 17, 9, 30, tzinfo=UTC)
    comments = (
        Comment(
            key="1",
            id=1,
            post_key="10",
            post_id=10,
            author="Tobias",
            content="<p>Schön gesagt!</p>",
            date=when,
            status="approved",
        ),
        Comment(
            key="2",
            id=2,
            post_key="10",
            post_id=10,
            parent_id=1,
            author="Ana",
            content="Danke",
            date=when,
            status="approved",
        ),
        Comment(
            key="3",
            id=3,
            post_key="10",
            post_id=10,
            author="spammer",
            content="buy now",
            status="spam",
        ),
        Comment(
            key="4",
            id=4,
            post_key="10",
            post_id=10,
            author="Blog",
            content="pinged",
            type="pingback",
            status="approved",
        ),
    )
    news = TermRef(taxonomy="category", slug="news", name="News")
    return [
        Site(title="Nummer 15", link="https://example.org", language="de-DE"),
        Author(key="anna", id=1, login="anna", display_name="Anna Müller"),
        Term(key="category:news", taxonomy="category", slug="news", name="News"),
        Term(key="post_tag:quotes", taxonomy="post_tag", slug="quotes", name="„Zitate“"),
        Post(
            key="10",
            id=10,
            type="post",
            status="publish",
            title="Über „Glaubwürdigkeit“",
            slug="ueber",
            author="anna",
            date=when,
            link="https://example.org/ueber/",
            content="<p>Erster Absatz.</p>\n<blockquote><p>Zitat</p></blockquote>",
            terms=(news,),
            comments=comments,
        ),
        Post(
            key="11",
            id=11,
            type="page",
            status="publish",
            title="About",
            slug="about",
            author="anna",
            date=when,
            content="A page.",
        ),
        Post(
            key="12",
            id=12,
            type="post",
            status="draft",
            title="Draft",
            slug="draft",
            author="anna",
            content="Not yet.",
        ),
        Post(
            key="13",
            id=13,
            type="attachment",
            status="inherit",
            title="photo",
            slug="photo",
            parent_id=10,
            attachment_url="https://example.org/photo.jpg",
        ),
    ]


def _fail(message: str) -> None:
    raise ContractError(message)


def _balanced(report: Report, records: list[Record]) -> None:
    if not report.balanced():
        _fail(f"the report does not account for every record: {report.as_dict()['records']}")
    posts = [r for r in records if isinstance(r, Post)]
    expected = {"post": len(posts), "comment": sum(len(p.comments) for p in posts)}
    for kind, n in expected.items():
        seen = report.records[kind].seen if kind in report.records else 0
        if seen != n:
            _fail(f"{n} {kind}s went in, the report saw {seen}")


class _BreaksHalfWay:
    """Records that fail after a few, as a failing disk or a bug would."""

    def __init__(self, records: list[Record]) -> None:
        self.records = records

    def __iter__(self) -> Iterator[Record]:
        yield from self.records[:5]
        raise RuntimeError("the run broke here on purpose")


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def check_exporter(
    cls: type[Exporter[Any]],
    workdir: str | os.PathLike[str],
    options: Mapping[str, Any] | None = None,
    records: list[Record] | None = None,
) -> Report:
    """Put ``cls`` through the contract's checks in ``workdir`` (an empty folder); raise
    :class:`ContractError` naming the first broken rule. Returns the good run's report."""
    work = Path(workdir)
    opts = dict(options or {})
    records = records if records is not None else sample_records()
    request = ConvertRequest(to=cls, options=opts)

    try:
        _export_records(
            records,
            work / "refused",
            ConvertRequest(to=cls, options={**opts, "no_such_option_anywhere": "1"}),
        )
    except ExporterOptionError:
        pass
    else:
        _fail("an unknown option was accepted")

    if cls.output_kind == "file":
        stream = io.BytesIO()
        try:
            _export_records(records, stream, request)
        except UsageError:
            pass  # an exporter that writes a named file (a database) refuses a stream
        except OutputError as exc:
            _fail(f"writing to a stream handed in failed: {exc}")
        if stream.closed:
            _fail("a stream handed in was closed")

    server = cls.output_kind == "server"
    target: Any = (
        None
        if server
        else work / ("site" if cls.output_kind == "folder" else f"out{cls.suffix or '.data'}")
    )
    report = _export_records(records, target, request)
    _balanced(report, records)
    if report.exit_code not in (0, 1):
        _fail(f"a good run exited {report.exit_code}")

    if not server:
        before = _files(work)
        for broken_target in (work / "broken", target):
            try:
                _export_records(_BreaksHalfWay(records), broken_target, request)
            except RuntimeError:
                pass
            else:
                _fail("a run whose input raised did not raise")
        after = _files(work)
        if cls.output_kind == "folder":
            # The folder stays marked ours (its manifest says a run did not complete).
            manifest = f"site/{MANIFEST}"
            if manifest not in after:
                _fail("a failed run removed the folder's manifest")
            before.pop(manifest, None)
            after.pop(manifest, None)
        if after != before:
            changed = sorted(set(after.items()) ^ set(before.items()))
            _fail(f"a failed run left or changed files: {[name for name, _ in changed][:5]}")
        if (work / "broken").exists():
            _fail("a failed run left its output behind")
    return report
