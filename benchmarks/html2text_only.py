"""A limit for Markdown: every post and page body of an export through html2text, with the
settings the Markdown exporter gives it, and nothing else (no wpautop, no shortcodes, no
tree pass, no front matter, no files). While html2text is the engine, Markdown cannot
cost less than this."""

from __future__ import annotations

import sys

import html2text
from bare_lxml import items

from wpmigrate.content.html_md import configure

CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
WRITTEN = {"post", "page"}


def converter() -> html2text.HTML2Text:
    """Plain html2text, configured as wpmigrate's Markdown exporter configures it."""
    return configure(html2text.HTML2Text(bodywidth=0))


def main(path: str) -> int:
    n = 0
    for item in items(path):
        post_type = item.findtext("{*}post_type") or "post"
        body = item.findtext(CONTENT) or ""
        if post_type.strip() in WRITTEN and body.strip():
            converter().handle(body)  # html2text keeps state: one per body, as wpmigrate
            n += 1
    return n


if __name__ == "__main__":
    print(main(sys.argv[1]))
