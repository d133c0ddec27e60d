"""Measure throughput (MB/s) and peak memory (RSS) on generated exports.

For each size it times, in fresh processes: the bare lxml loop, ``wpmigrate inspect``,
``wpmigrate convert`` to JSON Lines, SQLite, a PostgreSQL dump and Markdown (one and two
worker processes), and ``psql`` loading
that dump (into a scratch schema of the local server, dropped afterwards); it prints
MB/s, peak RSS and the ratio to the bare loop::

    python benchmarks/run.py --sizes 100 500
    python benchmarks/run.py --sizes 100 --only sqlite "sql postgresql" "psql load"
    python benchmarks/run.py --sizes 100 --only "markdown --jobs 1" "markdown --jobs 2"
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE.parent / "bench-data"


def measure(command: list[str]) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of one command run in its own process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}")
    return elapsed, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[100, 500])
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement (best kept)")
    parser.add_argument(
        "--only", nargs="+", metavar="JOB", help="run only these jobs (the bare loop always runs)"
    )
    args = parser.parse_args()
    python = sys.executable
    cli = [python, "-m", "wpmigrate"]
    for size in args.sizes:
        export = DATA / f"{size:g}mb.xml"
        if not export.exists():
            subprocess.run(
                [
                    python,
                    str(HERE / "make_export.py"),
                    "--size-mb",
                    str(size),
                    "--out",
                    str(export),
                ],
                check=True,
            )
        megabytes = export.stat().st_size / 1e6
        with tempfile.TemporaryDirectory() as scratch:
            out = Path(scratch)
            schema = f"bench_{os.getpid()}"
            convert = cli + ["convert", str(export), "-q", "--out"]
            jobs = {
                "bare lxml loop": [python, str(HERE / "bare_lxml.py"), str(export)],
                "inspect": cli + ["inspect", str(export)],
                "jsonl": convert + [str(out / "out.jsonl"), "--to", "jsonl"],
                "sqlite": convert + [str(out / "out.db"), "--to", "sqlite"],
                "sql postgresql": convert
                + [
                    str(out / "pg.sql"),
                    "--to",
                    "sql",
                    "-O",
                    "dialect=postgresql",
                    "-O",
                    f"schema={schema}",
                ],
                "markdown --jobs 1": convert
                + [str(out / "md1"), "--to", "markdown", "--jobs", "1"],
                "markdown --jobs 2": convert
                + [str(out / "md2"), "--to", "markdown", "--jobs", "2"],
                "psql load": [
                    "psql",
                    "-X",
                    "-q",
                    "-v",
                    "ON_ERROR_STOP=1",
                    "-h",
                    "127.0.0.1",
                    "-U",
                    "postgres",
                    "-d",
                    "test",
                    "-f",
                    str(out / "pg.sql"),
                ],
            }
            results = {}
            try:
                for name, command in jobs.items():
                    if args.only and name != "bare lxml loop" and name not in args.only:
                        continue
                    runs = []
                    for _ in range(args.repeat):
                        _drop_schema(schema)
                        runs.append(measure(command))
                    results[name] = min(runs)
            finally:
                _drop_schema(schema)
        base = megabytes / results["bare lxml loop"][0]
        print(f"\n{export.name}: {megabytes:.1f} MB")
        for name, (seconds, rss) in results.items():
            rate = megabytes / seconds
            print(
                f"  {name:20s} {seconds:7.2f} s {rate:7.1f} MB/s  peak RSS {rss:6.1f} MB"
                f"  ({rate / base:.2f} x bare loop)"
            )


def _drop_schema(schema: str) -> None:
    subprocess.run(
        [
            "psql",
            "-X",
            "-q",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-d",
            "test",
            "-c",
            f"SET client_min_messages = warning; DROP SCHEMA IF EXISTS {schema} CASCADE",
        ],
        check=False,
    )


if __name__ == "__main__":
    main()
