"""An export read in parts by several processes gives exactly what one reader gives:
the same records in the same order, the same warnings (lines included) heard in the
same order, the same error at a break; at any doubt it is read again whole."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path
from typing import Any

import pytest

from wpmigrate.errors import InputError
from wpmigrate.wxr import Reader
from wpmigrate.wxr import parts as parts_module
from wpmigrate.wxr.parts import TAIL, plan_parts

from .conftest import FIXTURES, corpus_files

pytestmark = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="parts need fork"
)

CORPUS = corpus_files()
HOSTILE = sorted((FIXTURES / "hostile").glob("*.xml"))


def _read(path: Path, **options: Any) -> tuple[Any, ...]:
    heard: list[Any] = []
    reader = Reader(path, on_notice=heard.append, **options)
    records = []
    error = None
    try:
        for record in reader:
            records.append(record)
    except InputError as exc:
        error = (type(exc), str(exc))
    return records, reader.notices, heard, error, reader.progress(), reader


def _same(path: Path, jobs: int = 2, **options: Any) -> Reader:
    """Read whole and in parts: everything equal. The reader in parts, for more checks."""
    whole = _read(path, **{k: v for k, v in options.items() if k != "first_share"})
    split = _read(path, jobs=jobs, min_part=1, **options)
    assert split[0] == whole[0]
    assert split[1] == whole[1]  # warnings, lines included
    assert split[2] == split[1]  # heard as they came, each once
    assert split[3] == whole[3]
    assert split[4] == whole[4]
    assert multiprocessing.active_children() == []
    return split[5]  # type: ignore[no-any-return]


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_every_corpus_export_reads_the_same_in_parts(path: Path) -> None:
    _same(path)
    _same(path, jobs=3)


@pytest.mark.parametrize("path", HOSTILE, ids=[p.name for p in HOSTILE])
def test_every_hostile_file_reads_the_same_in_parts(path: Path) -> None:
    _same(path)
    _same(path, jobs=3)


LARGEST = sorted(CORPUS, key=lambda p: p.stat().st_size)[-6:]


@pytest.mark.parametrize("path", LARGEST, ids=[p.name for p in LARGEST])
def test_cut_anywhere(path: Path) -> None:
    """The cut moved through the export: every place between two items reads the same."""
    for share in (0.05, 0.15, 0.3, 0.5, 0.7, 0.85, 0.95):
        _same(path, first_share=share)


def test_most_corpus_exports_are_really_read_in_parts() -> None:
    """The check above proves nothing if everything fell back to one reader. (Those
    with one item cannot be cut; the rest that fall back repeat a post id or lack one.)"""
    cut = [p for p in CORPUS if plan_parts(str(p), 2, min_part=1) is not None]
    taken = [p for p in cut if _read(p, jobs=2, min_part=1)[5].parts_read_elsewhere]
    assert len(cut) >= 30
    assert len(taken) >= 0.85 * len(cut)


# -- made exports, each with a trap where the second part starts ---------------------------

_OPENING = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
\t<title>Made</title>
\t<wp:wxr_version>1.2</wp:wxr_version>
\t<wp:author><wp:author_login>ann</wp:author_login></wp:author>
\t<wp:category><wp:term_id>1</wp:term_id><wp:category_nicename>news</wp:category_nicename>
\t\t<wp:cat_name>News</wp:cat_name></wp:category>
"""
_CLOSING = "</channel>\n</rss>\n"


def _item(
    post_id: int | None,
    *,
    author: str = "ann",
    category: str = "news",
    content: str = "Hello",
    extra: str = "",
    date: str = "2020-01-02 03:04:05",
) -> str:
    id_element = "" if post_id is None else f"<wp:post_id>{post_id}</wp:post_id>"
    return (
        f"\t<item>\n\t\t<title>Post {post_id}</title>\n\t\t<dc:creator>{author}</dc:creator>\n"
        f"\t\t<content:encoded><![CDATA[{content}]]></content:encoded>\n\t\t{id_element}\n"
        f"\t\t<wp:post_date>{date}</wp:post_date>\n\t\t<wp:post_type>post</wp:post_type>\n"
        f'\t\t<wp:status>publish</wp:status>\n\t\t<category domain="category" '
        f'nicename="{category}"><![CDATA[{category}]]></category>\n{extra}\t</item>\n'
    )


