"""The HTML report opened in a real browser (Debian's Chromium, headless, via Playwright),
as a reader opens it: from a file, with the network out of reach. Each page must show the
run's own numbers, filter its table, run no script but its own and ask for nothing.

A screenshot of the bundled blog's report is left in ``build/screenshots/`` to look at.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from wpmigrate.html_report import render_report

from .conftest import CORPUS, ROOT, SEED, repairs_for
from .report_pages import HOSTILE_TITLES, EveryOtherPost, hostile_export, report_of

pytestmark = [pytest.mark.browser, pytest.mark.needs("chromium")]

REAL = sorted((CORPUS / "real").glob("*.xml"))
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class Opened:
    page: Any
    url: str
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def total(self, name: str) -> int:
        return int(self.page.locator(f'[data-total="{name}"]').inner_text())

    def show(self, outcome: str = "", title: str = "") -> list[str]:
        """Filter the table as a reader does; the ids of the rows left visible."""
        self.page.select_option('select[name="outcome"]', outcome)
        self.page.fill('input[name="q"]', title)
        self.page.wait_for_timeout(150)  # the script waits 60 ms for typing to pause
        return self.page.eval_on_selector_all(
            "table.posts tbody tr", "rows => rows.filter(r => !r.hidden).map(r => r.id)"
        )


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_report(browser: Any, tmp_path: Path) -> Iterator[Any]:
    contexts = []

    def opener(runs: list[dict[str, Any]]) -> Opened:
        path = tmp_path / f"report-{len(contexts)}.html"
        path.write_text(render_report(runs), encoding="utf-8")
        context = browser.new_context(viewport={"width": 1280, "height": 1600})
        contexts.append(context)
        page = context.new_page()
        opened = Opened(page, path.as_uri())
        page.on("request", lambda request: opened.requests.append(request.url))
        page.on(
            "console",
            lambda message: (
                opened.console_errors.append(message.text) if message.type == "error" else None
            ),
        )
        page.on("dialog", lambda dialog: (opened.dialogs.append(dialog.message), dialog.dismiss()))
        page.on("pageerror", lambda error: opened.console_errors.append(str(error)))
        page.goto(opened.url)
        page.wait_for_load_state("load")
        return opened

    yield opener
    for context in contexts:
        context.close()


def check_page(opened: Opened, data: dict[str, Any]) -> None:
    """What every report must do in the browser."""
    assert opened.console_errors == []
    assert opened.dialogs == []
    assert opened.requests == [opened.url]  # the page itself, and nothing else
    post_types = data["post_types"].values()
    assert opened.total("seen") == sum(c["seen"] for c in post_types)
    assert opened.total("written") == sum(c["written"] for c in post_types)
    assert opened.total("skipped") == sum(sum(c["skipped"].values()) for c in post_types)
    skipped = {f"r0-{n}" for n, p in enumerate(data["posts"]) if p["outcome"] == "skipped"}
    assert set(opened.show("skipped")) == skipped
    filtered = {f"r0-{n}" for n, p in enumerate(data["posts"]) if p["outcome"] == "filtered"}
    assert set(opened.show("filtered")) == filtered
    assert len(opened.show("")) == len(data["posts"])


def test_the_seed_report(open_report: Any, tmp_path: Path) -> None:
    data = report_of(SEED, tmp_path / "site", to="markdown", preset="hugo")
    opened = open_report([data])
    check_page(opened, data)
    page = opened.page
    assert "Nothing needs attention" in page.locator("main").inner_text()
    row = page.locator("table.posts tbody tr").first
    assert row.locator("td.title").inner_text() == (
        "Social Media: Ohne die Unternehmen wird auch geredet"
    )
    assert row.locator("td").nth(6).inner_text() == "1"  # its comment
    assert opened.show(title="ohne die") == ["r0-0"] and opened.show(title="xyz") == []
    shots = ROOT / "build" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    opened.show()
    page.screenshot(path=str(shots / "report-seed.png"), full_page=True)


@pytest.mark.parametrize("export", REAL, ids=[e.stem[:40] for e in REAL])
def test_reports_of_the_corpus(export: Path, open_report: Any, tmp_path: Path) -> None:
    data = report_of(
        export, tmp_path / "site", to="markdown", preset="hugo", repairs=repairs_for(export)
    )
    opened = open_report([data])
    check_page(opened, data)
    text = opened.page.locator("main").inner_text()
    if data["repairs"]:
        assert "Repairs applied to the export" in text
        for name in data["repairs"]:
            assert name in text
    for name in data["tallies"].get("unknown shortcodes", {}):
        assert f"[{name}]" in text


def test_hostile_titles_are_text_and_run_nothing(open_report: Any, tmp_path: Path) -> None:
    data = report_of(hostile_export(tmp_path / "hostile.xml"), tmp_path / "site", to="markdown")
    opened = open_report([data])
    check_page(opened, data)
    titles = opened.page.locator("table.posts td.title").all_inner_texts()
    assert titles == list(HOSTILE_TITLES)
    assert opened.page.locator("h1").count() == 1  # no heading smuggled in
    # The body's shortcode, which holds a script, is listed by name; the one script on
    # the page is the report's own.
    names = list(data["tallies"]["unknown shortcodes"])
    assert names and all(f"[{n}]" in opened.page.locator("main").inner_text() for n in names)
    assert opened.page.evaluate("document.scripts.length") == 1


def test_skipped_posts_are_linked_and_filtered(open_report: Any, tmp_path: Path) -> None:
    from .conftest import FIXTURES

    data = report_of(FIXTURES / "features-1.2.xml", None, to=EveryOtherPost)
    opened = open_report([data])
    check_page(opened, data)
    link = opened.page.locator("details.attention a").first
    target = link.get_attribute("href")
    link.click()
    assert opened.page.evaluate("location.hash") == target
    assert opened.page.locator(f"{target} td.outcome").inner_text().startswith("skipped")


def test_ten_thousand_posts_filter(open_report: Any, tmp_path: Path) -> None:
    items = "".join(
        f"<item><title>Post {n}{' special' if n % 1000 == 0 else ''}</title>"
        f"<wp:post_id>{n}</wp:post_id><wp:post_type>{'page' if n % 10 == 0 else 'post'}"
        f"</wp:post_type><wp:status>{'draft' if n % 7 == 0 else 'publish'}</wp:status>"
        f"<wp:post_date>20{n % 20:02d}-01-01 00:00:00</wp:post_date></item>"
        for n in range(1, 10_001)
    )
    source = tmp_path / "big.xml"
    source.write_text(
        '<?xml version="1.0"?><rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/">'
        f"<channel><wp:wxr_version>1.2</wp:wxr_version>{items}</channel></rss>",
        encoding="utf-8",
    )
    data = report_of(source, tmp_path / "big.jsonl", to="jsonl", select=_drafts_left_out)
    opened = open_report([data])
    check_page(opened, data)
    assert len(opened.show(title="special")) == 10
    assert len(opened.show("filtered", "special")) == len(
        [n for n in range(1000, 10_001, 1000) if n % 7 == 0]
    )
    shown = opened.page.locator('output[name="shown"]').inner_text()
    assert re.fullmatch(r"\d+", shown)


def _drafts_left_out(record: Any) -> str | None:
    return "drafts left out" if getattr(record, "status", "") == "draft" else None
