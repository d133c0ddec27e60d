"""The HTML migration report, read as text: one source (the JSON report), every value
from the export escaped, the parts a reader needs present. The browser's view of it is
in test_report_browser.py."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from wpmigrate.cli import cli
from wpmigrate.html_report import render_report

from .conftest import FIXTURES, SEED
from .report_pages import HOSTILE_TITLES, EveryOtherPost, hostile_export, report_of


def test_the_seed_report_has_its_post_its_comment_and_nothing_to_attend(tmp_path: Path) -> None:
    page = render_report([report_of(SEED, tmp_path / "site", to="markdown", preset="hugo")])
    assert "Social Media: Ohne die Unternehmen wird auch geredet" in page
    assert "Nothing needs attention" in page
    assert "content/posts/social-media-ohne-die-unternehmen-wird-auch-geredet.md" in page
    assert re.search(
        r'<tr data-kind="comments"><th scope="row">comments</th><td>1</td><td>1</td>', page
    )
    # Nothing is fetched: no URL in an attribute that loads, and a policy that forbids it.
    assert "default-src 'none'" in page
    assert not re.search(r'\s(?:src|href)="(?:https?:)?//', page)


def test_hostile_values_are_text(tmp_path: Path) -> None:
    source = hostile_export(tmp_path / "hostile.xml")
    page = render_report([report_of(source, tmp_path / "site", to="markdown")])
    for title in HOSTILE_TITLES:
        assert title not in page or title.startswith("{{")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>" not in page.replace('<script>\n"use strict"', "")
    assert page.count("<script>") == 1  # ours
    assert "javascript:alert" not in re.sub(r'<span class="old">[^<]*</span>', "", page)
    assert "{{ 7*7 }}" in page  # a template engine's syntax in a title stays text


def test_skipped_posts_need_attention_and_link_to_their_rows(tmp_path: Path) -> None:
    data = report_of(FIXTURES / "features-1.2.xml", None, to=EveryOtherPost)
    page = render_report([data])
    skipped = [p for p in data["posts"] if p["outcome"] == "skipped"]
    assert skipped
    assert f"Posts not written ({len(skipped)})" in page
    for n, post in enumerate(data["posts"]):
        if post["outcome"] == "skipped":
            assert f'<tr id="r0-{n}" data-outcome="skipped"' in page
            assert f'href="#r0-{n}"' in page


def test_the_numbers_are_the_json_reports(tmp_path: Path) -> None:
    data = report_of(FIXTURES / "site-cases.xml", tmp_path / "site", to="markdown", preset="jekyll")
    page = render_report([data])
    totals = {k: int(v) for k, v in re.findall(r'data-total="(\w+)">(\d+)<', page)}
    post_types = data["post_types"].values()
    assert totals == {
        "seen": sum(c["seen"] for c in post_types),
        "written": sum(c["written"] for c in post_types),
        "filtered": sum(sum(c["filtered"].values()) for c in post_types),
        "skipped": sum(sum(c["skipped"].values()) for c in post_types),
    }
    assert page.count("<tr id=") == len(data["posts"])


def test_convert_report_html_and_the_report_command_give_the_same_page(tmp_path: Path) -> None:
    runner = CliRunner()
    done = runner.invoke(
        cli,
        [
            "convert",
            str(SEED),
            "--to",
            "markdown",
            "--out",
            str(tmp_path / "site"),
            "--report",
            str(tmp_path / "run.json"),
            "--report-html",
            str(tmp_path / "a.html"),
            "--quiet",
        ],
    )
    assert done.exit_code == 0, done.output
    done = runner.invoke(
        cli, ["report", str(tmp_path / "run.json"), "--html", str(tmp_path / "b.html")]
    )
    assert done.exit_code == 0, done.output
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()
    saved = json.loads((tmp_path / "run.json").read_text("utf-8"))
    assert saved["posts"][0]["where"].endswith(".md")


def test_a_batch_gets_one_page_covering_every_input(tmp_path: Path) -> None:
    done = CliRunner().invoke(
        cli,
        [
            "convert",
            str(SEED),
            str(FIXTURES / "wxr-1.1.xml"),
            "--to",
            "jsonl",
            "--out",
            str(tmp_path / "out"),
            "--report-html",
            str(tmp_path / "batch.html"),
        ],
    )
    assert done.exit_code == 0, done.output
    page = (tmp_path / "batch.html").read_text("utf-8")
    assert "2 exports" in page
    assert "nummer15-wordpress-com.xml" in page and "wxr-1.1.xml" in page
    assert re.search(r"→ <span class=\"new\">line \d+</span>", page)  # each post's line


@pytest.mark.parametrize("content", ["{", "[1, 2]", '{"runs": [{"x": 1}]}'])
def test_the_report_command_refuses_what_is_not_a_report(content: str, tmp_path: Path) -> None:
    (tmp_path / "run.json").write_text(content)
    done = CliRunner().invoke(
        cli, ["report", str(tmp_path / "run.json"), "--html", str(tmp_path / "x.html")]
    )
    assert done.exit_code == 2
    assert "not a wpmigrate report" in done.output
    assert not (tmp_path / "x.html").exists()
