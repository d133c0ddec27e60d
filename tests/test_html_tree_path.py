"""html2text handed the tags and texts of an already parsed tree writes the same Markdown
as when it parses the HTML itself (html_md's tree path), and the HTML that an XML parser
would read otherwise is never taken that way."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wpmigrate.content import html_md
from wpmigrate.content.html_md import HtmlToMarkdown, _as_tree, prepare

_TAGS = [
    "p", "b", "i", "em", "strong", "STRONG", "a", "img", "br", "ul", "ol", "li", "h1", "h3",
    "blockquote", "pre", "code", "table", "tr", "td", "th", "div", "span", "sup", "del", "s",
    "u", "tt", "hr", "dl", "dt", "dd", "abbr", "kbd", "Em", "font", "iframe",
]  # fmt: skip
_ATTRIBUTES = {
    "href": ["http://x.y/a?b=1&amp;c=2", "/r", "#top", " spaced ", "", "http://x.y/a b"],
    "title": ["t &quot;q&quot; &gt; z", "it's", "a*b"],
    "src": ["i.png", "http://x/ü.png"],
    "alt": ["A*b_c", "", "x &amp; y"],
    "class": ["wp-image-1"],
    "style": ["font-weight:bold"],
    "ID": ["Top"],
}
_TEXTS = [
    "*", "_", "`", "#", "-", "+", "1.", "2)", "[", "]", "(", ")", "!", "\\", "&amp;",
    "&lt;", "&gt;", "&quot;", "&apos;", "é", "😀", "\n", "\n\n", "\n\t", " ", "  ", "\xa0",
    "word", "Two words", "|", "~", "https://example.com/x", "<!--c-->", "1. item", "> q",
    "    code", "**", "a_b_c",
]  # fmt: skip

_text = st.lists(st.sampled_from(_TEXTS), max_size=4).map("".join)
_attributes = st.dictionaries(
    st.sampled_from(sorted(_ATTRIBUTES)), st.just(""), max_size=2
).flatmap(
    lambda names: st.tuples(*(st.sampled_from(_ATTRIBUTES[n]) for n in names)).map(
        lambda values: "".join(f' {n}="{v}"' for n, v in zip(names, values, strict=True))
    )
)


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.tuples(st.sampled_from(_TAGS), _attributes, st.lists(children, max_size=4)).map(
        lambda t: f"<{t[0]}{t[1]}>{''.join(t[2])}</{t[0]}>" if t[2] else f"<{t[0]}{t[1]}/>"
    )


_fragment = st.lists(st.recursive(_text, _element, max_leaves=12), min_size=1, max_size=4).map(
    "".join
)


def _by_html2text_alone(html: str, monkeypatch: pytest.MonkeyPatch) -> str:
    with monkeypatch.context() as patch:
        patch.setattr(html_md, "_as_tree", lambda _html: None)
        return _converted(html)


def _converted(html: str) -> str:
    try:
        return HtmlToMarkdown().convert(html)
    except Exception as exc:  # html2text fails on some tables: then both must fail alike
        return type(exc).__name__


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_fragment)
def test_the_tree_path_writes_what_html2text_alone_writes(html: str) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert _converted(html) == _by_html2text_alone(html, monkeypatch)


def test_well_formed_html_takes_the_tree_path() -> None:
    html = '<p>A <b>bold</b> <a href="/x?a=1&amp;b=2">link</a><br/></p>'
    assert _as_tree(prepare(html)) is not None


@pytest.mark.parametrize(
    "html",
    [
        "<p>a</p><?php echo $x->y; ?>",  # a processing instruction ends at the first ">"
        "<p>a</p><script>if (a < b) {}</script>",
        "<style>p > a {}</style>",
        "<p><![CDATA[x]]></p>",
        "<p>&#128;</p>",  # windows-1252's euro for HTML, U+0080 for XML
        '<img alt="two\nlines"/>',
        '<a title="x > y\tz" href="/">a</a>',
        "<p>a\rb</p>",
        '<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>',
        '<p xml:lang="de">Tag</p>',
        "<é>text</é>",  # not a tag for an HTML parser
        "<p>AT&T</p>",
        "<p>a &nbsp; b</p>",
        "<p>unclosed",
    ],
)
def test_html_read_otherwise_as_xml_takes_html2text_s_own_parser(
    html: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _as_tree(prepare(html)) is None
    assert _converted(html) == _by_html2text_alone(html, monkeypatch)
