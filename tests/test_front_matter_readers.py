"""Front matter every generator reads the same: what WordPress stored with HTML entities
is written as the text a reader sees, and a string that a YAML 1.2 reader (Hugo, js-yaml)
or Ruby's reader (Jekyll) would take for something else is quoted."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import wpmigrate
from wpmigrate.exporters.markdown.frontmatter import render_front_matter
from wpmigrate.testing import export_records, sample_records


@pytest.mark.parametrize(
    "title",
    [
        "080414",
        "0o17",
        "0x1F",
        "1_000",
        "12.5e3",
        "True",
        "NULL",
        "yes",
        "off",
        "1:20",
        ":)",
        "%progress",
        "@home",
        "`tick`",
        "-draft",
        "[brackets]",
        "{braces}",
        "!bang",
        "*star",
        "&anchor",
        "?q",
        "|pipe",
        ">fold",
        "#hash",
    ],
)
def test_strings_other_readers_would_misread_are_quoted(title: str) -> None:
    line = render_front_matter({"title": title}, "yaml").splitlines()[1]
    assert line in (f"title: '{title}'", f'title: "{title}"'), line
    assert yaml.safe_load(render_front_matter({"title": title}, "yaml")[4:-4]) == {"title": title}


@pytest.mark.parametrize("title", ["Plain words", "Über „Zitate“", "Tips & Tricks", "C++ 20"])
def test_ordinary_titles_stay_plain(title: str) -> None:
    assert render_front_matter({"title": title}, "yaml").splitlines()[1] == f"title: {title}"


def test_entities_are_decoded_in_titles_terms_and_authors(tmp_path: Path) -> None:
    records = sample_records()
    post = next(r for r in records if isinstance(r, wpmigrate.Post) and r.type == "post")
    tip = wpmigrate.TermRef(taxonomy="category", slug="tips", name="Tips &amp; Tricks")
    records[records.index(post)] = type(post)(
        **{
            **{f: getattr(post, f) for f in post.__dataclass_fields__},
            "title": "Q&amp;A &#8211; &lt;b&gt;",
            "terms": (tip,),
        }
    )
    export_records("markdown", records, tmp_path / "site", jobs=1)
    [written] = (tmp_path / "site").rglob("ueber.md")
    fields = yaml.safe_load(written.read_text("utf-8").split("---\n")[1])
    assert fields["title"] == "Q&A – <b>"
    assert fields["categories"] == ["Tips & Tricks"]
