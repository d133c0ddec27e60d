"""Nothing private goes public: for every preset, a private post and a password-protected
post are not written (counted as filtered) unless -O private=draft asks, and then only as
drafts; drafts, pending and scheduled posts are drafts in each generator's own way."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

import wpmigrate

PRESETS = ["plain", "hugo", "jekyll", "eleventy", "astro"]


def _item(n: int, slug: str, status: str, password: str = "") -> str:
    return (
        f"<item><title>{slug.title()}</title><dc:creator>kim</dc:creator>"
        f"<content:encoded><![CDATA[<p>Text of {slug}.</p>]]></content:encoded>"
        f"<wp:post_id>{n}</wp:post_id><wp:post_date>2024-05-0{n}10:00:00</wp:post_date>"
        f"<wp:post_name>{slug}</wp:post_name><wp:status>{status}</wp:status>"
        f"<wp:post_type>post</wp:post_type><wp:post_password>{password}</wp:post_password>"
        "</item>"
    )


EXPORT = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
    'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">'
    "<channel><title>Kim</title><link>https://kim.example.org</link>"
    "<wp:wxr_version>1.2</wp:wxr_version>"
    + _item(1, "open-letter", "publish")
    + _item(2, "wedding-photos", "private")
    + _item(3, "members-only", "publish", password="hunter2")
    + _item(4, "half-written", "draft")
    + _item(5, "next-week", "future")
    + "</channel></rss>"
)


def _written(root: Path) -> dict[str, dict[str, Any]]:
    out = {}
    for path in root.rglob("*.md"):
        fields = yaml.safe_load(path.read_text("utf-8").split("---\n", 2)[1])
        out[path.stem.split("-", 3)[-1] if path.parent.name == "_posts" else path.stem] = {
            **fields,
            "_path": str(path.relative_to(root)),
        }
    return out


def _is_draft(fields: dict[str, Any]) -> bool:
    return fields.get("draft") is True or fields["_path"].startswith("_drafts/")


@pytest.mark.parametrize("preset", PRESETS)
def test_private_posts_are_not_written_and_drafts_are_drafts(preset: str, tmp_path: Path) -> None:
    source = tmp_path / "kim.xml"
    source.write_text(EXPORT, "utf-8")
    report = wpmigrate.convert(source, tmp_path / "site", to="markdown", preset=preset, jobs=1)
    written = _written(tmp_path / "site")
    assert set(written) == {"open-letter", "half-written", "next-week"}
    assert not _is_draft(written["open-letter"])
    assert _is_draft(written["half-written"]) and _is_draft(written["next-week"])
    assert report.post_types["post"].filtered == {
        "private (-O private=draft writes it as a draft)": 1,
        "password-protected (-O private=draft writes it as a draft)": 1,
    }
    assert report.balanced()


@pytest.mark.parametrize("preset", PRESETS)
def test_private_as_draft_is_never_public(preset: str, tmp_path: Path) -> None:
    source = tmp_path / "kim.xml"
    source.write_text(EXPORT, "utf-8")
    wpmigrate.convert(
        source, tmp_path / "site", to="markdown", preset=preset, jobs=1, private="draft"
    )
    written = _written(tmp_path / "site")
    assert _is_draft(written["wedding-photos"]) and _is_draft(written["members-only"])
