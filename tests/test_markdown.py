"""The markdown exporter: one file per post, front matter read back, presets' layouts,
paths that never escape or collide, links, redirects, comments, re-runs."""

from __future__ import annotations

import html
import http.server
import json
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

import wpmigrate
from wpmigrate import Post
from wpmigrate.exporters.markdown.frontmatter import parse_front_matter
from wpmigrate.media import MediaDownloader

from .conftest import FIXTURES, GOLDEN, SEED, corpus_files, repairs_for

WRITTEN_TYPES = {"post", "page"}
CORE_SHORTCODES = re.compile(
    r"(?<!!)\[/?(caption|gallery|code|sourcecode|embed|audio|video|youtube)(?=[\s\]/=])(?!\]\()"
)
PRESETS = ["plain", "hugo", "jekyll", "eleventy", "astro"]


def convert(
    source: Path, out: Path, *, select: wpmigrate.PostFilter | None = None, **options: object
) -> wpmigrate.Report:
    report = wpmigrate.convert(
        source, out, to="markdown", options=options, select=select, repairs=repairs_for(source)
    )
    assert report.error is None, report.error
    return report


def front_matter(path: Path, form: str = "yaml") -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    fence = {"yaml": "---\n", "toml": "+++\n"}[form]
    assert text.startswith(fence)
    end = text.index("\n" + fence, len(fence) - 1) + 1 + len(fence)  # a line of its own
    return parse_front_matter(text[:end], form), text[end:]  # type: ignore[arg-type]


def tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def _outside_code(markdown: str) -> str:
    """The Markdown without its fenced blocks and inline code spans."""
    markdown = re.sub(r"^(`{3,}).*?^\1", "", markdown, flags=re.S | re.M)
    return re.sub(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)", "", markdown)


@pytest.mark.slow
@pytest.mark.parametrize("path", corpus_files("real", "theme-test-data"), ids=lambda p: p.name)
def test_every_post_and_page_is_one_file(path: Path, tmp_path: Path) -> None:
    report = convert(path, tmp_path / "site", jobs=1)
    expected = [
        r
        for r in wpmigrate.read(path, repairs=repairs_for(path))
        if isinstance(r, Post)
        and r.type in WRITTEN_TYPES
        and r.status not in ("trash", "auto-draft")
        and r.status != "private"  # never written unless -O private=draft asks
        and not r.password.strip()  # blanks are a re-indented export's, not a password
    ]
    files = sorted((tmp_path / "site").rglob("*.md"))
    assert len(files) == len(expected)
    ids = []
    for file in files:
        fields, body = front_matter(file)
        ids.append(fields.get("id"))
        left = CORE_SHORTCODES.search(_outside_code(body))
        assert left is None, (file.name, _outside_code(body)[left.start() - 80 : left.end() + 80])
    assert sorted(map(str, ids)) == sorted(str(p.id) for p in expected)
    assert report.exit_code == 0
    assert report.balanced()


def test_the_seed_reads_like_the_blog(tmp_path: Path) -> None:
    convert(SEED, tmp_path / "site")
    [file] = (tmp_path / "site").rglob("*.md")
    fields, body = front_matter(file)
    assert fields["title"] == "Social Media: Ohne die Unternehmen wird auch geredet"
    assert fields["tags"] == [
        "Glaubwürdigkeit",
        "Marken",
        "Social Networks",
        "Unternehmenskommunikation",
    ]
    assert fields["comments"][0]["author"] == "Tobias"
    assert "“technische Probleme”" in fields["comments"][0]["content"]
    assert body.count("\n> ") == 3  # the three quotes
    assert "[Social Media und das Maggi Prinzip](<http://www.wuv.de/blog/kolbrueck/2009/04/" in body
    assert "“Kann man ja mal ausprobieren.”" in body and "beziehungsgestörte" in body


