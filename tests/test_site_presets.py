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
        found[fields["wordpress_id"]] = path.relative_to(root)
    return found


@pytest.mark.parametrize("preset", ["plain", "hugo", "jekyll", "eleventy", "astro"])
def test_private_and_protected_are_not_written_and_drafts_are_drafts(
    preset: str, tmp_path: Path
) -> None:
    report = convert(tmp_path, preset=preset)
    written = by_id(tmp_path)
    assert {102, 103, 130} & set(written) == set()  # private post, password, private page
    reasons = report.post_types["post"].filtered
    assert reasons == {
        "private (-O private=draft writes it as a draft)": 1,
        "password-protected (-O private=draft writes it as a draft)": 1,
    }
    assert report.post_types["page"].filtered == {
        "private (-O private=draft writes it as a draft)": 1
    }
    for draft in (104, 105, 106):  # draft, scheduled, pending page
        fields, _ = front_matter(tmp_path / written[draft])
        if preset == "jekyll":
            in_drafts = str(written[draft]).startswith("_drafts/")
            assert in_drafts or fields["published"] is False
        else:
            assert fields["draft"] is True


def test_private_draft_writes_them_as_drafts(tmp_path: Path) -> None:
    convert(tmp_path, preset="jekyll", private="draft")
    written = by_id(tmp_path)
    assert str(written[102]).startswith("_drafts/") and str(written[103]).startswith("_drafts/")
    fields, _ = front_matter(tmp_path / written[130])
    assert fields["published"] is False


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
    # The percent-encoded old URL is kept decoded, as a server finds the file.
    fields, _ = front_matter(tmp_path / written[127])
    assert fields[key] == "/2012/12/调试nginx.html"


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
