"""Engine benchmark: prints batch throughput, single-case latency and peak memory. Never asserts.

    .venv/bin/python benchmarks/bench_engine.py [--rows 100000,1000000]   # --rows 0: single cases only
    PYTHONPATH=/tmp/base/src .venv/bin/python benchmarks/bench_engine.py --rows 0   # another checkout, same cases

Rows are generated here (a simple mix of U.S.-born, territory-born and foreign-born people with some
facts missing), typed as a Parquet manifest would be, and screened by the columnar engine over the
full rule set; the row-at-a-time baseline evaluates the same rules with the scalar engine.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import time
from datetime import date

import numpy as np
import polars as pl

from safeguard.api import evaluate, scalar_engine, screen, to_case
from safeguard.batch.run import screen_frame
from safeguard.engine.rules import closure
from safeguard.law.outputs import ROOTS

AS_OF = date(2026, 11, 23)
PLACES = np.array(["US", "US", "US", "MX", "SV", "VE", "GU", "PR", "AS", "GT", "HN", None], dtype=object)


def make_rows(n: int, seed: int = 7) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    birth = np.datetime64("1940-01-01") + rng.integers(0, 60 * 365, n).astype("timedelta64[D]")
    place = rng.choice(PLACES, n)
    def maybe(values, p_missing):
        return np.where(rng.random(n) < p_missing, None, values)
    return pl.DataFrame({
        "person_id": [f"B-{i}" for i in range(n)],
        "birth_date": pl.Series(birth).cast(pl.Date),
        "birth_place": pl.Series(place.tolist(), dtype=pl.Utf8),
        "mother_citizen_at_birth": pl.Series(maybe(rng.random(n) < 0.2, 0.3).tolist(), dtype=pl.Boolean),
        "convicted": pl.Series(maybe(rng.random(n) < 0.4, 0.2).tolist(), dtype=pl.Boolean),
        "removal_order": pl.Series(maybe(rng.choice(["final", "none", "reinstated", "proceedings_pending"], n), 0.2
                                         ).tolist(), dtype=pl.Utf8),
        "withholding_countries": pl.Series(np.where(rng.random(n) < 0.05, "SV", ""), dtype=pl.Utf8),
        "destination_country": ["SV"] * n,
        "arrangement": ["sv-cecot-2025-grant"] * n,
    }).with_columns(pl.col("birth_date").cast(pl.Utf8).alias("birth_date_text"))


def batch_rate(frame: pl.DataFrame) -> float:
    start = time.perf_counter()
    out = screen_frame(frame.drop("birth_date_text"), default_as_of=AS_OF)
    elapsed = time.perf_counter() - start
    assert out.height == frame.height
    return frame.height / elapsed


def latency(cases: list[dict], explain: bool, rank: bool = True) -> tuple[float, float]:
    times = []
    for c in cases:
        t = time.perf_counter()
        screen(c, as_of=AS_OF, explain=explain, rank=rank)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.99) - 1]


# Nearly empty cases: the most facts missing, so the most answers for the ranking to try.
SPARSE = [{}, {"birth_date": "1980-06-01"}, {"birth_place": "MX"}, {"birth_place": "US"},
          {"birth_place": "MX", "birth_date": "1980-06-01", "destination_country": "SV"}]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", default="100000,1000000")
    args = ap.parse_args()
    print(f"rules in the evaluated closure: {len(closure(ROOTS))}; load average {os.getloadavg()[0]:.2f}")
    rates = {}
    sizes = [int(x) for x in args.rows.split(",") if int(x) > 0]
    if sizes:
        screen_frame(make_rows(1000).drop("birth_date_text"), default_as_of=AS_OF)  # warm-up (compile)
    for n in sizes:
        frame = make_rows(n)
        rates[n] = batch_rate(frame)
        print(f"batch: {n:>10,} rows  {rates[n]:>12,.0f} rows/s")
    sample = make_rows(300, seed=11).drop("birth_date_text")
    cases = [{k: (v.isoformat() if isinstance(v, date) else ([v] if k == "withholding_countries" and v else
                                                               (None if v == "" else v)))
              for k, v in row.items() if v is not None and v != ""} for row in sample.iter_rows(named=True)]
    start = time.perf_counter()
    screen(cases[0], as_of=AS_OF)
    print(f"first screen in this process (engine built, rules compiled or loaded): {(time.perf_counter() - start) * 1000:.0f} ms")
    p50, p99 = latency(cases, explain=False)
    e50, e99 = latency(cases, explain=True)
    u50, u99 = latency(cases, explain=False, rank=False)
    print(f"single case, screen() (ranked):      p50 {p50:.2f} ms  p99 {p99:.2f} ms  ({len(cases)} cases)")
    print(f"single case, screen(explain=True):   p50 {e50:.2f} ms  p99 {e99:.2f} ms")
    print(f"single case, screen(rank=False):     p50 {u50:.2f} ms  p99 {u99:.2f} ms")
    for c in SPARSE:
        runs = []
        for _ in range(5):
            t = time.perf_counter()
            screen(c, as_of=AS_OF)
            runs.append((time.perf_counter() - t) * 1000)
        print(f"nearly empty case, screen() (ranked), median of 5: {statistics.median(runs):7.2f} ms  {c}")
    eng = scalar_engine()
    typed = [to_case(c, AS_OF) for c in cases]
    start = time.perf_counter()
    for _ in range(10):
        for c in typed:
            eng.evaluate(c.facts, c.as_of)
    row_rate = 10 * len(typed) / (time.perf_counter() - start)
    print(f"row-at-a-time (scalar engine, same rules): {row_rate:,.0f} rows/s")
    if rates:
        biggest = max(rates)
        print(f"ratio batch/row-at-a-time at {biggest:,} rows: {rates[biggest] / row_rate:,.0f}x")
    print(f"peak memory (max RSS): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")
    _ = evaluate  # the API path used by screen()


if __name__ == "__main__":
    main()
