"""Approximate dates benchmark: prints the time to screen one case with its dates exact, given as a year
or a month, and several at once; and a text manifest whose birth dates are all years, against the same
manifest with exact dates. Never asserts.

    .venv/bin/python benchmarks/bench_approximate.py [--rows 2000]
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date

import numpy as np
import polars as pl

from safeguard.api import screen
from safeguard.batch.run import screen_frame

AS_OF = date(2026, 11, 23)
CLIENT = {"birth_place": "MX", "birth_date": "1975-03-10", "mother_naturalized": True,
          "mother_naturalization_date": "1985-06-01", "parents_married_at_birth": True,
          "parents_legally_separated": True, "legal_separation_date": "1982-04-01", "custody_parent": "mother",
          "lpr": True, "lpr_date": "1983-05-01", "mother_citizen_at_birth": False, "father_citizen_at_birth": False,
          "mother_national_at_birth": False, "father_national_at_birth": False, "father_naturalized": False,
          "naturalized": False, "adopted": False, "married_before_18": False,
          "parents_reunited_after_separation": False, "mother_deceased": False, "father_deceased": False,
          "foundling": False, "destination_country": "SV", "removal_order": "final"}
VARIANTS = {
    "exact dates": {},
    "birth year (1975)": {"birth_date": "1975"},
    "naturalization month (1985-06)": {"mother_naturalization_date": "1985-06"},
    "three approximate (1975-03, 1982, 1985)": {"birth_date": "1975-03", "legal_separation_date": "1982",
                                                "mother_naturalization_date": "1985"},
    "two that straddle 18 (1975, 1993)": {"birth_date": "1975", "mother_naturalization_date": "1993"},
}


def one_case(repeat: int = 5) -> None:
    for name, change in VARIANTS.items():
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            doc = screen({**CLIENT, **change}, as_of=AS_OF, rank=False)
            times.append(time.perf_counter() - start)
        print(f"one case, {name:42s} {statistics.median(times) * 1000:8.1f} ms  -> {doc['citizenship']['status']}")


def manifest(n: int) -> None:
    rng = np.random.default_rng(7)
    years = rng.integers(1940, 2000, n)
    places = rng.choice(["US", "MX", "SV", "GU", "PR"], n)
    exact = pl.DataFrame({"person_id": [f"A-{i}" for i in range(n)], "birth_place": places.tolist(),
                          "birth_date": [f"{y}-07-01" for y in years], "destination_country": ["SV"] * n})
    approximate = exact.with_columns(pl.Series("birth_date", [str(y) for y in years]))
    for name, frame in (("exact birth dates", exact), ("birth years only", approximate)):
        screen_frame(frame.head(50), default_as_of=AS_OF)
        start = time.perf_counter()
        out = screen_frame(frame, default_as_of=AS_OF)
        took = time.perf_counter() - start
        print(f"manifest of {n:,} rows, {name:18s} {took:7.2f} s  ({n / took:,.0f} rows/s; "
              f"{out['citizenship_status'].value_counts().sort('citizenship_status').rows()})")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=2000)
    args = parser.parse_args()
    one_case()
    manifest(args.rows)
