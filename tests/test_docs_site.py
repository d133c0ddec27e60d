"""The documentation site builds with `mkdocs build --strict`: no broken link, no page
left out of the navigation, the CLI reference and API pages generated."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.slow


def test_the_docs_site_builds_strictly(tmp_path: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    reference = (tmp_path / "site" / "cli-reference" / "index.html").read_text(encoding="utf-8")
    assert "--log-format" in reference and "--repair" in reference
    exporters = (tmp_path / "site" / "exporters" / "index.html").read_text(encoding="utf-8")
    assert "preset=" in exporters and "dialect=" in exporters
    api = (tmp_path / "site" / "api" / "index.html").read_text(encoding="utf-8")
    assert "PostFilter" in api and "Read an export as records" in api
