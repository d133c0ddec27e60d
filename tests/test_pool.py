"""Worker processes: forked_map's order and errors, and shared state read in the workers."""

from __future__ import annotations

import os

import pytest

from wpmigrate.packed import PackedStrings
from wpmigrate.pool import forked_call, forked_map

WORDS = ["post/hello.md", "", "seite/grüße-ä.md", "页面/日本語.md", "😀/emoji.md", "x"]


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


def _pid_and(value: int) -> tuple[int, int]:
    if value < 0:
        raise ValueError("negative")
    return os.getpid(), value * 2


def test_forked_call_runs_apart_and_sends_back_result_or_error() -> None:
    pid, doubled = forked_call(_pid_and, 21)
    assert doubled == 42 and pid != os.getpid()
    with pytest.raises(ValueError, match="negative"):
        forked_call(_pid_and, -1)
