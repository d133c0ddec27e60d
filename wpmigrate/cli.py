"""The ``wpmigrate`` command: a thin layer over the library.

stdout carries only data; people's messages, the progress bar and the summary go to
stderr. Every error is one line, and the exit code says how the run went (see
docs/cli.md). This is the only module that prints or exits.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from . import __version__
from .batch import convert_many, expand_inputs, output_for
from .errors import UsageError, WpmigrateError
from .exporters import exporter_names, get_exporter
from .filters import PostFilter
from .options import describe_options
from .output import FileOutput
from .pipeline import ConvertRequest
from .pipeline import run as run_conversion
from .pool import default_jobs
from .progress import progress_bar
from .report import Report
from .summary import inspect as run_inspect
from .wxr import REPAIRS

__all__ = ["cli", "main"]

_REPAIR_CHOICE = click.Choice(sorted(REPAIRS))
#: --repair, the same for convert and inspect.
_repair_option = click.option(
    "--repair",
    "repairs",
    multiple=True,
    type=_REPAIR_CHOICE,
    help="Repair a known kind of damage in the input (repeatable).",
)


class _Group(click.Group):
    """Turns our errors into one line and an exit code; never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except WpmigrateError as exc:
            _fail(exc.one_line(), exc.exit_code)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except KeyboardInterrupt:
            _fail("interrupted", 130)
        except BrokenPipeError:
            # The reader of our stdout went away (`| head`): not an error of ours.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(0)
        except Exception as exc:  # the last line of defence: still one line, no traceback
            if os.environ.get("WPMIGRATE_DEBUG"):
                raise
            _fail(
                f"internal error: {type(exc).__name__}: {exc} (set WPMIGRATE_DEBUG=1 "
                "for a traceback, and please report it)",
                70,
            )


def _fail(message: str, code: int) -> None:
    click.echo(f"wpmigrate: error: {message}", err=True)
    sys.exit(code)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="wpmigrate")
def cli() -> None:
    """Get your writing out of WordPress.

    Reads a WordPress export (WXR: the XML file from Tools > Export, plain, gzipped or
    zipped) and writes it out as JSON, JSON Lines, Markdown or SQL.

    \b
    Examples:
      wpmigrate inspect export.xml
      wpmigrate convert export.xml --to markdown -O preset=hugo --out site
      wpmigrate convert export.xml --to sqlite --out site.db
      wpmigrate convert export.xml --to sql -O dialect=postgresql --out dump.sql
      wpmigrate convert export.xml --to jsonl --out -
      wpmigrate convert exports/ --to json --out out/ --jobs 4
    """


def _parse_pairs(pairs: tuple[str, ...]) -> dict[str, str]:
    options: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"-O takes key=value, not {pair!r}")
        options[key.strip()] = value
    return options


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"a date is YYYY-MM-DD, not {value!r}") from None


class _Messages:
    """People's messages on stderr: plain lines, or one JSON object per line."""

    def __init__(self, form: str, quiet: bool) -> None:
        self.json = form == "json"
        self.quiet = quiet

    def error(self, message: str) -> None:
        if self.json:
            click.echo(
                json.dumps({"level": "error", "message": message}, ensure_ascii=False), err=True
            )
        else:
            click.echo(f"wpmigrate: error: {message}", err=True)

    def report(self, report: Report) -> None:
        if self.quiet:
            return
        if self.json:
            click.echo(
                json.dumps(
                    {"level": "info", "event": "report", **report.as_dict()}, ensure_ascii=False
                ),
                err=True,
            )
        else:
            click.echo(report.summary(), err=True)


