"""One post's HTML to Markdown: the steps of the package docstring, in order."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .autop import autop, unautop_shortcodes
from .blocks import has_blocks, render_blocks
from .code import CODE_SHORTCODES, set_aside_pre
from .embeds import embed_bare_urls, embed_markdown
from .handlers import Context, default_registry
from .html_md import HtmlToMarkdown, escape_text, tidy
from .keeper import Keeper
from .kramdown import for_kramdown
from .raw_html import keep_raw_html, keep_unflankable_emphasis
from .shortcodes import ShortcodeRegistry, count_unknown, protect_escaped
from .templates import escape_templates
from .tree import normalize

__all__ = ["ContentSettings", "Converted", "to_markdown"]

_MARKERS = re.compile(r"<!--(more|nextpage)\b(.*?)-->", re.S)


@dataclass(frozen=True)
class ContentSettings:
    """How posts are converted; the same for every post of a run."""

    #: "link" (a link to the URL) or "hugo" (Hugo's youtube and vimeo shortcodes).
    embeds: str = "link"
    #: Handlers by shortcode name (None: the built-ins).
    registry: ShortcodeRegistry | None = None
    #: Template syntax the site generator would run: "hugo", "liquid" or "".
    templates: str = ""
    #: The generator's Markdown reader, where it reads more than CommonMark: "kramdown".
    dialect: str = ""


@dataclass
class Converted:
    markdown: str
    unknown_shortcodes: Counter[str] = field(default_factory=Counter)
    dynamic_blocks: Counter[str] = field(default_factory=Counter)
    raw_html: Counter[str] = field(default_factory=Counter)
    templates_escaped: Counter[str] = field(default_factory=Counter)


_DEFAULT_REGISTRY = default_registry()


def to_markdown(content: str, settings: ContentSettings = ContentSettings()) -> Converted:
    """A post's stored HTML (``content:encoded``) as CommonMark."""
    if not content.strip():
        return Converted("")
    registry = settings.registry or _DEFAULT_REGISTRY
    keeper = Keeper(content)
    context = Context(keeper=keeper, registry=registry, embeds=settings.embeds)
    raw_html: Counter[str] = Counter()
    text = content.replace("\r\n", "\n").replace("\r", "\n")
    if "http" not in text and _PLAIN_LINE.fullmatch(text):
        markdown = _plain_line(text)
        return _finished(markdown, settings, keeper, context, raw_html)
    blocks = has_blocks(text)
    if blocks:
        text = render_blocks(text, context.dynamic_blocks)
    text = _MARKERS.sub(lambda m: _marker(m, keeper), text)
    text = protect_escaped(text, CODE_SHORTCODES, keeper.keep)
    text = registry.expand(text, context, only=CODE_SHORTCODES)
    text = set_aside_pre(text, keeper)
    text = embed_bare_urls(
        text, lambda url: keeper.block(embed_markdown(url, settings.embeds), late=True)
    )
    if not blocks:
        text = unautop_shortcodes(autop(text), registry.names())
    text = registry.expand(text, context)
    if "[" in text:  # the names are worked out only where a shortcode may be
        count_unknown(
            text,
            [n for n in _names_in(text) if registry.knows(n)] + registry.names(),
            context.unknown_shortcodes,
        )
    text = keep_raw_html(text, keeper, raw_html)
    text = normalize(text, keeper)
    text = keep_unflankable_emphasis(text, keeper)
    # Tidied before the kept pieces return, so code keeps its blank lines and spaces;
    # template syntax escaped everywhere but in our own shortcodes, which come back last.
    markdown = keeper.restore(tidy(HtmlToMarkdown().convert(text)))
    return _finished(markdown, settings, keeper, context, raw_html)


def _finished(
    markdown: str,
    settings: ContentSettings,
    keeper: Keeper,
    context: Context,
    raw_html: Counter[str],
) -> Converted:
    """The Markdown made ready for the site generator's reader and templates."""
    if settings.dialect == "kramdown":
        markdown = for_kramdown(markdown)
    escaped: Counter[str] = Counter()
    if settings.templates:
        markdown = escape_templates(markdown, settings.templates, escaped)
    markdown = keeper.restore(markdown, late=True)
    return Converted(
        markdown, context.unknown_shortcodes, context.dynamic_blocks, raw_html, escaped
    )


# One line with no tag, entity, shortcode or URL in it: most comments. Every pass from
# wpautop to html2text makes of it a paragraph of its text, escaped as html2text's data
# is (escape_text) with its runs of spaces made one: written here directly.
_PLAIN_LINE = re.compile(r"[^\n<&\[\]]+")


def _plain_line(text: str) -> str:
    return " ".join(escape_text(text).split()) + "\n"


def _marker(match: re.Match[str], keeper: Keeper) -> str:
    """``<!--more-->`` that starts its line is a block of its own (at a line start
    CommonMark reads it as an HTML block, which would swallow the rest of the line);
    inside a paragraph (or inside bold) it stays inline, where an HTML comment is fine."""
    comment = f"<!--{match.group(1)}{match.group(2)}-->"
    text, start = match.string, match.start()
    starts_line = not text[text.rfind("\n", 0, start) + 1 : start].strip()
    return keeper.block(comment) if starts_line else keeper.keep(comment)


def _names_in(text: str) -> set[str]:
    return set(re.findall(r"\[/?([A-Za-z][\w-]*)", text))
