"""The seeded fault-injection test at benchmark size (not part of CI's run count).

    .venv/bin/python -m bench.fault_injection [--runs 1000]

Runs tests/flows/test_fault_injection.py with FAULT_INJECTION_RUNS=N: each run syncs a random
page of orders while BC answers 503 mid-batch, commits and drops responses, throttles, and the
worker dies between create and link; after every run each order must have exactly one BC
document and none may be lost. CI runs 20 of these; this runs a thousand and prints the outcome.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=1000)
    args = parser.parse_args()

    print(f"Fault injection: {args.runs:,} seeded runs ...", flush=True)
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/flows/test_fault_injection.py", "-q", "-p", "no:cacheprovider"],
        cwd=ROOT,
        env={**os.environ, "FAULT_INJECTION_RUNS": str(args.runs)},
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - started
    summary = [line for line in result.stdout.splitlines() if " passed" in line or " failed" in line]
    print(summary[-1] if summary else result.stdout[-2000:])
    print(f"{args.runs:,} runs in {elapsed:.0f} s ({elapsed / args.runs * 1000:.0f} ms per run)")
    if result.returncode != 0:
        print(result.stdout[-5000:], result.stderr[-2000:], sep="\n")
        raise SystemExit("A run left an order with no document or with two: see the failing seed above.")
    print("Every run: each order has exactly one BC document, none lost.")


if __name__ == "__main__":
    main()
