"""Block-editor content complete: reusable blocks put where posts use them, galleries
whose images the export lacks said so, and a block theme's machinery (templates, styles,
navigation, custom CSS) never written as pages. Fixture: fixtures/block-theme.xml."""

from __future__ import annotations

from pathlib import Path

import pytest

import wpmigrate

from .conftest import FIXTURES

SOURCE = FIXTURES / "block-theme.xml"
SITE_ITEMS = {
    "wp_template",
    "wp_template_part",
    "wp_global_styles",
    "wp_navigation",
    "custom_css",
    "wp_block",
}


def _body(path: Path) -> str:
    return path.read_text("utf-8").split("---\n", 2)[2]


@pytest.mark.parametrize(
    "select", [None, wpmigrate.PostFilter.create(types=["all"])], ids=["default", "type-all"]
)
def test_a_block_theme_writes_its_writing_only(
    select: wpmigrate.PostFilter | None, tmp_path: Path
) -> None:
    report = wpmigrate.convert(SOURCE, tmp_path / "site", to="markdown", jobs=1, select=select)
    written = {p.stem for p in (tmp_path / "site").rglob("*.md")}
    assert "planting-bulbs" in written
    assert not written & {
        "index",
        "header",
        "wp-global-styles-garden",
        "main-menu",
        "garden",
        "newsletter-sign-up",
    }
    for kind in SITE_ITEMS:
        counts = report.post_types[kind]
        assert counts.written == 0 and sum(counts.filtered.values()) == 1, kind
    assert report.balanced()


def test_reusable_blocks_and_galleries_come_whole_or_say_what_is_missing(tmp_path: Path) -> None:
    report = wpmigrate.convert(SOURCE, tmp_path / "site", to="markdown", jobs=1)
    [post] = (tmp_path / "site").rglob("planting-bulbs.md")
    body = _body(post)
    assert "Get **one letter a month** about the garden." in body
    assert body.index("Autumn") < body.index("one letter") < body.index("tulips.jpg")
    assert "*(reusable block 31: not in the export)*" in body
    assert "![](https://garden.example.org/wp-content/uploads/2024/10/tulips.jpg)" in body
    assert "*(image 41 of a gallery: not in the export)*" in body
    assert "wpm-" not in body  # no placeholder is left behind
    assert report.tallies["reusable blocks"] == {"resolved": 1, "not in the export": 1}
    assert report.tallies["gallery images"] == {"found": 1, "not in the export": 1}


def test_a_named_site_type_is_written_when_asked_for(tmp_path: Path) -> None:
    select = wpmigrate.PostFilter.create(types=["post", "wp_block"])
    wpmigrate.convert(SOURCE, tmp_path / "site", to="markdown", jobs=1, select=select)
    assert {p.stem for p in (tmp_path / "site").rglob("*.md")} == {
        "planting-bulbs",
        "newsletter-sign-up",
    }


@pytest.mark.parametrize(
    "shortcode, link",
    [
        ("[dailymotion id=x8kq2]", "https://www.dailymotion.com/video/x8kq2"),
        (
            '[soundcloud url="https://api.soundcloud.com/tracks/4242" params="auto_play=false"]',
            "https://api.soundcloud.com/tracks/4242",
        ),
        ("[gist https://gist.github.com/jo/9a8b7c]", "https://gist.github.com/jo/9a8b7c"),
        ("[gist 9a8b7c]", "https://gist.github.com/9a8b7c"),
        ("[tweet 1717171717]", "https://twitter.com/i/status/1717171717"),
        ('[spotify id="spotify:album:zz9"]', "https://open.spotify.com/album/zz9"),
        ("[polldaddy poll=31337]", "https://poll.fm/31337"),
        (
            "[slideshare id=2468&doc=talk-slides]",
            "https://www.slideshare.net/slideshow/embed_code/2468",
        ),
        ("[ted id=2024]", "https://www.ted.com/talks/2024"),
        (
            "[instagram url=https://www.instagram.com/p/Abc123]",
            "https://www.instagram.com/p/Abc123",
        ),
        (
            "[googlemaps https://maps.google.com/maps?q=oslo&amp;z=5]",
            "https://maps.google.com/maps?q=oslo&z=5",
        ),
    ],
)
def test_service_shortcodes_become_links(shortcode: str, link: str) -> None:
    from wpmigrate.content import to_markdown

    converted = to_markdown(f"Above.\n\n{shortcode}\n\nBelow.")
    assert converted.markdown == f"Above.\n\n<{link}>\n\nBelow.\n"
    assert not converted.unknown_shortcodes


def test_a_shortcode_with_nothing_to_show_is_counted() -> None:
    from wpmigrate.content import to_markdown

    converted = to_markdown("Above.\n\n[soundcloud]\n\n[mystery-widget size=3]\n\nBelow.")
    assert converted.unknown_shortcodes == {"soundcloud": 1, "mystery-widget": 1}
