"""safeguard beside the OpenFisca reference on the same Parquet manifest, in the same run. Prints, never asserts.

    .venv/bin/python benchmarks/bench_openfisca.py --reference DIR --openfisca-python VENV/bin/python
        [--rows 1000000] [--repeat 3] [--as-of 2026-11-23] [--before OTHER_CHECKOUT/src] [--no-questions]

DIR is a writable copy of the reference (shared/bench/openfisca_ref, see its README: it is a measuring
instrument, installed in its own virtual environment, never part of this repository); its `gen.py`
writes the manifest if DIR/data has none of that size. Measured, in this order:

* whole process, `--repeat` times, the engines taking turns (medians): `run.py --repeat 1` (OpenFisca:
  start, import, load, compute, write) and
  `safeguard batch IN OUT.parquet` (start, read, validate, every rule with unknowns and reason codes,
  missing facts, write), wall time and peak RSS of the child;
* in process: OpenFisca's own figure (median of `--repeat` runs of load + inputs + build + calculate),
  and safeguard's load + `screen_frame` chunk by chunk (250k rows, as the batch reads them), no write.

With --before, a second safeguard source tree (e.g. an export of main) runs the same way, right after.
The machine is shared: compare the ratios printed in one run, not figures of different runs.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

CHUNK = 250_000

IN_PROCESS = """
import json, resource, statistics, sys, time
from datetime import date
import polars as pl
import pyarrow.parquet as pq
from safeguard.batch.run import screen_frame
path, as_of, repeat, chunk = sys.argv[1], date.fromisoformat(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
questions = sys.argv[5] == "questions"
screen_frame(pl.read_parquet(path, n_rows=2000), as_of, questions=questions)  # warm-up: the law compiled once
runs, cpus, counts = [], [], None
for _ in range(repeat):
    start, cpu = time.perf_counter(), time.process_time()
    counts = {}
    for batch in pq.ParquetFile(path).iter_batches(batch_size=chunk):
        out = screen_frame(pl.from_arrow(batch), as_of, questions=questions)
        for k, n in out["citizenship_status"].value_counts().iter_rows():
            counts[str(k)] = counts.get(str(k), 0) + n
    runs.append(time.perf_counter() - start)
    cpus.append(time.process_time() - cpu)
print(json.dumps({"runs": runs, "cpu": cpus, "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "status": counts}))
"""

WHOLE = """
import resource, subprocess, sys, time
start = time.perf_counter()
r = subprocess.run(sys.argv[2:], cwd=sys.argv[1], capture_output=True, text=True)
wall = time.perf_counter() - start
if r.returncode:
    sys.exit(r.stderr[-3000:])
use = resource.getrusage(resource.RUSAGE_CHILDREN)
print(wall, use.ru_maxrss / 1024, use.ru_utime + use.ru_stime)
"""


def env_for(src: str | None) -> dict[str, str]:
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = src
    return env


def whole_process(cwd: Path, cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, float]:
    """Wall seconds, peak RSS (MiB) and CPU seconds (user + system, every thread) of one child process."""
    r = subprocess.run([sys.executable, "-c", WHOLE, str(cwd), *cmd], capture_output=True, text=True, env=env)
    if r.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{r.stderr}")
    wall, peak, cpu = r.stdout.split()
    return float(wall), float(peak), float(cpu)


def safeguard_in_process(manifest: Path, as_of: str, repeat: int, src: str | None, questions: bool = True) -> dict:
    r = subprocess.run([sys.executable, "-c", IN_PROCESS, str(manifest), as_of, str(repeat), str(CHUNK),
                        "questions" if questions else "none"],
                       capture_output=True, text=True, env=env_for(src))
    if r.returncode:
        raise SystemExit(f"safeguard in process failed:\n{r.stderr}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def openfisca_in_process(ref: Path, py: str, manifest: Path, as_of: str, repeat: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "figures.json"
        r = subprocess.run([py, "run.py", str(manifest), "--as-of", as_of, "--repeat", str(repeat), "--json", str(out)],
                           cwd=ref, capture_output=True, text=True)
        if r.returncode:
            raise SystemExit(f"OpenFisca run.py failed:\n{r.stderr}")
        return json.loads(out.read_text())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reference", type=Path, required=True, help="writable copy of shared/bench/openfisca_ref")
    ap.add_argument("--openfisca-python", required=True, help="python of the venv the reference is installed in")
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--as-of", default="2026-11-23")
    ap.add_argument("--before", default=None, help="another safeguard checkout's src/, measured the same way")
    ap.add_argument("--no-questions", action="store_true",
                    help="safeguard without the facts to ask (`batch --no-questions`): statuses, outcomes and reasons")
    args = ap.parse_args()
    ref, ofpy = args.reference.resolve(), args.openfisca_python
    manifest = ref / "data" / f"manifest_{args.rows}.parquet"
    if not manifest.exists():
        subprocess.run([ofpy, "gen.py", str(args.rows)], cwd=ref, check=True)
    n = args.rows
    print(f"machine: {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f} at start; manifest {manifest} "
          f"({n:,} rows, 20 columns)")
    trees: list[tuple[str, str | None]] = [("safeguard", None)] + ([("safeguard before", args.before)] if args.before else [])

    print(f"\n-- whole process (start, read, compute, write); median of {args.repeat}, the engines taking turns --")
    walls: dict[str, list[tuple[float, float, float]]] = {"OpenFisca run.py": []} | {label + " batch": [] for label, _ in trees}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.repeat):
            walls["OpenFisca run.py"].append(whole_process(
                ref, [ofpy, "run.py", str(manifest), "--as-of", args.as_of, "--repeat", "1", "--out", f"{tmp}/of.parquet"]))
            for label, src in trees:
                safeguard = [sys.executable, "-m", "safeguard", "batch", str(manifest), f"{tmp}/sg.parquet",
                             "--as-of", args.as_of] + (["--no-questions"] if args.no_questions else [])
                walls[label + " batch"].append(whole_process(ref, safeguard, env_for(src)))
    of_wall = statistics.median(w for w, _, _ in walls["OpenFisca run.py"])
    of_cpu = statistics.median(c for _, _, c in walls["OpenFisca run.py"])
    for label, runs in walls.items():
        wall, peak = statistics.median(w for w, _, _ in runs), max(p for _, p, _ in runs)
        cpu = statistics.median(c for _, _, c in runs)
        ratio = "" if label.startswith("OpenFisca") else \
            f"   ratio safeguard/OpenFisca: wall {of_wall / wall:.2f}, CPU {of_cpu / cpu:.2f}"
        print(f"{label:28} {wall:7.2f} s  {n / wall:>12,.0f} rows/s  (min {min(w for w, _, _ in runs):.2f}, "
              f"max {max(w for w, _, _ in runs):.2f})  CPU {cpu:6.2f} s  peak {peak:6,.0f} MiB{ratio}")

    print(f"\n-- in process (load + compute, no write; median of {args.repeat}) --")
    of = openfisca_in_process(ref, ofpy, manifest, args.as_of, args.repeat)
    of_s = of["compute_incl_load_s"]
    print(f"{'OpenFisca':28} {of_s:7.3f} s  {n / of_s:>12,.0f} rows/s  (compute only {of['compute_s']:.3f} s; "
          f"22 formula variables, no unknowns)  status {of.get('status_counts', of.get('status', ''))}")
    for label, src in trees:
        sg = safeguard_in_process(manifest, args.as_of, args.repeat, src, questions=not args.no_questions)
        s = statistics.median(sg["runs"])
        print(f"{label:28} {s:7.3f} s  {n / s:>12,.0f} rows/s  (min {min(sg['runs']):.3f}, max {max(sg['runs']):.3f}; "
              f"CPU {statistics.median(sg['cpu']):.2f} s; every rule, unknowns, reasons"
              f"{', no missing facts' if args.no_questions else ', missing facts'})  "
              f"ratio safeguard/OpenFisca speed {of_s / s:.2f}  status {sg['status']}")
    print(f"\nload average at end {os.getloadavg()[0]:.2f} (other work on the machine slows every figure)")


if __name__ == "__main__":
    main()
