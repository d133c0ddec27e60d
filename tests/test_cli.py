"""The command line: exit codes, stdout holding only data, one-line errors, help."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from wpmigrate.cli import cli

from .conftest import CORPUS, FIXTURES, SEED

TRUNCATED = SEED.read_bytes()[: SEED.read_bytes().index(b"<wp:comment>")]


def run(*args: str, input: bytes | None = None):
    return CliRunner().invoke(cli, list(args), input=input)


def test_convert_seed_to_stdout_prints_only_records() -> None:
    result = run("convert", str(SEED), "--to", "jsonl", "--out", "-")
    assert result.exit_code == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    post = [r for r in lines if r["record"] == "post"][0]
    assert post["title"] == "Social Media: Ohne die Unternehmen wird auch geredet"
    assert [c["author"] for c in post["comments"]] == ["Tobias"]
    assert "1 seen, 1 written" in result.stderr


def test_stdin_input() -> None:
    result = run("convert", "-", "--to", "jsonl", "--out", "-", "-q", input=SEED.read_bytes())
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 9


@pytest.mark.parametrize(
    "data,words",
    [
        (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x "y">]><rss><channel/></rss>', "DOCTYPE"),
        (TRUNCATED, "the file was cut short?"),
        (b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"></feed>', "not <rss>"),
    ],
)
def test_broken_input_exits_3_with_one_line(data: bytes, words: str, tmp_path: Path) -> None:
    source = tmp_path / "in.xml"
    source.write_bytes(data)
    result = run("convert", str(source), "--to", "jsonl", "--out", str(tmp_path / "o.jsonl"), "-q")
    assert result.exit_code == 3
    errors = [line for line in result.stderr.splitlines() if line.startswith("wpmigrate: error:")]
    assert len(errors) == 1 and words in errors[0] and str(source) in errors[0]
    assert "Traceback" not in result.stderr + result.stdout


def test_truncated_input_keeps_what_came_before(tmp_path: Path) -> None:
    source = tmp_path / "cut.xml"
    source.write_bytes(TRUNCATED)
    out = tmp_path / "o.jsonl"
    report = tmp_path / "report.json"
    result = run("convert", str(source), "--out", str(out), "--report", str(report), "-q")
    assert result.exit_code == 3
    records = [json.loads(line)["record"] for line in out.read_text("utf-8").splitlines()]
    assert records == ["site", "author"] + ["term"] * 6  # the cut post is not written
    data = json.loads(report.read_text("utf-8"))
    assert data["exit_code"] == 3 and data["error"]["line"] > 1


def test_refused_input_writes_nothing(tmp_path: Path) -> None:
    source = tmp_path / "doctype.xml"
    source.write_bytes(
        b'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "http://127.0.0.1:9/x.dtd"><rss/>'
    )
    out = tmp_path / "o.json"
    result = run("convert", str(source), "--to", "json", "--out", str(out), "-q")
    assert result.exit_code == 3
    assert list(tmp_path.iterdir()) == [source]


def test_usage_errors_exit_2_with_suggestions(tmp_path: Path) -> None:
    result = run("convert", str(SEED), "--to", "jsnl", "--out", "-")
    assert result.exit_code == 2 and "did you mean 'jsonl'" in result.stderr
    result = run("convert", str(SEED), "--to", "jsonl", "--out", "-", "-O", "flsh=true")
    assert result.exit_code == 2 and "did you mean flush" in result.stderr
    result = run("convert", str(SEED), "--to", "json", "--out", "-", "-O", "pretty=maybe")
    assert result.exit_code == 2 and "true or false" in result.stderr
    result = run("convert", str(SEED), "--out", "-", "--repair", "nope")
    assert result.exit_code == 2


def test_report_file_accounts_for_everything(tmp_path: Path) -> None:
    report = tmp_path / "r.json"
    result = run(
        "convert",
        str(FIXTURES / "features-1.2.xml"),
        "--out",
        str(tmp_path / "o.jsonl"),
        "--report",
        str(report),
        "-q",
    )
    assert result.exit_code == 0 and result.stdout == ""
    data = json.loads(report.read_text("utf-8"))
    assert data["post_types"]["post"] == {"seen": 4, "written": 4, "skipped": {}, "filtered": {}}
    assert data["records"]["comment"]["written"] == 5
    assert data["warnings_by_code"] == {"missing-id": 1, "odd-id": 1}


def test_strict_turns_warnings_into_failure(tmp_path: Path) -> None:
    result = run(
        "convert",
        str(FIXTURES / "features-1.2.xml"),
        "--out",
        str(tmp_path / "o"),
        "-q",
        "--strict",
    )
    assert result.exit_code == 1


def test_inspect_text_and_json() -> None:
    result = run("inspect", str(SEED))
    assert result.exit_code == 0 and "Nummer 15" in result.stdout and "WXR 1.2" in result.stdout
    data = json.loads(run("inspect", str(FIXTURES / "features-1.2.xml"), "--json").stdout)
    assert data["post_types"]["post"] == {"draft": 1, "publish": 3}
    assert data["comments"] == {"approved": 3, "pending": 1, "spam": 1}
    assert data["taxonomies"]["genre"] == 2
    assert data["date_range"] == ["2024-01-01T00:00:00", "2024-03-08T12:00:00"]


@pytest.mark.parametrize(
    "path",
    sorted((CORPUS / "real").glob("*.xml")) + sorted((CORPUS / "theme-test-data").glob("*.xml")),
    ids=lambda p: p.name,
)
def test_inspect_runs_on_every_real_export(path: Path) -> None:
    result = run("inspect", str(path), "--json")
    expected = 3 if path.name.startswith("AvantaR") else 0
    assert result.exit_code == expected, result.stderr
    json.loads(result.stdout)


def test_exporters_lists_options() -> None:
    result = run("exporters")
    assert result.exit_code == 0
    assert "jsonl" in result.stdout and "-O pretty=" in result.stdout


def test_every_command_has_help() -> None:
    for command in ("", "convert", "inspect", "exporters"):
        result = run(*([command] if command else []), "--help")
        assert result.exit_code == 0 and "Usage:" in result.stdout


def test_batch_writes_one_output_per_input_and_the_worst_exit_code(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xml"
    broken.write_bytes(TRUNCATED)
    out = tmp_path / "out"
    report = tmp_path / "batch.json"
    result = run(
        "convert",
        str(SEED),
        str(FIXTURES / "wxr-1.1.xml"),
        str(broken),
        "--to",
        "jsonl",
        "--out",
        str(out),
        "--report",
        str(report),
        "-q",
    )
    assert result.exit_code == 3
    assert sorted(p.name for p in out.iterdir()) == [
        "broken.jsonl",
        "nummer15-wordpress-com.jsonl",
        "wxr-1.1.jsonl",
    ]
    runs = json.loads(report.read_text("utf-8"))["runs"]
    assert [r["exit_code"] for r in runs] == [0, 0, 3]


def _subprocess_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(Path(__file__).resolve().parent.parent)
    return env


def test_python_m_and_no_traceback_on_missing_file(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "wpmigrate", "inspect", str(tmp_path / "nope.xml")],
        capture_output=True,
        env=_subprocess_env(),
        timeout=60,
    )
    assert done.returncode == 3
    assert done.stderr.decode().count("\n") == 1 and b"Traceback" not in done.stderr


def test_first_record_is_out_before_the_input_ends() -> None:
    data = SEED.read_bytes()
    head, tail = data[: data.index(b"<item>")], data[data.index(b"<item>") :]
    process = subprocess.Popen(
        [sys.executable, "-m", "wpmigrate", "convert", "-", "--to", "jsonl", "--out", "-", "-q"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=_subprocess_env(),
    )
    assert process.stdin and process.stdout
    process.stdin.write(head + b"<item><title>x</title></item>")
    process.stdin.flush()
    started = time.monotonic()
    first = process.stdout.readline()  # arrives while stdin is still open
    assert json.loads(first)["record"] == "site"
    assert time.monotonic() - started < 30
    process.stdin.write(tail)
    process.stdin.close()
    rest = process.stdout.read()
    assert process.wait(timeout=60) == 0
    assert len(rest.splitlines()) == 9


def test_filters_count_what_they_leave_out(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from wpmigrate.cli import cli

    report = tmp_path / "r.json"
    result = CliRunner().invoke(
        cli,
        [
            "convert",
            str(FIXTURES / "features-1.2.xml"),
            "--to",
            "jsonl",
            "--out",
            str(tmp_path / "o.jsonl"),
            "--type",
            "post",
            "--status",
            "publish",
            "--since",
            "2024-03-01",
            "--until",
            "2024-03-05",
            "--term",
            "category=quantum",
            "--report",
            str(report),
            "-q",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(report.read_text())
    post = data["records"]["post"]
    assert post["seen"] == post["written"] + sum(post["filtered"].values())
    assert post["written"] >= 1 and post["filtered"]
    lines = [json.loads(line) for line in (tmp_path / "o.jsonl").read_text().splitlines()]
    for line in lines:
        if line["record"] == "post":
            assert line["type"] == "post" and line["status"] == "publish"
            assert any(
                t["taxonomy"] == "category" and "quantum" in (t["slug"], t["name"])
                for t in line["terms"]
            )


def test_a_bad_filter_is_a_usage_error() -> None:
    from click.testing import CliRunner

    from wpmigrate.cli import cli

    for args in (["--since", "yesterday"], ["--term", "news"]):
        result = CliRunner().invoke(
            cli, ["convert", str(SEED), "--to", "jsonl", "--out", "-", *args]
        )
        assert result.exit_code == 2, (args, result.output)


def test_a_batch_runs_side_by_side_and_survives_a_broken_input(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from wpmigrate.cli import cli

    broken = tmp_path / "broken.xml"
    broken.write_bytes(SEED.read_bytes()[:3000])
    report = tmp_path / "batch.json"
    result = CliRunner().invoke(
        cli,
        [
            "convert",
            str(SEED),
            str(broken),
            str(FIXTURES / "wxr-1.0.xml"),
            "--to",
            "jsonl",
            "--out",
            str(tmp_path / "out"),
            "--jobs",
            "2",
            "--report",
            str(report),
            "--log-format",
            "json",
        ],
    )
    assert result.exit_code == 3
    data = json.loads(report.read_text())
    assert [r["exit_code"] for r in data["runs"]] == [0, 3, 0]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "broken.jsonl",
        "nummer15-wordpress-com.jsonl",
        "wxr-1.0.jsonl",
    ]
    for line in result.stderr.splitlines() if hasattr(result, "stderr") else []:
        json.loads(line)


def test_jsonl_streams_before_the_input_ends() -> None:
    """The first record is on stdout while the input is still being written."""
    process = subprocess.Popen(
        [sys.executable, "-m", "wpmigrate", "convert", "-", "--to", "jsonl", "--out", "-", "-q"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    data = SEED.read_bytes()
    cut = data.index(b"<item>")
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(data[:cut] + data[cut:].split(b"</item>")[0] + b"</item>")
    process.stdin.flush()
    first = process.stdout.readline()  # arrives before stdin is closed
    assert json.loads(first)["record"] == "site"
    process.stdin.write(data[data.index(b"</item>") + len(b"</item>") :])
    process.stdin.close()
    rest = process.stdout.read()
    assert process.wait(timeout=30) == 0
    assert b'"record":"post"' in first + rest


def _errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("wpmigrate: error:")]


@pytest.mark.parametrize(
    "flag, value, named",
    [
        ("--status", "published", "did you mean 'publish'?"),
        ("--type", "pages", "did you mean 'page'?"),
        ("--status", "publish,bogus", "'bogus'"),
    ],
)
def test_an_unknown_filter_value_is_a_usage_error(
    flag: str, value: str, named: str, tmp_path: Path
) -> None:
    out = tmp_path / "o.jsonl"
    result = run("convert", str(FIXTURES / "features-1.2.xml"), flag, value, "--out", str(out))
    assert result.exit_code == 2
    [error] = _errors(result.stderr)
    assert named in error and "the export has: " in error
    assert not out.exists()  # nothing is written for a mistaken filter


def test_a_filter_that_leaves_nothing_is_a_warning(tmp_path: Path) -> None:
    report = tmp_path / "r.json"
    result = run(
        "convert",
        str(SEED),
        "--status",
        "private",
        "--out",
        str(tmp_path / "o.jsonl"),
        "--report",
        str(report),
    )
    assert result.exit_code == 0
    codes = [w["code"] for w in json.loads(report.read_text())["warnings"]]
    assert codes == ["filter-empty"] and "filter-empty" in result.stderr


@pytest.mark.parametrize("encoding", ["UTF-7", "Shift_JIS", "EBCDIC-US", "ISO-8859-5"])
def test_an_encoding_outside_the_allow_list_is_refused(encoding: str, tmp_path: Path) -> None:
    source = tmp_path / "in.xml"
    source.write_bytes(
        SEED.read_bytes().replace(b'encoding="UTF-8"', f'encoding="{encoding}"'.encode())
    )
    result = run("convert", str(source), "--out", str(tmp_path / "o.jsonl"))
    assert result.exit_code == 3
    [error] = _errors(result.stderr)
    assert encoding in error
    assert not (tmp_path / "o.jsonl").exists()


@pytest.mark.parametrize("cut", [3000, 5200, 7000, 8800])
def test_a_truncated_export_is_named_in_one_line_once(cut: int, tmp_path: Path) -> None:
    source = tmp_path / "cut.xml"
    source.write_bytes(SEED.read_bytes()[:cut])
    result = run("convert", str(source), "--out", str(tmp_path / "o.jsonl"))
    assert result.exit_code == 3
    [error] = _errors(result.stderr)
    assert error.endswith("the file was cut short?")
    assert result.stderr.count("cut short") == 1  # the summary does not repeat it


def test_a_truncated_item_names_the_line_it_starts_on(tmp_path: Path) -> None:
    source = tmp_path / "cut.xml"
    data = SEED.read_bytes()
    source.write_bytes(data[: data.index(b"<wp:comment>")])
    item_line = data[: data.index(b"<item>")].count(b"\n") + 1
    [error] = _errors(run("convert", str(source), "--out", str(tmp_path / "o.jsonl")).stderr)
    assert f"the export ends inside an item at line {item_line}: the file was cut short?" in error


def test_a_missing_input_is_a_usage_error(tmp_path: Path) -> None:
    result = run("convert", str(tmp_path / "nope.xml"), "--out", str(tmp_path / "o.jsonl"))
    assert result.exit_code == 2
    assert _errors(result.stderr) == [f"wpmigrate: error: {tmp_path / 'nope.xml'}: no such file"]
    assert "Traceback" not in result.stderr


def test_markdown_progress_has_a_writing_phase(tmp_path: Path) -> None:
    import wpmigrate

    calls: list[tuple[str, int, int | None]] = []
    wpmigrate.convert(
        FIXTURES / "features-1.2.xml",
        tmp_path / "site",
        to="markdown",
        progress=lambda *call: calls.append(call),
        jobs=1,
    )
    phases = [phase for phase, _, _ in calls]
    assert phases[0] == "reading" and phases[-1] == "writing"
    assert phases.index("writing") > len(phases) - phases[::-1].index("reading") - 1
    assert calls[-1][1] == calls[-1][2]  # every post written