@pytest.mark.parametrize("preset", PRESETS)
def test_preset_golden_tree(preset: str, tmp_path: Path, update_golden: bool) -> None:
    convert(SEED, tmp_path / "site", preset=preset, redirects="csv")
    actual = tree(tmp_path / "site")
    golden = GOLDEN / "markdown" / preset
    if update_golden:
        if golden.exists():
            for old in golden.rglob("*"):
                if old.is_file():
                    old.unlink()
        for name, data in actual.items():
            (golden / name).parent.mkdir(parents=True, exist_ok=True)
            (golden / name).write_bytes(data)
    assert actual == tree(golden), f"differs from {golden}; run pytest --update-golden"


def test_hugo_conventions(tmp_path: Path) -> None:
    convert(
        FIXTURES / "features-1.2.xml",
        tmp_path / "site",
        preset="hugo",
        private="draft",
        select=wpmigrate.PostFilter.create(
            types=["all"], statuses=["publish,draft,private,future,pending"]
        ),
    )
    root = tmp_path / "site" / "content"
    fields, _ = front_matter(root / "posts" / "a-threaded-discussion.md")
    assert {"title", "date", "slug", "aliases", "wordpress_id"} <= set(fields)
    assert "layout" not in fields and "type" not in fields
    draft, _ = front_matter(root / "posts" / "unfinished-thoughts.md")
    assert draft["draft"] is True
    team, _ = front_matter(root / "about" / "team.md")  # a child page under its parent's path
    assert team["draft"] is True  # private and behind a password: a draft, never public


def test_jekyll_layout(tmp_path: Path) -> None:
    convert(FIXTURES / "features-1.2.xml", tmp_path / "site", preset="jekyll")
    root = tmp_path / "site"
    posts = sorted(p.name for p in (root / "_posts").iterdir())
    assert "2024-03-01-a-threaded-discussion.md" in posts
    assert any((root / "_drafts").iterdir())
    page, _ = front_matter(root / "about.md")
    assert page["permalink"] == "/about/" and page["layout"] == "page"


@pytest.mark.parametrize("form", ["yaml", "toml", "json"])
def test_hostile_titles_read_back_exactly(form: str, tmp_path: Path) -> None:
    titles = [
        "a\n---\nb: c",
        "key: value",
        "&anchor",
        "- x",
        "[x]",
        "!!python/object:os.system",
        "no",
        "on",
        "~",
        "012",
        "1:20",
        "2024-01-01",
        ".inf",
        "x\u0085y\u2028z",
        "DEL\x7f C1\x9f",
        "{{< shortcode >}}",
        "<script>alert(1)</script>",
        "'\"\\",
        "",
    ]
    source = _export(tmp_path, [(f"t{n}", title) for n, title in enumerate(titles)])
    convert(source, tmp_path / "site", front_matter=form)
    found = {}
    for file in (tmp_path / "site").rglob("*.md"):
        text = file.read_text(encoding="utf-8")
        if form == "json":
            fields = json.JSONDecoder().raw_decode(text)[0]
        else:
            fields, _ = front_matter(file, form)
        found[fields["slug"]] = fields["title"]
    assert found == {f"t{n}": title for n, title in enumerate(titles)}


def _export(tmp_path: Path, posts: list[tuple[str, str]], extra: str = "") -> Path:
    items = "".join(
        f"<item><title><![CDATA[{title}]]></title><link>https://example.org/{html.escape(slug)}/</link>"
        f"<wp:post_id>{n + 1}</wp:post_id><wp:post_name><![CDATA[{slug}]]></wp:post_name>"
        f"<wp:post_type>post</wp:post_type><wp:status>publish</wp:status>"
        f"<wp:post_date>2024-01-0{n % 9 + 1} 10:00:00</wp:post_date>"
        f"<content:encoded><![CDATA[Body {n}]]></content:encoded></item>"
        for n, (slug, title) in enumerate(posts)
    )
    path = tmp_path / "export.xml"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>t</title>'
        "<link>https://example.org</link><wp:wxr_version>1.2</wp:wxr_version>"
        f"<wp:base_site_url>https://example.org</wp:base_site_url>{items}{extra}</channel></rss>",
        encoding="utf-8",
    )
    return path


