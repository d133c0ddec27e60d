"""The exporter contract (wpmigrate.testing) kept by every exporter: the built-ins, the
server loaders, and the CSV plugin of examples/."""

from __future__ import annotations

import importlib.util
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest

import wpmigrate
from wpmigrate.exporters import BUILTIN_EXPORTERS, get_exporter
from wpmigrate.testing import ContractError, check_exporter, export_records, sample_records

from .conftest import ROOT
from .needs import PG_URL

FILE_AND_FOLDER = [
    ("jsonl", {}),
    ("json", {}),
    ("sqlite", {}),
    ("markdown", {"jobs": 1}),
    ("markdown", {"jobs": 2, "preset": "hugo"}),
    ("sql", {"dialect": "postgresql"}),
    ("sql", {"dialect": "mysql"}),
    ("sql", {"dialect": "sqlite"}),
]


@pytest.mark.parametrize(
    "name, options",
    FILE_AND_FOLDER,
    ids=[f"{n}-{'-'.join(map(str, o.values())) or 'default'}" for n, o in FILE_AND_FOLDER],
)
def test_every_builtin_exporter_keeps_the_contract(
    name: str, options: dict[str, Any], tmp_path: Path
) -> None:
    report = check_exporter(get_exporter(name), tmp_path, options)
    assert report.records["post"].seen == 4


def test_every_builtin_is_checked() -> None:
    checked = {n for n, _ in FILE_AND_FOLDER} | {"postgresql", "mysql"}
    assert checked == set(BUILTIN_EXPORTERS)


@pytest.mark.servers
@pytest.mark.needs("postgresql")
def test_the_postgresql_loader_keeps_the_contract(tmp_path: Path) -> None:
    import psycopg

    schema = "c_" + uuid.uuid4().hex[:10]
    try:
        check_exporter(get_exporter("postgresql"), tmp_path, {"url": PG_URL, "schema": schema})
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as db:
            db.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.mark.servers
@pytest.mark.needs("mariadb")
def test_the_mysql_loader_keeps_the_contract(tmp_path: Path) -> None:
    import pymysql

    database = "c_" + uuid.uuid4().hex[:10]
    admin = pymysql.connect(host="127.0.0.1", user="root", autocommit=True)
    admin.cursor().execute(f"CREATE DATABASE `{database}`")
    try:
        check_exporter(
            get_exporter("mysql"), tmp_path, {"url": f"mysql://root@127.0.0.1/{database}"}
        )
    finally:
        admin.cursor().execute(f"DROP DATABASE IF EXISTS `{database}`")
        admin.close()


def _csv_plugin() -> type[wpmigrate.Exporter[Any]]:
    path = ROOT / "examples" / "wpmigrate-csv" / "wpmigrate_csv" / "__init__.py"
    spec = importlib.util.spec_from_file_location("wpmigrate_csv_contract", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module.CsvExporter  # type: ignore[no-any-return]


def test_the_csv_plugin_keeps_the_contract(tmp_path: Path) -> None:
    report = check_exporter(_csv_plugin(), tmp_path)
    assert report.records["site"].filtered == {"a CSV of posts": 1}


def test_the_csv_plugin_uses_only_public_names() -> None:
    source = (ROOT / "examples" / "wpmigrate-csv" / "wpmigrate_csv" / "__init__.py").read_text()
    imports = [line for line in source.splitlines() if line.startswith(("import ", "from "))]
    assert [line for line in imports if "wpmigrate" in line] == ["import wpmigrate"]
    used = {
        word.split(".")[1].split("(")[0].split("[")[0]
        for word in source.replace(",", " ").replace(")", " ").split()
        if word.startswith("wpmigrate.")
    }
    assert used <= set(wpmigrate.__all__), used - set(wpmigrate.__all__)


class _ClosesItsStream(wpmigrate.Exporter[wpmigrate.ExporterOptions]):
    name = "bad-closer"

    def write(self, record: wpmigrate.Record) -> None:
        pass

    def finish(self) -> None:
        self.file.open().close()


class _LosesRecords(wpmigrate.Exporter[wpmigrate.ExporterOptions]):
    name = "bad-counter"

    def write(self, record: wpmigrate.Record) -> None:
        if isinstance(record, wpmigrate.Post):
            self.log.report.counts("post").written -= 1  # counts a post as gone, nowhere


@pytest.mark.parametrize(
    "exporter, words", [(_ClosesItsStream, "closed"), (_LosesRecords, "account")]
)
def test_the_kit_catches_a_broken_exporter(
    exporter: type[wpmigrate.Exporter[Any]], words: str, tmp_path: Path
) -> None:
    with pytest.raises(ContractError, match=words):
        check_exporter(exporter, tmp_path)


def test_a_late_skipped_post_takes_its_comments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wpmigrate.exporters.markdown import assemble as markdown_site
    from wpmigrate.exporters.markdown.frontmatter import FrontMatterError

    def refuse(fields: dict[str, Any], form: str) -> str:
        raise FrontMatterError("the yaml front matter did not read back as written")

    monkeypatch.setattr(markdown_site, "render_front_matter", refuse)
    report = export_records(
        "markdown", sample_records(), tmp_path / "site", jobs=1, comment_statuses="all"
    )
    assert report.records["post"].skipped == {
        "the yaml front matter did not read back as written": 3
    }
    assert report.records["comment"].skipped == {
        "the yaml front matter did not read back as written": 4
    }
    assert report.balanced() and report.exit_code == 1
