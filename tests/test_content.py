"""WordPress post HTML to Markdown, step by step: blocks, shortcodes, code, embeds,
raw HTML, escaping and template syntax."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wpmigrate.content import ContentSettings, Shortcode, default_registry, to_markdown
from wpmigrate.content.blocks import has_blocks, render_blocks
from wpmigrate.content.html_md import escape_text
from wpmigrate.content.shortcodes import parse_attributes


def md(html: str, **settings: str) -> str:
    return to_markdown(html, ContentSettings(**settings)).markdown  # type: ignore[arg-type]


# --- blocks -------------------------------------------------------------------------------


def test_block_comments_go_and_their_html_stays() -> None:
    html = (
        '<!-- wp:columns --><div class="wp-block-columns"><!-- wp:column -->'
        '<div class="wp-block-column"><!-- wp:paragraph --><p>Left</p><!-- /wp:paragraph -->'
        "</div><!-- /wp:column --></div><!-- /wp:columns -->"
    )
    assert md(html) == "Left\n"


def test_block_posts_are_not_auto_paragraphed() -> None:
    html = "<!-- wp:html -->\n<div>one\ntwo</div>\n<!-- /wp:html -->"
    assert has_blocks(html)
    assert md(html) == "one two\n"  # a classic post would have had a <br /> here


def test_code_block_language_from_attributes() -> None:
    html = (
        '<!-- wp:code {"language":"python"} --><pre class="wp-block-code"><code>'
        "def f():\n    return 1 &lt; 2</code></pre><!-- /wp:code -->"
    )
    assert md(html) == "```python\ndef f():\n    return 1 < 2\n```\n"


def test_embed_block_becomes_a_link_or_a_hugo_shortcode() -> None:
    html = (
        '<!-- wp:embed {"url":"https://www.youtube.com/watch?v=dQw4w9WgXcQ","type":"video"} -->'
        '<figure class="wp-block-embed"><div class="wp-block-embed__wrapper">\n'
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ\n</div><figcaption>A song</figcaption>"
        "</figure><!-- /wp:embed -->"
    )
    assert md(html) == "<https://www.youtube.com/watch?v=dQw4w9WgXcQ>\n\nA song\n"
    assert md(html, embeds="hugo") == "{{< youtube dQw4w9WgXcQ >}}\n\nA song\n"


def test_more_and_dynamic_blocks() -> None:
    dynamic: Counter[str] = Counter()
    html = '<!-- wp:more --><!--more--><!-- /wp:more --><!-- wp:latest-posts {"postsToShow":3} /-->'
    assert render_blocks(html, dynamic) == "<!--more-->"
    assert dynamic == {"latest-posts": 1}
    assert to_markdown(html).dynamic_blocks == {"latest-posts": 1}


# --- shortcodes ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, attrs",
    [
        ("id=\"a\" align='left' width=300", {"id": "a", "align": "left", "width": "300"}),
        ('ids="1,2,3" columns="2"', {"ids": "1,2,3", "columns": "2"}),
        ("https://example.org/x", {"0": "https://example.org/x"}),
        ("=http://youtube.com/watch?v=x&w=320", {"0": "=http://youtube.com/watch?v=x&w=320"}),
        ('Lang="PHP" "quoted positional"', {"lang": "PHP", "0": "quoted positional"}),
    ],
)
def test_attributes_parse_as_wordpress_parses_them(text: str, attrs: dict[str, str]) -> None:
    assert parse_attributes(" " + text) == attrs


def test_caption_becomes_an_image_with_its_caption() -> None:
    html = (
        '[caption id="attachment_5" align="alignnone" width="300"]<a href="http://x.org/a.jpg">'
        '<img src="http://x.org/a-300x200.jpg" alt="A" /></a> The caption[/caption]'
    )
    assert md(html) == "[![A](http://x.org/a-300x200.jpg)](<http://x.org/a.jpg>)\n\n*The caption*\n"


def test_old_caption_attribute() -> None:
    assert md('[caption caption="Old style"]<img src="i.png" alt="" />[/caption]') == (
        "![](i.png)\n\n*Old style*\n"
    )


def test_gallery_names_its_attachments() -> None:
    assert md('[gallery ids="7,8"]') == "![](wpm-attachment:7)  \n![](wpm-attachment:8)\n"
    assert md("[gallery]") == "![](wpm-gallery:children)\n"


@pytest.mark.parametrize(
    "html, markdown",
    [
        ("[embed]https://vimeo.com/123[/embed]", "<https://vimeo.com/123>\n"),
        (
            "[youtube=http://www.youtube.com/watch?v=dQw4w9WgXcQ&w=320]",
            "<http://www.youtube.com/watch?v=dQw4w9WgXcQ>\n",
        ),
        ("[youtube dQw4w9WgXcQ]", "<https://www.youtube.com/watch?v=dQw4w9WgXcQ>\n"),
        ("[vimeo 123456]", "<https://vimeo.com/123456>\n"),
        ('[audio mp3="https://x.org/a%20b.mp3"]', "[a%20b.mp3](<https://x.org/a%20b.mp3>)\n"),
        (
            '[video mp4="https://x.org/v.mp4" poster="p.jpg"][/video]',
            "[v.mp4](<https://x.org/v.mp4>)\n",
        ),
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "<https://www.youtube.com/watch?v=dQw4w9WgXcQ>\n",
        ),
    ],
)
def test_media_become_links(html: str, markdown: str) -> None:
    assert md(html) == markdown


def test_a_bare_url_of_no_provider_stays_text() -> None:
    assert md("https://example.org/page") == "https://example.org/page\n"


def test_unknown_shortcodes_stay_and_are_counted() -> None:
    converted = to_markdown('[contact-form to="me"] and [sic] and [box]x[/box] [[gallery]]')
    assert converted.markdown == '[contact-form to="me"] and [sic] and [box]x[/box] [gallery]\n'
    assert converted.unknown_shortcodes == {"contact-form": 1, "box": 1}


def test_a_handler_can_be_replaced() -> None:
    def boxed(code: Shortcode, context: object) -> str:
        return f"<blockquote>{code.content}</blockquote>"

    registry = default_registry().copy({"box": boxed})
    assert to_markdown("[box]Careful[/box]", ContentSettings(registry=registry)).markdown == (
        "> Careful\n"
    )


# --- code ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "html, language",
    [
        ('<pre class="brush: php; gutter: false">echo 1;</pre>', "php"),
        ('<pre class="lang:python decode:true">x = 1</pre>', "python"),
        ('<pre lang="lisp" line="1">(a)</pre>', "lisp"),
        ('<pre><code class="language-rust">fn main() {}</code></pre>', "rust"),
        ('<pre data-enlighter-language="js">a()</pre>', "js"),
        ('[code lang="ruby"]puts 1[/code]', "ruby"),
        ('[sourcecode language="diff"]+ a[/sourcecode]', "diff"),
        ("[source lang=sql]select 1[/source]", "sql"),
        ("[python]x = 1[/python]", "python"),
        ("[cce_php]echo 1;[/cce_php]", "php"),
        ('[cc lang="bash"]ls[/cc]', "bash"),
        ("[code]plain[/code]", ""),
    ],
)
def test_code_keeps_its_language(html: str, language: str) -> None:
    assert md(html).startswith(f"```{language}\n")


def test_code_is_not_auto_paragraphed_and_keeps_its_text() -> None:
    html = "[code]a\n\n<b>not bold</b> &amp; `tick`\n  indented[/code]"
    assert md(html) == "```\na\n\n<b>not bold</b> & `tick`\n  indented\n```\n"


def test_the_fence_outgrows_backticks_inside() -> None:
    assert md("<pre>```\ncode\n```</pre>") == "````\n```\ncode\n```\n````\n"


def test_a_code_shortcode_inside_pre_is_one_block() -> None:
    assert (
        md('<pre>[sourcecode language="php"]echo 1;[/sourcecode]</pre>') == "```php\necho 1;\n```\n"
    )


def test_less_than_before_a_space_is_code_text() -> None:
    assert md("<pre>a < b && c > d</pre>") == "```\na < b && c > d\n```\n"


# --- raw HTML, escaping, templates ----------------------------------------------------------


def test_what_markdown_cannot_express_stays_html() -> None:
    html = (
        '<p>Map:</p><iframe src="https://maps.example/x"></iframe>'
        '<table><tr><td rowspan="2">a</td><td>b</td></tr><tr><td>c</td></tr></table>'
    )
    converted = to_markdown(html)
    assert '<iframe src="https://maps.example/x"></iframe>' in converted.markdown
    assert '<td rowspan="2">a</td>' in converted.markdown
    assert converted.raw_html == {"iframe": 1, "table": 1}


def test_simple_tables_become_gfm_tables() -> None:
    html = "<table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr></table>"
    assert md(html) == "| a   | b  |\n|-----|----|\n| 1   | 2  |\n"


@pytest.mark.parametrize(
    "text, escaped",
    [
        ("snake_case_name", "snake_case_name"),  # inside words: never emphasis
        ("a * b", "a * b"),  # flanked by spaces: never emphasis
        ("2*3*4", "2\\*3\\*4"),  # would be emphasis
        ("_x_", "\\_x\\_"),
        ("Glaubwürdigkeit „Zitat“ é", "Glaubwürdigkeit „Zitat“ é"),  # no escaping of letters
        ("&copy; is text", "\\&copy; is text"),
        ("<div> as text", "\\<div> as text"),
        ("[x](y)", "[x\\](y)"),
        ("1. not a list", "1\\. not a list"),
        ("# not a heading", "\\# not a heading"),
        ("`tick`", "\\`tick\\`"),
        ("C:\\path\\*", "C:\\path\\\\*"),  # "\\p" is no escape; "\\*" would be
    ],
)
def test_text_is_escaped_only_where_markdown_would_read_it(text: str, escaped: str) -> None:
    assert escape_text(text) == escaped


def test_umlauts_quotes_and_links_survive() -> None:
    html = (
        'Die Glaubwürdigkeit „zählt“ – <a href="http://example.de/ü?x=1&amp;y=2">Artikel</a>:\n'
        "<blockquote>Zitat</blockquote>"
    )
    assert md(html) == (
        "Die Glaubwürdigkeit „zählt“ – [Artikel](<http://example.de/ü?x=1&y=2>):\n\n> Zitat\n"
    )


def test_emphasis_that_markdown_cannot_close_stays_html() -> None:
    assert md("<strong>标题：</strong>正文") == "<strong>标题：</strong>正文\n"
    assert md("foo<em>bar</em>baz <strong> x </strong>y") == "foo*bar*baz **x** y\n"


@pytest.mark.parametrize(
    "kind, html, markdown",
    [
        ("hugo", "Use {{< youtube x >}} here", "Use {{</* youtube x */>}} here\n"),
        (
            "liquid",
            "Use {% include x %} and {{ page.title }}",
            'Use {{ "{%" }} include x %} and {{ "{{" }} page.title }}\n',
        ),
        ("", "Use {{< x >}}", "Use {{< x >}}\n"),
    ],
)
def test_template_syntax_is_escaped_for_the_generator(kind: str, html: str, markdown: str) -> None:
    assert md(html, templates=kind) == markdown


def test_our_own_hugo_shortcodes_are_not_escaped() -> None:
    out = md("https://vimeo.com/123\n\nText {{< x >}}", embeds="hugo", templates="hugo")
    assert out == "{{< vimeo 123 >}}\n\nText {{</* x */>}}\n"


def test_deep_nesting_and_broken_html_do_not_crash() -> None:
    assert md("<div>" * 5000 + "deep" + "</div>" * 5000) == "deep\n"
    assert "text" in md("<p><b>text<i></p></div></span><a href='x'")


def test_wp_syntax_pre_keeps_every_line_of_its_code() -> None:
    # WP-Syntax highlights <pre lang="php"> as stored: PHP and HTML tags in it are code.
    stored = (
        "<pre lang=\"php\"><?php\n$display = $_REQUEST['display'];\n?>\n"
        '<a href="config.php?<?php echo "display=$display"?>"><?php echo _("Redisplay") ?></a><br>\n'
        "<hr><br>\n</pre>\n<p>After.</p>"
    )
    assert to_markdown(stored).markdown == (
        "```php\n<?php\n$display = $_REQUEST['display'];\n?>\n"
        '<a href="config.php?<?php echo "display=$display"?>"><?php echo _("Redisplay") ?></a><br>\n'
        "<hr><br>\n```\n\nAfter.\n"
    )


_LINE_PIECES = list("abcXYZ019 .,:;!?'\"()-+#>*_`\\~|=/%$@^{}") + [
    "\xa0", "\u3000", "\u2028", "\u200b", "\x01", "\x0c", "\t", "é", "😀", "  ", "1.", "2)",
    "- ", "+ ", "# ", "> ", "**", "__", "{{", "}}", "{%", "www.", "ttp:", "—", "„", "“",
    "<", "&amp;", "[", "]", "\n", "http://x.y",  # these send a text the long way
]  # fmt: skip


@settings(max_examples=3000, deadline=None)
@given(
    st.lists(st.sampled_from(_LINE_PIECES), min_size=1, max_size=20).map("".join),
    st.sampled_from(
        [
            ContentSettings(),
            ContentSettings(templates="hugo"),
            ContentSettings(templates="liquid", dialect="kramdown"),
            ContentSettings(embeds="hugo"),
        ]
    ),
)
def test_a_plain_line_is_written_as_every_pass_would_write_it(
    text: str, settings: ContentSettings
) -> None:
    import re

    from wpmigrate.content import convert

    fast = to_markdown(text, settings)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(convert, "_PLAIN_LINE", re.compile(r"(?!)"))  # matches nothing
        assert fast == to_markdown(text, settings)
