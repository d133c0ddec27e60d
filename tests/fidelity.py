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

ELEMENTS = {
    "links": "//a[@href]",
    "images": "//img",
    "headings": "//h1|//h2|//h3|//h4|//h5|//h6",
    "list items": "//li",
    "blockquotes": "//blockquote",
    "table cells": "//td|//th",
    "code blocks": "//pre",
    "line breaks": "",
}
_INLINE = {
    "a",
    "img",
    "strong",
    "em",
    "b",
    "i",
    "span",
    "code",
    "u",
    "s",
    "del",
    "sub",
    "sup",
    "small",
    "abbr",
    "q",
    "cite",
    "kbd",
    "mark",
    "time",
    "br",
}
_SKIPPED_TYPES = {
    "attachment",
    "nav_menu_item",
    "revision",
    "custom_css",
    "wp_global_styles",
    "customize_changeset",
    "oembed_cache",
    "wp_navigation",
}
_MARKDOWN = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
_NAMES = "|".join(re.escape(n) for n in default_registry().names())
_CODE = re.compile(
    r"\[(" + "|".join(CODE_SHORTCODES) + "|" + CODECOLORER + r")\b[^\]]*\](.*?)\[/\1\]", re.S | re.I
)
# CodeColorer's <code lang="x"> block shows its content as code, raw.
_CODE_LANG = re.compile(r"<code\s+lang\s*=[^>]*>(.*?)</code>", re.S | re.I)
_SHORTCODE_TAG = re.compile(r"\[/?(?:" + _NAMES + r")\b[^\]]*\]")
_BLOCK_TAGS = (
    "p",
    "div",
    "li",
    "td",
    "th",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "figure",
    "figcaption",
    "ul",
    "ol",
    "table",
    "dt",
    "dd",
    "br",
    "img",
    "hr",
    "section",
    "article",
    "header",
    "footer",
    "caption",
)
_WORD_EDGES = re.compile(r"^\W+|\W+$")


# SyntaxHighlighter and WP-Syntax (a <pre> marked brush:, lang= or language-) show the
# code as written: formatting tags go, every other tag is text the reader sees.
_HIGHLIGHTED_PRE = re.compile(r"<pre\b([^>]*)>(.*?)</pre\s*>", re.S | re.I)
_HIGHLIGHTER = re.compile(r"\bbrush\s*:|\blang(?:uage)?\s*[=:]|\b(?:language|lang)-", re.I)
_FORMATTING = re.compile(r"</?(?:span|b|i|em|strong|a|code|font|u)\b[^>]*>", re.I)


def _as_highlighter_shows(match: re.Match[str]) -> str:
    if not _HIGHLIGHTER.search(match.group(1)):
        return match.group(0)
    code = html.unescape(_FORMATTING.sub("", re.sub(r"<br\s*/?>", "\n", match.group(2))))
    return "<pre>" + html.escape(code) + "</pre>"


def reference_html(content: str) -> str:
    """The post's HTML as WordPress would show it (close enough to compare text)."""
    text = content.replace("\r\n", "\n").replace("\r", "\n")
    if has_blocks(text):
        text = render_blocks(text, Counter())
    text = _HIGHLIGHTED_PRE.sub(_as_highlighter_shows, text)
    text = _CODE.sub(lambda m: "<pre>" + html.escape(html.unescape(m.group(2))) + "</pre>", text)
    text = _CODE_LANG.sub(
        lambda m: (
            "<pre>" + html.escape(html.unescape(m.group(1))) + "</pre>"
            if "\n" in m.group(1).strip()
            else m.group(0)
        ),
        text,
    )
    text = re.sub(
        r"(^|\n)[ \t]*<code>([^<]*\n[^<]*)</code>[ \t]*(?=\n|$)",
        lambda m: m.group(1) + "<pre>" + m.group(2) + "</pre>",
        text,
    )
    if not has_blocks(content):
        text = autop(text)
    text = re.sub(r"\[caption\b[^\]]*\]", "<figure>", text)  # WordPress renders a figure
    text = re.sub(r"\[/caption\]", "</figure>", text)
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
    # What sits inside <pre> is code shown as text (WP-Syntax, SyntaxHighlighter): not structure.
    counts = {
        name: sum(1 for e in tree.xpath(path) if not e.xpath("ancestor::pre"))
        for name, path in ELEMENTS.items()
        if path
    }
    counts["line breaks"] = sum(
        1 for br in tree.iter("br") if _breaks_a_line(br) and not br.xpath("ancestor::pre")
    )
    return counts


def _breaks_a_line(br: lxml.html.HtmlElement) -> bool:
    """A break shows only between two pieces of inline content, not before a block."""
    if br.tail and br.tail.strip():
        return True
    following = br.getnext()
    return following is not None and following.tag in _INLINE


@dataclass
class PostScore:
    key: str
    recall: float
    missing: dict[str, int]
    expected: dict[str, int] = field(default_factory=dict)


@dataclass
class ExportScore:
    name: str
    posts: list[PostScore] = field(default_factory=list)

    @property
    def mean_recall(self) -> float:
        return sum(p.recall for p in self.posts) / len(self.posts) if self.posts else 1.0

    def kept(self, element: str) -> float:
        """The share of the reference's elements of one kind that the rendering has."""
        expected = sum(p.expected.get(element, 0) for p in self.posts)
        missing = sum(p.missing.get(element, 0) for p in self.posts)
        return 1.0 if not expected else 1 - missing / expected

    @property
    def faithful(self) -> int:
        return sum(1 for p in self.posts if p.recall >= 0.99 and not p.missing)


# Raw markup written inside a code block (the plugin shows it as text; an HTML parser
# builds tables and headings of it): such a post's structure cannot be compared.
_RAW_MARKUP_IN_CODE = re.compile(
    r"<(pre|code)\b[^>]*>(?:(?!</\1>).)*<(?:table|tr|td|th|h[1-6]|form|ul|ol|li|img|a)\b",
    re.S | re.I,
)


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
    missing = {
        name: expected[name] - found[name] for name in ELEMENTS if found[name] < expected[name]
    }
    if _RAW_MARKUP_IN_CODE.search(content) or _CODE.search(content):
        expected, missing = {}, {}
    return PostScore(key, recall, missing, expected)


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
        print(
            f"{path.parent.name + '/' + path.name:70.70s} {len(score.posts):5d} "
            f"{score.mean_recall:7.2%} {score.faithful:4d}/{len(score.posts):<4d}"
        )
        for post in score.posts:
            if post.recall < 0.99 or post.missing:
                print(
                    f"    {post.key}: text {post.recall:.2%} missing {post.missing}",
                    file=sys.stderr,
                )


if __name__ == "__main__":
    main()