HOSTILE_SLUGS = [
    "../../etc/passwd",
    "/abs/path",
    "C:\\windows\\x",
    "\\\\server\\share",
    "a/b/c",
    "%2e%2e%2fsecret",
    "CON",
    "nul.txt",
    "com1",
    "trailing. ",
    '<>:"|?*',
    "",
    "x" * 400,
    "ü" * 200,
    "Same",
    "same",
    "caf\u00e9",
    "cafe\u0301",
    ".",
    "..",
    ".hidden",
    "-dash",
    "a\u202eb",
    "zero\u200bwidth",
    "new\nline",
]


def test_hostile_slugs_stay_inside_and_never_collide(tmp_path: Path) -> None:
    source = _export(tmp_path, [(slug, f"Title {n}") for n, slug in enumerate(HOSTILE_SLUGS)])
    report = convert(source, tmp_path / "out" / "site")
    root = tmp_path / "out" / "site"
    files = [p for p in root.rglob("*.md")]
    assert len(files) == len(HOSTILE_SLUGS)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["site"]
    keys = set()
    for file in files:
        relative = file.relative_to(root).as_posix()
        assert ".." not in relative.split("/") and ":" not in relative and "\\" not in relative
        assert all(len(part.encode()) <= 255 for part in relative.split("/"))
        assert not re.match(r"(?i)^(con|nul|com\d|prn|aux|lpt\d)(\.|$)", file.name)
        assert not file.name.startswith((".", "-")) and not file.stem.endswith((".", " "))
        key = relative.casefold()
        assert key not in keys
        keys.add(key)
    renamed = [n for n in report.notices if n.code == "path-renamed"]
    assert renamed  # Same/same and café twice are reported


def test_a_symlink_out_of_the_folder_is_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    root = tmp_path / "site"
    convert(SEED, root)  # a folder of ours, with a manifest
    (root / "linked").symlink_to(outside, target_is_directory=True)
    with pytest.raises(wpmigrate.OutputError, match="symlink"):
        convert(SEED, root, path="linked/{slug}")
    assert list(outside.iterdir()) == []


def test_someone_elses_files_are_never_replaced_nor_removed(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "content" / "posts").mkdir(parents=True)
    (site / "notes.txt").write_text("mine")
    convert(SEED, site, preset="hugo")  # beside their files: fine
    assert (site / "notes.txt").read_text() == "mine"
    post = "content/posts/social-media-ohne-die-unternehmen-wird-auch-geredet.md"
    assert (site / post).is_file()
    convert(FIXTURES / "wxr-1.1.xml", site, preset="hugo")  # a re-run removes only ours
    assert (site / "notes.txt").read_text() == "mine" and not (site / post).exists()
    # A file of theirs where a post would go: refused before anything is written.
    other = tmp_path / "other"
    (other / "content" / "posts").mkdir(parents=True)
    (other / post).write_text("theirs")
    before = tree(other)
    with pytest.raises(wpmigrate.OutputRefusedError, match="never replaces"):
        convert(SEED, other, preset="hugo")
    assert tree(other) == before
    assert (other / post).read_text() == "theirs"


def test_a_rerun_gives_the_same_tree_and_removes_what_it_no_longer_writes(tmp_path: Path) -> None:
    root = tmp_path / "site"
    convert(
        FIXTURES / "features-1.2.xml",
        root,
        preset="hugo",
        select=wpmigrate.PostFilter.create(types=["all"]),
    )
    first = tree(root)
    convert(
        FIXTURES / "features-1.2.xml",
        root,
        preset="hugo",
        select=wpmigrate.PostFilter.create(types=["all"]),
    )
    assert tree(root) == first
    convert(
        FIXTURES / "features-1.2.xml",
        root,
        preset="hugo",
        select=wpmigrate.PostFilter.create(types=["post"]),
    )
    assert not any("page" in name or "about" in name for name in tree(root))


