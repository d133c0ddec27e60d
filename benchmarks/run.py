"""Measure throughput (MB/s) and peak memory (RSS) on generated exports.

For each size it times, in fresh processes: the bare lxml loop, ``wpmigrate inspect``
and ``wpmigrate convert --to jsonl``, and prints MB/s, peak RSS and the ratio to the
bare loop::

    python benchmarks/run.py --sizes 100 500
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
    args = parser.parse_args()
    python = sys.executable
    cli = [python, "-m", "wpmigrate"]
    for size in args.sizes:
        export = DATA / f"{size:g}mb.xml"
        if not export.exists():
            subprocess.run([python, str(HERE / "make_export.py"), "--size-mb", str(size),
                            "--out", str(export)], check=True)
        megabytes = export.stat().st_size / 1e6
        with tempfile.TemporaryDirectory() as scratch:
            jobs = {
                "bare lxml loop": [python, str(HERE / "bare_lxml.py"), str(export)],
                "inspect": cli + ["inspect", str(export)],
                "convert --to jsonl": cli + ["convert", str(export), "--to", "jsonl", "--out",
                                             os.path.join(scratch, "out.jsonl"), "-q"],
            }
            results = {}
            for name, command in jobs.items():
                runs = [measure(command) for _ in range(args.repeat)]
                results[name] = min(runs)
        base = megabytes / results["bare lxml loop"][0]
        print(f"\n{export.name}: {megabytes:.1f} MB")
        for name, (seconds, rss) in results.items():
            rate = megabytes / seconds
            print(f"  {name:20s} {seconds:7.2f} s {rate:7.1f} MB/s  peak RSS {rss:6.1f} MB"
                  f"  ({rate / base:.2f} x bare loop)")


if __name__ == "__main__":
    main()