def _export(tmp_path: Path, first: list[str], second: list[str], closing: str = _CLOSING) -> Path:
    """Items of the first part, then those of the second: the cut falls between them
    (the reader reads 45 % itself; the first part is padded to about that)."""
    head = _OPENING + "".join(first)
    rest = "".join(second) + closing
    padding = max(0, int((len(head) + len(rest)) * 0.8) - len(head))
    head += _item(999_000, content="x" * padding) if padding else ""
    path = tmp_path / "made.xml"
    path.write_text(head + rest, "utf-8")
    return path


def _many(start: int, count: int = 5, **options: Any) -> list[str]:
    return [_item(n, **options) for n in range(start, start + count)]


def test_a_plain_export_is_read_in_parts(tmp_path: Path) -> None:
    path = _export(tmp_path, _many(1), _many(100))
    assert _same(path).parts_read_elsewhere == 1


def test_inferred_authors_and_terms_are_given_once(tmp_path: Path) -> None:
    first = _many(1, author="bob", category="first") + _many(10, author="ann")
    second = _many(100, author="bob", category="first") + _many(110, author="cy", category="new")
    path = _export(tmp_path, first, second)
    reader = _same(path)
    assert reader.parts_read_elsewhere == 1
    inferred = [r.key for r in _read(path)[0] if getattr(r, "inferred", False)]
    assert inferred == ["bob", "category:first", "cy", "category:new"]


def test_warnings_given_once_per_thing_and_lines_of_later_parts(tmp_path: Path) -> None:
    odd = '\t\t<x:odd xmlns:x="urn:odd">1</x:odd>\n'
    first = _many(1, extra=odd)
    second = _many(100, extra=odd + '\t\t<y:other xmlns:y="urn:other">1</y:other>\n') + [
        _item(200, date="2020-13-45 99:00:00")
    ]
    path = _export(tmp_path, first, second)
    assert _same(path).parts_read_elsewhere == 1
    notices = _read(path)[1]
    assert [n.code for n in notices].count("unknown-element") == 2
    bad_date = next(n for n in notices if n.code == "bad-date")
    text = path.read_text("utf-8")
    assert bad_date.line == text[: text.index("<title>Post 200<")].count("\n")


@pytest.mark.parametrize(
    "second",
    [
        pytest.param(_many(3), id="a post id of the first part again"),
        pytest.param([_item(100), _item(None)], id="an item without an id"),
        pytest.param(
            [_item(100), "\t<wp:author><wp:author_login>zed</wp:author_login></wp:author>\n"],
            id="a channel author among the items",
        ),
        pytest.param(
            [
                _item(n, extra="\t\t<undeclared:thing>1</undeclared:thing>\n")
                for n in range(100, 160)
            ],
            id="more namespace problems than a log keeps",
        ),
    ],
)
def test_what_one_reader_decides_from_before_reads_it_again(
    tmp_path: Path, second: list[str]
) -> None:
    path = _export(tmp_path, _many(1), second)
    assert _same(path).parts_read_elsewhere == 0


def test_namespace_problems_come_after_every_part(tmp_path: Path) -> None:
    """As one parser gives them at its close: after the last record, in line order."""
    odd = "\t\t<undeclared:thing>1</undeclared:thing>\n"
    path = _export(tmp_path, _many(1, extra=odd), _many(100, count=3, extra=odd))
    text = path.read_text("utf-8")
    path.write_text(text.replace("<title>Made</title>", "<title>Made</title><atom:link/>"))
    assert _same(path).parts_read_elsewhere == 1
    assert len([n for n in _read(path)[1] if n.code == "namespace"]) == 9


def test_a_cut_inside_a_cdata_section_reads_it_again(tmp_path: Path) -> None:
    trap = "x" * 20000 + "</item>\n\t<item>" + "y" * 2000
    path = tmp_path / "trap.xml"
    path.write_text(_OPENING + "".join(_many(1) + [_item(100, content=trap)]) + _CLOSING)
    text = path.read_bytes()
    plan = plan_parts(str(path), 2, min_part=1)
    assert plan is not None and text[: plan.starts[0]].endswith(b"</item>\n\t")
    assert b"y" * 10 in text[plan.starts[0] : plan.starts[0] + 100]  # inside the CDATA
    assert _same(path).parts_read_elsewhere == 0


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda t: t[: t.rindex(b"<title>Post 102")], id="cut short in part two"),
        pytest.param(lambda t: t.replace(b"Post 103", b"Post &nbsp;"), id="an entity in part two"),
        pytest.param(lambda t: t.replace(b"Post 2<", b"Post <2<"), id="broken in part one"),
        pytest.param(lambda t: t + b"<junk/>", id="after the root"),
        pytest.param(lambda t: t.replace(b"Post 101", b"Post \x01"), id="a control character"),
    ],
)
def test_a_broken_export_breaks_where_one_reader_breaks(tmp_path: Path, damage: Any) -> None:
    path = _export(tmp_path, _many(1), _many(100))
    path.write_bytes(damage(path.read_bytes()))
    assert _read(path)[3] is not None
    _same(path)


