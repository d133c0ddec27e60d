"""Template syntax in a post, escaped for the generator that would run it.

A post about Hugo or Jekyll may show ``{{< shortcode >}}`` or ``{% include %}`` as
text. Hugo runs shortcodes anywhere in Markdown, code blocks included, and Jekyll and
Eleventy run Liquid over the whole file, so the text is kept and escaped: Hugo's
``{{</* ... */>}}`` form, and Liquid's ``{{ "{{" }}``. Each escape is counted.
"""

from __future__ import annotations

import re
from collections import Counter

__all__ = ["escape_templates"]

_HUGO = re.compile(r"\{\{([<%])(?!/\*)(.*?)([>%])\}\}", re.S)
_LIQUID = re.compile(r"\{\{|\{%")


def escape_templates(markdown: str, kind: str, counts: Counter[str]) -> str:
    if "{{" not in markdown and "{%" not in markdown:
        return markdown
    if kind == "hugo":

        def hugo(match: re.Match[str]) -> str:
            counts["hugo shortcode"] += 1
            return "{{" + match.group(1) + "/*" + match.group(2) + "*/" + match.group(3) + "}}"

        return _HUGO.sub(hugo, markdown)
    if kind == "liquid":

        def liquid(match: re.Match[str]) -> str:
            counts["liquid tag"] += 1
            return '{{ "' + match.group(0) + '" }}'

        return _LIQUID.sub(liquid, markdown)
    return markdown