@pytest.mark.slow
def test_two_processes_write_what_one_writes(tmp_path: Path) -> None:
    source = corpus_files("real")[0]
    convert(source, tmp_path / "one", jobs=1)
    convert(source, tmp_path / "two", jobs=2)
    assert tree(tmp_path / "one") == tree(tmp_path / "two")


def test_links_between_posts_are_rewritten_and_redirects_written(tmp_path: Path) -> None:
    body = (
        'See <a href="https://example.org/first/">the first</a>, '
        '<a href="http://www.example.org/?p=1#top">by id</a> and <a href="https://else.org/first/">elsewhere</a>.'
    )
    extra = (
        f"<item><title>Second</title><link>https://example.org/second/</link><wp:post_id>2"
        f"</wp:post_id><wp:post_name>second</wp:post_name><wp:post_type>post</wp:post_type>"
        f"<wp:status>publish</wp:status><content:encoded><![CDATA[{body}]]></content:encoded></item>"
    )
    source = _export(tmp_path, [("first", "First")], extra)
    for form in ("netlify", "nginx", "apache", "csv", "json"):
        report = convert(source, tmp_path / form, preset="hugo", redirects=form)
        assert report.tallies["links rewritten"]["to other posts"] == 2
    _, text = front_matter(tmp_path / "json" / "content" / "posts" / "second.md")
    assert "[the first](</posts/first/>)" in text and "[by id](</posts/first/#top>)" in text
    assert "<https://else.org/first/>" in text
    redirects = json.loads((tmp_path / "json" / "redirects.json").read_text())
    assert {"from": "/first/", "to": "/posts/first/"} in redirects
    assert {"from": "/?p=2", "to": "/posts/second/"} in redirects
    assert "/ p=1 /posts/first/ 301" in (tmp_path / "netlify" / "static" / "_redirects").read_text()
    assert (
        'location = "/first/" { return 301 "/posts/first/"; }'
        in (tmp_path / "nginx" / "redirects.nginx.conf").read_text()
    )


def test_comments_in_a_data_file_threaded(tmp_path: Path) -> None:
    convert(
        FIXTURES / "features-1.2.xml",
        tmp_path / "site",
        preset="hugo",
        comments="data-file",
        data_format="yaml",
        comment_statuses="all",
    )
    [data] = (tmp_path / "site" / "data" / "comments").rglob("*.yaml")
    thread = yaml.safe_load(data.read_text())
    assert thread[0]["replies"][0]["replies"][0]["id"] == 3
    assert {c.get("status") for c in thread} >= {"spam"}


def test_featured_image_and_gallery_resolve_through_attachments(tmp_path: Path) -> None:
    attachment = (
        "<item><title>pic</title><wp:post_id>50</wp:post_id><wp:post_type>attachment"
        "</wp:post_type><wp:post_parent>1</wp:post_parent><wp:attachment_url>"
        "https://example.org/wp-content/uploads/pic.jpg</wp:attachment_url></item>"
    )
    source = _export(tmp_path, [("first", "First")], attachment)
    text = source.read_text().replace(
        "<content:encoded><![CDATA[Body 0]]></content:encoded>",
        '<content:encoded><![CDATA[[gallery ids="50"] and [gallery]]]></content:encoded>'
        "<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>50</wp:meta_value>"
        "</wp:postmeta>",
    )
    source.write_text(text)
    convert(source, tmp_path / "site", preset="hugo")
    fields, body = front_matter(tmp_path / "site" / "content" / "posts" / "first.md")
    assert fields["images"] == ["https://example.org/wp-content/uploads/pic.jpg"]
    assert body.count("https://example.org/wp-content/uploads/pic.jpg") == 2
    assert "wpm-" not in body


def test_statuses_and_types_policy(tmp_path: Path) -> None:
    report = convert(FIXTURES / "features-1.2.xml", tmp_path / "site")
    filtered = {reason for counts in report.post_types.values() for reason in counts.filtered}
    assert {"type attachment", "type revision", "type nav_menu_item"} <= filtered
    assert report.balanced()


