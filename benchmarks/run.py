"""Measure wpmigrate against its limits on generated exports: wall time, MB/s, CPU time
(user + system, workers included) and the peak memory of the whole process tree.

For each size it runs, in fresh processes and in rounds (each figure is the median):
two limits, the bare lxml loop (every field of every item read into a dict) and
html2text-only (every post body through html2text, nothing else); ``wpmigrate inspect``;
``wpmigrate convert`` to JSON Lines, SQLite, a PostgreSQL dump and Markdown (one and two
worker processes); and ``psql`` loading that dump (into a scratch schema of the local
server, dropped afterwards). Markdown is reported as a ratio to html2text-only's CPU
time, the rest as a ratio to the bare loop's speed::

    python benchmarks/run.py --sizes 100 500
    python benchmarks/run.py --sizes 100 --only sqlite "sql postgresql" "psql load"
    python benchmarks/run.py --sizes 100 --only "markdown --jobs 1" "markdown --jobs 2"
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: The local server's scratch database, as the psql client reaches it.
PSQL = ["psql", "-X", "-q", "-h", "127.0.0.1", "-U", "postgres", "-d", "test"]
DATA = HERE.parent / "bench-data"


@dataclass(frozen=True)
class Measured:
    seconds: float
    #: User + system CPU seconds of the process and the workers it waited for.
    cpu: float
    #: The peak, over the run, of the process tree's memory: the sum of every process's
    #: proportional set size (shared pages counted once), sampled every 100 ms.
    tree_mb: float


def _tree(pid: int) -> list[int]:
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    stack.extend(int(c) for c in handle.read().split())
        except OSError:
            continue
    return found


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def measure(command: list[str]) -> Measured:
    """Wall time, CPU time and whole-tree peak memory of one command in its own process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, sum(_pss_kb(p) for p in _tree(process.pid)))
            # Reading smaps_rollup walks the process's page tables (about 5 ms of CPU for
            # a 300 MB process): often enough for a peak, seldom enough not to take a
            # core's share from a job that uses both.
            done.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    done.set()
    sampler.join()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}")
    return Measured(elapsed, usage.ru_utime + usage.ru_stime, peak / 1024)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[100, 500])
    parser.add_argument(
        "--repeat", type=int, default=3, help="rounds; each figure is the median of them"
    )
    parser.add_argument(
        "--only",
        nargs="+",
        metavar="JOB",
        help="run only these jobs (the limits, bare loop and html2text-only, always run)",
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
                "html2text-only": [python, str(HERE / "html2text_only.py"), str(export)],
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
                "psql load": [*PSQL, "-v", "ON_ERROR_STOP=1", "-f", str(out / "pg.sql")],
            }
            wanted = [name for name in jobs if not args.only or name in LIMITS or name in args.only]
            rounds: dict[str, list[Measured]] = {name: [] for name in wanted}
            try:
                # Rounds of every job in turn, so a slow minute of the machine is shared.
                for _ in range(args.repeat):
                    for name in wanted:
                        _drop_schema(schema)
                        rounds[name].append(measure(jobs[name]))
                        # The dump stays for "psql load", whatever runs in between.
                        _clear(out, keep={"pg.sql"})
            finally:
                _drop_schema(schema)
        results = {name: _median(runs) for name, runs in rounds.items()}
        print(f"\n{export.name}: {megabytes:.1f} MB, medians of {args.repeat} rounds")
        print(f"  {'job':20s} {'wall s':>7s} {'MB/s':>7s} {'CPU s':>7s} {'tree MB':>8s}  limit")
        for name, m in results.items():
            limit = LIMITS.get(name) or _limit_of(name)
            ratio = ""
            if limit and limit != name and limit in results:
                if limit == "bare lxml loop":
                    ratio = f"{results[limit].seconds / m.seconds:.2f} x the bare loop's speed"
                else:
                    ratio = f"{m.cpu / results[limit].cpu:.2f} x html2text-only's CPU"
            print(
                f"  {name:20s} {m.seconds:7.2f} {megabytes / m.seconds:7.1f} {m.cpu:7.2f}"
                f" {m.tree_mb:8.1f}  {ratio}"
            )


#: The jobs that are limits: what wpmigrate's jobs are measured against.
LIMITS = {"bare lxml loop": "bare lxml loop", "html2text-only": "html2text-only"}


def _limit_of(name: str) -> str:
    """Markdown is held to html2text's cost; every other job to the bare loop's speed."""
    return "html2text-only" if name.startswith("markdown") else "bare lxml loop"


def _median(runs: list[Measured]) -> Measured:
    return Measured(
        statistics.median(r.seconds for r in runs),
        statistics.median(r.cpu for r in runs),
        statistics.median(r.tree_mb for r in runs),
    )


def _clear(folder: Path, keep: set[str]) -> None:
    """Every job writes into a new output, as a first run does (a Markdown folder written
    again replaces its files, which costs the file system more); and the next job starts
    once the disk has written back what this one left (sync), not while it still does."""
    for path in folder.iterdir():
        if path.name in keep:
            continue
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
    os.sync()


def _drop_schema(schema: str) -> None:
    subprocess.run(
        [*PSQL, "-c", f"SET client_min_messages = warning; DROP SCHEMA IF EXISTS {schema} CASCADE"],
        check=False,
    )


if __name__ == "__main__":
    main()
