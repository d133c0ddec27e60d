"""Fingerprint what every exporter writes for every corpus export, to prove a change left
the outputs byte-identical (or to see exactly which ones it changed).

    python tools/corpus_outputs.py before.json        # on the old tree
    python tools/corpus_outputs.py after.json         # on the new tree
    python tools/corpus_outputs.py --compare before.json after.json

Each output (a file, or every file of a Markdown folder) is hashed with SHA-256, the
report's counts and exit code beside it. Runs through the library in this process, with
one job, so the fingerprint depends on nothing but the code and the inputs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import wpmigrate

CORPUS = Path(os.environ.get("WPMIGRATE_CORPUS", ROOT.parent / "shared" / "corpus"))
REPAIRS = {"AvantaR__wp2md__export.xml": ("leading-junk",)}

CASES: dict[str, tuple[str, dict[str, Any], str]] = {
    "jsonl": ("jsonl", {}, "out.jsonl"),
    "json": ("json", {"pretty": True}, "out.json"),
    "sqlite": ("sqlite", {}, "out.db"),
    "sql-postgresql": ("sql", {"dialect": "postgresql"}, "out.sql"),
    "sql-mysql": ("sql", {"dialect": "mysql"}, "out.sql"),
    "sql-sqlite": ("sql", {"dialect": "sqlite"}, "out.sql"),
    "markdown-plain": ("markdown", {}, "site"),
    "markdown-hugo": ("markdown", {"preset": "hugo", "redirects": "netlify"}, "site"),
    "markdown-jekyll": ("markdown", {"preset": "jekyll", "comments": "data-file"}, "site"),
    "markdown-eleventy": ("markdown", {"preset": "eleventy", "front_matter": "toml"}, "site"),
    "markdown-astro": ("markdown", {"preset": "astro", "bundles": True}, "site"),
}


def _sqlite_dump(path: Path) -> bytes:
    """The database's content, not its file: SQLite pages may differ for equal content."""
    import sqlite3

    db = sqlite3.connect(path)
    try:
        return "\n".join(db.iterdump()).encode("utf-8")
    finally:
        db.close()


def _digest(out: Path) -> dict[str, str]:
    if out.is_file():
        data = _sqlite_dump(out) if out.suffix == ".db" else out.read_bytes()
        return {out.name: hashlib.sha256(data).hexdigest()}
    if not out.exists():
        return {}
    return {
        str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


def fingerprint(inputs: list[Path]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as work:
        for source in inputs:
            for case, (to, options, name) in CASES.items():
                out = Path(work) / f"{source.stem}-{case}" / name
                out.parent.mkdir()
                opts = {**options, "jobs": 1} if to == "markdown" else options
                try:
                    report = wpmigrate.convert(
                        source, out, to=to, options=opts, repairs=REPAIRS.get(source.name, ())
                    )
                    outcome: Any = {
                        "exit_code": report.exit_code,
                        "records": report.as_dict()["records"],
                        "warnings": report.as_dict()["warnings_by_code"],
                    }
                except wpmigrate.WpmigrateError as exc:
                    outcome = {"error": exc.one_line()}
                result[f"{source.parent.name}/{source.name} {case}"] = {
                    **outcome,
                    "files": _digest(out),
                }
    return result


def _counts(counts: dict[str, Any] | None) -> str:
    if counts is None:
        return "none"
    text = f"{counts['seen']} seen, {counts['written']} written"
    for bucket in ("skipped", "filtered"):
        if counts[bucket]:
            text += f", {bucket} {counts[bucket]}"
    return text


def compare(before: dict[str, Any], after: dict[str, Any]) -> int:
    changed = 0
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        changed += 1
        if old is None or new is None:
            print(f"{key}: only {'after' if old is None else 'before'}")
            continue
        for field in sorted(set(old) | set(new)):
            if old.get(field) == new.get(field):
                continue
            if field == "files":
                files = sorted(
                    name
                    for name in set(old["files"]) | set(new["files"])
                    if old["files"].get(name) != new["files"].get(name)
                )
                print(f"{key}: {len(files)} files differ: {', '.join(files[:5])}")
            elif field == "records":
                for kind in sorted(set(old[field]) | set(new[field])):
                    if old[field].get(kind) != new[field].get(kind):
                        print(
                            f"{key}: {kind}: {_counts(old[field].get(kind))} -> "
                            f"{_counts(new[field].get(kind))}"
                        )
            else:
                print(f"{key}: {field}: {old.get(field)} -> {new.get(field)}")
    print(f"{len(set(before) | set(after))} outputs, {changed} changed")
    return 1 if changed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", help="where to write; or, with --compare, two files")
    parser.add_argument("--compare", action="store_true", help="compare two fingerprints")
    args = parser.parse_args()
    if args.compare:
        before, after = (json.loads(Path(p).read_text("utf-8")) for p in args.paths)
        return compare(before, after)
    inputs = sorted(
        p
        for folder in ("real", "theme-test-data", "importer-tests")
        for p in (CORPUS / folder).glob("*.xml")
    )
    Path(args.paths[0]).write_text(json.dumps(fingerprint(inputs), indent=1, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
