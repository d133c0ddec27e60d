"""Fuzzing the reader: exports mutated byte by byte (seeded with real and hostile files)
must give records or one of our own errors, never any other exception.

A bounded run (500 mutated files) is part of every test run; ``pytest --slow`` runs
20,000. A longer search: ``pytest tests/test_fuzz.py --slow -p no:cacheprovider`` with
``HYPOTHESIS_PROFILE`` left at its default, repeated as long as wanted.
"""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import wpmigrate

from .conftest import FIXTURES, SEED, corpus_files

pytestmark = pytest.mark.slow

SEEDS = [
    SEED.read_bytes(),
    (FIXTURES / "features-1.2.xml").read_bytes(),
    (FIXTURES / "wxr-1.0.xml").read_bytes(),
    (FIXTURES / "hostile" / "sql-values.xml").read_bytes(),
    *(p.read_bytes() for p in corpus_files("importer-tests") if p.stat().st_size < 20_000),
]
INTERESTING = [
    b"<",
    b">",
    b"&",
    b"]]>",
    b"<![CDATA[",
    b"<!DOCTYPE x [<!ENTITY a 'b'>]>",
    b"\x00",
    b"\xff",
    b"\xc3",
    b"&#x10;",
    b"&nbsp;",
    b"</item>",
    b"<item>",
    b"\r\n",
    b"\xef\xbb\xbf",
]


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 8))):
        where = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["insert", "delete", "replace", "cut"]))
        piece = draw(st.one_of(st.sampled_from(INTERESTING), st.binary(min_size=1, max_size=8)))
        if action == "insert":
            data[where:where] = piece
        elif action == "delete":
            del data[where : where + draw(st.integers(1, 64))]
        elif action == "replace":
            data[where : where + len(piece)] = piece
        else:
            del data[where:]
    return bytes(data)


def runs(request: pytest.FixtureRequest) -> int:
    return 20_000 if request.config.getoption("--slow") else 500


def test_the_reader_only_ever_raises_its_own_errors(request: pytest.FixtureRequest) -> None:
    @settings(
        max_examples=runs(request),
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(mutated())
    def check(data: bytes) -> None:
        try:
            for _ in wpmigrate.read(io.BytesIO(data)):
                pass
        except wpmigrate.InputError as exc:
            assert exc.one_line()  # a message for people, with where it broke

    check()


def test_a_conversion_of_a_mutated_file_reports_instead_of_raising(
    request: pytest.FixtureRequest,
) -> None:
    @settings(
        max_examples=runs(request) // 5,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(mutated())
    def check(data: bytes) -> None:
        out = io.BytesIO()
        report = wpmigrate.convert(io.BytesIO(data), out, to="jsonl")
        assert report.exit_code in (0, 1, 3)
        assert report.balanced()
        if report.exit_code == 3:
            assert report.error and report.error["message"]

    check()
