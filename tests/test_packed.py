"""The compact per-post tables: what goes in reads back the same, odd values included."""

from __future__ import annotations

import pickle
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from wpmigrate.exporters.markdown.index import Entries, Entry
from wpmigrate.packed import IdIndex, IdTable, PackedStrings, StringKeys
from wpmigrate.records import Post

WORDS = ["post/hello.md", "", "seite/grüße-ä.md", "页面/日本語.md", "😀/emoji.md", "x", "\ud800"]


def test_packed_strings_read_back_as_given() -> None:
    packed = PackedStrings(WORDS)
    assert len(packed) == len(WORDS)
    assert list(packed) == WORDS
    assert [packed[n] for n in range(-len(WORDS), 0)] == WORDS
    assert packed[1:4] == WORDS[1:4] and packed[::-2] == WORDS[::-2]
    assert "x" in packed and packed.index("") == 1
    with pytest.raises(IndexError):
        packed[len(WORDS)]
    assert list(PackedStrings()) == []


def test_packed_strings_grow_and_read_between_appends() -> None:
    packed = PackedStrings()
    for n, word in enumerate(WORDS):
        packed.append(word)
        assert packed[n] == word and len(packed) == n + 1
    assert list(packed) == WORDS


# (id, value) in the order added: ints repeated and out of order, and odd ids kept aside.
ADDED = [
    (7, "a"),
    (3, "b"),
    (7, "c"),
    (-2, "d"),
    ("12x", "e"),
    (2**70, "f"),
    (3, "g"),
    (0, "h"),
    ("12x", "i"),
    (-(2**63), "j"),
]


@pytest.mark.parametrize("seal_first", [False, True])
def test_id_table_answers_as_a_dict_of_lists_would(seal_first: bool) -> None:
    table, expected = IdTable(), {}
    for key, value in ADDED:
        table.add(key, value)
        expected.setdefault(key, []).append(value)
    if seal_first:
        table.seal()
    assert len(table) == len(ADDED)
    for key in [*expected, 5, -1, "7", 2**64, None]:
        assert table.all(key) == expected.get(key, [])
        assert table.first(key) == (expected[key][0] if key in expected else None)


def test_id_table_sorts_again_after_an_addition() -> None:
    table = IdTable()
    table.add(5, "old")
    assert table.first(4) is None
    table.add(4, "new")
    table.add(5, "later")
    assert table.first(4) == "new" and table.all(5) == ["old", "later"]


def _post(**fields: object) -> Post:
    base = Post(
        key="12",
        id=12,
        type="post",
        status="publish",
        title="Hallo",
        link="https://example.org/hallo/",
        date=datetime(2024, 1, 2, tzinfo=UTC),
    )
    return replace(base, **fields)


def test_entries_read_back_every_field_and_odd_ids() -> None:
    entries = Entries()
    posts = [
        (_post(meta=(("_thumbnail_id", "44"),)), "hallo", "2024-01-02", True, False),
        (
            _post(key="x", id=None, parent_id="99999999999999999999", type="page", status="draft"),
            "seite-ä",
            "0000-00-00",
            False,
            True,
        ),
        (_post(key="n", id=-(2**63), parent_id=2**63 - 1, link=""), "", "2020-12-31", True, True),
        (_post(key="t", meta=(("_thumbnail_id", "9" * 30),)), "t", "1999-09-09", False, False),
    ]
    for post, slug, day, draft, comments in posts:
        entries.append(post, slug, day, draft=draft, comments=comments)
    expected = [
        Entry(0, "12", 12, "post", "publish", "hallo", None, "2024-01-02",
              "https://example.org/hallo/", 44, True, False),
        Entry(1, "x", None, "page", "draft", "seite-ä", "99999999999999999999", "0000-00-00",
              "https://example.org/hallo/", None, False, True),
        Entry(2, "n", -(2**63), "post", "publish", "", 2**63 - 1, "2020-12-31", "", None,
              True, True),
        Entry(3, "t", 12, "post", "publish", "t", None, "1999-09-09",
              "https://example.org/hallo/", int("9" * 30), False, False),
    ]  # fmt: skip
    assert list(entries) == expected
    assert entries[-1] == expected[-1] and entries[1:3] == expected[1:3]
    assert [entries.post_id(n) for n in range(4)] == [e.post_id for e in expected]
    assert [entries.parent_id(n) for n in range(4)] == [e.parent_id for e in expected]
    assert [entries.slug(n) for n in range(4)] == [e.slug for e in expected]
    with pytest.raises(IndexError):
        entries[4]


