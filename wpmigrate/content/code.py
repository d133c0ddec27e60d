"""Code in posts to fenced code blocks, with the language wherever WordPress kept it.

Code reaches us as ``<pre>`` (with the language in a class: ``language-x``, ``lang-x``,
SyntaxHighlighter's ``brush: x``, Crayon's ``lang:x``, Enlighter's
``data-enlighter-language``), or as a code shortcode (``[code]``, ``[sourcecode]``,
``[source lang=x]``, and SyntaxHighlighter's per-language ``[php]``, ``[python]``...).
The code's text is taken as the browser would show it: tags dropped, ``<br>`` made a
newline, entities decoded. The fence is longer than any run of backticks inside.
"""

from __future__ import annotations

import html
import re

from .keeper import Keeper
from .shortcodes import Shortcode

__all__ = ["fence", "set_aside_pre", "code_shortcode", "CODE_SHORTCODES", "CODECOLORER"]

#: Shortcodes that hold code: the generic ones and SyntaxHighlighter Evolved's languages.
CODE_SHORTCODES = (
    "code",
    "sourcecode",
    "source",
    "as3",
    "bash",
    "shell",
    "c",
    "cpp",
    "csharp",
    "css",
    "delphi",
    "diff",
    "erlang",
    "go",
    "groovy",
    "html",
    "java",
    "javascript",
    "js",
    "jscript",
    "json",
    "latex",
    "matlab",
    "objc",
    "perl",
    "php",
    "plain",
    "powershell",
    "python",
    "py",
    "r",
    "ruby",
    "rust",
    "scala",
    "sql",
    "swift",
    "text",
    "vb",
    "xml",
    "xhtml",
    "xslt",
    "yaml",
)
#: CodeColorer: [cc lang="php"], [cce_php], [ccnLe_php] (letters are its flags; i = inline).
CODECOLORER = r"cc[a-z]{0,6}(?:_[a-z0-9+#-]{1,20})?"
_NOT_A_LANGUAGE = {"plain", "text", "code", "sourcecode", "source", "none", "plaintext"}
_PRE = re.compile(r"<pre\b([^>]*)>(.*?)</pre\s*>", re.S | re.I)
_LANGUAGE_IN_ATTRS = [
    re.compile(r"data-(?:enlighter-)?language\s*=\s*[\"']([\w+#.-]+)", re.I),
    re.compile(r"\bbrush\s*:\s*([\w+#.-]+)", re.I),
    re.compile(r"\blang(?:uage)?\s*:\s*([\w+#.-]+)", re.I),
    re.compile(r"\b(?:language|lang)-([\w+#.-]+)", re.I),
    re.compile(r"\blang\s*=\s*[\"']([\w+#.-]+)", re.I),
]
_CODE_WRAPPER = re.compile(r"^\s*<code\b([^>]*)>(.*)</code>\s*$", re.S | re.I)
_BR = re.compile(r"<br\s*/?>\n?", re.I)
_TAG = re.compile(r"<[A-Za-z/!?][^>]*>")  # a "<" before a space is text, as browsers read it
_FORMATTING_TAG = re.compile(r"</?(?:span|b|i|em|strong|a|code|font|u)\b[^>]*>", re.I)
#: WP-Syntax's <pre lang="x">: a lang attribute of its own, not a class.
_WP_SYNTAX = re.compile(r"(?:^|\s)lang\s*=", re.I)
_HIGHLIGHTER = re.compile(r"\bbrush\s*:|\blang(?:uage)?\s*[=:]|\b(?:language|lang)-", re.I)


def _language(attrs: str) -> str:
    for pattern in _LANGUAGE_IN_ATTRS:
        match = pattern.search(attrs)
        if match:
            language = match.group(1).lower()
            return "" if language in _NOT_A_LANGUAGE else language
    return ""


def fence(code: str, language: str = "") -> str:
    """A fenced code block; the fence outgrows any backtick run inside."""
    code = code.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    marks = "`" * max(3, longest + 1)
    return f"{marks}{language}\n{code}\n{marks}"


def _visible_text(markup: str) -> str:
    return html.unescape(_TAG.sub("", _BR.sub("\n", markup)))


