"""WordPress post HTML to Markdown, in the order WordPress itself renders a post.

1. block comments read and removed (:mod:`.blocks`);
2. code shortcodes and ``<pre>`` set aside as fenced blocks (:mod:`.code`);
3. provider URLs alone on a line made embeds (:mod:`.embeds`);
4. auto-paragraphs, unless the post has blocks (:mod:`.autop`);
5. the other shortcodes expanded (:mod:`.shortcodes`, :mod:`.handlers`);
6. HTML that Markdown cannot express kept as HTML (:mod:`.raw_html`);
7. html2text (:mod:`.html_md`), then the kept pieces put back.
"""

from .blocks import REUSABLE_BLOCK
from .convert import ContentSettings, Converted, to_markdown
from .handlers import ATTACHMENT_SCHEME, CHILD_GALLERY, Context, default_registry
from .shortcodes import Shortcode, ShortcodeRegistry

__all__ = [
    "Converted",
    "ContentSettings",
    "to_markdown",
    "ATTACHMENT_SCHEME",
    "CHILD_GALLERY",
    "REUSABLE_BLOCK",
    "Context",
    "default_registry",
    "Shortcode",
    "ShortcodeRegistry",
]
