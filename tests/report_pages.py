"""Reports to render in the tests: a hostile export (titles and shortcodes that are
markup), and an exporter that leaves some posts unwritten (for "Needs attention")."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import wpmigrate

HOSTILE_TITLES = (
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(2)">',
    "</td></tr></table><h1>broken out</h1>",
    "{{ 7*7 }} {% raw %}",
)


def hostile_export(path: Path) -> Path:
    """Posts titled with markup, using a shortcode named like a tag, one linking away."""
    items = []
    for n, title in enumerate(HOSTILE_TITLES, start=1):
        body = '[evil-"><script>alert(3)</script> x="1"]' if n == 1 else "Body"
        items.append(
            f"<item><title><![CDATA[{title}]]></title>"
            f"<link>javascript:alert({n})</link><dc:creator>admin</dc:creator>"
            f"<content:encoded><![CDATA[{body}]]></content:encoded>"
            f"<wp:post_id>{n}</wp:post_id><wp:post_name>p{n}</wp:post_name>"
            "<wp:post_type>post</wp:post_type><wp:status>publish</wp:status>"
            "<wp:post_date>2021-02-03 04:05:06</wp:post_date></item>"
        )
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:wp="http://wordpress.org/export/1.2/"><channel>'
        "<title><![CDATA[<b>Site</b>]]></title><wp:wxr_version>1.2</wp:wxr_version>"
        + "".join(items)
        + "</channel></rss>",
        encoding="utf-8",
    )
    return path


@dataclass(frozen=True, kw_only=True)
class _Options(wpmigrate.ExporterOptions):
    pass


class EveryOtherPost(wpmigrate.Exporter[_Options]):
    """Writes nothing; skips every other post, with a reason (as a failing write would)."""

    name = "every-other"
    description = "skips every other post"
    Options = _Options
    output_kind = "server"

    def start(self) -> None:
        self._n = 0

    def write(self, record: wpmigrate.Record) -> None:
        if isinstance(record, wpmigrate.Post):
            self._n += 1
            if self._n % 2 == 0:
                self.log.skip(record, "the server refused it")


def report_of(source: Path, out: Path | None, **kwargs: Any) -> dict[str, Any]:
    """The run's JSON report, posts' fates included."""
    report = wpmigrate.convert(source, out, post_fates=True, **kwargs)
    return report.as_dict()
