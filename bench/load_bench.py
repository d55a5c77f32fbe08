"""Load and validate a generated Flat File V2 settlement: seconds in-process and peak memory.

Each run is a fresh process (so peak memory is that run's own): it imports settlesync, then
times ``load_settlements`` alone. Target (issue 2): 1M lines under 1.2 s and 700 MiB.

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
from settlesync_nb.io import load_settlements
start = time.perf_counter()
result = load_settlements([sys.argv[1]])
seconds = time.perf_counter() - start
assert result.settlements[0].consistent and len(result.lines) == int(sys.argv[2])
print(json.dumps({"seconds": seconds, "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
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


if __name__ == "__main__":
    main()
