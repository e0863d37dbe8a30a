"""Spark benchmark: `safeguard batch --engine spark` (local[2]) against the single-machine batch on the
same Parquet manifest, side by side, in one run. Prints, never asserts.

    .venv/bin/python benchmarks/bench_spark.py [--rows 1000000] [--master local[2]] [--data DIR]
    .venv/bin/python benchmarks/bench_spark.py --rows 10000000

The manifest is the one `bench_batch.py` uses (the calibrated synthetic population, 1% bad rows,
destination SV under sv-cecot-2025), written once to --data and kept for re-runs. Each engine runs in a
fresh process of its own: the batch (Polars, chunked, on this machine), then Spark (Parquet in, a Parquet
folder out, through mapInArrow). Printed for each: wall time end to end, the time screening and writing
(Spark: without starting the JVM), rows/s, and rows in = rows out. Needs `pip install -e '.[spark]'`
and Java 17.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

AS_OF = date(2026, 11, 23)

BATCH = """
import json, resource, sys, time
from datetime import date
from pathlib import Path
from rich.console import Console
from safeguard.batch.cli_batch import run_batch
start = time.perf_counter()
s = run_batch(Path(sys.argv[1]), Path(sys.argv[2]), date.fromisoformat(sys.argv[3]), None, Console(file=open("/dev/null", "w")))
s["wall"] = time.perf_counter() - start
s["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(s))
"""

SPARK = """
import json, sys, time
from datetime import date
from pathlib import Path
from rich.console import Console
start = time.perf_counter()
from safeguard.spark.session import get_session
spark = get_session(sys.argv[4])
started = time.perf_counter() - start
from safeguard.spark.cli_spark import run_spark_batch
s = run_spark_batch(Path(sys.argv[1]), Path(sys.argv[2]), date.fromisoformat(sys.argv[3]), Console(file=open("/dev/null", "w")))
s["wall"] = time.perf_counter() - start
s["jvm_start"] = started
print(json.dumps(s))
"""


def manifest(data: Path, n: int, bad: float) -> Path:
    from safeguard.synth.cli_support import write_manifest

    path = data / f"synth-{n}-bad{bad}.parquet"  # the same file bench_batch.py writes and reuses
    if not path.exists():
        start = time.perf_counter()
        write_manifest(path, n, seed=1, bad_row_share=bad, destination="SV", arrangement="sv-cecot-2025", as_of=AS_OF)
        print(f"  generated {n:,} rows in {time.perf_counter() - start:.1f} s -> {path}")
    return path


def child(code: str, *args: str) -> dict:
    r = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(r.stderr[-4000:])
    return json.loads(r.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--data", default=os.environ.get("SAFEGUARD_BENCH_DATA", "/tmp/safeguard-bench"))
    ap.add_argument("--bad-rows", type=float, default=0.01)
    args = ap.parse_args()
    data = Path(args.data)
    data.mkdir(parents=True, exist_ok=True)
    src = manifest(data, args.rows, args.bad_rows)
    print(f"manifest: {src} ({args.rows:,} rows, {src.stat().st_size / 1e6:,.0f} MB)")
    print(f"machine: {os.cpu_count()} CPUs, shared with other developers' work running at the same time; "
          "every figure below moves with their load")

    runs = {}
    for name, code, dst, extra in (
        ("batch (Polars, this machine)", BATCH, data / f"bench-spark-{args.rows}.polars.parquet", ()),
        (f"spark {args.master}", SPARK, data / f"bench-spark-{args.rows}.spark.parquet", (args.master,)),
    ):
        load = os.getloadavg()[0]
        r = child(code, str(src), str(dst), AS_OF.isoformat(), *extra)
        r["load_before"], r["load_after"] = load, os.getloadavg()[0]
        runs[name] = r
        shutil.rmtree(dst) if dst.is_dir() else dst.unlink(missing_ok=True)

    print()
    print(f"{'':32} {'wall s':>8} {'screen+write s':>15} {'rows/s (wall)':>14} {'rows/s (screen)':>16}"
          f"  rows in = out   load avg before/after")
    for name, r in runs.items():
        work = r["seconds"]
        print(f"{name:32} {r['wall']:8.1f} {work:15.1f} {args.rows / r['wall']:14,.0f} {args.rows / work:16,.0f}"
              f"  {r['rows_in']:,} {'=' if r['rows_in'] == r['rows_out'] else '≠'} {r['rows_out']:,}"
              f"   {r['load_before']:.1f} / {r['load_after']:.1f}")
    b, s = runs["batch (Polars, this machine)"], runs[f"spark {args.master}"]
    print(f"\nspark/batch, rows/s screening and writing: {b['seconds'] / s['seconds']:.2f}x; end to end: "
          f"{b['wall'] / s['wall']:.2f}x (Spark's wall includes {s['jvm_start']:.1f} s starting the JVM)")
    print(f"batch peak memory {b['peak_mb']:,.0f} MB; same outcomes on both: {b['outcomes'] == s['outcomes']}")
    print("note: 2 CPUs, shared with other developers working in parallel; both engines use the same two cores "
          "here, Spark adding the JVM and the Arrow transfers to its Python workers. On a cluster the same kernel "
          "runs on every executor's cores.")


if __name__ == "__main__":
    main()