def test_packed_strings_on_disk_read_back_across_blocks() -> None:
    # Long and short strings, so reads straddle what is written and what is not yet.
    words = [f"{n}-" + "ä" * (n * 997 % 70_000) + WORDS[n % len(WORDS)] for n in range(300)]
    packed = PackedStrings(on_disk=True)
    for n, word in enumerate(words):
        packed.append(word)
        assert packed[n] == word
    assert packed._file is not None and packed._written > 0  # it did go to disk
    assert list(packed) == words
    assert [packed[n] for n in range(len(words))] == words
    assert packed[-1] == words[-1] and packed[5:9] == words[5:9]


def test_string_keys_keep_the_first_number_across_seals() -> None:
    keys, expected = StringKeys(["a/b.md", "a/b.md"]), {"a/b.md": 0}
    # Enough strings that CRC-32s repeat in their lowest bits and reads cross blocks.
    batches = [[f"posts/{n % 5000}-{'ü' * (n % 7)}.md" for n in range(start, start + 4000)]
               for start in (0, 3000, 9000)]  # fmt: skip
    number = 1
    for batch in batches:
        for key in batch:
            assert keys.setdefault(key, number) == (key not in expected)
            expected.setdefault(key, number)
            number += 1
        assert keys.get(batch[0]) == expected[batch[0]]  # before the seal, too
        keys.seal()
        assert len(keys) == len(expected)
        assert all(keys.get(key) == value for key, value in expected.items())
    assert sorted(keys) == sorted(expected)
    assert "posts/5001.md" not in keys and 12 not in keys and keys.get("") is None
    assert "a/b.md" in keys


def test_string_keys_tell_apart_strings_of_one_crc() -> None:
    keys = StringKeys()
    assert keys.setdefault("plumless", 1) and keys.setdefault("buckeroo", 2)  # one CRC-32
    keys.seal()
    assert (keys.get("plumless"), keys.get("buckeroo"), keys.get("x")) == (1, 2, None)
    assert not keys.setdefault("buckeroo", 3) and keys.get("buckeroo") == 2


@pytest.mark.parametrize("on_disk", [False, True])
def test_packed_tables_travel_pickled(on_disk: bool) -> None:
    words = [f"{n}-{WORDS[n % len(WORDS)]}" * (n % 50) for n in range(5000)]
    packed = PackedStrings(words, on_disk=on_disk)
    keys = StringKeys(words)
    keys.seal()
    copy, keys_copy = pickle.loads(pickle.dumps((packed, keys)))
    assert list(copy) == words and copy[4999] == words[4999]
    assert (copy._file is not None) == (on_disk and packed._file is not None)
    copy.append("more")  # and it goes on growing
    assert copy[-1] == "more" and copy[:3] == words[:3]
    assert all(key in keys_copy for key in words) and "more" not in keys_copy


def test_id_index_in_ascending_order_then_not() -> None:
    index = IdIndex()
    for position, key in enumerate([1, 2, 2, 5, 9]):  # as most exports: no sort needed
        index.add(key, position)
    assert index.all(2) == [1, 2] and index.first(9) == 4 and index.first(3) is None
    index.add(4, 5)  # out of order now: sorted at the next lookup
    assert index.first(4) == 5 and index.all(2) == [1, 2] and index.first(9) == 4


def test_id_index_finds_the_positions_of_each_id() -> None:
    index = IdIndex()
    for position, (key, _value) in enumerate(ADDED):
        index.add(key, position)
    assert index.first(7) == 0 and index.all(7) == [0, 2] and index.all(3) == [1, 6]
    assert index.first("12x") == 4 and index.all("12x") == [4, 8]
    assert index.first(8) is None and index.all("nope") == [] and len(index) == len(ADDED)
