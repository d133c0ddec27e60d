"""Every export of the corpus, converted with each preset into a new site and built by the
real generator: the build succeeds without a word about the content, every post and page
WordPress showed is one page (no more: no draft, private or password-protected item), each
with its approved comments, and every redirect lands on a page in one hop."""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import unquote

import pytest

import wpmigrate
from tests.sites import (
    BUILDS,
    build,
    expected_items,
    item_pages,
    problems,
    read_built,
    require_generator,
    shown_text,
    shown_title,
    url_path,
)

from .conftest import CORPUS, FIXTURES, repairs_for

SITE_CASES = FIXTURES / "site-cases.xml"
EXPORTS = (
    [SITE_CASES]
    + sorted((CORPUS / "real").glob("*.xml"))
    + sorted((CORPUS / "theme-test-data").glob("*.xml"))
)

pytestmark = pytest.mark.generators


def convert(export: Path, out: Path, **options: str) -> None:
    report = wpmigrate.convert(
        export, out, to="markdown", options=options, jobs=1, repairs=repairs_for(export)
    )
    assert report.failure is None, report.failure


@pytest.mark.parametrize("name", list(BUILDS))
@pytest.mark.parametrize("export", EXPORTS, ids=[e.stem[:40] for e in EXPORTS])
def test_corpus_export_builds(export: Path, name: str, tmp_path: Path) -> None:
    require_generator(name)
    preset = BUILDS[name][0]
    site = tmp_path / "site"
    convert(export, site, preset=preset, site="new", redirects="netlify")
    result = build(name, site)
    assert result.returncode == 0, result.output[-3000:]
    assert problems(result.output) == []
    built = read_built(result.site)
    expected = expected_items(export)

    assert set(built.items) == set(expected.public)
    assert len(built.items.get("", [])) == expected.without_id
    twice = {i: paths for i, paths in built.items.items() if len(paths) > 1 and i}
    assert twice == {}
    assert set(built.items) & expected.hidden == set()
    wrong_comments = {
        i: (built.comments[i], approved)
        for i, approved in expected.public.items()
        if built.comments.get(i) != approved
    }
    assert wrong_comments == {}
    item_pages = {path for paths in built.items.values() for path in paths}
    bad_redirects = {
        source: target
        for source, target in built.redirects.items()
        if target not in item_pages or source == target
    }
    assert bad_redirects == {}


@pytest.mark.parametrize("name", list(BUILDS))
def test_site_cases_read_as_written(name: str, tmp_path: Path) -> None:
    """The cases of fixtures/site-cases.xml, as a visitor of each built site sees them."""
    require_generator(name)
    site = tmp_path / "site"
    convert(SITE_CASES, site, preset=BUILDS[name][0], site="new")
    result = build(name, site)
    assert result.returncode == 0, result.output[-3000:]
    pages = item_pages(result.site)
    # Front matter read by the generator's own YAML parser: titles come back as strings,
    # entities decoded.
    titles = {i: shown_title(pages[i]) for i in ("101", "116", "117", "118", "119", "120", "121")}
    assert titles == {
        "101": "Tips & Tricks",
        "116": "080414",
        "117": "1e3",
        "118": "Y",
        "119": "0o17",
        "120": ":wq",
        "121": "@home & `ticks` | pipes",
    }
    assert shown_title(pages["115"]) == "हमारे बारे में"
    # The ":)" comment and its reply, not the one held for moderation.
    assert ":)" in shown_text(pages["101"])
    assert "Spam, held back." not in pages["101"]
    # kramdown: no table from a "|", the reference text shown, no "</param>" as text.
    assert "<table" not in pages["122"]
    assert "hyphenate" in shown_text(pages["122"])
    sheet = re.search(r'href="([^"]+)"[^>]*>the data sheet', pages["122"])
    assert (
        sheet
        and unquote(html.unescape(sheet.group(1))) == "http://example.org/x?livid=68|69&idx=71"
    )
    assert "[1]:" in shown_text(pages["123"])
    assert "</param>" not in shown_text(pages["124"])
    # Template syntax stays text.
    text = " ".join(shown_text(pages["125"]).split())
    assert "{{ site.title }}" in text and "{% raw %}" in text and "{{< youtube abc >}}" in text
    # The form is one HTML block; what follows it is Markdown again.
    assert re.search(r"<h2[^>]*>After the form</h2>", pages["129"])
    assert "<li>a list</li>" in pages["129"]
    # Raw HTML kept (Hugo drops it unless the site says unsafe = true).
    assert "<iframe" in pages["128"] and 'colspan="2"' in pages["128"]
    # The link to the frisbee post reaches the page that shows it.
    built = read_built(result.site)
    frisbee = re.search(r'href="([^"]+)"[^>]*>the frisbee post', pages["114"])
    assert frisbee and url_path(frisbee.group(1)) in built.items["113"]


@pytest.mark.parametrize("name", list(BUILDS))
def test_site_cases_keep_their_wordpress_urls(name: str, tmp_path: Path) -> None:
    """-O urls=wordpress: each post served where WordPress served it, links following."""
    require_generator(name)
    site = tmp_path / "site"
    convert(SITE_CASES, site, preset=BUILDS[name][0], site="new", urls="wordpress")
    result = build(name, site)
    assert result.returncode == 0, result.output[-3000:]
    assert problems(result.output) == []
    built = read_built(result.site)
    assert built.items["113"] == ["/2020/04/01/play_frisbee/"]
    assert built.items["107"] == ["/about/"] and built.items["108"] == ["/about/team/"]
    # An old URL naming a file: Astro serves every route as a folder, so that post keeps
    # its new URL (and its old one is redirected, with -O redirects=).
    expected = "/posts/调试nginx/" if name == "astro" else "/2012/12/调试nginx.html"
    assert built.items["127"] == [expected]
    pages = item_pages(result.site)
    frisbee = re.search(r'href="([^"]+)"[^>]*>the frisbee post', pages["114"])
    assert frisbee and url_path(frisbee.group(1)) == "/2020/04/01/play_frisbee/"
    assert built.redirects == {}  # nothing moved: nothing to redirect


@pytest.mark.parametrize("name", ["hugo", "hugo-debian"])
def test_hugo_page_bundles_lose_no_page(name: str, tmp_path: Path) -> None:
    """-O bundles=true: a page with children is its folder's _index.md, so no bundle hides
    them, on either side of Hugo 0.123."""
    require_generator(name)
    site = tmp_path / "site"
    convert(SITE_CASES, site, preset="hugo", site="new", bundles="true")
    result = build(name, site)
    assert result.returncode == 0, result.output[-3000:]
    assert problems(result.output) == []
    built = read_built(result.site)
    assert set(built.items) == set(expected_items(SITE_CASES).public)
    assert built.items["107"] == ["/about/"] and built.items["108"] == ["/about/team/"]
