"""``--out`` behaves like the shell's ``>``: devices, FIFOs and symlinks are written into,
never replaced; a folder where a file is wanted is a usage error; files and folders get
the modes any Unix tool gives them (0666 and 0777 less the umask)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import wpmigrate
from wpmigrate.cli import cli

from .conftest import FIXTURES, SEED

WPMIGRATE = [sys.executable, "-m", "wpmigrate"]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stderr


def _null_device(folder: Path) -> Path:
    """A character device like /dev/null, made in a temporary folder."""
    device = folder / "null"
    try:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("mknod is not permitted here (needs root or CAP_MKNOD)")
    return device


@pytest.mark.parametrize("to", ["jsonl", "json", "sql"])
def test_a_character_device_stays_a_device(to: str, tmp_path: Path) -> None:
    device = _null_device(tmp_path)
    code, stderr = run("convert", str(SEED), "--to", to, "--out", str(device), "-q")
    assert code == 0, stderr
    info = device.lstat()
    assert stat.S_ISCHR(info.st_mode) and info.st_rdev == os.makedev(1, 3)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["null"]  # no temporary file left


def test_dev_null_itself_stays_a_device() -> None:
    code, stderr = run("convert", str(SEED), "--to", "jsonl", "--out", "/dev/null", "-q")
    assert code == 0, stderr
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)


def test_a_fifo_is_written_into_as_a_stream(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    # Another process reads the FIFO, as `wpmigrate ... --out pipe & cat pipe` would.
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    thread = threading.Thread(target=lambda: received.append(reader.communicate()[0]))
    thread.start()
    done = subprocess.run(
        [*WPMIGRATE, "convert", str(SEED), "--to", "jsonl", "--out", str(fifo), "-q"],
        capture_output=True,
        timeout=60,
    )
    thread.join(timeout=60)
    assert done.returncode == 0, done.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    lines = received[0].splitlines()
    assert len(lines) == 9 and b'"record":"site"' in lines[0].replace(b" ", b"")


@pytest.mark.parametrize("to, name", [("jsonl", "o.jsonl"), ("sqlite", "o.db"), ("sql", "o.sql")])
def test_a_symlink_is_followed_and_stays_a_link(to: str, name: str, tmp_path: Path) -> None:
    real = tmp_path / "real" / name
    real.parent.mkdir()
    real.write_bytes(b"old")
    link = tmp_path / name
    link.symlink_to(real)
    code, stderr = run("convert", str(SEED), "--to", to, "--out", str(link), "-q")
    assert code == 0, stderr
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_bytes() != b"old" and real.stat().st_size > 100
    assert sorted(p.name for p in real.parent.iterdir()) == [name]


def test_a_dangling_symlink_gets_its_target_made(tmp_path: Path) -> None:
    link = tmp_path / "o.jsonl"
    link.symlink_to(tmp_path / "made.jsonl")
    code, _ = run("convert", str(SEED), "--to", "jsonl", "--out", str(link), "-q")
    assert code == 0 and link.is_symlink() and (tmp_path / "made.jsonl").stat().st_size > 100


@pytest.mark.parametrize("to", ["jsonl", "json", "sqlite", "sql"])
def test_a_folder_where_a_file_is_wanted_is_a_usage_error(to: str, tmp_path: Path) -> None:
    code, stderr = run("convert", str(SEED), "--to", to, "--out", str(tmp_path))
    assert code == 2
    errors = [line for line in stderr.splitlines() if line.startswith("wpmigrate: error:")]
    assert len(errors) == 1 and "folder" in errors[0], stderr
    assert list(tmp_path.iterdir()) == []


def test_a_database_is_never_written_into_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    code, stderr = run("convert", str(SEED), "--to", "sqlite", "--out", str(fifo))
    assert code == 2 and "not a regular file" in stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_an_existing_file_keeps_its_mode(tmp_path: Path) -> None:
    out = tmp_path / "o.jsonl"
    out.write_bytes(b"")
    out.chmod(0o640)
    code, _ = run("convert", str(SEED), "--to", "jsonl", "--out", str(out), "-q")
    assert code == 0 and stat.S_IMODE(out.stat().st_mode) == 0o640


def _modes(root: Path) -> set[tuple[str, int]]:
    found = set()
    for path in [root, *root.rglob("*")]:
        kind = "folder" if path.is_dir() else "file"
        found.add((kind, stat.S_IMODE(path.stat().st_mode)))
    return found


@pytest.mark.parametrize(
    "umask, file_mode, folder_mode",
    [(0o022, 0o644, 0o755), (0o077, 0o600, 0o700), (0o002, 0o664, 0o775)],
)
def test_modes_follow_the_umask(
    umask: int, file_mode: int, folder_mode: int, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    commands = [
        ["--to", "jsonl", "--out", str(out / "o.jsonl"), "--report", str(out / "r.json")],
        ["--to", "json", "--out", str(out / "o.json")],
        ["--to", "sqlite", "--out", str(out / "o.db")],
        ["--to", "sql", "--out", str(out / "o.sql")],
        [
            "--to",
            "markdown",
            "-O",
            "preset=hugo",
            "-O",
            "redirects=netlify",
            "-O",
            "comments=data-file",
            "--out",
            str(out / "site"),
        ],
    ]
    for args in commands:
        done = subprocess.run(
            [*WPMIGRATE, "convert", str(FIXTURES / "features-1.2.xml"), *args, "-q"],
            capture_output=True,
            preexec_fn=lambda: os.umask(umask),
        )
        assert done.returncode == 0, done.stderr
    assert _modes(out) == {("file", file_mode), ("folder", folder_mode)}


def _writer_whose_folder_became_a_symlink(tmp_path: Path) -> tuple[Any, Path, Path]:
    """A writer that wrote posts/first.md, then posts/ moved away and a symlink to a folder
    outside took its place: (the writer, the root, the outside folder)."""
    from wpmigrate.paths import FolderWriter

    root, outside = tmp_path / "out", tmp_path / "outside"
    outside.mkdir()
    writer = FolderWriter(root)
    writer.write("posts/first.md", b"1")
    (root / "posts").rename(root / "moved")
    (root / "posts").symlink_to(outside, target_is_directory=True)
    return writer, root, outside


def test_a_folder_swapped_for_a_symlink_mid_run_leads_nowhere_else(tmp_path: Path) -> None:
    from wpmigrate.paths import FolderWriter

    writer, root, outside = _writer_whose_folder_became_a_symlink(tmp_path)
    writer.write("posts/second.md", b"2")  # into the folder opened before, wherever it is now
    writer.close()
    assert list(outside.iterdir()) == []
    assert sorted(p.name for p in (root / "moved").iterdir()) == ["first.md", "second.md"]
    with pytest.raises(wpmigrate.OutputError, match="symlink"):
        FolderWriter(root).write("posts/third.md", b"3")  # a new writer refuses the link
    assert list(outside.iterdir()) == []


def test_files_are_written_whole_in_their_folders(tmp_path: Path) -> None:
    from wpmigrate.paths import FolderWriter

    writer = FolderWriter(tmp_path / "out")
    big = bytes(range(256)) * 40_000  # more than one write() may take
    writer.write("a/b/c.bin", big)
    writer.write("top.txt", b"")
    writer.close()
    assert (tmp_path / "out/a/b/c.bin").read_bytes() == big
    assert (tmp_path / "out/top.txt").read_bytes() == b""
    assert not [p for p in (tmp_path / "out").rglob(".wpmigrate-*")]


@pytest.mark.parametrize(
    "unnamed,held_open",
    [(True, True), (False, True), (False, False)],
    ids=["made-unnamed", "renamed", "by-path"],
)
def test_a_file_is_replaced_whole_and_a_symlink_in_its_place_is_not_followed(
    unnamed: bool, held_open: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wpmigrate import paths
    from wpmigrate.paths import FolderWriter

    # Every way: Linux's unnamed files, a temporary name in a folder held open, and by
    # path where folders cannot be held open (Windows).
    monkeypatch.setattr(paths, "_HELD_OPEN", held_open)
    root, outside = tmp_path / "out", tmp_path / "outside.md"
    outside.write_text("theirs")
    writer = FolderWriter(root)
    writer._unnamed = unnamed
    writer.write("p/a.md", b"first")
    writer.write("p/a.md", b"second")
    (root / "p/link.md").symlink_to(outside)
    writer.write("p/link.md", b"ours")
    writer.close()
    assert (root / "p/a.md").read_bytes() == b"second"
    assert not (root / "p/link.md").is_symlink() and (root / "p/link.md").read_text() == "ours"
    assert outside.read_text() == "theirs"
    assert sorted(p.name for p in (root / "p").iterdir()) == ["a.md", "link.md"]
    mode = stat.S_IMODE((root / "p/a.md").stat().st_mode)
    umask = os.umask(0)
    os.umask(umask)
    assert mode == 0o666 & ~umask


def test_a_system_that_refuses_to_name_unnamed_files_gets_them_the_other_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wpmigrate import paths
    from wpmigrate.paths import FolderWriter

    real_link = os.link

    def refusing(source: str, *args: object, **kwargs: object) -> None:
        if str(source).startswith("/proc/self/fd/"):
            raise PermissionError(1, "Operation not permitted")
        real_link(source, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(paths.os, "link", refusing)
    writer = FolderWriter(tmp_path / "out")
    writer.write("p/a.md", b"whole")
    writer.write("p/b.md", b"also")
    writer.close()
    assert writer._unnamed is False  # tried once, then the portable way
    assert (tmp_path / "out/p/a.md").read_bytes() == b"whole"
    assert sorted(p.name for p in (tmp_path / "out/p").iterdir()) == ["a.md", "b.md"]


def test_by_path_a_folder_that_became_a_symlink_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wpmigrate import paths

    monkeypatch.setattr(paths, "_HELD_OPEN", False)  # as on Windows: nothing holds it
    writer, _root, outside = _writer_whose_folder_became_a_symlink(tmp_path)
    with pytest.raises(wpmigrate.OutputError, match="symlink"):
        writer.write("posts/second.md", b"2")
    assert list(outside.iterdir()) == []
