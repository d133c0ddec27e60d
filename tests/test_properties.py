"""Property tests: text from all of Unicode that XML can carry goes into a WXR file and
comes out of every file exporter exactly as it went in.

Titles, bodies, excerpts, meta keys and values, comment text and tag names are drawn by
hypothesis (U+0085, U+2028, backslashes, quotes, ``]]>``, CR and emoji included), written
into an export the way WordPress writes one, converted, and read back from the output:
JSON and JSON Lines loaded, SQLite queried, Markdown front matter parsed, and dumps
loaded into PostgreSQL and MariaDB (both sql_modes) and read back. The file exporters
see 2,100 examples in all, the servers 60 exports of up to 25 posts each;
``pytest --slow`` runs ten times as many.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import wpmigrate
from wpmigrate.exporters.markdown.frontmatter import parse_front_matter

pytestmark = pytest.mark.slow

# XML 1.0 characters (no C0 controls but tab/LF/CR, no surrogates, no U+FFFE/U+FFFF).
XML_TEXT = st.text(
    st.characters(
        codec="utf-8",
        exclude_categories=("Cs",),
        exclude_characters="".join(map(chr, [*range(0, 9), 11, 12, *range(14, 32)]))
        + "\ufffe\uffff",
    ),
    max_size=60,
)
# A title, meta key or term name with a line break at either end is read as
# pretty-printing's padding (see wpmigrate.wxr.items._unpadded); WordPress writes them on one line.
ONE_LINE = XML_TEXT.filter(lambda t: not t or (t[0] not in "\r\n" and t[-1] not in "\r\n"))
FIELDS = st.fixed_dictionaries(
    {
        "title": ONE_LINE,
        "content": XML_TEXT,
        "excerpt": XML_TEXT,
        "meta_key": ONE_LINE,
        # Term names are written in CDATA, where XML itself reads a CR as a line feed.
        "meta_value": XML_TEXT,
        "comment": XML_TEXT,
        "tag": ONE_LINE.filter(lambda t: t.strip() and "\r" not in t),
    }
)


def examples(request: pytest.FixtureRequest) -> int:
    return 7000 if request.config.getoption("--slow") else 700


def _text(value: str) -> str:
    # As WordPress writes it: escaped, CR as a character reference (a raw CR would be
    # read as a line end).
    return escape(value).replace("\r", "&#13;")


def export(fields: dict[str, str]) -> bytes:
    tag = fields["tag"]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">'
        "<channel><title>t</title><wp:wxr_version>1.2</wp:wxr_version><item>"
        f"<title>{_text(fields['title'])}</title><dc:creator>a</dc:creator>"
        f"<content:encoded>{_text(fields['content'])}</content:encoded>"
        f"<excerpt:encoded>{_text(fields['excerpt'])}</excerpt:encoded>"
        "<wp:post_id>7</wp:post_id><wp:post_name>p</wp:post_name><wp:status>publish</wp:status>"
        "<wp:post_type>post</wp:post_type><wp:post_date>2024-01-02 03:04:05</wp:post_date>"
        f'<category domain="post_tag" nicename="t"><![CDATA[{tag.replace("]]>", "]]]]><![CDATA[>")}]]></category>'
        f"<wp:postmeta><wp:meta_key>{_text(fields['meta_key'])}</wp:meta_key>"
        f"<wp:meta_value>{_text(fields['meta_value'])}</wp:meta_value></wp:postmeta>"
        f"<wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_approved>1</wp:comment_approved>"
        f"<wp:comment_content>{_text(fields['comment'])}</wp:comment_content></wp:comment>"
        "</item></channel></rss>"
    ).encode()


def _source(fields: dict[str, str], folder: Path) -> Path:
    path = folder / "export.xml"
    path.write_bytes(export(fields))
    return path


def test_json_lines_and_json_give_back_every_field(request: pytest.FixtureRequest) -> None:
    @settings(
        max_examples=examples(request),
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(FIELDS)
    def check(fields: dict[str, str]) -> None:
        with tempfile.TemporaryDirectory() as scratch:
            folder = Path(scratch)
            source = _source(fields, folder)
            assert wpmigrate.convert(source, folder / "o.jsonl", to="jsonl").exit_code == 0
            lines = (folder / "o.jsonl").read_bytes().split(b"\n")
            post = [json.loads(line) for line in lines if line][-1]
            assert wpmigrate.convert(source, folder / "o.json", to="json").exit_code == 0
            document = json.loads((folder / "o.json").read_bytes())
            for record in (post, document["posts"][0]):
                assert record["title"] == fields["title"]
                assert record["content"] == fields["content"]
                assert record["excerpt"] == fields["excerpt"]
                assert record["meta"] == [[fields["meta_key"], fields["meta_value"]]]
                assert record["comments"][0]["content"] == fields["comment"]
                assert record["terms"][0]["name"] == fields["tag"]

    check()


def test_sqlite_gives_back_every_field(request: pytest.FixtureRequest) -> None:
    @settings(
        max_examples=examples(request),
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(FIELDS)
    def check(fields: dict[str, str]) -> None:
        with tempfile.TemporaryDirectory() as scratch:
            folder = Path(scratch)
            assert (
                wpmigrate.convert(_source(fields, folder), folder / "o.db", to="sqlite").exit_code
                == 0
            )
            db = sqlite3.connect(folder / "o.db")
            try:
                assert db.execute("select title, content, excerpt from posts").fetchone() == (
                    fields["title"],
                    fields["content"],
                    fields["excerpt"],
                )
                assert db.execute("select meta_key, meta_value from post_meta").fetchone() == (
                    fields["meta_key"],
                    fields["meta_value"],
                )
                assert db.execute("select content from comments").fetchone() == (fields["comment"],)
                assert db.execute("select name from post_terms").fetchone() == (fields["tag"],)
            finally:
                db.close()

    check()


@pytest.mark.parametrize("form", ["yaml", "toml", "json"])
def test_markdown_front_matter_gives_back_the_title_and_tags(
    form: str, request: pytest.FixtureRequest
) -> None:
    @settings(
        max_examples=examples(request) // 3 + 1,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(FIELDS)
    def check(fields: dict[str, str]) -> None:
        with tempfile.TemporaryDirectory() as scratch:
            folder = Path(scratch)
            report = wpmigrate.convert(
                _source(fields, folder), folder / "site", to="markdown", front_matter=form, jobs=1
            )
            assert report.exit_code == 0, report.as_dict()
            text = (folder / "site" / "post" / "p.md").read_text(encoding="utf-8")
            if form == "json":
                front = json.JSONDecoder().raw_decode(text)[0]
            else:
                fence = "---\n" if form == "yaml" else "+++\n"
                end = text.index("\n" + fence, len(fence) - 1) + 1 + len(fence)
                front = parse_front_matter(text[:end], form)  # type: ignore[arg-type]
            assert front["title"] == fields["title"]
            assert front["tags"] == [fields["tag"]]

    check()


def _many(posts: list[dict[str, str]]) -> bytes:
    """One export holding every generated post (ids 1..n)."""
    items = [
        export(fields)
        .decode()
        .split("<item>", 1)[1]
        .rsplit("</item>", 1)[0]
        .replace("<wp:post_id>7</wp:post_id>", f"<wp:post_id>{n}</wp:post_id>")
        .replace("<wp:comment_id>1</wp:comment_id>", f"<wp:comment_id>{n}</wp:comment_id>")
        for n, fields in enumerate(posts, start=1)
    ]
    head = export(posts[0]).decode().split("<item>", 1)[0]
    return (head + "".join(f"<item>{i}</item>" for i in items) + "</channel></rss>").encode()


@pytest.mark.servers
@pytest.mark.needs("postgresql", "mariadb", "psql", "mariadb-client")
@pytest.mark.parametrize(
    "loader", ["postgresql-dump", "mariadb-dump", "mariadb-dump-no-backslash-escapes"]
)
def test_sql_servers_give_back_every_field(
    loader: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """20 exports of 25 generated posts each, loaded by the server's own client."""
    import psycopg
    import pymysql

    from .needs import PG_URL
    from .sql_readback import assert_same, expected, read_back
    from .test_sql import LOADERS

    @settings(
        max_examples=20 if not request.config.getoption("--slow") else 200,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(st.lists(FIELDS, min_size=1, max_size=25))
    def check(posts: list[dict[str, str]]) -> None:
        folder = tmp_path_factory.mktemp("prop")
        source = folder / "export.xml"
        source.write_bytes(_many(posts))
        name = folder.name.replace("-", "_").lower()[-40:].strip("_") or "p"
        schema, database = f"p_{name}", f"p_{name}"
        admin = pymysql.connect(host="127.0.0.1", user="root", autocommit=True)
        admin.cursor().execute(f"CREATE DATABASE `{database}`")
        try:
            db = LOADERS[loader](source, folder, schema, database)
            try:
                assert_same(read_back(db), expected(source))
            finally:
                db.connection.close()
        finally:
            admin.cursor().execute(f"DROP DATABASE IF EXISTS `{database}`")
            admin.close()
            with psycopg.connect(PG_URL, autocommit=True) as connection:
                connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')

    check()
