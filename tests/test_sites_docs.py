"""The commands of docs/sites.md and the README's first command, run as a reader would:
each block in a folder of its own holding the bundled German blog as ``export.xml``, with
the real generators on PATH; the block must succeed and its site show the blog's post."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.needs import in_ci
from tests.sites import require_generator, run_with_generators

from .conftest import ROOT, SEED

pytestmark = [pytest.mark.generators, pytest.mark.slow]

SEED_TITLE = "Social Media: Ohne die Unternehmen wird auch geredet"
SEED_FILE = "*social-media-ohne-die-unternehmen-wird-auch-geredet.md"

#: What each section's commands need, by the names tests/sites.py knows.
NEEDS = {"Hugo": "hugo", "Jekyll": "jekyll", "Eleventy": "eleventy", "Astro": "astro"}


def _blocks() -> list[tuple[str, str]]:
    text = (ROOT / "docs" / "sites.md").read_text(encoding="utf-8")
    found = []
    for section in re.split(r"^## ", text, flags=re.M)[1:]:
        heading = section.split("\n", 1)[0].strip()
        for block in re.findall(r"^```sh\n(.*?)^```", section, flags=re.S | re.M):
            found.append((heading, block))
    return found


BLOCKS = _blocks()


def _run(script: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_with_generators(["bash", "-euo", "pipefail", "-c", script], cwd, timeout=1200)


def _built_pages(folder: Path) -> list[Path]:
    return [
        page
        for page in folder.rglob("*.html")
        if "node_modules" not in page.parts and SEED_TITLE in page.read_text("utf-8", "replace")
    ]


def test_every_section_has_its_commands() -> None:
    assert {heading for heading, _ in BLOCKS} == set(NEEDS)


@pytest.mark.parametrize(
    ("section", "script"), BLOCKS, ids=[f"{h}-{n}" for n, (h, _) in enumerate(BLOCKS)]
)
def test_docs_sites_commands_work(section: str, script: str, tmp_path: Path) -> None:
    require_generator(NEEDS[section])
    if section in ("Eleventy", "Astro") and not shutil.which("npm"):
        pytest.fail("npm is missing") if in_ci() else pytest.skip("needs npm")
    shutil.copy(SEED, tmp_path / "export.xml")
    done = _run(script, tmp_path)
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    assert list(tmp_path.rglob(SEED_FILE)), "the post's Markdown was not written"
    if "site=new" in script:
        assert _built_pages(tmp_path), "no built page shows the post"


def test_the_readme_first_command_gives_a_site_hugo_builds(tmp_path: Path) -> None:
    require_generator("hugo")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first = re.search(r"^```sh\n(.*?)^```", readme, flags=re.S | re.M)
    assert first
    command = first.group(1).strip().rsplit(" && ", 1)[-1]  # past the venv's set-up
    command = command.replace(".venv/bin/", "").replace("fixtures/", str(ROOT / "fixtures") + "/")
    done = _run(f"{command}\ncd site\nhugo", tmp_path)
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    assert _built_pages(tmp_path / "site" / "public")