def test_bad_options_are_refused(tmp_path: Path) -> None:
    for options in ({"path": "{nope}"}, {"fields": "title,nonsense"}, {"preset": "gatsby"}):
        with pytest.raises(wpmigrate.UsageError):
            convert(SEED, tmp_path / "x", **options)
    with pytest.raises(wpmigrate.UsageError):
        wpmigrate.convert(SEED, "-", to="markdown")


def test_fields_select_and_rename(tmp_path: Path) -> None:
    convert(SEED, tmp_path / "site", fields="title,date=published,tags=keywords")
    [file] = (tmp_path / "site").rglob("*.md")
    fields, _ = front_matter(file)
    assert list(fields) == ["title", "published", "keywords"]


# --- media --------------------------------------------------------------------------------


class _Media(http.server.BaseHTTPRequestHandler):
    """Serves fixture images; some paths fail the ways real hosts fail."""

    files = {
        "/wp-content/uploads/2020/01/photo.jpg": b"\xff\xd8JPEG" + bytes(range(256)) * 40,
        "/wp-content/uploads/2020/01/big.png": b"\x89PNG" + b"x" * 50_000,
    }
    flaky: dict[str, int] = {}

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        if path == "/wp-content/uploads/2020/01/flaky.gif":
            _Media.flaky[path] = _Media.flaky.get(path, 0) + 1
            if _Media.flaky[path] == 1:
                self.send_error(503)
                return
            body = b"GIF89a-after-a-retry"
        elif path == "/wp-content/uploads/2020/01/moved.jpg":
            self.send_response(302)
            self.send_header("Location", "/wp-content/uploads/2020/01/photo.jpg")
            self.end_headers()
            return
        elif path in self.files:
            body = self.files[path]
        else:
            self.send_error(404)
            return
        start = 0
        if self.headers.get("Range"):
            start = int(self.headers["Range"].split("=")[1].split("-")[0])
            self.send_response(206)
        else:
            self.send_response(200)
        self.send_header("Content-Length", str(len(body) - start))
        self.end_headers()
        self.wfile.write(body[start:])

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def media_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Media)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _media_export(tmp_path: Path, base: str) -> Path:
    body = (
        f'<img src="{base}/wp-content/uploads/2020/01/photo-300x200.jpg" alt="p" />'
        f'<a href="{base}/wp-content/uploads/2020/01/photo.jpg">full</a>'
        f'<img src="{base}/wp-content/uploads/2020/01/photo.jpg?w=640" alt="w" />'
        f'<img src="{base}/wp-content/uploads/2020/01/flaky.gif" alt="f" />'
        f'<img src="{base}/wp-content/uploads/2020/01/missing.jpg" alt="m" />'
        f'<img src="{base}/wp-content/uploads/2020/01/moved.jpg" alt="r" />'
        f'<img src="https://elsewhere.example/not-ours.jpg" alt="e" />'
    )
    source = _export(tmp_path, [("pics", "Pictures")])
    source.write_text(
        source.read_text()
        .replace("Body 0", body)
        .replace("https://example.org</wp:base_site_url>", f"{base}</wp:base_site_url>")
    )
    return source


def test_media_are_downloaded_and_linked_locally(tmp_path: Path, media_server: str) -> None:
    source = _media_export(tmp_path, media_server)
    report = convert(source, tmp_path / "site", preset="hugo", media="download", media_private=True)
    static = tmp_path / "site" / "static" / "wp-content" / "uploads" / "2020" / "01"
    assert (static / "photo.jpg").read_bytes() == _Media.files[
        "/wp-content/uploads/2020/01/photo.jpg"
    ]
    assert (static / "flaky.gif").read_bytes() == b"GIF89a-after-a-retry"
    assert not (static / "photo-300x200.jpg").exists()  # the variant maps to the original
    _, body = front_matter(tmp_path / "site" / "content" / "posts" / "pics.md")
    assert body.count("(/wp-content/uploads/2020/01/photo.jpg)") == 2
    assert "(</wp-content/uploads/2020/01/photo.jpg>)" in body
    assert f"{media_server}/wp-content/uploads/2020/01/missing.jpg" in body  # failed: kept
    assert "https://elsewhere.example/not-ours.jpg" in body
    failed = [n.message for n in report.notices if n.code == "media-failed"]
    assert len(failed) == 1 and "missing.jpg" in failed[0] and "404" in failed[0]
    assert report.tallies["media"]["downloaded"] >= 4
    manifest = json.loads((tmp_path / "site" / ".wpmigrate-manifest.json").read_text())
    assert "static/wp-content/uploads/2020/01/photo.jpg" in manifest["files"]


