"""Peak memory of `screen_batch` on one in-memory frame (the Python API path, which does not chunk the way
`safeguard batch` does). Prints, never asserts; run each size in a fresh process for its own peak.

    .venv/bin/python benchmarks/bench_frame_memory.py [--rows 40000] [--seed 7]
"""

from __future__ import annotations

import argparse
import datetime
import resource
import time

from safeguard.api import screen_batch
from safeguard.synth import generate


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=40_000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    day = datetime.date(2025, 3, 15)
    frame = generate(args.rows, args.seed, destination="SV", arrangement="sv-cecot-2025", as_of=day)
    t0 = time.perf_counter()
    out = screen_batch(frame, as_of=day)
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"{args.rows:,} synthetic rows in one frame: {seconds:.1f} s ({args.rows / seconds:,.0f} rows/s), "
          f"{out.height:,} rows out; peak memory (max RSS) {peak:,} MB")


if __name__ == "__main__":
    main()
