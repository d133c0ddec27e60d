"""docs/scale.md's recipes, run as written: Dask on the local scheduler, GNU parallel."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import FIXTURES, ROOT, SEED

pytestmark = pytest.mark.slow

PAGE = (ROOT / "docs" / "scale.md").read_text(encoding="utf-8")


def _exports(folder: Path) -> None:
    exports = folder / "exports"
    exports.mkdir()
    shutil.copy(SEED, exports / "seed.xml")
    shutil.copy(FIXTURES / "features-1.2.xml", exports / "features.xml")
    (exports / "broken.xml").write_bytes(SEED.read_bytes()[:3000])


def test_the_dask_recipe(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code = re.search(r"```python\n(.*?)```", PAGE, re.S)
    assert code is not None
    _exports(tmp_path)
    monkeypatch.chdir(tmp_path)
    exec(compile(code.group(1), "scale.md", "exec"), {"__name__": "scale_recipe"})
    assert "3 exports, worst exit code 3" in capsys.readouterr().out
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "broken.jsonl",
        "features.jsonl",
        "seed.jsonl",
    ]


@pytest.mark.needs("parallel")
def test_the_gnu_parallel_recipe(tmp_path: Path) -> None:
    blocks = re.findall(r"```sh\n(.*?)```", PAGE, re.S)
    recipe = next(b for b in blocks if "parallel" in b and "ls exports" in b)
    _exports(tmp_path)
    # The command as an installed user has it: on PATH, from this interpreter's venv.
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    done = subprocess.run(
        ["bash", "-c", recipe],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": path},
    )
    assert "exports with problems: 1" in done.stdout, done.stdout + done.stderr
    reports = {p.name: json.loads(p.read_text()) for p in (tmp_path / "out").glob("*.report.json")}
    assert {name: r["exit_code"] for name, r in reports.items()} == {
        "broken.report.json": 3,
        "features.report.json": 0,
        "seed.report.json": 0,
    }
