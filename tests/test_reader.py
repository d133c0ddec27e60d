"""The streaming reader: fields, versions, sources, and what it refuses."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

import wpmigrate
from wpmigrate import Author, Comment, Post, Site, Term
from wpmigrate.errors import MalformedInputError, NotWXRError, RefusedInputError

from .conftest import CORPUS, FIXTURES, SEED


def records(source, **kwargs) -> list:
    return list(wpmigrate.read(source, **kwargs))


def posts(source, **kwargs) -> list[Post]:
    return [r for r in records(source, **kwargs) if isinstance(r, Post)]


def test_seed_post_author_and_comment_survive() -> None:
    found = records(SEED)
    site, author = found[0], found[1]
    assert isinstance(site, Site) and site.title == "Nummer 15" and site.language == "de"
    assert site.description == "About awesome Video-Stuff" and site.wxr_version == "1.2"
    assert isinstance(author, Author) and author.login == "nilsn" and not author.inferred
    (post,) = [r for r in found if isinstance(r, Post)]
    assert post.title == "Social Media: Ohne die Unternehmen wird auch geredet"
    assert post.date == datetime(2009, 4, 14, 16, 29, 51, tzinfo=timezone(timedelta(hours=2)))
    assert post.date_gmt == datetime(2009, 4, 14, 14, 29, 51, tzinfo=UTC)
    assert "“Kann man ja mal ausprobieren.”" in post.content
    assert post.content.count("<blockquote>") == 3
    assert "Glaubwürdigkeit schafft" in post.content
    assert [t.slug for t in post.terms if t.taxonomy == "category"] == ["social-media"]
    assert {t.name for t in post.terms if t.taxonomy == "post_tag"} >= {"Glaubwürdigkeit", "Marken"}
    (comment,) = post.comments
    assert comment.author == "Tobias" and comment.status == "approved" and comment.type == "comment"
    assert "“technische Probleme”" in comment.content and "gäbe" in comment.content
    assert comment.post_key == post.key == "211"


def test_stream_order_is_site_authors_terms_posts() -> None:
    kinds = [type(r).__name__ for r in records(SEED)]
    assert kinds == ["Site", "Author"] + ["Term"] * 6 + ["Post"]


def test_threaded_comments_terms_and_custom_types() -> None:
    found = records(FIXTURES / "features-1.2.xml")
    by_key = {r.key: r for r in found if isinstance(r, Post)}
    thread = by_key["100"]
    assert [(c.id, c.parent_id, c.status, c.type) for c in thread.comments] == [
        (1, None, "approved", "comment"),
        (2, 1, "approved", "comment"),
        (3, 2, "pending", "comment"),
        (4, None, "approved", "pingback"),
        (5, None, "spam", "trackback"),
    ]
    assert thread.comments[0].meta == (("rating", "5"),)
    assert thread.sticky and thread.modified == datetime(2024, 3, 2, 10, 0, tzinfo=UTC)
    assert thread.meta[:2] == (("related", "101"), ("related", "102"))  # duplicates kept in order
    terms = {r.key: r for r in found if isinstance(r, Term)}
    assert (
        terms["category:quantum"].parent == "physics"
        and terms["category:physics"].parent == "science"
    )
    assert terms["category:quantum"].meta == (("colour", "#336699"),)
    assert terms["genre:sci-fi"].parent == "fiction"
    assert terms["post_tag:café"].name == "Café"  # percent-encoded slug decoded once
    assert terms["post_format:post-format-aside"].inferred
    assert by_key["101"].type == "book" and by_key["101"].terms[0].taxonomy == "genre"
    assert by_key["201"].parent_id == 200 and by_key["201"].password == "s3cret"
    assert by_key["103"].attachment_url.endswith("/cover.jpg")
    draft = by_key["104"]
    assert draft.date_gmt is None and draft.date == datetime(2024, 3, 6, 12, 0)
    assert draft.content == 'Draft text with a backslash \\ and "quotes".'
    assert by_key["slug-id"].id == "slug-id" and by_key["~10"].id is None


def test_inferred_records_come_before_the_post_that_uses_them() -> None:
    found = records(FIXTURES / "features-1.2.xml")
    seen: set[str] = set()
    for record in found:
        if isinstance(record, (Author, Term)):
            seen.add(record.key)
        if isinstance(record, Post):
            assert not record.author or record.author in seen
            assert all(f"{t.taxonomy}:{t.slug}" in seen for t in record.terms)


def test_odd_ids_are_kept_and_reported() -> None:
    reader = wpmigrate.read(FIXTURES / "features-1.2.xml")
    list(reader)
    codes = {(n.code, n.key) for n in reader.notices}
    assert ("odd-id", "slug-id") in codes and ("missing-id", "~10") in codes


@pytest.mark.parametrize("name,version", [("wxr-1.0.xml", "1.0"), ("wxr-1.1.xml", "1.1")])
def test_older_versions(name: str, version: str) -> None:
    found = records(FIXTURES / name)
    assert found[0].wxr_version == version
    post = [r for r in found if isinstance(r, Post)][0]
    # WXR 1.0's bare <category> duplicates are merged, its domain="tag" read as post_tag.
    assert [(t.taxonomy, t.slug) for t in post.terms] == [
        ("category", "local"),
        ("post_tag", "rain"),
    ]
    assert post.date.utcoffset() == timedelta(hours=1)


def test_zip_of_several_files_reads_as_one_site() -> None:
    found = records(FIXTURES / "wordpress-com-split.zip")
    assert sum(isinstance(r, Site) for r in found) == 1
    assert sum(isinstance(r, Author) for r in found) == 1
    assert sum(isinstance(r, Term) for r in found) == 3
    assert [r.id for r in found if isinstance(r, Post)] == [1, 2, 3, 4, 5]


@pytest.mark.parametrize("compress", [gzip.compress, bz2.compress, lzma.compress])
def test_compressed_sources(compress, tmp_path: Path) -> None:
    target = tmp_path / "export.xml.x"
    target.write_bytes(compress(SEED.read_bytes()))
    assert records(target) == records(SEED)


def test_file_objects_and_stdin_like_streams() -> None:
    data = SEED.read_bytes()
    assert records(io.BytesIO(data)) == records(SEED)

    class Pipe(io.RawIOBase):  # not seekable, no peek: like a pipe
        def __init__(self) -> None:
            self.inner = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def readinto(self, buffer) -> int:
            chunk = self.inner.read(min(len(buffer), 777))
            buffer[: len(chunk)] = chunk
            return len(chunk)

    assert records(Pipe()) == records(SEED)


@pytest.mark.parametrize("chunk_size", [1, 7, 1024, 65536, 1 << 20])
def test_chunk_size_never_changes_the_records(chunk_size: int) -> None:
    source = FIXTURES / "features-1.2.xml"
    assert records(source, chunk_size=chunk_size) == records(source)


def test_padding_around_values_is_stripped_but_content_kept() -> None:
    path = (
        CORPUS / "real" / "SQLRockstar__sqlrockstar.github.io__thomaslarock.WordPress.2020-2024.xml"
    )
    first = posts(path)[0]
    assert first.status == "publish" and first.type == "post" and first.author == "sqlrockstar"
    assert first.title == "Why AWS and Azure Benchmarks Don't Matter to Me"
    assert first.content.startswith("\n <!-- wp:paragraph -->")


def test_undeclared_atom_prefix_is_a_warning() -> None:
    path = CORPUS / "real" / "TimothyFitz__timothyfitz.github.com__wordpress.xml"
    reader = wpmigrate.read(path)
    assert sum(isinstance(r, Post) for r in reader) == 24
    assert {n.code for n in reader.notices} == {"namespace"}


def test_posts_converted_while_reading_leave_the_reader_s_errors_alone(tmp_path: Path) -> None:
    # libxml2 keeps one error log per thread: a post's HTML that fails to parse (as XML
    # in the converter's tree path: "&nbsp;" is no XML entity) must not read as the
    # export's own error when the reader's parser reports its namespace warnings.
    path = CORPUS / "real" / "TimothyFitz__timothyfitz.github.com__wordpress.xml"
    report = wpmigrate.convert(path, tmp_path / "site", to="markdown", options={"jobs": 1})
    assert report.error is None and report.exit_code == 0
    assert {n.code for n in report.notices} == {"namespace"}


def test_a_parse_error_with_none_of_the_reader_s_entries_is_a_break() -> None:
    # Only entries named as the reader's parsers name the export count; an error whose
    # log holds none of them is never taken for "namespace warnings only".
    from lxml import etree

    from wpmigrate.wxr.parse_errors import EXPORT_NAME, namespace_notices

    def error(data: bytes, name: str) -> etree.XMLSyntaxError:
        etree.clear_error_log()
        with pytest.raises(etree.XMLSyntaxError) as caught:
            etree.fromstring(data, etree.XMLParser(), base_url=name)
        return caught.value

    assert namespace_notices(error(b"<a><x:b/></a", "elsewhere")) is None
    assert namespace_notices(error(b"<a><x:b/></a", EXPORT_NAME)) is None  # cut short
    assert namespace_notices(error(b"<a><x:b/></a>", EXPORT_NAME)) == [
        ("Namespace prefix x on b is not defined", 1)
    ]


XML_HEAD = b'<?xml version="1.0" encoding="UTF-8"?>\n'
WXR_OPEN = (
    b'<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/" '
    b'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>T</title>'
    b"<wp:wxr_version>1.2</wp:wxr_version>\n"
)


def item(n: int, content: bytes = b"ok") -> bytes:
    return (
        b"<item><title>P%d</title><wp:post_id>%d</wp:post_id><wp:post_type>post</wp:post_type>"
        b"<content:encoded>%s</content:encoded></item>\n" % (n, n, content)
    )


def test_doctype_is_refused_before_any_expansion(tmp_path: Path) -> None:
    lol = b'<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">'
    for level in range(1, 12):
        lol += b'<!ENTITY %s "%s">' % (b"a" * (level + 1), (b"&" + b"a" * level + b";") * 10)
    bomb = (
        XML_HEAD + b"<!DOCTYPE rss [" + lol + b"]>\n" + WXR_OPEN + item(1, b"&" + b"a" * 12 + b";")
    )
    start = time.perf_counter()
    with pytest.raises(RefusedInputError, match="DOCTYPE"):
        records(io.BytesIO(bomb))
    assert time.perf_counter() - start < 0.5


def test_external_entities_are_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    xxe = (
        XML_HEAD
        + b'<!DOCTYPE rss [<!ENTITY x SYSTEM "file://%s">]>\n' % str(secret).encode()
        + WXR_OPEN
        + item(1, b"&x;")
        + b"</channel></rss>"
    )
    with pytest.raises(RefusedInputError):
        records(io.BytesIO(xxe))


def test_doctype_in_utf16_is_refused() -> None:
    text = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE rss [<!ENTITY x "y">]><rss/>'
    with pytest.raises(RefusedInputError, match="DOCTYPE"):
        records(io.BytesIO(text.encode("utf-16")))


def test_truncated_export_yields_every_complete_item() -> None:
    data = XML_HEAD + WXR_OPEN + item(1) + item(2) + item(3)[:60]
    reader = wpmigrate.read(io.BytesIO(data))
    got = []
    with pytest.raises(MalformedInputError) as caught:
        for record in reader:
            got.append(record)
    assert [r.id for r in got if isinstance(r, Post)] == [1, 2]
    # The item that was cut starts on line 5: the message names it, on one line.
    assert (
        caught.value.message == "the export ends inside an item at line 5: the file was cut short?"
    )


@pytest.mark.parametrize(
    "body,words,hint",
    [
        (b"Caf&eacute;", "undefined entity &eacute;", "--repair html-entities"),
        (b"bell \x07 here", "control character U+0007", "--repair strip-controls"),
        (b"bad &#x10; ref", "control character U+0010", "--repair strip-controls"),
        (b"<![CDATA[in cdata \x10 too]]>", "control character U+0010", "--repair strip-controls"),
        (b"caf\xe9 latin-1", "byte 0xE9 that is not valid UTF-8", "--repair cp1252"),
    ],
)
def test_damage_is_named_with_its_line_and_repair(body: bytes, words: str, hint: str) -> None:
    data = XML_HEAD + WXR_OPEN + item(1) + item(2, body) + item(3) + b"</channel></rss>"
    with pytest.raises(MalformedInputError) as caught:
        records(io.BytesIO(data))
    assert words in caught.value.message and hint in caught.value.hint
    assert caught.value.line == 4


@pytest.mark.parametrize(
    "body,repair,expected",
    [
        (b"Caf&eacute; &amp; <![CDATA[&nbsp;]]>&nbsp;", "html-entities", "Café & &nbsp;\u00a0"),
        (b"bell \x07 and &#x10; gone", "strip-controls", "bell  and  gone"),
        (b"caf\xe9 \x93quoted\x94", "cp1252", "café “quoted”"),
    ],
)
def test_repairs_fix_what_they_name(body: bytes, repair: str, expected: str) -> None:
    data = XML_HEAD + WXR_OPEN + item(1, body) + b"</channel></rss>"
    for chunk_size in (1, 3, 65536):
        reader = wpmigrate.read(io.BytesIO(data), repairs=(repair,), chunk_size=chunk_size)
        (post,) = [r for r in reader if isinstance(r, Post)]
        assert post.content == expected
        assert reader.repair_counts[repair] >= 1


def test_junk_before_the_xml_needs_the_repair() -> None:
    data = b"Warning: fopen(x): failed in export.php on line 12\n" + XML_HEAD + WXR_OPEN + item(1)
    data += b"</channel></rss>"
    with pytest.raises(RefusedInputError, match="leading-junk"):
        records(io.BytesIO(data))
    assert len(posts(io.BytesIO(data), repairs=("leading-junk",))) == 1


def test_blank_lines_and_bom_before_the_declaration_are_fine() -> None:
    data = b"\xef\xbb\xbf\n\n" + XML_HEAD + WXR_OPEN + item(1) + b"</channel></rss>"
    reader = wpmigrate.read(io.BytesIO(data))
    assert len([r for r in reader if isinstance(r, Post)]) == 1
    assert [n.code for n in reader.notices] == ["leading-blank-lines"]


def test_a_byte_order_mark_alone_is_no_warning() -> None:
    data = b"\xef\xbb\xbf" + XML_HEAD + WXR_OPEN + item(1) + b"</channel></rss>"
    reader = wpmigrate.read(io.BytesIO(data))
    assert len([r for r in reader if isinstance(r, Post)]) == 1
    assert reader.notices == []


@pytest.mark.parametrize(
    "data,words",
    [
        (XML_HEAD + b"<html><body>nope</body></html>", "root element is <html>"),
        (
            XML_HEAD + b'<rss version="2.0"><channel><title>A feed</title><item><title>x</title>'
            b"</item></channel></rss>",
            "without the WordPress export",
        ),
        (
            XML_HEAD + b'<rss xmlns:wp="http://example.com/other/"><channel><item><wp:post_id>1'
            b"</wp:post_id></item></channel></rss>",
            "without the WordPress export",
        ),
        (b"", "empty"),
    ],
)
def test_not_wxr(data: bytes, words: str) -> None:
    with pytest.raises(NotWXRError, match=words):
        records(io.BytesIO(data))


def test_gzip_bomb_is_refused_fast(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xml.gz"
    with gzip.open(bomb, "wb", compresslevel=9) as handle:
        handle.write(XML_HEAD + WXR_OPEN)
        handle.write(b" " * (200 << 20))
    start = time.perf_counter()
    with pytest.raises(RefusedInputError, match="bomb"):
        records(bomb)
    assert time.perf_counter() - start < 2


def test_comment_records_are_plain_data() -> None:
    import dataclasses

    post = posts(SEED)[0]
    data = dataclasses.asdict(post)
    assert data["comments"][0]["author"] == "Tobias"
    assert isinstance(post.comments[0], Comment)


def test_comment_threads_have_no_missing_parent_and_no_loop() -> None:
    """Parent 99 (missing), 2 -> 2 (itself), 3 -> 4 -> 3 (a loop): each cut, with a warning."""
    reader = wpmigrate.read(FIXTURES / "hostile" / "comment-parents.xml")
    [post] = [r for r in reader if isinstance(r, Post)]
    assert [(c.id, c.parent_id) for c in post.comments] == [(1, None), (2, None), (3, 4), (4, None)]
    warnings = [n for n in reader.notices if n.code == "comment-parent"]
    assert [n.key for n in warnings] == ["1", "2", "4"]
    assert "does not have" in warnings[0].message and "its own parent" in warnings[1].message


def test_html_parsed_while_reading_does_not_break_the_reader() -> None:
    """libxml2 keeps one error log per thread: HTML parsed between records (a post's
    content, converted in this process) must not read as an error of the export."""
    import lxml.html

    source = CORPUS / "real" / "TimothyFitz__timothyfitz.github.com__wordpress.xml"
    posts = 0
    for record in wpmigrate.read(source):
        lxml.html.fragment_fromstring("<p>x</a></b><video><foo:bar>", create_parent="div")
        posts += isinstance(record, Post)
    assert posts == 24
