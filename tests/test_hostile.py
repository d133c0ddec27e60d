"""Every hostile fixture (fixtures/hostile/, made by make_hostile.py) through every file
exporter, checked against what shared/RELIABILITY.md says must happen.

For each file and exporter: no exception but our own errors; the exit code and message
the catalogue asks for; nothing created, changed or deleted outside the output folder;
no connection to a listener on 127.0.0.1; no local file's content in the output; done
in under 2 s; every item seen accounted for.
"""

from __future__ import annotations

import hashlib
import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import wpmigrate

from .conftest import FIXTURES

HOSTILE = FIXTURES / "hostile"

# name: (exit code, words the message must hold; "" for no message)
REFUSED = (3, "DOCTYPE")
EXPECTED: dict[str, tuple[int, str]] = {
    "billion-laughs.xml": REFUSED,
    "quadratic-blowup.xml": REFUSED,
    "xxe-file.xml": REFUSED,
    "xxe-http.xml": REFUSED,
    "external-dtd.xml": REFUSED,
    "parameter-entity.xml": REFUSED,
    "nested-parameter-entities.xml": REFUSED,
    "dtd-attribute-defaults.xml": REFUSED,
    "dtd-html-entities.xml": REFUSED,
    "doctype-utf16.xml": REFUSED,
    "doctype-utf7.xml": REFUSED,
    "xinclude.xml": (0, ""),
    "xml-stylesheet.xml": (0, ""),
    "deep-nesting.xml": (3, "nested more than 2,048 deep"),
    "many-attributes.xml": (0, ""),
    "many-namespaces.xml": (0, ""),
    "invalid-utf8.xml": (3, "0xFF that is not valid UTF-8 (--repair cp1252"),
    "latin1-in-utf8.xml": (3, "0xE9 that is not valid UTF-8 (--repair cp1252"),
    "raw-control-char.xml": (3, "U+0010 is not allowed in XML (--repair strip-controls"),
    "control-char-reference.xml": (3, "U+0010 is not allowed in XML (--repair strip-controls"),
    "split-cdata.xml": (0, ""),
    "unescaped-cdata-end.xml": (3, "unescaped ']]>'"),
    "missing-wxr-version.xml": (0, ""),
    "unknown-namespace-version.xml": (0, ""),
    "wp-prefix-rebound.xml": (3, "not a WordPress export"),
    "php-serialized-object.xml": (0, ""),
    "backslashes.xml": (0, ""),
    "truncated.xml": (3, "the export ends inside an item at line"),
    "bom.xml": (0, ""),
    "blank-lines-before-declaration.xml": (0, ""),
    "junk-before-declaration.xml": (3, "--repair leading-junk"),
    "html-entities-outside-cdata.xml": (3, "--repair html-entities"),
    "duplicate-post-ids.xml": (0, ""),
    "comment-parents.xml": (0, ""),
    "attachment-urls.xml": (0, ""),
    "page-parent-missing.xml": (0, ""),
    "missing-title-author-date.xml": (0, ""),
    "zero-and-impossible-dates.xml": (0, ""),
    "several-cdata-sections.xml": (0, ""),
    "crlf-line-ends.xml": (0, ""),
    "bidi-zero-width-slugs.xml": (0, ""),
    "item-outside-channel.xml": (0, ""),
    "item-inside-item.xml": (0, ""),
    "non-integer-ids.xml": (0, ""),
    "policy-types.xml": (0, ""),
    "script-and-templates.xml": (0, ""),
    "hostile-titles.xml": (0, ""),
    "hostile-slugs.xml": (0, ""),
    "sql-values.xml": (0, ""),
}
EXPORTERS = {
    "jsonl": "o.jsonl",
    "json": "o.json",
    "sqlite": "o.db",
    "sql": "o.sql",
    "markdown": "site",
}


def test_every_fixture_has_an_expectation() -> None:
    assert sorted(p.name for p in HOSTILE.glob("*.xml")) == sorted(EXPECTED)


@pytest.fixture(scope="module")
def listener() -> Iterator[list[bytes]]:
    """A TCP listener on 127.0.0.1:9 (where the fixtures point): records any connection."""
    seen: list[bytes] = []
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        server.bind(("127.0.0.1", 9))
    except OSError:
        server.bind(("127.0.0.1", 0))  # no privilege for port 9: nothing can reach it anyway
    server.listen()
    server.settimeout(0.2)
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except OSError:
                continue
            seen.append(connection.recv(200))
            connection.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield seen
    stop.set()
    thread.join()
    server.close()


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.rglob("*")
        if p.is_file()
    }