def test_three_parts(tmp_path: Path) -> None:
    body = [_item(n, content="z" * 3000, author=f"a{n % 7}") for n in range(1, 60)]
    path = tmp_path / "three.xml"
    path.write_text(_OPENING + "".join(body) + _CLOSING, "utf-8")
    assert _same(path, jobs=3).parts_read_elsewhere == 2


def test_a_part_process_that_dies_reads_it_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def die(*_args: Any) -> Any:
        os._exit(9)

    monkeypatch.setattr(parts_module, "_part_batches", die)
    path = _export(tmp_path, _many(1), _many(100))
    assert _same(path).parts_read_elsewhere == 0


def test_stopping_early_stops_the_part_processes(tmp_path: Path) -> None:
    path = _export(tmp_path, _many(1), _many(100))
    records = iter(Reader(path, jobs=2, min_part=1))
    next(records)
    assert multiprocessing.active_children()
    records.close()  # type: ignore[attr-defined]
    assert multiprocessing.active_children() == []


def test_exports_that_are_not_cut(tmp_path: Path) -> None:
    path = _export(tmp_path, _many(1), _many(100))
    text = path.read_bytes()
    assert plan_parts(str(path), 2, min_part=len(text)) is None  # too small
    assert plan_parts(str(path), 1, min_part=1) is None
    for name, data in {
        "doctype.xml": b'<?xml version="1.0"?>\n<!DOCTYPE rss>\n' + text.split(b"?>", 1)[1],
        "one-line.xml": text.replace(b"</item>\n\t<item>", b"</item><!-- --><item>"),
        "no-channel.xml": text.replace(b"<channel>", b"<channel x='>'>"),
        "odd-root.xml": text.replace(b"<rss ", b"<rss undeclared:x='1' "),
        "utf-16.xml": text.decode("utf-8").encode("utf-16"),
    }.items():
        other = tmp_path / name
        other.write_bytes(data)
        assert plan_parts(str(other), 2, min_part=1) is None, name
    assert TAIL.startswith(b"</channel>")


def _count_in_parts(path: Path) -> tuple[int, int]:
    reader = Reader(path, jobs=2, min_part=1)
    return len(list(reader)), reader.parts_read_elsewhere


def test_a_daemon_process_reads_whole(tmp_path: Path) -> None:
    """A pool's worker (a daemon) may not start processes of its own."""
    path = _export(tmp_path, _many(1), _many(100))
    with multiprocessing.get_context("fork").Pool(1) as pool:
        count, elsewhere = pool.apply(_count_in_parts, (path,))
    assert (count, elsewhere) == (len(_read(path)[0]), 0)


def test_no_temporary_file_reads_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: Any, **_kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(parts_module.tempfile, "TemporaryFile", refuse)
    path = _export(tmp_path, _many(1), _many(100))
    assert _same(path).parts_read_elsewhere == 0


def test_ctrl_c_is_left_to_the_main_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C reaches the whole process group: a part's process ignores it (the main
    process stops it), so it never prints a traceback of its own."""
    import signal

    seen = tmp_path / "seen"
    original = parts_module._part_batches

    def noting(*args: Any) -> Any:
        seen.write_text(str(signal.getsignal(signal.SIGINT) == signal.SIG_IGN))
        return original(*args)

    monkeypatch.setattr(parts_module, "_part_batches", noting)
    path = _export(tmp_path, _many(1), _many(100))
    assert _same(path).parts_read_elsewhere == 1
    assert seen.read_text() == "True"
    assert signal.getsignal(signal.SIGINT) is not signal.SIG_IGN  # here, untouched


@pytest.mark.parametrize("variant", ["latin-1", "crlf", "bom"])
def test_encodings_and_line_ends(tmp_path: Path, variant: str) -> None:
    second = [_item(n, content="Grüße, Ærø", date="2020-02-31 00:00:00") for n in range(100, 105)]
    path = _export(tmp_path, _many(1), second)
    text = path.read_text("utf-8")
    if variant == "latin-1":
        text = text.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
        path.write_bytes(text.encode("latin-1"))
    elif variant == "crlf":
        path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    else:
        path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    reader = _same(path)
    assert reader.parts_read_elsewhere == 1
    records = _read(path)[0]
    assert records[-1].content == "Grüße, Ærø"
    assert len([n for n in reader.notices if n.code == "bad-date"]) == 5
