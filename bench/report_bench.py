"""`settlesync report` end to end (papermill run, HTML export) on the demo data and on a
generated settlement.

    python bench/report_bench.py [--lines 1000000] [--runs 3]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from machine import data, describe

SETTLESYNC = str(Path(sys.executable).with_name("settlesync"))


def timed(args: list[str]) -> float:
    out = Path(tempfile.mkdtemp(prefix="settlesync-bench-"))
    try:
        start = time.perf_counter()
        done = subprocess.run(
            [SETTLESYNC, "report", *args, "--out", str(out)], capture_output=True, text=True, check=False
        )
        seconds = time.perf_counter() - start
        if done.returncode not in (0, 1):
            raise SystemExit(f"report failed ({done.returncode}): {done.stderr}")
        return seconds
    finally:
        shutil.rmtree(out, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from settlesync_nb.demo import write_demo

    demo = write_demo(Path(tempfile.mkdtemp(prefix="settlesync-demo-")))
    demo_args = ["--amazon", *map(str, demo.amazon), "--netsuite", *map(str, demo.netsuite)]
    small = [timed(demo_args) for _ in range(args.runs)]
    report, export = data(args.lines)
    large = [timed(["--amazon", str(report), "--netsuite", str(export)]) for _ in range(args.runs)]
    print(f"machine: {describe()}")
    print(
        f"settlesync report, demo data (5 reports, ~470 lines): median {statistics.median(small):.1f} s "
        f"(min {min(small):.1f}) over {args.runs} runs"
    )
    print(
        f"settlesync report, {args.lines:,} lines: median {statistics.median(large):.1f} s "
        f"(min {min(large):.1f}) over {args.runs} runs"
    )


if __name__ == "__main__":
    main()
