"""WordPress shortcodes: parsed as WordPress parses them, expanded by replaceable handlers.

A handler takes the parsed shortcode and the conversion's context and returns the
HTML to put in its place. Only registered names are expanded, as in WordPress; the
rest stay as they are, and :func:`count_unknown` counts them by name for the report.
``[[name]]`` is WordPress's escape for a literal ``[name]`` and comes out as that.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

__all__ = ["Shortcode", "Handler", "ShortcodeRegistry", "parse_attributes", "count_unknown"]

_ATTRIBUTE = re.compile(
    r"""([\w-]+)\s*=\s*"([^"]*)"(?:\s|$)|([\w-]+)\s*=\s*'([^']*)'(?:\s|$)"""
    r"""|([\w-]+)\s*=\s*([^\s'"]+)(?:\s|$)|"([^"]*)"(?:\s|$)|'([^']*)'(?:\s|$)|(\S+)(?:\s|$)"""
)
_CANDIDATE = re.compile(r"\[(/?)([a-z][a-z0-9_-]*)(?![\w-])((?:[^\]\[\n]){0,400}?)(/?)\]", re.I)


@dataclass(frozen=True)
class Shortcode:
    """One shortcode: ``attrs`` by lower-case name; positional values under "0", "1"..."""

    name: str
    attrs: dict[str, str]
    content: str | None  # None when the shortcode has no closing tag

    def get(self, *names: str, default: str = "") -> str:
        for name in names:
            if name in self.attrs:
                return self.attrs[name]
        return default


#: (shortcode, context) -> HTML
Handler = Callable[[Shortcode, Any], str]


def parse_attributes(text: str) -> dict[str, str]:
    """``shortcode_parse_atts``: name=value pairs (any quoting) and positional values."""
    text = re.sub(r"[\u00a0\u200b]+", " ", text)
    attrs: dict[str, str] = {}
    position = 0
    for match in _ATTRIBUTE.finditer(text):
        groups = match.groups()
        for name_at, value_at in ((0, 1), (2, 3), (4, 5)):
            if groups[name_at] is not None:
                attrs[groups[name_at].lower()] = groups[value_at]
                break
        else:
            value = next(g for g in groups[6:] if g is not None)
            attrs[str(position)] = value
            position += 1
    return attrs


def _pattern(names: Iterable[str]) -> re.Pattern[str]:
    return _compiled_pattern(tuple(sorted(set(names), key=lambda n: (-len(n), n))))


@lru_cache(maxsize=64)
def _compiled_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    # get_shortcode_regex(): 1 escape "[", 2 name, 3 attributes, 4 self-closing "/",
    # 5 content, 6 escape "]".
    tags = "|".join(re.escape(n) for n in names)
    return re.compile(
        r"\[(\[?)(" + tags + r")(?![\w-])([^\]/]*(?:/(?!\])[^\]/]*)*?)"
        r"(?:(/)\]|\](?:([^\[]*+(?:\[(?!/\2\])[^\[]*+)*+)\[/\2\])?)(\]?)"
    )


@dataclass
class ShortcodeRegistry:
    """Handlers by shortcode name; copy and change it to replace or add a handler."""

    handlers: dict[str, Handler] = field(default_factory=dict)
    #: (pattern, handler) for plugins whose names vary (CodeColorer's [cc], [ccnLe_php]...).
    families: list[tuple[re.Pattern[str], Handler]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._compiled: re.Pattern[str] | None = None

    def register(self, name: str, handler: Handler) -> None:
        self.handlers[name.lower()] = handler
        self._compiled = None

    def register_family(self, pattern: str, handler: Handler) -> None:
        """Handle every name that ``pattern`` matches in full (any case)."""
        self.families.append((re.compile(pattern, re.I), handler))

    def copy(self, changes: Mapping[str, Handler] | None = None) -> ShortcodeRegistry:
        registry = ShortcodeRegistry(dict(self.handlers), list(self.families))
        for name, handler in (changes or {}).items():
            registry.register(name, handler)
        return registry

    def handler(self, name: str) -> Handler | None:
        found = self.handlers.get(name.lower())
        if found is None:
            for pattern, family_handler in self.families:
                if pattern.fullmatch(name):
                    return family_handler
        return found

    def knows(self, name: str) -> bool:
        return self.handler(name) is not None

    def names(self) -> list[str]:
        return sorted(self.handlers)

    def expand(
        self, text: str, context: Any, only: Iterable[str] | None = None, families: bool = True
    ) -> str:
        """``do_shortcode``: each registered shortcode replaced by its handler's HTML
        (``only`` those names, and the families' names when ``families``)."""
        if "[" not in text:
            return text
        names = [n for n in only if n in self.handlers] if only is not None else list(self.handlers)
        if families and self.families:
            names += {
                m.group(2)
                for m in _CANDIDATE.finditer(text)
                if m.group(2).lower() not in self.handlers and self.knows(m.group(2))
            }
        if not names:
            return text
        pattern = _pattern(names)

        def replace(match: re.Match[str]) -> str:
            if match.group(1) == "[" and match.group(6) == "]":
                return match.group(0)[1:-1]  # [[name]] is a literal [name]
            handler = self.handler(match.group(2))
            if handler is None:
                return match.group(0)
            code = Shortcode(
                match.group(2).lower(), parse_attributes(_plain(match.group(3))), match.group(5)
            )
            return match.group(1) + handler(code, context) + match.group(6)

        return pattern.sub(replace, text)


_LINK = re.compile(r"""<a\b[^>]*?\bhref\s*=\s*["']([^"']*)["'][^>]*>.*?</a\s*>""", re.I | re.S)
_ANY_TAG = re.compile(r"<[A-Za-z/][^>]*>")


def _plain(attributes: str) -> str:
    """Attribute text as the author meant it: the editor may have made a URL into a link
    (``[youtube <a href="URL">URL</a>]``): the link's target, no tags."""
    if "<" not in attributes:
        return attributes
    return _ANY_TAG.sub("", _LINK.sub(lambda m: m.group(1), attributes))


def protect_escaped(text: str, names: Iterable[str], keep: Callable[[str], str]) -> str:
    """``[[name ...]]`` and ``[[/name]]`` (WordPress's escape) as the literal ``[name ...]``
    and ``[/name]``, set aside so that no later pass expands them."""
    if "[[" not in text:
        return text
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    pattern = re.compile(r"\[\[(/?(?:" + alternatives + r")(?![\w-])[^\[\]]*)\]\]", re.I)
    return pattern.sub(lambda m: keep("[" + m.group(1) + "]"), text)


def count_unknown(text: str, known: Iterable[str], counts: Counter[str]) -> None:
    """Count what looks like a shortcode no handler knows: ``[name attr=...]``,
    ``[name /]`` or ``[name]...[/name]`` (plain ``[1]`` or ``[sic]`` are prose)."""
    if "[" not in text:
        return
    known = {n.lower() for n in known}
    closers = {m.group(2).lower() for m in _CANDIDATE.finditer(text) if m.group(1)}
    for match in _CANDIDATE.finditer(text):
        slash, name, attrs, void = match.groups()
        name = name.lower()
        if slash or name in known:
            continue
        if "=" in attrs or void or name in closers:
            counts[name] += 1
