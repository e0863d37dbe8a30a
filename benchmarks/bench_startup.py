"""Start-up benchmark: whole-process wall time of `safeguard --help` and of a one-case `safeguard screen`,
median (and min/max) of N runs, and what the heaviest imports cost (`python -X importtime`). Prints,
never asserts.

    .venv/bin/python benchmarks/bench_startup.py [--runs 7] [--case src/safeguard/examples/guam-1960.json]
        [--before /tmp/base/src]   # also time another checkout's sources (PYTHONPATH), interleaved run by run
        [--pyc]                    # with Python's bytecode cache (PYTHONDONTWRITEBYTECODE unset, warmed first)

The figures depend on the machine's load: compare lines of one run, not runs of different days. With
PYTHONDONTWRITEBYTECODE=1 (as in some shells and containers) every module of safeguard is compiled from
source in every process (about 0.1 s); an installed package, or --pyc, reads .pyc files instead. The
compiled rules are kept apart from that (engine/rule_cache.py, $SAFEGUARD_CACHE_DIR).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CASE = ROOT / "src" / "safeguard" / "examples" / "guam-1960.json"


PYC = {"on": False}


def env_for(src: str | None) -> dict[str, str]:
    env = dict(os.environ) if src is None else {**os.environ, "PYTHONPATH": src}
    if PYC["on"]:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def wall(args: list[str], runs: int, sources: list[str | None]) -> dict[str | None, list[float]]:
    """Whole-process seconds per source tree, the trees interleaved run by run (same load for each)."""
    times: dict[str | None, list[float]] = {s: [] for s in sources}
    for _ in range(runs):
        for src in sources:
            start = time.perf_counter()
            r = subprocess.run([sys.executable, "-m", "safeguard", *args], capture_output=True, text=True,
                               env=env_for(src))
            times[src].append(time.perf_counter() - start)
            if r.returncode != 0:
                raise SystemExit(f"safeguard {' '.join(args)} exited {r.returncode}: {r.stderr[-2000:]}")
    return times


def heaviest_imports(args: list[str], top: int, src: str | None = None) -> list[tuple[float, str]]:
    """Top-level packages by cumulative import time (ms), from `python -X importtime`."""
    r = subprocess.run([sys.executable, "-X", "importtime", "-m", "safeguard", *args], capture_output=True, text=True,
                       env=env_for(src))
    found: dict[str, float] = {}
    for line in r.stderr.splitlines():
        m = re.match(r"import time:\s+\d+ \|\s+(\d+) \|( *)(\S+)", line)
        if m and len(m.group(2)) <= 2:  # imported by the program itself or one level down
            name = m.group(3)
            found[name] = max(found.get(name, 0.0), int(m.group(1)) / 1000)
    return sorted(((ms, n) for n, ms in found.items()), reverse=True)[:top]


def which_loaded(args: list[str], src: str | None = None) -> list[str]:
    """Which heavy modules the command loads at all."""
    code = ("import sys, runpy; sys.argv=['safeguard', *sys.argv[1:]]\n"
            "try:\n    runpy.run_module('safeguard', run_name='__main__')\n"
            "except SystemExit:\n    pass\n"
            "heavy = ['polars', 'matplotlib', 'pydantic', 'numpy', 'pyarrow', 'safeguard.simulate.run', "
            "'safeguard.law.outputs', 'safeguard.batch.run', 'safeguard.report.manifest_report']\n"
            "print(','.join(m for m in heavy if m in sys.modules), file=sys.stderr)")
    r = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env_for(src))
    return [m for m in r.stderr.strip().splitlines()[-1].split(",") if m] if r.stderr.strip() else []


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--case", default=str(DEFAULT_CASE))
    ap.add_argument("--top", type=int, default=8)
    ap.add_argument("--before", default=None, help="another checkout's src/ folder, timed the same way")
    ap.add_argument("--pyc", action="store_true", help="let Python keep .pyc files (a warm-up run writes them)")
    args = ap.parse_args()
    PYC["on"] = args.pyc
    bytecode = "kept (--pyc)" if args.pyc else ("not kept: PYTHONDONTWRITEBYTECODE=1" if os.environ.get(
        "PYTHONDONTWRITEBYTECODE") else "kept")
    print(f"machine: {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f} at start; {sys.executable}; "
          f"bytecode {bytecode}")
    sources = [None] + ([args.before] if args.before else [])
    wall(["screen", args.case], 1, sources)  # warm-up: .pyc files (with --pyc), the compiled rules' cache
    for label, cmd in (("safeguard --help", ["--help"]), (f"safeguard screen {Path(args.case).name}", ["screen", args.case])):
        times = wall(cmd, args.runs, sources)
        for src, t in times.items():
            tree = "this tree" if src is None else f"before ({src})"
            print(f"{label:38} {tree:30} median {statistics.median(t):.3f} s  (min {min(t):.3f}, max {max(t):.3f}; "
                  f"{args.runs} runs)")
            print(f"{'':38} {'':30} loads: {', '.join(which_loaded(cmd, src)) or '(none of the heavy modules)'}")
            print(f"{'':38} {'':30} heaviest imports (ms, cumulative): "
                  + ", ".join(f"{n} {ms:.0f}" for ms, n in heaviest_imports(cmd, args.top, src)))
        if args.before:
            print(f"{'':38} ratio before/after (medians): "
                  f"{statistics.median(times[args.before]) / statistics.median(times[None]):.2f}x")
    print(f"load average at end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
