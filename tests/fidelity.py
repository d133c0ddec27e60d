"""How faithful the Markdown is: rendered back to HTML, compared with what WordPress shows.

The reference is the post as WordPress renders it: auto-paragraphed (or its blocks
rendered), code shortcodes shown as code, other shortcode tags gone (their content
stays). Our Markdown is rendered with markdown-it-py (CommonMark, raw HTML on, GFM
tables and strikethrough). Then:

- text: the reference's words, in order, that the rendering also has (recall);
- structure: links, images, headings, list items, blockquotes, table cells, code
  blocks and line breaks each at least as many as in the reference.

``python -m tests.fidelity`` prints the scores for every export of the shared corpus.
"""

from __future__ import annotations

import difflib
import html
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import lxml.html
from markdown_it import MarkdownIt

import wpmigrate
from wpmigrate.content import default_registry, to_markdown
from wpmigrate.content.autop import autop
from wpmigrate.content.blocks import has_blocks, render_blocks
from wpmigrate.content.code import CODE_SHORTCODES, CODECOLORER

ELEMENTS = {"links": "//a[@href]", "images": "//img", "headings": "//h1|//h2|//h3|//h4|//h5|//h6",
            "list items": "//li", "blockquotes": "//blockquote", "table cells": "//td|//th",
            "code blocks": "//pre",
            # a break that ends its block shows nothing; one before more content does
            "line breaks": "//br[following-sibling::node()[self::* or normalize-space()]]"}
_SKIPPED_TYPES = {"attachment", "nav_menu_item", "revision", "custom_css", "wp_global_styles",
                  "customize_changeset", "oembed_cache", "wp_navigation"}
_MARKDOWN = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
_NAMES = "|".join(re.escape(n) for n in default_registry().names())
_CODE = re.compile(r"\[(" + "|".join(CODE_SHORTCODES) + "|" + CODECOLORER
                   + r")\b[^\]]*\](.*?)\[/\1\]", re.S | re.I)
_SHORTCODE_TAG = re.compile(r"\[/?(?:" + _NAMES + r")\b[^\]]*\]")
_BLOCK_TAGS = ("p", "div", "li", "td", "th", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
               "blockquote", "pre", "figure", "figcaption", "ul", "ol", "table", "dt", "dd",
               "br", "img", "hr", "section", "article", "header", "footer", "caption")
_WORD_EDGES = re.compile(r"^\W+|\W+$")


def reference_html(content: str) -> str:
    """The post's HTML as WordPress would show it (close enough to compare text)."""
    text = content.replace("\r\n", "\n").replace("\r", "\n")
    if has_blocks(text):
        text = render_blocks(text, Counter())
    text = _CODE.sub(lambda m: "<pre>" + html.escape(html.unescape(m.group(2))) + "</pre>", text)
    if not has_blocks(content):
        text = autop(text)
    return _SHORTCODE_TAG.sub(" ", text)


def _tree(markup: str) -> lxml.html.HtmlElement | None:
    if not markup.strip():
        return None
    try:
        return lxml.html.fragment_fromstring(markup, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return None


def _words(tree: lxml.html.HtmlElement | None) -> list[str]:
    if tree is None:
        return []
    for dead in tree.xpath("//script|//style"):
        dead.drop_tree()
    for element in tree.iter(*_BLOCK_TAGS):  # "</li><li>" separates words, as on screen
        element.tail = " " + (element.tail or "")
    words = (_WORD_EDGES.sub("", w) for w in tree.text_content().split())
    return [w for w in words if w]


def _counts(tree: lxml.html.HtmlElement | None) -> dict[str, int]:
    if tree is None:
        return dict.fromkeys(ELEMENTS, 0)
    return {name: len(tree.xpath(path)) for name, path in ELEMENTS.items()}


@dataclass
class PostScore:
    key: str
    recall: float
    missing: dict[str, int]


@dataclass
class ExportScore:
    name: str
    posts: list[PostScore] = field(default_factory=list)

    @property
    def mean_recall(self) -> float:
        return sum(p.recall for p in self.posts) / len(self.posts) if self.posts else 1.0

    @property
    def faithful(self) -> int:
        return sum(1 for p in self.posts if p.recall >= 0.99 and not p.missing)


def score_post(key: str, content: str) -> PostScore:
    expected = _counts(_tree(reference_html(content)))
    found = _counts(_tree(_MARKDOWN.render(to_markdown(content).markdown)))
    # (_words drops scripts from the tree it is given: counts are taken first, on fresh trees)
    want = _words(_tree(reference_html(content)))
    got = _words(_tree(_MARKDOWN.render(to_markdown(content).markdown)))
    if want:
        matcher = difflib.SequenceMatcher(None, want, got, autojunk=False)
        recall = sum(b.size for b in matcher.get_matching_blocks()) / len(want)
    else:
        recall = 1.0
    missing = {name: expected[name] - found[name] for name in ELEMENTS if found[name] < expected[name]}
    return PostScore(key, recall, missing)


def score_export(path: Path, repairs: tuple[str, ...] = ()) -> ExportScore:
    score = ExportScore(path.name)
    try:
        for record in wpmigrate.read(path, repairs=repairs):
            if isinstance(record, wpmigrate.Post) and record.type not in _SKIPPED_TYPES:
                score.posts.append(score_post(record.key, record.content))
    except wpmigrate.InputError:
        pass  # a broken export: the posts before the break are scored
    return score


def main() -> None:
    from .conftest import CORPUS, repairs_for

    print(f"{'export':70s} {'posts':>5s} {'text':>7s} {'faithful':>9s}")
    for path in sorted(CORPUS.glob("*/*.xml")):
        score = score_export(path, repairs_for(path))
        print(f"{path.parent.name + '/' + path.name:70.70s} {len(score.posts):5d} "
              f"{score.mean_recall:7.2%} {score.faithful:4d}/{len(score.posts):<4d}")
        for post in score.posts:
            if post.recall < 0.99 or post.missing:
                print(f"    {post.key}: text {post.recall:.2%} missing {post.missing}",
                      file=sys.stderr)


if __name__ == "__main__":
    main()
