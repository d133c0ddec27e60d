"""Worker processes: forked_map's order and errors, and PackedStrings read as a sequence."""

from __future__ import annotations

import os

import pytest

from wpmigrate.pool import PackedStrings, forked_map

WORDS = ["post/hello.md", "", "seite/grüße-ä.md", "页面/日本語.md", "😀/emoji.md", "x"]


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


def _twice(shared: PackedStrings, number: int) -> tuple[int, str, int]:
    return number, shared[number] * 2, os.getpid()


def test_forked_map_keeps_order_and_reads_shared_state() -> None:
    packed = PackedStrings(WORDS)
    results = list(forked_map(_twice, packed, list(range(len(WORDS))), jobs=2))
    assert [(n, text) for n, text, _ in results] == [(n, w * 2) for n, w in enumerate(WORDS)]
    assert os.getpid() not in {pid for _, _, pid in results}  # ran in the workers


def _fail_on_three(shared: None, number: int) -> int:
    if number == 3:
        raise ValueError("three")
    return number


def test_forked_map_raises_a_workers_error() -> None:
    with pytest.raises(ValueError, match="three"):
        list(forked_map(_fail_on_three, None, list(range(6)), jobs=2))
