"""The conversion defects a reader would see (../shared/MARKDOWN-CASES.md), one row each.

Each case is our own HTML of the same kind, the Markdown it must become, and what a
CommonMark renderer (markdown-it-py, with GFM tables) must show for it: the structure
(elements) and the text, so that an "equally correct" Markdown would pass the render
check even where it differs in spelling.
"""

from __future__ import annotations

import re

import pytest
from markdown_it import MarkdownIt

from wpmigrate.content import to_markdown

RENDER = MarkdownIt("commonmark").enable("table").enable("strikethrough")

# (case, html, markdown, [substrings the rendered HTML must hold], [it must not hold])
CASES = [
    (
        "D1 figures are blocks, captions below",
        '<!-- wp:image -->\n<figure class="wp-block-image"><img src="https://example.org/a.jpg"'
        ' alt="Pier"/><figcaption class="wp-element-caption">Fog at noon</figcaption></figure>\n'
        '<!-- /wp:image -->\n\n<!-- wp:image -->\n<figure class="wp-block-image">'
        '<img src="https://example.org/b.jpg" alt="Dune"/></figure>\n<!-- /wp:image -->',
        "![Pier](https://example.org/a.jpg)\n\n*Fog at noon*\n\n![Dune](https://example.org/b.jpg)\n",
        [
            '<p><img src="https://example.org/a.jpg" alt="Pier" /></p>',
            "<p><em>Fog at noon</em></p>",
        ],
        [],
    ),
    (
        "D2 empty formatting leaves no marks",
        "Is it over?\nReply: <em>no</em> <s>\n</s>\n\nFirst<b> </b>things.\n\n<strong></strong>"
        "State: closed\n\nLast words.",
        "Is it over?  \nReply: *no*\n\nFirst things.\n\nState: closed\n\nLast words.\n",
        ["<em>no</em>"],
        ["<hr", "<pre", "**", "~~"],
    ),
    (
        "D2 adjacent and nested formatting merge",
        "<p><b>T</b><strong>itle word</strong> and <em><i>twice</i></em>.</p>",
        "**Title word** and *twice*.\n",
        ["<strong>Title word</strong>", "<em>twice</em>"],
        ["**", "****"],
    ),
    (
        "D2 adjacent and empty code merge",
        "<p>Type <code>ls</code><code></code> or <code>(venv) </code><code>$ ls</code>.</p>",
        "Type `ls` or `(venv) $ ls`.\n",
        ["<code>ls</code>", "<code>(venv) $ ls</code>"],
        [],
    ),
    (
        "D3 abbreviations keep their text only",
        '<p>Send it by <abbr title="Simple Mail Transfer Protocol">SMTP</abbr> today.</p>',
        "Send it by SMTP today.\n",
        ["<p>Send it by SMTP today.</p>"],
        ["*[", "]:"],
    ),
    (
        "D4 no-break spaces at the edges of emphasis",
        "<p><strong>Bring along:&nbsp;</strong></p>\n<p><em>Almost there.&nbsp;</em><br />"
        "Then this.</p>\n<p>Cost:<strong>&nbsp;5 francs</strong></p>",
        "**Bring along:**\n\n*Almost there.*  \nThen this.\n\nCost: **5 francs**\n",
        ["<strong>Bring along:</strong>", "<em>Almost there.</em>", "Cost: <strong>5 francs"],
        ["**"],
    ),
    (
        "D5 list markers that are text",
        "<p><span>12.</span><br />Track twelve</p>\n<p>1999.</p>\n<p>1) one thing<br />"
        "2) another</p>\n<p>Note<br />- a dash<br />+ a plus</p>",
        "12\\.  \nTrack twelve\n\n1999\\.\n\n1\\) one thing  \n2\\) another\n\nNote  \n\\- a dash  \n"
        "\\+ a plus\n",
        ["<p>1999.</p>", "1) one thing"],
        ["<ol", "<ul"],
    ),
    (
        "D6 content before a table is kept",
        '<!-- wp:image -->\n<figure class="wp-block-image"><img src="https://example.org/c.png" '
        'alt=""/><figcaption class="wp-element-caption">Weekly sums</figcaption></figure>\n'
        '<!-- /wp:image -->\n\n<!-- wp:table -->\n<figure class="wp-block-table"><table><tbody>'
        "<tr><td>Week</td><td>Sum</td></tr><tr><td>One</td><td>4</td></tr></tbody></table>"
        "</figure>\n<!-- /wp:table -->",
        "![](https://example.org/c.png)\n\n*Weekly sums*\n\n| Week | Sum |\n|------|-----|\n"
        "| One  | 4   |\n",
        ['<img src="https://example.org/c.png"', "<em>Weekly sums</em>", "<table>"],
        [],
    ),
    (
        "D7 an embed whose URL the editor made a link",
        '[vimeo <a href="https://vimeo.com/123456">https://vimeo.com/123456</a>]',
        "<https://vimeo.com/123456>\n",
        ['<a href="https://vimeo.com/123456">'],
        ["&lt;"],
    ),
    (
        "D8 tags inside a highlighter's pre are code",
        'Use this:\n<pre class="brush: xml"><config>\n  <retry count="3"></retry>\n</config>\n'
        '</pre>\nThen <pre lang="bash">curl <url></pre>',
        'Use this:\n\n```xml\n<config>\n  <retry count="3"></retry>\n</config>\n```\n\nThen\n\n'
        "```bash\ncurl <url>\n```\n",
        ["&lt;config&gt;", "curl &lt;url&gt;"],
        [],
    ),
    (
        "D9 paragraphs inside a list item stay in it",
        "<ul>\n<li><p>Opening words.</p>\n<p>More of the same item.</p></li>\n"
        "<li>Line one.<br><br>After a blank line.</li>\n<li>Last.</li>\n</ul>",
        "- Opening words.\n\n  More of the same item.\n\n- Line one.\n\n  After a blank line.\n\n"
        "- Last.\n",
        [
            "<li>\n<p>Opening words.</p>\n<p>More of the same item.</p>\n</li>",
            "<p>After a blank line.</p>\n</li>",
        ],
        ["<pre"],
    ),
    (
        "D14 an item that starts with a list",
        '<ul>\n<li style="list-style-type: none;">\n<ul>\n<li>Gamma with '
        '<a href="https://example.org/g">a link</a>.</li>\n<li>Delta.</li>\n</ul>\n</li>\n</ul>',
        "- - Gamma with [a link](<https://example.org/g>).\n\n  - Delta.\n",
        ['<a href="https://example.org/g">a link</a>', "<li>\n<p>Delta.</p>\n</li>"],
        ["<pre"],
    ),
    (
        "D20 an HTML block inside a list item",
        "<ol><li>Unpack it.<br />Like this:<table><tr><td>"
        '<img src="https://example.org/u.png" /></td><td>a</td></tr><tr><td colspan="2">b</td>'
        '</tr></table></li><li>Read <a href="https://example.org/d">the guide</a> then.</li></ol>',
        None,
        ["<table>", '<a href="https://example.org/d">the guide</a>', "<li>\n<p>Read"],
        ["2. Read"],
    ),
    (
        "D10 code spanning lines inside a quote",
        "Run:\n<blockquote><code>\nstep_one();\nstep_two();\n</code></blockquote>",
        "Run:\n\n>  \n> ```\n> step_one();\n> step_two();\n> ```\n>\n",
        ["<blockquote>", "<pre><code>step_one();\nstep_two();\n</code></pre>"],
        [],
    ),
    (
        "D11 broken HTML repaired as a browser does",
        "<ul>\n<li>Top\n<ul>\n<li>Under</li>\n</li>\n</ul>\n<h3>Then</h3>\n<ul>\n<li>Other list "
        'with <a href="https://example.org/y">a link</a></li>\n</ul>\n<p>Read the '
        '<a href="https://example.org/end">end.</p>',
        "  - Top\n    - Under\n\n### Then\n\n  - Other list with [a link](<https://example.org/y>)"
        "\n\nRead the [end.](<https://example.org/end>)\n",
        [
            '<a href="https://example.org/y">a link</a>',
            '<a href="https://example.org/end">end.</a>',
        ],
        ["<pre"],
    ),
    (
        "D12 a link around all of the code, and around part of it",
        'Run <code><a href="https://example.org/t">mytool</a></code> now. Get it: <code>git clone '
        '<a href="https://example.org/r.git">https://example.org/r.git</a></code>',
        "Run [`mytool`](https://example.org/t) now. Get it: <code>git clone "
        '<a href="https://example.org/r.git">https://example.org/r.git</a></code>\n',
        ['<a href="https://example.org/t"><code>mytool</code></a>', "<code>git clone <a"],
        ["[mytool]"],
    ),
    (
        "D13 an exclamation mark before a link",
        'Great!<a href="https://example.org/x">Next one</a> and Wow!<a href="https://example.org/z">'
        '<img src="https://example.org/z.png" alt="" /></a>',
        "Great\\![Next one](<https://example.org/x>) and Wow\\![![](https://example.org/z.png)]"
        "(<https://example.org/z>)\n",
        [
            'Great!<a href="https://example.org/x">Next one</a>',
            'Wow!<a href="https://example.org/z">',
        ],
        ['<img src="https://example.org/x"'],
    ),
    (
        "D15 escaped code shortcodes are literal",
        'Write [[code lang="js"]] first and [[/code]] last.\n\nOr <code>[[cpp]]</code>.',
        'Write [code lang="js"] first and [/code] last.\n\nOr `[cpp]`.\n',
        ["Write [code lang=&quot;js&quot;] first and [/code] last.", "<code>[cpp]</code>"],
        ["<pre"],
    ),
    (
        "D16 backticks inside inline code",
        "<p>Try <code>ls `pwd`</code> and <code>&lt;Tab&gt;</code>.</p>",
        "Try `` ls `pwd` `` and `<Tab>`.\n",
        ["<code>ls `pwd`</code>", "<code>&lt;Tab&gt;</code>"],
        [],
    ),
    (
        "D17 emphasis ending in punctuation or a link before a letter",
        '<p><strong><span class="x">重要、</span></strong>続きはここ。</p>\n<p>더 보기는 '
        '<strong><a href="https://example.org/m">이번 호</a></strong>에서 하세요.</p>',
        "<strong>重要、</strong>続きはここ。\n\n더 보기는 <strong>[이번 호](<https://example.org/m>)"
        "</strong>에서 하세요.\n",
        [
            "<strong>重要、</strong>続きはここ。",
            '<strong><a href="https://example.org/m">이번 호</a></strong>',
        ],
        ["**"],
    ),
    (
        "D18 more inside bold stays inline",
        "<strong>The teaser line.<!--more--> And the rest of it.</strong>\n\nPlain.",
        "**The teaser line.<!--more--> And the rest of it.**\n\nPlain.\n",
        ["<strong>The teaser line.<!--more--> And the rest of it.</strong>"],
        ["**"],
    ),
    (
        "literal tags typed in a classic post eat no text",
        "Write the <head> part first. Then <body>, and close with </head> again. The end.",
        "Write the  part first. Then , and close with  again. The end.\n",
        ["The end."],
        [],
    ),
    (
        "D19 a line break inside a heading",
        "<h3>Notes from<br />the workshop</h3>",
        "### Notes from the workshop\n",
        ["<h3>Notes from the workshop</h3>"],
        [],
    ),
    (
        "D21 a pipe inside a table cell",
        "<table><tr><th>Route</th><th>As</th></tr><tr><td>/items</td><td>"
        '<a href="https://example.org/i.csv">CSV</a> | <a href="https://example.org/i.tsv">TSV</a>'
        "</td></tr></table>",
        None,
        [
            '<a href="https://example.org/i.csv">CSV</a> | <a href="https://example.org/i.tsv">TSV</a>'
        ],
        [],
    ),
    (
        "D22 a noscript fallback stays hidden",
        "<p>Map:</p><script>draw();</script><noscript>Turn on JavaScript.</noscript><p>End.</p>",
        None,
        ["<noscript>Turn on JavaScript.</noscript>"],
        ["<p>Turn on JavaScript.</p>"],
    ),
]


@pytest.mark.parametrize(
    "html, markdown, present, absent",
    [case[1:] for case in CASES],
    ids=[case[0].split(" ", 1)[0] + "-" + str(n) for n, case in enumerate(CASES)],
)
def test_markdown_case(
    html: str, markdown: str | None, present: list[str], absent: list[str]
) -> None:
    written = to_markdown(html).markdown
    if markdown is not None:
        assert written == markdown
    rendered = RENDER.render(written)
    for part in present:
        assert part in rendered, rendered
    visible = re.sub(r"<[^>]+>", "", rendered)
    for part in absent:
        target = visible if part in ("**", "~~", "****", "*[", "]:", "[mytool]") else rendered
        assert part not in target, rendered
