"""Benchmark (not a test): the product's peak memory while it syncs 10,000 and 100,000 orders.

    .venv/bin/python -m bench.orders_memory [--orders 10000,100000] [--scale 200]

Each size runs ``bench/orders_sync.py`` (product only: no naive sync, no plan reads) in a fresh
process, so each peak is its own: BC's limits and latency on (the BC clock ``--scale`` times fast,
to keep the run short: memory does not depend on it), the simulators in a child process, so the
figure is the product's process alone. Counted: the process's resident memory before the sync
and its peak (getrusage). Orders are streamed a page at a time, so the peak should stay flat.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MEMORY = re.compile(r"memory \(RSS\) ([\d,]+) MB before, peak ([\d,]+) MB")
SYNCED = re.compile(r"Product: ([\d,]+) of ([\d,]+) orders")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", default="10000,100000", help="comma-separated run sizes")
    parser.add_argument("--scale", type=float, default=200.0, help="BC seconds per wall second")
    args = parser.parse_args()

    rows = []
    for size in [int(value) for value in args.orders.split(",")]:
        print(f"{size:,} orders ...", flush=True)
        started = time.perf_counter()
        command = [sys.executable, "-m", "bench.orders_sync", "--orders", str(size), "--naive-orders", "0",
                   "--plan-orders", "0", "--scale", str(args.scale)]  # fmt: skip
        lines = []
        # The progress lines are passed on as they come: a 100,000-order run takes a long while.
        with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True) as child:
            for line in child.stdout:
                lines.append(line)
                if line.startswith("  product:"):
                    print(line.rstrip(), flush=True)
        if child.returncode:
            raise SystemExit(f"bench.orders_sync exited with {child.returncode}")
        output = "".join(lines)
        memory, synced = MEMORY.search(output), SYNCED.search(output)
        rows.append((size, synced.group(1), memory.group(1), memory.group(2), time.perf_counter() - started))
        print(f"  {synced.group(0)}; {memory.group(0)}", flush=True)
    print("\n| orders | synced | RSS before (MB) | peak RSS (MB) | wall s |")
    print("|---|---|---|---|---|")
    for size, synced, before, peak, wall in rows:
        print(f"| {size:,} | {synced} | {before} | {peak} | {wall:,.0f} |")


if __name__ == "__main__":
    main()
