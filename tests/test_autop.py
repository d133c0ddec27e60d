"""wpautop, row by row: WordPress's documented behaviour for classic-editor posts.

Each row is a behaviour of wpautop() in wp-includes/formatting.php (its inline docs and
the cases its own unit tests cover): what goes in, what WordPress renders.
"""

from __future__ import annotations

import pytest

from wpmigrate.content.autop import autop, unautop_shortcodes

CASES = [
    ("text becomes a paragraph", "One line", "<p>One line</p>\n"),
    ("a blank line separates paragraphs", "First\n\nSecond", "<p>First</p>\n<p>Second</p>\n"),
    ("a single newline is a line break", "one\ntwo", "<p>one<br />\ntwo</p>\n"),
    ("CRLF and CR are newlines", "a\r\nb\r\n\r\nc", "<p>a<br />\nb</p>\n<p>c</p>\n"),
    ("blank input gives nothing", "   \n  ", ""),
    ("more than one blank line is one break", "a\n\n\n\nb", "<p>a</p>\n<p>b</p>\n"),
    ("a block element is not wrapped", "<div>block</div>\ntext", "<div>block</div>\n<p>text</p>\n"),
    ("headings are blocks", "<h2>Title</h2>\nText", "<h2>Title</h2>\n<p>Text</p>\n"),
    (
        "lists are left alone",
        "<ul>\n<li>a</li>\n<li>b</li>\n</ul>",
        "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n",
    ),
    (
        "tables are left alone",
        "<table>\n<tr>\n<td>a</td>\n</tr>\n</table>",
        "<table>\n<tr>\n<td>a</td>\n</tr>\n</table>\n",
    ),
    (
        "a blockquote's text gets its own paragraph",
        "<blockquote>quote</blockquote>",
        "<blockquote><p>quote</p></blockquote>\n",
    ),
    ("an existing paragraph is not doubled", "<p>already</p>", "<p>already</p>\n"),
    (
        "<pre> is untouched, blank lines and indents too",
        "<pre>keep\n\nthis\n  as is</pre>",
        "<pre>keep\n\nthis\n  as is</pre>\n",
    ),
    (
        "text around <pre> is paragraphed, <pre> is not",
        "text\n<pre>code\n\nmore</pre>\nafter",
        "<p>text</p>\n<pre>code\n\nmore</pre>\n<p>after</p>\n",
    ),
    (
        "newlines inside an HTML comment stay newlines",
        "<!-- a\nb -->\ntext",
        "<p><!-- a\nb --><br />\ntext</p>\n",
    ),
    (
        "newlines inside a tag stay newlines",
        '<img src="x"\nalt="y">',
        '<p><img src="x"\nalt="y"></p>\n',
    ),
    (
        "newlines inside <script> stay newlines",
        "<script>var a = 1;\nvar b;</script>",
        "<p><script>var a = 1;\nvar b;</script></p>\n",
    ),
    ("<br> forms are made <br />", "a<br>b<br/>c<br />d", "<p>a<br />b<br />c<br />d</p>\n"),
    ("two <br /> in a row are a paragraph break", "a<br /><br />b", "<p>a</p>\n<p>b</p>\n"),
    ("<hr> stands between paragraphs", "text\n<hr>\nmore", "<p>text</p>\n<hr>\n<p>more</p>\n"),
    (
        "whitespace around <figcaption> is dropped",
        '<figure><img src="a">\n<figcaption>cap</figcaption></figure>',
        '<figure><img src="a"><figcaption>cap</figcaption></figure>\n',
    ),
    (
        "whitespace around <option> is dropped",
        "<select>\n<option>a</option>\n</select>",
        "<p><select><option>a</option></select></p>\n",
    ),
    (
        "a blank line inside a <div> splits it as WordPress does",
        "<div>a\n\nb</div>",
        "<div>a</p>\n<p>b</p></div>\n",
    ),
    (
        "a shortcode alone is wrapped (unwrapped by shortcode_unautop)",
        '[gallery ids="1"]',
        '<p>[gallery ids="1"]</p>\n',
    ),
]


@pytest.mark.parametrize("what, source, rendered", CASES, ids=[c[0] for c in CASES])
def test_autop(what: str, source: str, rendered: str) -> None:
    assert autop(source) == rendered


def test_line_breaks_can_be_turned_off() -> None:
    assert autop("one\ntwo", br=False) == "<p>one\ntwo</p>\n"


@pytest.mark.parametrize(
    "source, names, rendered",
    [
        ('<p>[gallery ids="1"]</p>\n', ["gallery"], '[gallery ids="1"]\n'),
        (
            "<p>[caption]<img src=x> c[/caption]</p>",
            ["caption"],
            "[caption]<img src=x> c[/caption]",
        ),
        ("<p>text [gallery] text</p>", ["gallery"], "<p>text [gallery] text</p>"),  # not alone
        ("<p>[unknown]</p>", ["gallery"], "<p>[unknown]</p>"),  # not registered
    ],
)
def test_a_shortcode_alone_is_not_wrapped(source: str, names: list[str], rendered: str) -> None:
    assert unautop_shortcodes(source, names) == rendered