@cli.command()
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option(
    "--to",
    "to",
    default="jsonl",
    show_default=True,
    metavar="FORMAT",
    help="Exporter to use (see `wpmigrate exporters`).",
)
@click.option(
    "--out",
    "out",
    metavar="PATH|-",
    help="Output file or folder; - writes to stdout. With several inputs, a folder. "
    "(Not for the exporters that load a server: they take -O url=...)",
)
@click.option(
    "-O",
    "option_pairs",
    multiple=True,
    metavar="KEY=VALUE",
    help="An exporter option; repeat for more.",
)
@click.option(
    "--type",
    "types",
    multiple=True,
    metavar="TYPE",
    help="Only posts of this type (post, page, ...); repeat or comma-separate.",
)
@click.option(
    "--status",
    "statuses",
    multiple=True,
    metavar="STATUS",
    help="Only posts with this status (publish, draft, ...).",
)
@click.option("--since", callback=_date, metavar="YYYY-MM-DD", help="Only posts from this day on.")
@click.option("--until", callback=_date, metavar="YYYY-MM-DD", help="Only posts up to this day.")
@click.option(
    "--author", "authors", multiple=True, metavar="LOGIN", help="Only posts by this author."
)
@click.option(
    "--term",
    "terms",
    multiple=True,
    metavar="TAXONOMY=SLUG",
    help="Only posts with this term, e.g. category=news (by slug or name); repeatable.",
)
@_repair_option
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    metavar="N",
    help="Several inputs: how many to convert at once. One input: processes "
    "for the exporters that use several (Markdown converts posts in them; JSON, "
    "JSON Lines, SQLite and SQL dumps read a large export in parts). "
    "(Default: one per core.)",
)
@click.option("--strict", is_flag=True, help="Treat any warning as a failure (exit 1).")
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the machine-readable report (JSON) to this file, every post's fate included.",
)
@click.option(
    "--report-html",
    "report_html_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the migration report as one HTML page (no network needed to view it).",
)
@click.option(
    "--log-format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Messages on stderr as text, or as one JSON object a line.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary.")
