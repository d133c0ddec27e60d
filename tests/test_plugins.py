"""Plugins: the example CSV exporter installed into a new virtual environment and run
through its entry point; a broken plugin breaks nothing but itself."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from .conftest import ROOT, SEED

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def plugin_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new virtual environment with wpmigrate-csv installed by pip.

    It sees this environment's packages (wpmigrate and its dependencies) through a .pth
    file; the plugin itself is installed into it alone (pip fetches its build backend)."""
    home = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(with_pip=False).create(home)
    python = home / "bin" / "python"
    target = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    ours = [p for p in sys.path if p.endswith("site-packages") or p == str(ROOT)]
    Path(target, "parent-environment.pth").write_text("\n".join(ours) + "\n")
    done = subprocess.run(
        [
            python,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            str(ROOT / "examples" / "wpmigrate-csv"),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return python


def test_the_plugin_is_listed_and_converts(plugin_python: Path, tmp_path: Path) -> None:
    listed = subprocess.run(
        [plugin_python, "-m", "wpmigrate", "exporters"], capture_output=True, text=True
    )
    assert listed.returncode == 0
    assert (
        "csv  posts as a CSV table" in listed.stdout
        and "[plugin: wpmigrate_csv:CsvExporter]" in listed.stdout
    )
    out = tmp_path / "posts.csv"
    done = subprocess.run(
        [
            plugin_python,
            "-m",
            "wpmigrate",
            "convert",
            str(SEED),
            "--to",
            "csv",
            "--out",
            str(out),
            "-O",
            "columns=id,title,tags,comments",
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows == [
        ["id", "title", "tags", "comments"],
        [
            "211",
            "Social Media: Ohne die Unternehmen wird auch geredet",
            "Glaubwürdigkeit; Marken; Social Networks; Unternehmenskommunikation",
            "1",
        ],
    ]
    assert "filtered (a CSV of posts" in done.stderr


def test_a_broken_plugin_breaks_only_itself(tmp_path: Path) -> None:
    dist = tmp_path / "broken_plugin-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: broken-plugin\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(
        "[wpmigrate.exporters]\nbroken = no_such_module:Exporter\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), *sys.path])}
    listed = subprocess.run(
        [sys.executable, "-m", "wpmigrate", "exporters"], capture_output=True, text=True, env=env
    )
    assert listed.returncode == 0
    assert "broken  (unavailable:" in listed.stdout and "jsonl" in listed.stdout
    used = subprocess.run(
        [
            sys.executable,
            "-m",
            "wpmigrate",
            "convert",
            str(SEED),
            "--to",
            "broken",
            "--out",
            str(tmp_path / "x"),
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    assert used.returncode == 2
    assert used.stderr.count("\n") == 1 and "no_such_module" in used.stderr
    fine = subprocess.run(
        [
            sys.executable,
            "-m",
            "wpmigrate",
            "convert",
            str(SEED),
            "--to",
            "jsonl",
            "--out",
            str(tmp_path / "x.jsonl"),
            "-q",
        ],
        env=env,
    )
    assert fine.returncode == 0
