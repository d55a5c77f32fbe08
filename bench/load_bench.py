"""Load and validate a generated Flat File V2 settlement: seconds in-process and peak memory.

Each run is a fresh process (so peak memory is that run's own): it imports settlesync, then
times ``load_settlements`` alone (canonical lines as Arrow), then the pandas frame made from
them on first use. Target (issue 2): 1M lines under 1.2 s and 700 MiB.

    python bench/load_bench.py [--lines 1000000] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

from machine import data, describe

CHILD = """
import json, resource, sys, time
import pandas  # imported before timing, like the other libraries
from settlesync_nb.io import load_settlements
def peak():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
start = time.perf_counter()
result = load_settlements([sys.argv[1]])
seconds = time.perf_counter() - start
loaded_peak = peak()
assert result.settlements[0].consistent and result.table.num_rows == int(sys.argv[2])
start = time.perf_counter()
frame = result.lines
frame_seconds = time.perf_counter() - start
figures = {"seconds": seconds, "peak_mib": loaded_peak, "frame_seconds": frame_seconds, "frame_peak_mib": peak()}
print(json.dumps(figures))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    report, _ = data(args.lines)
    runs = []
    for _ in range(args.runs):
        done = subprocess.run(
            [sys.executable, "-c", CHILD, str(report), str(args.lines)], capture_output=True, text=True, check=True
        )
        runs.append(json.loads(done.stdout))
    seconds = [r["seconds"] for r in runs]
    print(f"machine: {describe()}")
    print(
        f"load {args.lines:,} lines ({report.stat().st_size / 2**20:.0f} MiB file), {args.runs} runs: "
        f"median {statistics.median(seconds):.2f} s (min {min(seconds):.2f}, max {max(seconds):.2f}); "
        f"peak memory {max(r['peak_mib'] for r in runs):.0f} MiB; "
        f"{args.lines / statistics.median(seconds) / 1e6:.2f} M lines/s"
    )
    print(
        f"then the pandas frame (LoadResult.lines, made on first use): median "
        f"{statistics.median(r['frame_seconds'] for r in runs):.2f} s more, peak memory with it "
        f"{max(r['frame_peak_mib'] for r in runs):.0f} MiB"
    )


if __name__ == "__main__":
    main()
