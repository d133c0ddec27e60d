"""Runtime faults: a conversion killed with SIGKILL at random points leaves no half
file under a final name, and a re-run gives the same bytes as a clean run; a full disk
is a clear error; the output never depends on the read chunk size or the run.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import wpmigrate

from .conftest import FIXTURES, SEED, corpus_files

pytestmark = pytest.mark.slow

EXPORT = next(p for p in corpus_files("real") if p.name.startswith("Marinbiologene"))
KILLS = 20


def sha256_tree(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _command(to: str, out: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "wpmigrate",
        "convert",
        str(EXPORT),
        "--to",
        to,
        "--out",
        str(out),
        "-q",
        *(["--jobs", "2"] if to == "markdown" else []),
    ]


def _kill_at(command: list[str], delay: float) -> None:
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    time.sleep(delay)
    try:
        os.killpg(process.pid, signal.SIGKILL)  # the workers too
    except ProcessLookupError:
        pass
    process.wait()


def _duration(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def test_markdown_killed_anywhere(tmp_path: Path) -> None:
    clean = tmp_path / "clean"
    duration = _duration(_command("markdown", clean))
    reference = sha256_tree(clean)
    chance = random.Random(20261126)
    for n in range(KILLS):
        out = tmp_path / f"run{n}"
        if n % 2:
            shutil.copytree(clean, out)  # a previous complete output
        _kill_at(_command("markdown", out), chance.uniform(0.0, duration))
        if out.exists():
            for name, digest in sha256_tree(out).items():
                if name.endswith(".part") or name == ".wpmigrate-manifest.json":
                    continue
                assert reference.get(name) == digest, f"kill {n}: {name} is not whole"
        subprocess.run(_command("markdown", out), check=True)
        assert sha256_tree(out) == reference, f"kill {n}: the re-run differs from a clean run"


def test_sqlite_killed_anywhere(tmp_path: Path) -> None:
    clean = tmp_path / "clean.db"
    duration = _duration(_command("sqlite", clean))
    reference = hashlib.sha256(clean.read_bytes()).hexdigest()
    chance = random.Random(42)
    for n in range(KILLS):
        out = tmp_path / f"run{n}" / "site.db"
        out.parent.mkdir()
        if n % 2:
            shutil.copy(clean, out)
        _kill_at(_command("sqlite", out), chance.uniform(0.0, duration))
        if out.exists():  # the previous database, or a whole new one: never half of one
            assert hashlib.sha256(out.read_bytes()).hexdigest() == reference, f"kill {n}"
        subprocess.run(_command("sqlite", out), check=True)
        assert hashlib.sha256(out.read_bytes()).hexdigest() == reference, f"kill {n}: re-run"


def test_a_full_disk_is_a_clear_error_and_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("wpmigrate.output.open", _opener_that_fills_up, raising=False)
    with pytest.raises(wpmigrate.OutputError, match="No space left on device"):
        wpmigrate.convert(SEED, tmp_path / "out.jsonl", to="jsonl")
    assert list(tmp_path.iterdir()) == []


class _FullFile:
    """A file whose disk is full: every write fails as ENOSPC does."""

    def __init__(self, path: str, mode: str, buffering: int = -1) -> None:
        self._handle = open(path, mode)

    def write(self, data: bytes) -> int:
        raise OSError(28, "No space left on device")

    def flush(self) -> None:
        pass

    def fileno(self) -> int:
        return self._handle.fileno()

    def close(self) -> None:
        self._handle.close()


def _opener_that_fills_up(path: str, mode: str = "r", buffering: int = -1) -> _FullFile:
    return _FullFile(path, mode, buffering)


@pytest.mark.parametrize(
    "to, out", [("jsonl", "o.jsonl"), ("markdown", "site"), ("sqlite", "o.db"), ("sql", "o.sql")]
)
def test_the_read_chunk_size_never_changes_the_output(to: str, out: str, tmp_path: Path) -> None:
    trees = []
    for chunk_size in (1024, 64 * 1024, 1 << 20):
        target = tmp_path / str(chunk_size) / out
        report = wpmigrate.convert(
            FIXTURES / "features-1.2.xml", target, to=to, chunk_size=chunk_size
        )
        assert report.exit_code == 0
        trees.append(sha256_tree(target.parent))
    assert trees[0] == trees[1] == trees[2]
