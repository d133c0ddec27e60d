"""The site presets without the generators: what fixtures/site-cases.xml becomes with each
(paths, front matter, the new site's files), and kramdown's escapes. The builds
themselves are in test_sites.py."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
import yaml

import wpmigrate
from wpmigrate.content.kramdown import for_kramdown
from wpmigrate.errors import UsageError

from .conftest import FIXTURES, GOLDEN
from .test_markdown import front_matter, tree

SITE_CASES = FIXTURES / "site-cases.xml"


def convert(out: Path, **options: str) -> wpmigrate.Report:
    report = wpmigrate.convert(SITE_CASES, out, to="markdown", options=options)
    assert report.failure is None, report.failure
    return report


def by_id(root: Path) -> dict[int, Path]:
    found = {}
    for path in root.rglob("*.md"):
        fields, _ = front_matter(path)
        found[fields.get("wordpress_id", fields.get("id"))] = path.relative_to(root)
    return found


def test_jekyll_holds_back_draft_and_private_pages(tmp_path: Path) -> None:
    # Posts and their drafts are covered by test_privacy.py; Jekyll's pages have no
    # _drafts/ folder: published: false holds them back.
    convert(tmp_path / "a", preset="jekyll")
    written = by_id(tmp_path / "a")
    assert 130 not in written  # the private page
    fields, _ = front_matter(tmp_path / "a" / written[106])  # the pending page
    assert fields["published"] is False
    fields, _ = front_matter(tmp_path / "a" / written[107])  # a published page
    assert "published" not in fields
    convert(tmp_path / "b", preset="jekyll", private="draft")
    written = by_id(tmp_path / "b")
    fields, _ = front_matter(tmp_path / "b" / written[130])
    assert fields["published"] is False
    assert str(written[102]).startswith("_drafts/")


def test_hugo_parent_pages_are_their_sections_pages(tmp_path: Path) -> None:
    convert(tmp_path, preset="hugo")
    written = by_id(tmp_path)
    assert str(written[107]) == "content/about/_index.md"
    assert str(written[108]) == "content/about/team.md"
    # The page called Posts is the posts section's own page, not a page beside it.
    assert str(written[109]) == "content/posts/_index.md"
    assert str(written[110]) == "content/index-page.md"


def test_hugo_bundles_keep_child_pages_apart(tmp_path: Path) -> None:
    convert(tmp_path, preset="hugo", bundles="true")
    written = by_id(tmp_path)
    assert str(written[107]) == "content/about/_index.md"
    assert str(written[108]) == "content/about/team/index.md"
    assert str(written[113]) == "content/posts/play_frisbee/index.md"


def test_custom_paths_stay_inside_the_content_folder(tmp_path: Path) -> None:
    convert(tmp_path, preset="hugo", path="{type}/{year}/{slug}")
    assert all(str(p).startswith("content/") for p in by_id(tmp_path).values())


def test_astro_pages_are_served_where_wordpress_served_them(tmp_path: Path) -> None:
    convert(tmp_path, preset="astro")
    written = by_id(tmp_path)
    about, _ = front_matter(tmp_path / written[107])
    team, _ = front_matter(tmp_path / written[108])
    assert (about["permalink"], team["permalink"]) == ("/about/", "/about/team/")


@pytest.mark.parametrize(
    ("preset", "key"), [("hugo", "url"), ("jekyll", "permalink"), ("astro", "permalink")]
)
def test_wordpress_urls_kept(preset: str, key: str, tmp_path: Path) -> None:
    convert(tmp_path, preset=preset, urls="wordpress")
    written = by_id(tmp_path)
    fields, _ = front_matter(tmp_path / written[113])
    assert fields[key] == "/2020/04/01/play_frisbee/"
    assert "aliases" not in fields and "redirect_from" not in fields
    linking, body = front_matter(tmp_path / written[114])
    assert "(</2020/04/01/play_frisbee/>)" in body
    # The percent-encoded old URL is kept decoded, as a server finds the file; Astro,
    # which serves every route as a folder, keeps its own URL for an old file name.
    fields, _ = front_matter(tmp_path / written[127])
    expected = "/posts/调试nginx/" if preset == "astro" else "/2012/12/调试nginx.html"
    assert fields[key] == expected


def test_whitespace_is_no_password(tmp_path: Path) -> None:
    source = tmp_path / "export.xml"
    source.write_text(
        SITE_CASES.read_text("utf-8").replace(
            "<wp:post_password><![CDATA[]]>", "<wp:post_password><![CDATA[ ]]>"
        ),
        "utf-8",
    )
    report = wpmigrate.convert(source, tmp_path / "out", to="markdown", preset="hugo")
    assert 101 in by_id(tmp_path / "out")
    assert report.post_types["post"].filtered == {
        "private (-O private=draft writes it as a draft)": 1,
        "password-protected (-O private=draft writes it as a draft)": 1,
    }


@pytest.mark.parametrize("preset", ["hugo", "jekyll", "eleventy", "astro"])
def test_new_site_configuration_golden(preset: str, tmp_path: Path, update_golden: bool) -> None:
    convert(tmp_path / "site", preset=preset, site="new", redirects="netlify")
    site = tree(tmp_path / "site")
    configs = {
        name: data
        for name, data in site.items()
        if name
        in {
            "hugo.toml",
            "_config.yml",
            "eleventy.config.mjs",
            "package.json",
            "astro.config.mjs",
            "src/content.config.ts",
            "_data/site.json",
            "src/site.json",
        }
    }
    golden = GOLDEN / "sites" / preset
    if update_golden:
        for name, data in configs.items():
            (golden / name).parent.mkdir(parents=True, exist_ok=True)
            (golden / name).write_bytes(data)
    assert configs == tree(golden)
    # Each configuration parses, and says what the issue of each generator needs.
    if preset == "hugo":
        config = tomllib.loads(configs["hugo.toml"].decode())
        assert config["markup"]["goldmark"]["renderer"]["unsafe"] is True
        assert config["title"] == "Site & Cases"
    if preset == "jekyll":
        config = yaml.safe_load(configs["_config.yml"])
        assert "jekyll-redirect-from" in config["plugins"]
    if preset in ("eleventy", "astro"):
        assert json.loads(configs["package.json"])["scripts"]["build"]
    if preset == "eleventy":
        assert b'addPassthroughCopy("_redirects")' in configs["eleventy.config.mjs"]


def test_site_new_needs_a_generator_preset(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="site=new"):
        wpmigrate.convert(SITE_CASES, tmp_path / "out", to="markdown", site="new")


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("a | b", "a \\| b"),
        ("[x](<http://e.org/?a=1|2>) and `c | d`", "[x](<http://e.org/?a=1%7C2>) and `c | d`"),
        ("[1\\]: <https://e.org>", "\\[1\\]: <https://e.org>"),
        ("{: .class}", "\\{: .class}"),
        ('<span title="a|b">x</span> | y', '<span title="a&#124;b">x</span> \\| y'),
        ("| a | b |\n| --- | --- |\n| 1 | 2 |", "| a | b |\n| --- | --- |\n| 1 | 2 |"),
        ("```\na | b\n```\nc | d", "```\na | b\n```\nc \\| d"),
        ("<div>\na | b\n</div>\n\nc | d", "<div>\na | b\n</div>\n\nc \\| d"),
        ("already \\| escaped", "already \\| escaped"),
    ],
)
def test_kramdown_escapes(markdown: str, expected: str) -> None:
    assert for_kramdown(markdown) == expected
