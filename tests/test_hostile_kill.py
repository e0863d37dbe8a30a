"""SIGKILL at random moments (a few, seeded): no output ever stands under its name unless complete, a
killed run leaves only its hidden `.partial` file (and its lock file), and the next run removes
those, says so, and leaves nothing behind."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import polars as pl

from safeguard.synth.cli_support import write_manifest

ROWS = 20_000  # a run of some seconds: the kills land mid-run


def _leftovers(folder: Path, name: str) -> set[str]:
    return {p.name for p in folder.iterdir() if p.name.startswith(f".{name}.")}


def test_sigkill_leaves_nothing_unaccounted(tmp_path):
    src = tmp_path / "in.parquet"
    write_manifest(src, ROWS, seed=5, as_of=date(2026, 1, 1))
    dst = tmp_path / "out.csv"
    command = [sys.executable, "-m", "safeguard", "batch", str(src), str(dst), "--as-of", "2026-01-01",
               "--chunk-rows", "5000"]
    rng = random.Random(13)
    left: set[str] = set()
    for _ in range(3):
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.5, 6.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if dst.exists():  # the kill came after the rename: then the output is whole
            assert pl.read_csv(dst, infer_schema=False).height == ROWS
            dst.unlink()
        now = _leftovers(tmp_path, dst.name)
        assert all(n.endswith(".partial") or n == f".{dst.name}.lock" for n in now), now  # nothing poses as output
        left |= {n for n in now if n.endswith(".partial")}
    print("left by the kills:", sorted(left))
    done = subprocess.run(command, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    said = " ".join(done.stdout.split())
    if left:
        assert "partial file" in said and "left by an interrupted run" in said
    assert _leftovers(tmp_path, dst.name) == set()  # no partial, no lock
    assert pl.read_csv(dst, infer_schema=False).height == ROWS
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".partial")]