def _visible_code(markup: str) -> str:
    """The code a highlighter shows: formatting tags go, any other tag is text."""
    return html.unescape(_FORMATTING_TAG.sub("", _BR.sub("\n", markup)))


def set_aside_pre(text: str, keeper: Keeper) -> str:
    """Every ``<pre>`` (and CodeColorer's ``<code lang="x">`` block) becomes a fenced
    block, held by a token on its own paragraph."""

    def replace(match: re.Match[str]) -> str:
        attrs, inner = match.group(1), match.group(2)
        token = keeper.only_token(_visible_text(inner))
        if token is not None:  # <pre>[sourcecode]...[/sourcecode]</pre>: already a block
            return f"\n\n<p>{token}</p>\n\n"
        language = _language(attrs)
        wrapped = _CODE_WRAPPER.match(inner)
        if wrapped:
            language = language or _language(wrapped.group(1))
            inner = wrapped.group(2)
        if _WP_SYNTAX.search(attrs) and not wrapped:
            # WP-Syntax highlights the text of <pre lang="php"> as it is stored: every
            # tag in it (<?php, <a href>, <br>) is code.
            return keeper.block(fence(html.unescape(inner), language))
        if _HIGHLIGHTER.search(attrs):
            # SyntaxHighlighter and others show the code as written: a tag that is not
            # formatting (<settings>, <host>) is part of the code.
            return keeper.block(fence(_visible_code(inner), language))
        return keeper.block(fence(_visible_text(inner), language))

    if "<pre" in text or "<PRE" in text:
        text = _PRE.sub(replace, text)
    if "<code" in text:  # after <pre>: a <code> wrapped around one keeps the <pre>'s block
        text = _set_aside_code_lang(text, keeper)
    return text


# <code> spanning lines, alone on its lines: WordPress shows it as lines of code, which
# inline code cannot be in Markdown.
_CODE_LINES = re.compile(
    r"(^|\n)[ \t]*<code\b[^>]*>((?:(?!</code>).)*?\n(?:(?!</code>).)*?)</code>[ \t]*(?=\n|$)",
    re.S | re.I,
)
_CODE_LANG = re.compile(
    r"<code\s+lang\s*=\s*[\"']?([\w+#.-]{1,40})[\"']?[^>]*>(.*?)</code>", re.S | re.I
)


def _set_aside_code_lang(text: str, keeper: Keeper) -> str:
    # CodeColorer shows the content of <code lang="php"> as code, raw: tags in it are text.
    def replace(match: re.Match[str]) -> str:
        language, inner = match.group(1).lower(), match.group(2)
        if "\n" not in inner.strip():
            # Inline: html2text writes `code`. Without the line breaks around it, which
            # would make it look like lines of code to the next step.
            return match.group(0).replace(inner, inner.strip())
        language = "" if language in _NOT_A_LANGUAGE else language
        return keeper.block(fence(html.unescape(inner), language))

    text = _CODE_LANG.sub(replace, text)

    def lines(match: re.Match[str]) -> str:
        token = keeper.only_token(_visible_text(match.group(2)).strip("\ufeff \t\n"))
        if token is not None:  # <code><pre>...</pre></code>: the <pre> is the block
            return f"{match.group(1)}\n\n<p>{token}</p>\n\n"
        return match.group(1) + keeper.block(fence(_visible_text(match.group(2))))

    return _CODE_LINES.sub(lines, text)


def code_shortcode(code: Shortcode, context: object) -> str:
    """``[code lang=x]...[/code]`` and its relatives: a fenced block, left in place."""
    if code.content is None:
        return ""
    language = code.get("language", "lang", "brush", "0")
    if re.fullmatch(CODECOLORER, code.name):
        flags, _, named = code.name.partition("_")
        language = named or code.get("lang")
        if "i" in flags[2:]:  # inline code
            return "<code>" + html.escape(html.unescape(code.content)) + "</code>"
    elif code.name not in ("code", "sourcecode", "source"):
        language = code.name
    language = "" if language.lower() in _NOT_A_LANGUAGE else language.lower()
    if not re.fullmatch(r"[\w+#.-]{0,40}", language):
        language = ""
    keeper: Keeper = context.keeper  # type: ignore[attr-defined]
    return keeper.block(fence(html.unescape(code.content), language))