@pytest.mark.parametrize("exporter", EXPORTERS)
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_file(name: str, exporter: str, tmp_path: Path, listener: list[bytes]) -> None:
    code, words = EXPECTED[name]
    work = tmp_path / "work"
    work.mkdir()
    (tmp_path / "neighbour.txt").write_text("not ours")
    before = _snapshot(tmp_path)
    started = time.perf_counter()
    report = wpmigrate.convert(HOSTILE / name, work / EXPORTERS[exporter], to=exporter)
    assert time.perf_counter() - started < 2.0
    assert report.exit_code == code, report.as_dict()
    if words:
        assert report.error is not None
        assert words in f"{report.error['message']} ({report.error.get('hint', '')}"
    assert report.balanced()
    after = _snapshot(tmp_path)
    assert {k: v for k, v in after.items() if not k.startswith("work/")} == before
    assert listener == []
    hostname = Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").exists() else ""
    for path in work.rglob("*"):
        if path.is_file() and hostname:
            assert hostname.encode() not in path.read_bytes() or hostname in ("localhost",)
    if code == 3 and words == "DOCTYPE":
        assert not any(work.iterdir())  # a refusal writes nothing


def test_a_12_mb_post_is_read_whole(tmp_path: Path) -> None:
    """Made here, not stored. (Flat memory on big exports is measured by benchmarks/run.py:
    33 MB peak RSS on 500 MB.)"""
    big = tmp_path / "big.xml"
    body = "x" * (12 << 20)
    big.write_text(
        '<?xml version="1.0"?><rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"'
        ' xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        "<wp:wxr_version>1.2</wp:wxr_version><item><title>Big</title>"
        f"<content:encoded><![CDATA[{body}]]></content:encoded><wp:post_id>1</wp:post_id>"
        "<wp:post_type>post</wp:post_type></item></channel></rss>"
    )
    [post] = [r for r in wpmigrate.read(big) if isinstance(r, wpmigrate.Post)]
    assert len(post.content) == 12 << 20


def test_the_command_line_never_shows_a_traceback(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from wpmigrate.cli import cli

    for name, (code, _) in sorted(EXPECTED.items()):
        result = CliRunner().invoke(
            cli,
            [
                "convert",
                str(HOSTILE / name),
                "--to",
                "jsonl",
                "--out",
                str(tmp_path / f"{name}.jsonl"),
                "-q",
            ],
        )
        assert result.exit_code == code, (name, result.output)
        assert "Traceback" not in result.output
        if code:
            assert result.output.count("wpmigrate: error:") == 1, name


@pytest.mark.parametrize(
    "command",
    [
        "wpmigrate convert /dev/zero --to jsonl --out -",
        "yes '<item>' | wpmigrate convert - --to jsonl --out -",
        "yes junk | wpmigrate convert - --to jsonl --out -",
    ],
)
def test_an_endless_input_fails_fast(command: str) -> None:
    started = time.perf_counter()
    done = subprocess.run(
        ["bash", "-c", command.replace("wpmigrate", f"{sys.executable} -m wpmigrate")],
        capture_output=True,
        timeout=30,
    )
    assert time.perf_counter() - started < 5
    assert done.returncode == 3 and b"Traceback" not in done.stderr


@pytest.mark.slow
def test_a_150_mb_export_with_100000_posts_reads_in_flat_memory(tmp_path: Path) -> None:
    """Generated here; read in its own process, which reports its own peak memory (VmHWM:
    the kernel's rusage of a child forked from this large test process counts the
    parent's pages too)."""
    export = tmp_path / "big.xml"
    post = (
        "<item><title>Post {n}</title><content:encoded><![CDATA["
        + "Lorem ipsum dolor. " * 70
        + "]]></content:encoded><wp:post_id>{n}</wp:post_id><wp:post_type>post</wp:post_type>"
        "<wp:status>publish</wp:status></item>\n"
    )
    with export.open("w") as out:
        out.write(
            '<?xml version="1.0"?><rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"'
            ' xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
            "<wp:wxr_version>1.2</wp:wxr_version>\n"
        )
        for n in range(1, 100_001):
            out.write(post.replace("{n}", str(n)))
        out.write("</channel></rss>\n")
    assert export.stat().st_size > 150_000_000
    code = (
        "import json, re, sys, wpmigrate; "
        "summary = wpmigrate.inspect(sys.argv[1]).as_dict(); "
        "peak = re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1); "
        "print(json.dumps({'posts': sum(summary['post_types']['post'].values()), 'peak_kib': int(peak)}))"
    )
    done = subprocess.run([sys.executable, "-c", code, str(export)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["posts"] == 100_000
    assert result["peak_kib"] < 200 * 1024, result  # under 200 MB for 150 MB of export