def convert(
    inputs: tuple[str, ...],
    to: str,
    out: str | None,
    option_pairs: tuple[str, ...],
    types: tuple[str, ...],
    statuses: tuple[str, ...],
    since: date | None,
    until: date | None,
    authors: tuple[str, ...],
    terms: tuple[str, ...],
    repairs: tuple[str, ...],
    jobs: int | None,
    strict: bool,
    report_path: Path | None,
    report_html_path: Path | None,
    log_format: str,
    quiet: bool,
) -> None:
    """Convert WordPress exports to another format.

    INPUT is a WXR file (.xml, .xml.gz, .bz2, .xz), a WordPress.com .zip, a folder of
    them, or - for stdin. Several inputs are converted side by side (--jobs), each into
    its own output in the --out folder; one failure never stops the others.

    \b
    Exit codes (the worst of all inputs):
      0  every item was written
      1  the run finished, but some items were not written (see the report)
      2  usage error
      3  the input is broken or refused; items before a break were written
    """
    messages = _Messages(log_format, quiet)
    options = _parse_pairs(option_pairs)
    exporter = get_exporter(to)
    files = expand_inputs(inputs)
    batch = len(files) > 1 or len(inputs) > 1
    if jobs is not None and not batch and "jobs" not in exporter.Options.__dataclass_fields__:
        raise UsageError(
            f"the {to} exporter runs in one process; --jobs is for the exporters that have "
            "a jobs option (see wpmigrate exporters) or for several inputs"
        )
    if exporter.output_kind == "server":
        if out is not None:
            raise UsageError(f"the {to} exporter loads a server: give -O url=..., not --out")
        if batch:
            raise UsageError(
                f"the {to} exporter takes one input at a time "
                "(each run creates its tables; use -O prefix=... to keep several)"
            )
    elif out is None:
        raise UsageError(f"the {to} exporter needs --out (a path, or - for stdout)")
    try:
        select = PostFilter.create(
            types=types or None,
            statuses=statuses or None,
            since=since,
            until=until,
            authors=authors or None,
            terms=terms,
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    # In a batch the inputs share the cores; one input gives them to its exporter.
    request = ConvertRequest(
        to=to,
        options=options,
        repairs=repairs,
        strict=strict,
        select=select if select.active else None,
        jobs=1 if batch else (jobs or 0),
        post_fates=report_path is not None or report_html_path is not None,
    )
    if batch:
        pairs = [
            (source, output_for(out, source, exporter, files) if out else out) for source in files
        ]
        parallel = 1 if out == "-" else (jobs or default_jobs())
        reports = []
        for report in convert_many(request, pairs, parallel):
            _tell(messages, report)
            reports.append(report)
    else:
        with progress_bar(files[0], disable=quiet or log_format == "json") as tick:
            report = run_conversion(files[0], out, request, tick)
        _tell(messages, report)
        reports = [report]
    code = max(r.exit_code for r in reports)
    runs = [r.as_dict() for r in reports]
    if report_path is not None:
        data: Any = runs[0] if not batch else {"exit_code": code, "runs": runs}
        _write_file(report_path, (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode())
    if report_html_path is not None:
        from .html_report import render_report  # Jinja2: loaded only for a page

        _write_file(report_html_path, render_report(runs).encode("utf-8"))
    failed = sum(1 for r in reports if r.exit_code)
    if batch and failed:
        messages.error(f"{len(reports)} inputs, {failed} with problems (exit code {code})")
    elif batch and not quiet:
        click.echo(f"{len(reports)} inputs converted", err=True)
    sys.exit(code)


def _write_file(path: Path, data: bytes) -> None:
    """A report file, written as every output is (atomically; devices and links kept)."""
    output = FileOutput(path)
    output.open().write(data)
    output.commit()


def _tell(messages: _Messages, report: Report) -> None:
    if report.failure is not None:
        messages.error(report.failure.one_line())
    messages.report(report)


@cli.command()
@click.argument("source", metavar="INPUT")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON on stdout.")
@_repair_option
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    metavar="N",
    help="Processes reading a large uncompressed export in parts. (Default: one per core.)",
)
def inspect(source: str, as_json: bool, repairs: tuple[str, ...], jobs: int | None) -> None:
    """Summarise an export: site, counts, authors, taxonomies, comments, dates, warnings."""
    result = run_inspect(source, repairs=repairs, jobs=jobs or default_jobs())
    if as_json:
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(result.text())
    if result.failure is not None:
        click.echo(f"wpmigrate: error: {result.failure.one_line()}", err=True)
    sys.exit(result.exit_code)


@cli.command()
@click.argument("saved", metavar="RUN.json", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--html",
    "html_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report as one HTML page to this file.",
)
def report(saved: Path, html_path: Path) -> None:
    """Render a report saved with `convert --report RUN.json` as an HTML page."""
    try:
        data = json.loads(saved.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"{saved}: no such file") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise UsageError(f"{saved}: not a wpmigrate report ({exc})") from None
    runs = data.get("runs") if isinstance(data, dict) and "runs" in data else [data]
    if not isinstance(runs, list) or not all(
        isinstance(r, dict) and "post_types" in r for r in runs
    ):
        raise UsageError(f"{saved}: not a wpmigrate report (saved with convert --report)")
    try:
        from .html_report import render_report

        page = render_report(runs)
    except (KeyError, TypeError, ValueError) as exc:
        raise UsageError(f"{saved}: not a wpmigrate report ({exc!r})") from None
    _write_file(html_path, page.encode("utf-8"))


@cli.command()
def exporters() -> None:
    """List the exporters, with their options."""
    for name, origin in exporter_names().items():
        try:
            cls = get_exporter(name)
        except WpmigrateError as exc:
            click.echo(f"{name}  (unavailable: {exc.one_line()})")
            continue
        where = "" if origin == "built-in" else f"  [plugin: {origin}]"
        click.echo(f"{name}  {cls.description}{where}")
        for option, default, help_text in describe_options(cls.Options):
            shown = f" (default: {default})" if default else ""
            click.echo(f"    -O {option}=...  {help_text}{shown}")


def main() -> None:
    """Console entry point."""
    cli(prog_name="wpmigrate")
