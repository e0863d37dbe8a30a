"""How well the batch ranks a held row's questions (issue 11, item 3): on the project's case files screened as
one manifest, how often the batch's first listed missing fact is the question one case's `ask` puts first,
and how often that question is within the batch's first three (the report's top three). Printed, never asserted.

    .venv/bin/python benchmarks/bench_ranking.py [--vocabulary-order]
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import polars as pl  # noqa: E402

import safeguard.batch.run as batch_run  # noqa: E402
from conftest import load_cases  # noqa: E402
from safeguard.api import screen  # noqa: E402
from safeguard.facts.schema import fact_specs  # noqa: E402
from test_cases import _text  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--vocabulary-order", action="store_true", help="leave each row's facts in vocabulary order "
                    "(the order before ranking), for comparison")
    args = ap.parse_args()
    if args.vocabulary_order:
        batch_run.ranked_names = lambda names, scores: names
    known = fact_specs()
    cases = [c for c in load_cases()
             if all(k in known and not k.endswith("_presence_periods") for k in (c["facts"] or {}))]
    columns = sorted({k for c in cases for k in (c["facts"] or {})} | {"person_id", "as_of"})
    rows = [{col: {k: _text(v) for k, v in (c["facts"] or {}).items()}.get(col, "") for col in columns}
            | {"person_id": c["id"], "as_of": _text(c["as_of"])} for c in cases]
    t0 = time.perf_counter()
    out = batch_run.screen_frame(pl.DataFrame(rows, schema={c: pl.Utf8 for c in columns}), default_as_of=date(2026, 11, 23))
    seconds = time.perf_counter() - t0
    n = first = top3 = 0
    for case, row in zip(cases, out.iter_rows(named=True)):
        listed = [f for f in (row["missing_facts"] or "").split(";") if f]
        if len(listed) < 2 or row["error"]:
            continue
        asked = (screen(dict(case["facts"] or {}), as_of=case["as_of"]).get("next_question") or {}).get("fact")
        n += 1
        first += listed[0] == asked
        top3 += asked in listed[:3]
    order = "vocabulary order" if args.vocabulary_order else "ranked"
    print(f"{len(rows)} case rows screened as one batch in {seconds:.1f} s; {n} rows list 2+ questions ({order}): "
          f"the batch's first is one case's next question in {first} ({first / max(n, 1):.0%}), "
          f"within its first three in {top3} ({top3 / max(n, 1):.0%})")


if __name__ == "__main__":
    main()