def test_private_addresses_and_other_schemes_are_refused(tmp_path: Path, media_server: str) -> None:
    source = _media_export(tmp_path, media_server)
    report = convert(source, tmp_path / "site", preset="hugo", media="download")
    failed = [n.message for n in report.notices if n.code == "media-failed"]
    assert failed and all("private or local address" in m for m in failed)
    assert not (tmp_path / "site" / "static").exists()
    downloader = MediaDownloader(tmp_path / "x", "m")
    outcome = downloader.download_all({"file:///etc/passwd"})["file:///etc/passwd"]
    assert "only http and https" in outcome.error


def test_a_download_resumes_and_respects_the_cap(tmp_path: Path, media_server: str) -> None:
    url = f"{media_server}/wp-content/uploads/2020/01/big.png"
    downloader = MediaDownloader(tmp_path, "m", allow_private=True)
    partial = tmp_path / "m" / "wp-content" / "uploads" / "2020" / "01" / "big.png.part"
    partial.parent.mkdir(parents=True)
    partial.write_bytes(_Media.files["/wp-content/uploads/2020/01/big.png"][:1000])
    assert downloader.download_all({url})[url].local_url == "/wp-content/uploads/2020/01/big.png"
    assert (partial.parent / "big.png").read_bytes() == _Media.files[
        "/wp-content/uploads/2020/01/big.png"
    ]
    capped = MediaDownloader(tmp_path / "capped", "m", allow_private=True, max_bytes=10_000)
    assert "cap" in capped.download_all({url})[url].error


def test_a_post_whose_front_matter_fails_is_reported_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wpmigrate.exporters.markdown import assemble as markdown_site
    from wpmigrate.exporters.markdown.frontmatter import FrontMatterError

    real = markdown_site.render_front_matter

    def refuse_one(fields: dict, form: str = "yaml") -> str:
        if fields.get("title") == "t1":
            raise FrontMatterError("the yaml front matter did not read back as written")
        return real(fields, form)

    monkeypatch.setattr(markdown_site, "render_front_matter", refuse_one)
    source = _export(tmp_path, [("a", "t0"), ("b", "t1"), ("c", "t2")])
    report = convert(source, tmp_path / "site", jobs=1)
    assert report.post_types["post"].written == 2
    assert report.post_types["post"].skipped == {
        "the yaml front matter did not read back as written": 1
    }
    assert report.exit_code == 1 and report.balanced()
    assert sorted(p.name for p in (tmp_path / "site" / "post").iterdir()) == ["a.md", "c.md"]


def test_the_command_line_writes_a_site(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from wpmigrate.cli import cli

    result = CliRunner().invoke(
        cli,
        [
            "convert",
            str(SEED),
            "--to",
            "markdown",
            "-O",
            "preset=hugo",
            "--out",
            str(tmp_path / "site"),
            "--jobs",
            "2",
            "-q",
        ],
    )
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "site" / "content" / "posts").iterdir())) == 1


def test_ascii_file_names(tmp_path: Path) -> None:
    source = _export(tmp_path, [("über-straße", "Über"), ("中文", "Chinese")])
    convert(source, tmp_path / "site", ascii=True)
    assert sorted(p.name for p in (tmp_path / "site" / "post").iterdir()) == [
        "uber-strasse.md",
        "zhong-wen.md",
    ]
