"""Old URLs keep working, and no redirect points nowhere: no alias or rule to a page's own
URL (Jekyll would replace the page with a redirect to itself), aliases written decoded
(a generator writes an alias as a file; a web server decodes the request), and no rule
to a post that is not built (a draft)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import wpmigrate


def _item(n: int, slug: str, link: str, kind: str = "page", status: str = "publish") -> str:
    return (
        f"<item><title>{slug}</title><link>{link}</link><dc:creator>kim</dc:creator>"
        f"<content:encoded><![CDATA[<p>{slug}</p>]]></content:encoded>"
        f"<wp:post_id>{n}</wp:post_id><wp:post_date>2024-05-0{n} 10:00:00</wp:post_date>"
        f"<wp:post_name>{slug}</wp:post_name><wp:status>{status}</wp:status>"
        f"<wp:post_type>{kind}</wp:post_type></item>"
    )


EXPORT = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
    'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">'
    "<channel><title>Kim</title><link>https://kim.example.org</link>"
    "<wp:wxr_version>1.2</wp:wxr_version>"
    + _item(1, "about", "https://kim.example.org/about/")
    + _item(2, "caf\u00e9", "https://kim.example.org/2012/12/caf%C3%A9.html", kind="post")
    + _item(3, "later", "https://kim.example.org/later/", kind="post", status="draft")
    + "</channel></rss>"
)


def _fields(path: Path) -> dict[str, object]:
    return yaml.safe_load(path.read_text("utf-8").split("---\n")[1]) or {}


@pytest.mark.parametrize(
    "preset, key", [("jekyll", "redirect_from"), ("hugo", "aliases"), ("plain", "aliases")]
)
def test_no_alias_to_itself_and_aliases_decoded(preset: str, key: str, tmp_path: Path) -> None:
    source = tmp_path / "kim.xml"
    source.write_text(EXPORT, "utf-8")
    wpmigrate.convert(
        source, tmp_path / "site", to="markdown", preset=preset, jobs=1, redirects="netlify"
    )
    files = {p.stem: _fields(p) for p in (tmp_path / "site").rglob("*.md")}
    about = next(f for stem, f in files.items() if stem.endswith("about"))
    if preset == "jekyll":
        assert about["permalink"] == "/about/" and key not in about  # no loop
    cafe = next(f for stem, f in files.items() if "caf" in stem)
    assert cafe[key] == ["/2012/12/caf\u00e9.html"]


def test_the_redirect_map_has_no_rule_to_itself_or_to_a_draft(tmp_path: Path) -> None:
    source = tmp_path / "kim.xml"
    source.write_text(EXPORT, "utf-8")
    wpmigrate.convert(
        source, tmp_path / "site", to="markdown", preset="jekyll", jobs=1, redirects="netlify"
    )
    rules = [
        line.split()
        for line in (tmp_path / "site" / "_redirects").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert rules, "the map is empty"
    for rule in rules:
        old, new = rule[0], rule[1]
        assert old.rstrip("/") != new.rstrip("/"), rule
        assert "later" not in new and "drafts" not in new, rule


SLUGS = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
    'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">'
    "<channel><title>Kim</title><link>https://kim.example.org</link>"
    "<wp:wxr_version>1.2</wp:wxr_version>"
    + _item(1, "twice", "https://kim.example.org/twice/", kind="post")
    + _item(2, "twice", "https://kim.example.org/twice-again/", kind="post")
    + _item(3, "index", "https://kim.example.org/index/")
    + _item(4, "\u0939\u092e\u093e\u0930\u0947", "https://kim.example.org/hamare/", kind="post")
    + "</channel></rss>"
)


def test_slug_file_and_links_come_from_one_decision(tmp_path: Path) -> None:
    source = tmp_path / "slugs.xml"
    source.write_text(SLUGS, "utf-8")
    wpmigrate.convert(
        source, tmp_path / "site", to="markdown", preset="hugo", jobs=1, redirects="netlify"
    )
    content = tmp_path / "site" / "content"
    files = sorted(str(p.relative_to(content)) for p in content.rglob("*.md"))
    # Two posts with one slug are two pages; a page slugged "index" is no section page;
    # a Devanagari slug keeps its vowel signs.
    assert files == [
        "index-page.md",
        "posts/twice-2.md",
        "posts/twice.md",
        "posts/\u0939\u092e\u093e\u0930\u0947.md",
    ]
    for path in content.rglob("*.md"):
        assert _fields(path)["slug"] == path.stem  # Hugo serves the slug: the file's name
    rules = (tmp_path / "site" / "static" / "_redirects").read_text("utf-8")
    assert "/twice-again/ /posts/twice-2/ 301" in rules


@pytest.mark.parametrize(
    "preset, where",
    [
        ("hugo", "static/_redirects"),
        ("astro", "public/_redirects"),
        ("jekyll", "_redirects"),
        ("plain", "_redirects"),
    ],
)
def test_netlify_redirects_go_where_the_generator_publishes(
    preset: str, where: str, tmp_path: Path
) -> None:
    source = tmp_path / "kim.xml"
    source.write_text(EXPORT, "utf-8")
    wpmigrate.convert(
        source, tmp_path / "site", to="markdown", preset=preset, jobs=1, redirects="netlify"
    )
    assert (tmp_path / "site" / where).is_file()
    wpmigrate.convert(
        source, tmp_path / "site", to="markdown", preset=preset, jobs=1, redirects="nginx"
    )
    assert (tmp_path / "site" / "redirects.nginx.conf").is_file()  # server config: at the top
    assert not (tmp_path / "site" / where).exists()  # the earlier run's map is gone
