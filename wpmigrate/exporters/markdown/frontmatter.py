"""Front matter in YAML, TOML or JSON: the usual YAML written directly, the rest by a library
and read back before use.

A title can hold anything (``\\n---\\n``, ``key: value``, ``!!python/object``, ``no``,
``012``, U+0085, U+2028), so nothing is assembled by hand but the YAML forms whose rules
are known to the letter, written as the dumper writes them (tests hold the two to the
same bytes): plain scalars of letters and ordinary characters, numbers, booleans, null,
dates, lists of those, and comments (their texts single- or double-quoted or literal
blocks, as libyaml chooses). Everything else goes through PyYAML's safe dumper, tomli-w or
``json``, and the text is parsed again and compared with what went in. When YAML's
first form does not read back equal (PyYAML writes U+0085 raw and reads it back as a
line break), it is written again with every non-ASCII character escaped; anything that
still differs is refused, never written.
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, Literal

import tomli_w
import yaml

from ...errors import WpmigrateError

__all__ = [
    "FrontMatterError",
    "FORMATS",
    "render_front_matter",
    "parse_front_matter",
    "render_data",
]

Format = Literal["yaml", "toml", "json"]
FORMATS: tuple[Format, ...] = ("yaml", "toml", "json")
_FENCES = {"yaml": ("---\n", "---\n"), "toml": ("+++\n", "+++\n"), "json": ("", "")}


class FrontMatterError(WpmigrateError):
    """The fields cannot be written so that they read back as they are."""


# libyaml's emitter and parser where PyYAML was built with them (the pure-Python ones are
# ten times slower); the representers, and so the output, are the same.
_SafeDumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Safe YAML with multi-line strings as literal blocks where that reads back equal; made
#: with type() because its base is chosen at run time.
_Dumper: type[yaml.SafeDumper] = type("_Dumper", (_SafeDumper,), {})


# Characters PyYAML would write raw but read back differently, or that editors hide:
# in double quotes they are escaped (U+0085 as \N, U+2028 as \L...).
_QUOTE_ESCAPED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff]")


# Text that a YAML 1.2 reader (Hugo's Go parser, js-yaml in Eleventy and Astro) takes
# for a number, boolean or null where PyYAML (YAML 1.1) writes it plain: "080414",
# "0o17", "1_000", "True". Quoted, every reader gets the same string.
_OTHER_YAML_READS = re.compile(
    r"[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
    r"|0[oxb][0-9a-fA-F_]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
    r"|true|True|TRUE|false|False|FALSE|null|Null|NULL|~|y|Y|n|N|yes|Yes|YES|no|No|NO"
    r"|on|On|ON|off|Off|OFF|[0-9]+(?::[0-5]?[0-9])+(?:\.[0-9]*)?"
)
# A leading character some readers take as syntax even where YAML allows it plain
# (Ruby's reader, in Jekyll, rejects ":)").
_SPECIAL_START = frozenset(":%@`!&*?|>{[,#-'\"")


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style: str | None = None
    if _QUOTE_ESCAPED.search(value):
        style = '"'
    elif "\n" in value and value == value.strip():
        style = "|"
    elif _OTHER_YAML_READS.fullmatch(value) or value[:1] in _SPECIAL_START:
        style = "'"
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def _yaml(fields: dict[str, Any] | list[Any], ascii_only: bool) -> str:
    dumper = _SafeDumper if ascii_only else _Dumper
    return str(
        yaml.dump(
            fields,
            Dumper=dumper,
            allow_unicode=not ascii_only,
            sort_keys=False,
            default_flow_style=False,
            width=2**31 - 1,
        )
    )


# Field names written plain (never quoted) by the dumper: identifiers that no reader
# takes for anything but a string ("on", "no" and the like are quoted).
_SIMPLE_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Characters libyaml writes as they are in a plain scalar (its "printable" set, with the
# byte order mark and everything beyond the Basic Multilingual Plane left out).
_PLAIN_CHARACTERS = re.compile("[ -~\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd]+")


def _simple_key(key: Any) -> bool:
    """Whether the dumper writes ``key`` as it is (never quoted)."""
    return (
        isinstance(key, str)
        and _SIMPLE_KEY.fullmatch(key) is not None
        and _OTHER_YAML_READS.fullmatch(key) is None
    )


def _plain(value: str) -> bool:
    """Whether the dumper writes ``value`` as a plain scalar that reads back as itself:
    our representer leaves its style open (see _represent_str) and libyaml chooses plain
    (a letter first; no line break, tab or control character; no ``": "`` or ``" #"``,
    which start a mapping or a comment; no space or ``":"`` at the end)."""
    return (
        value[:1].isalpha()
        and _PLAIN_CHARACTERS.fullmatch(value) is not None
        and _QUOTE_ESCAPED.search(value) is None
        and value[-1] not in " :"
        and ": " not in value
        and " #" not in value
        and _OTHER_YAML_READS.fullmatch(value) is None
    )


# libyaml's printable characters (with allow_unicode), less its line breaks, the
# double quote and the backslash: in a double-quoted scalar everything else is escaped.
_DOUBLE_QUOTED_ESCAPE = re.compile(
    "[^ -!#-\\[\\]-~\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]"
)
_NAMED_ESCAPES = {
    "\x00": "0", "\x07": "a", "\x08": "b", "\t": "t", "\n": "n", "\x0b": "v", "\x0c": "f",
    "\r": "r", "\x1b": "e", '"': '"', "\\": "\\", "\x85": "N", "\u2028": "L", "\u2029": "P",
}  # fmt: skip
# What libyaml counts as not printable (so never plain, single-quoted or a block).
_SPECIAL = re.compile("[^\n -~\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd]")
_BREAK = re.compile("[\n\r\x85\u2028\u2029]")
_SPACE_BREAK = re.compile(" [\n\r\x85\u2028\u2029]")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED_ESCAPES.get(char)
    if named is not None:
        return "\\" + named
    code = ord(char)
    return (
        f"\\x{code:02X}"
        if code <= 0xFF
        else f"\\u{code:04X}"
        if code <= 0xFFFF
        else f"\\U{code:08X}"
    )


def _text(value: str, indent: int) -> str | None:
    """A text value (after its key) as the dumper writes it at this indentation: plain,
    single-quoted, double-quoted or a literal block, the style _represent_str asks for
    and libyaml settles; None for the cases left to the dumper (text that may be plain
    without passing _plain, single quotes around line breaks)."""
    if _plain(value):
        return f" {value}\n"
    special = _SPECIAL.search(value) is not None
    space_break = _SPACE_BREAK.search(value) is not None
    breaks = _BREAK.search(value) is not None
    if _QUOTE_ESCAPED.search(value):
        style = '"'
    elif "\n" in value and value == value.strip():
        style = "|" if not (special or space_break) else '"'
    else:
        forced = _OTHER_YAML_READS.fullmatch(value) or value[:1] in _SPECIAL_START
        never_plain = (
            not value or value[0] == " " or value[-1] == " " or value[-1] == ":"
            or ": " in value or " #" in value or breaks
        )  # fmt: skip
        if not (forced or never_plain):
            return None
        # Single quotes around a line break fold it: left to the dumper (None below).
        style = "'" if not (special or space_break) else '"'
    if style == "|":
        pad = " " * (indent + 2)
        return " |-\n" + "".join(f"{pad}{line}\n" if line else "\n" for line in value.split("\n"))
    if style == "'":
        return None if breaks else " '" + value.replace("'", "''") + "'\n"
    return ' "' + _DOUBLE_QUOTED_ESCAPE.sub(_escape, value) + '"\n'


def _scalar(value: Any) -> str | None:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat(" ")
    return None


def _value(value: Any, indent: int) -> str | None:
    """What follows ``key:`` for a value of a mapping at ``indent``: scalars, text, and
    lists and mappings of those (a post's comments, replies nested; its taxonomies);
    None for the rest."""
    scalar = _scalar(value)
    if scalar is not None:
        return f" {scalar}\n"
    if isinstance(value, str):
        return _text(value, indent)
    if isinstance(value, dict):
        if not value:
            return " {}\n"
        mapping = _mapping(value, indent + 2)
        return None if mapping is None else "\n" + mapping
    if isinstance(value, list):
        if not value:
            return " []\n"
        if all(isinstance(item, str) and _plain(item) for item in value):
            return "\n" + "".join(f"{' ' * indent}- {item}\n" for item in value)
        parts = ["\n"]
        for item in value:
            if not isinstance(item, dict):
                return None
            if not item:
                parts.append(f"{' ' * indent}- {{}}\n")
                continue
            mapping = _mapping(item, indent + 2)
            if mapping is None:
                return None
            parts.append(f"{' ' * indent}- " + mapping[indent + 2 :])
        return "".join(parts)
    return None


def _mapping(fields: dict[str, Any], indent: int) -> str | None:
    """A block mapping's entries at ``indent``, as the dumper writes them; None when any
    key or value is beyond what _value writes."""
    parts = []
    for key, value in fields.items():
        if not _simple_key(key):
            return None
        text = _value(value, indent)
        if text is None:
            return None
        parts.append(f"{' ' * indent}{key}:{text}")
    return "".join(parts)


def _yaml_by_entry(fields: dict[str, Any]) -> str | None:
    """The YAML the dumper writes for ``fields``, entry by entry: the usual shapes
    directly (each one a form that reads back as itself), the others through the dumper
    and read back one by one. None when any entry needs more (a field name to quote, an
    entry that reads back only with every non-ASCII character escaped): the whole
    mapping then goes the dumper's way, as it always did."""
    parts = []
    for key, value in fields.items():
        if not _simple_key(key):
            return None
        text = _value(value, 0)
        if text is not None:
            parts.append(f"{key}:{text}")
            continue
        entry = _yaml({key: value}, False)
        try:
            if entry.endswith("...\n") or _load(entry, "yaml") != {key: value}:
                return None
        except yaml.YAMLError:
            return None
        parts.append(entry)
    return "".join(parts)


def _json_safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def _toml_safe(value: Any) -> Any:
    # TOML has no null: absent is how it says "none".
    if isinstance(value, dict):
        return {k: _toml_safe(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_toml_safe(v) for v in value if v is not None]
    return value


def _expected(fields: dict[str, Any] | list[Any], form: Format) -> Any:
    if form == "json":
        return _json_safe(fields)
    if form == "toml":
        return _toml_safe(fields)
    return fields


def parse_front_matter(text: str, form: Format) -> Any:
    """The fields of a front matter block written by :func:`render_front_matter`."""
    opening, closing = _FENCES[form]
    return _load(text[len(opening) : len(text) - len(closing)], form)


def _render(value: dict[str, Any] | list[Any], form: Format) -> tuple[str, Any]:
    """The body text (no fences) that reads back equal, and what it reads back as."""
    if isinstance(value, dict):
        for item in value.values():
            if isinstance(item, float) and not math.isfinite(item):
                raise FrontMatterError("front matter cannot hold NaN or infinity")
    wanted = _expected(value, form)
    attempts: list[Callable[[], str]]
    if form == "yaml":
        body = _yaml_by_entry(value) if isinstance(value, dict) and value else None
        if body is not None:
            return body, wanted
        attempts = [lambda: _yaml(value, False), lambda: _yaml(value, True)]
    elif form == "toml":
        attempts = [lambda: tomli_w.dumps(wanted, multiline_strings=False)]
    else:
        attempts = [
            lambda: (
                json.dumps(wanted, ensure_ascii=False, indent=2)
                .replace("\u2028", "\\u2028")
                .replace("\u2029", "\\u2029")
                .replace("\u0085", "\\u0085")
                + "\n"
            )
        ]
    for attempt in attempts:
        body = attempt()
        try:
            if _load(body, form) == wanted:
                return body, wanted
        except (yaml.YAMLError, tomllib.TOMLDecodeError, ValueError):
            continue
    raise FrontMatterError(f"the {form} front matter did not read back as written")


def _load(body: str, form: Format) -> Any:
    if form == "yaml":
        return yaml.load(body, Loader=_SafeLoader)
    if form == "toml":
        return tomllib.loads(body)
    return json.loads(body)


def render_front_matter(fields: dict[str, Any], form: Format = "yaml") -> str:
    """The front matter block, fences included, checked by reading it back."""
    body, _ = _render(fields, form)
    opening, closing = _FENCES[form]
    return opening + body + closing


def render_data(value: list[Any] | dict[str, Any], form: Literal["json", "yaml"]) -> str:
    """A data file (comments) in JSON or YAML, checked the same way."""
    body, _ = _render(value, form)
    return body
