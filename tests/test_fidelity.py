"""The Markdown of every real export, rendered back to HTML, against WordPress's rendering.

See tests/fidelity.py for what is compared; ``python -m tests.fidelity`` prints the
scores for the whole shared corpus.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import corpus_files, repairs_for
from .fidelity import ELEMENTS, score_export, score_post

pytestmark = pytest.mark.slow

STRUCTURE = [name for name in ELEMENTS if name != "line breaks"]


@pytest.mark.parametrize("path", corpus_files("real", "theme-test-data"), ids=lambda p: p.name)
def test_markdown_reads_as_wordpress_shows_it(path: Path) -> None:
    score = score_export(path, repairs_for(path))
    assert score.posts
    assert score.mean_recall >= 0.995, f"text kept {score.mean_recall:.2%}"
    worst = min(score.posts, key=lambda p: p.recall)
    assert worst.recall >= 0.85, f"post {worst.key}: text kept {worst.recall:.2%}"
    for name in STRUCTURE:
        assert score.kept(name) >= 0.97, f"{name}: {score.kept(name):.2%} kept"
    # Breaks inside headings and code-like runs have no Markdown form; most others do.
    assert score.kept("line breaks") >= 0.3


def test_the_score_sees_a_loss() -> None:
    """A conversion that dropped text or a link would be caught."""
    good = score_post("x", '<p>Kept <a href="https://example.org">link</a> and words.</p>')
    assert good.recall == 1.0 and not good.missing
    from wpmigrate.content import convert as converting

    original = converting.HtmlToMarkdown.convert
    try:
        converting.HtmlToMarkdown.convert = lambda self, html: "Kept words.\n"  # type: ignore[method-assign]
        lossy = score_post("x", '<p>Kept <a href="https://example.org">link</a> and words.</p>')
    finally:
        converting.HtmlToMarkdown.convert = original  # type: ignore[method-assign]
    assert lossy.recall < 1.0 and lossy.missing == {"links": 1}
