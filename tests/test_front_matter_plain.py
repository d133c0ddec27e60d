"""YAML front matter written entry by entry must be the dumper's YAML, byte for byte.

The usual entries (plain text, numbers, dates, lists of plain text, comments with their
replies, their texts plain, quoted or literal blocks) are written directly;
these tests hold that writing to PyYAML's own output on values made to sit on every edge
of "plain": indicators, ``: `` and `` #``, YAML 1.1 and 1.2 words, spaces at the ends,
control and line-breaking characters, the byte order mark, emoji, offsets.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wpmigrate.exporters.markdown.frontmatter import (
    _yaml,
    _yaml_by_entry,
    parse_front_matter,
    render_front_matter,
)

PIECES = [
    "a", "Z", "ü", "日本", "😀", "𝐀", " ", "  ", ":", ": ", " #", "#", "-", "- ", "?", ",",
    "[", "]", "{", "}", "'", '"', "\\", "|", ">", "!", "&", "*", "%", "@", "`", "\t", "\n",
    "\r", "\x85", "\u2028", "\u2029", "\ufeff", "\x00", "\x7f", "\xa0", "\ufffe", "yes",
    "No", "on", "OFF", "null", "~", "true", "y", "n", "1", "0x1F", "1_000", "1:20", ".inf",
    "---", "...", "=", "<<", "2024-01-02", "e3", ".", "+",
]  # fmt: skip
texts = st.one_of(
    st.lists(st.sampled_from(PIECES), max_size=6).map("".join),
    st.text(max_size=12),
)
zones = st.sampled_from(
    [None, UTC, timezone(timedelta(hours=2)), timezone(timedelta(hours=-9, minutes=-30))]
)
dates = st.builds(
    lambda when, zone: when.replace(tzinfo=zone),
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)),
    zones,
)
multiline = st.lists(
    st.sampled_from(PIECES + ["\n", "\n\n", "  \n", "\n  ", "word"]), max_size=10
).map("".join)
comment_values = st.one_of(texts, multiline, st.integers(), st.none(), dates)
comments = st.recursive(
    st.lists(
        st.dictionaries(st.sampled_from(["id", "author", "date", "content"]), comment_values),
        max_size=3,
    ),
    lambda children: st.lists(
        st.fixed_dictionaries(
            {"id": st.integers(0, 99), "content": multiline, "replies": children}
        ),
        max_size=2,
    ),
    max_leaves=6,
)
values = st.one_of(
    comments,
    multiline,
    texts,
    st.lists(texts, max_size=4),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.booleans(),
    st.none(),
    dates,
    st.lists(st.dictionaries(st.sampled_from(["id", "author", "content"]), texts), max_size=2),
    # A post's taxonomies: lists of names by taxonomy, and mappings nested deeper.
    st.recursive(
        st.dictionaries(
            st.sampled_from(["post_format", "genre", "on", "x y"]),
            st.one_of(st.lists(texts, max_size=3), texts, st.integers(), st.none()),
            max_size=3,
        ),
        lambda inner: st.dictionaries(st.sampled_from(["a", "b_2"]), inner, max_size=2),
        max_leaves=4,
    ),
)
keys = st.one_of(
    st.sampled_from(["title", "date", "tags", "_x", "a1"]),
    st.sampled_from(["on", "y", "no", "Title 2", "é"]),  # quoted or not simple: the dumper's
)


@settings(max_examples=5000, deadline=None)
@given(texts)
def test_a_text_entry_is_the_dumpers(text: str) -> None:
    for fields in (
        {"title": text},
        {"tags": [text, "plain"]},
        {"comments": [{"id": 1, "content": text, "replies": [{"content": text}]}]},
    ):
        by_entry = _yaml_by_entry(fields)
        if by_entry is not None:
            assert by_entry == _yaml(fields, False)


@settings(max_examples=4000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(keys, values, min_size=1, max_size=6))
def test_entry_by_entry_is_the_dumpers_yaml(fields: dict[str, Any]) -> None:
    by_entry = _yaml_by_entry(fields)
    if by_entry is None:
        return  # the dumper writes it, as before
    assert by_entry == _yaml(fields, False)
    assert yaml.load(by_entry, Loader=yaml.SafeLoader) == fields


@pytest.mark.parametrize(
    "fields",
    [
        {"title": "Über „Zitate“ & more", "tags": ["a b", "C++ 20"], "draft": False},
        {"title": "x", "date": datetime(2013, 10, 12, 14, 15, tzinfo=timezone(timedelta(hours=2)))},
        {"id": 3320, "categories": [], "summary": None},
        {"title": "Ende:", "tags": ["#1", "a #b"]},  # written by the dumper (quoted)
        {"comments": [{"author": "Ana", "content": "Zeile 1\nZeile 2"}], "title": "T"},
        {"taxonomies": {"post_format": ["Aside"], "genre": []}, "extra": {}},
    ],
)
def test_usual_front_matter_is_the_dumpers(fields: dict[str, Any]) -> None:
    text = render_front_matter(fields, "yaml")
    assert text == "---\n" + _yaml(fields, False) + "---\n"
    assert parse_front_matter(text, "yaml") == fields


def test_a_field_name_to_quote_sends_the_whole_mapping_to_the_dumper() -> None:
    fields = {"title": "Plain", "on": "a value"}
    assert _yaml_by_entry(fields) is None
    text = render_front_matter(fields, "yaml")
    assert text == "---\ntitle: Plain\n'on': a value\n---\n"
    assert parse_front_matter(text, "yaml") == fields
