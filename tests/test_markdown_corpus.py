"""Every post of every export in the shared corpus, read as a visitor would read it.

The post's Markdown, rendered by a CommonMark renderer (with GFM tables and
strikethrough), must show no Markdown syntax as text (``**``, ``__``, ``~~``, ``](``,
``![``, ``*[``) beyond what the post's own text holds, and no rule, list, code block or
table that WordPress's rendering of the post (tests/fidelity.py's reference) does not have.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import lxml.html
import pytest
from markdown_it import MarkdownIt

import wpmigrate
from wpmigrate.content import to_markdown

from .conftest import corpus_files, repairs_for
from .fidelity import reference_html

pytestmark = pytest.mark.slow

RENDER = MarkdownIt("commonmark").enable("table").enable("strikethrough")
SYNTAX = ("**", "__", "~~", "](", "![", "*[")
BLOCKS = ("hr", "ol", "ul", "pre", "table")
NOT_WRITING = {"attachment", "nav_menu_item", "revision"}


def _tree(markup: str) -> Any:
    try:
        return lxml.html.fragment_fromstring(markup, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return lxml.html.fragment_fromstring("<p></p>", create_parent="div")


def _visible_text(tree: Any) -> str:
    """The text a reader sees as prose: code and scripts left out."""
    for hidden in tree.xpath(".//pre|.//code|.//script|.//style|.//noscript"):
        if hidden.getparent() is not None:
            hidden.drop_tree()
    return str(tree.text_content())


def _readable(path: Path) -> list[wpmigrate.Post]:
    try:
        records = list(wpmigrate.read(path, repairs=repairs_for(path)))
    except wpmigrate.InputError:
        return []  # the broken exports: their errors are tested elsewhere
    return [
        r
        for r in records
        if isinstance(r, wpmigrate.Post) and r.content.strip() and r.type not in NOT_WRITING
    ]


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_markdown_shows_through_and_no_structure_appears(path: Path) -> None:
    problems = []
    for post in _readable(path):
        rendered = _tree(RENDER.render(to_markdown(post.content).markdown))
        reference = _tree(reference_html(post.content))
        for block in BLOCKS:
            ours, theirs = len(rendered.xpath(f".//{block}")), len(reference.xpath(f".//{block}"))
            if ours > theirs:
                problems.append(f"post {post.id}: {ours} <{block}> where WordPress shows {theirs}")
        shown, written = _visible_text(rendered), _visible_text(reference)
        for syntax in SYNTAX:
            if shown.count(syntax) > written.count(syntax):
                problems.append(f"post {post.id}: {syntax!r} shown as text")
    assert not problems, problems[:10]
