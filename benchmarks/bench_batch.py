"""Manifest benchmark: `safeguard batch` on synthetic Parquet manifests. Prints, never asserts.

    .venv/bin/python benchmarks/bench_batch.py [--rows 1000000,10000000] [--data DIR] [--bad-rows 0.01]

For each size: a synthetic manifest (the calibrated population of `safeguard synth`, with bad rows
mixed in, destination SV under sv-cecot-2025) is written once to --data (kept for re-runs), then
`safeguard batch IN OUT.parquet` runs in a fresh process, so its peak memory (max RSS) is its own.
Printed: wall time, rows/s end to end (read, validate, screen, write), peak memory, and where the
time goes on the first chunk. The same rules one case at a time (the scalar engine, no explanation,
no question ranking) give the row-at-a-time rate and the ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

AS_OF = date(2026, 11, 23)


def manifest(data: Path, n: int, bad: float) -> Path:
    from safeguard.synth.cli_support import write_manifest

    path = data / f"synth-{n}-bad{bad}.parquet"
    if not path.exists():
        start = time.perf_counter()
        write_manifest(path, n, seed=1, bad_row_share=bad, destination="SV", arrangement="sv-cecot-2025", as_of=AS_OF)
        print(f"  generated {n:,} rows in {time.perf_counter() - start:.1f} s -> {path} "
              f"({path.stat().st_size / 1e6:,.0f} MB)")
    return path


CHILD = """
import json, resource, sys, time
from datetime import date
from pathlib import Path
from rich.console import Console
from safeguard.batch.cli_batch import run_batch
start = time.perf_counter()
summary = run_batch(Path(sys.argv[1]), Path(sys.argv[2]), date(2026, 11, 23), None,
                    Console(file=open("/dev/null", "w")), chunk_rows=int(sys.argv[3]))
summary["wall"] = time.perf_counter() - start
summary["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(summary))
"""


def batch_run(src: Path, chunk: int) -> dict:
    dst = src.with_name(src.stem + ".screened.parquet")
    r = subprocess.run([sys.executable, "-c", CHILD, str(src), str(dst), str(chunk)], capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(r.stderr)
    out = json.loads(r.stdout.strip().splitlines()[-1])
    dst.unlink(missing_ok=True)
    return out


def phases(src: Path, rows: int) -> dict[str, float]:
    """Seconds per stage on one chunk of `rows` rows."""
    from safeguard.api import columnar_engine
    from safeguard.batch.io import iter_manifest
    from safeguard.batch.run import screen_frame
    from safeguard.facts.columns import typed_facts

    t = time.perf_counter()
    chunk = next(iter_manifest(src, rows))
    read = time.perf_counter() - t
    screen_frame(chunk.head(1000), AS_OF)  # warm-up
    t = time.perf_counter()
    typed = typed_facts(chunk, AS_OF)
    validate = time.perf_counter() - t
    t = time.perf_counter()
    columnar_engine().run(typed.lazy()).collect()
    engine = time.perf_counter() - t
    t = time.perf_counter()
    out = screen_frame(chunk, AS_OF)
    whole = time.perf_counter() - t
    t = time.perf_counter()
    out.write_parquet(src.with_name("phase-out.parquet"))
    write = time.perf_counter() - t
    src.with_name("phase-out.parquet").unlink()
    return {"read": read, "validate": validate, "rules": engine, "screen_frame (validate+rules+results)": whole,
            "write": write}


def row_at_a_time(src: Path, n: int = 2000) -> float:
    """Rows/s of the scalar engine over the same rules, one case at a time (valid rows only)."""
    import polars as pl

    from safeguard.api import scalar_engine
    from safeguard.facts.parse import InputErrors, parse_case
    from safeguard.facts.schema import fact_specs

    frame = pl.read_parquet(src).head(n * 2)
    specs = fact_specs()
    cases = []
    for row in frame.iter_rows(named=True):
        raw = {k: v for k, v in row.items() if k in specs and v not in (None, "")}
        try:
            cases.append(parse_case(raw, text=True))
        except InputErrors:
            continue
        if len(cases) == n:
            break
    engine = scalar_engine()
    start = time.perf_counter()
    for c in cases:
        engine.evaluate(c.facts, c.as_of)
    return len(cases) / (time.perf_counter() - start)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", default="1000000,10000000")
    ap.add_argument("--data", default=os.environ.get("SAFEGUARD_BENCH_DATA", "/tmp/safeguard-bench"))
    ap.add_argument("--bad-rows", type=float, default=0.01)
    ap.add_argument("--chunk-rows", type=int, default=250_000)
    args = ap.parse_args()
    data = Path(args.data)
    data.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f} at start")
    sizes = [int(x) for x in args.rows.split(",")]
    paths = {n: manifest(data, n, args.bad_rows) for n in sizes}
    results = {}
    for n in sizes:
        r = batch_run(paths[n], args.chunk_rows)
        results[n] = r
        print(f"batch {n:>11,} rows: {r['wall']:7.1f} s  {n / r['wall']:>10,.0f} rows/s end to end  "
              f"peak {r['peak_mb']:,.0f} MB  rows in {r['rows_in']:,} = out {r['rows_out']:,}, "
              f"{r['rows_with_error']:,} with errors")
    split = phases(paths[sizes[0]], args.chunk_rows)
    print(f"one chunk of {args.chunk_rows:,} rows, seconds by stage: "
          + ", ".join(f"{k} {v:.2f}" for k, v in split.items()))
    rate = row_at_a_time(paths[sizes[0]])
    print(f"row-at-a-time (scalar engine, same rules, no explanation): {rate:,.0f} rows/s")
    for n, r in results.items():
        print(f"ratio batch/row-at-a-time at {n:,} rows: {n / r['wall'] / rate:,.0f}x")
    print(f"load average at end {os.getloadavg()[0]:.2f} (other work on the machine slows every figure)")


if __name__ == "__main__":
    main()
