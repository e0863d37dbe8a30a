"""How many of the listed missing facts can actually change a result (issue 14, item 8). Printed, never asserted.

For every case file whose result is open (some missing fact listed), each listed fact is tried with every
candidate value `ask` would try (both booleans, every enum value, the places the law distinguishes, dates on
either side of every threshold and age), first with the other facts as they are, then under random
assignments of the other listed facts (a fact needed together with another changes nothing alone). A fact
is *relevant* when some value changes the citizenship status, its `since`, or the transfer outcome (or
whether the outcome is still provisional). The figure is the share of listed facts that are not.

A second figure takes the property test's criterion (`safeguard.engine.properties.relevance`): a listed fact is
relevant when one answer to it alone, the other facts as they are, changes a result (the status, `since`, at
least a national, the transfer outcome, whether it is provisional, each third-country safeguard's status) or
what is left to ask (a gate question whose answer calls for its follow-ups counts). Deterministic, every
candidate value tried. This is the figure issue 14 sets under 5%.

    .venv/bin/python benchmarks/bench_relevance.py [--samples 20] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import polars as pl  # noqa: E402

from conftest import load_cases  # noqa: E402
from safeguard.api import QUESTION_PLACES, columnar_engine, screen, to_case  # noqa: E402
from safeguard.engine.ask import candidates  # noqa: E402
from safeguard.engine.columnar import ERROR_COLUMN, rule_column  # noqa: E402
from safeguard.engine.properties import _signature, relevance  # noqa: E402
from safeguard.facts.frame import facts_frame  # noqa: E402
from safeguard.facts.parse import InputErrors  # noqa: E402

RESULTS = ["citizenship_status", "citizenship_since", "transfer_outcome", "bars_settled", "safeguards_settled"]


def _values(fact: str, typed, rng: random.Random, limit: int = 12) -> list:
    values = candidates(fact, typed.facts, typed.as_of, QUESTION_PLACES)
    return values if len(values) <= limit else rng.sample(values, limit)


def relevant_facts(case: dict, missing: list[str], rng: random.Random, samples: int) -> set[str]:
    """The listed facts for which some value changes a result, with the other facts as they are or under
    one of `samples` random assignments of the other listed facts; one columnar run per case."""
    typed = to_case(dict(case.get("facts") or {}), case["as_of"])
    options = {f: _values(f, typed, rng) for f in missing}
    rows, keys = [], []
    for fact in missing:
        for k in range(samples + 1):
            ctx = dict(typed.facts)
            share = rng.uniform(0.3, 1.0)
            for other in missing:
                if k and other != fact and options[other] and rng.random() < share:
                    ctx[other] = rng.choice(options[other])
            for value in [ctx.get(fact)] + options[fact]:
                rows.append({**ctx, fact: value})
                keys.append((fact, k))
    frame = facts_frame(rows, [typed.as_of] * len(rows))
    out = columnar_engine().run(frame.lazy()).collect()
    status = out[rule_column("citizenship_status")]
    since = pl.when(status.is_not_null()).then(out[rule_column("citizenship_since")])
    res = out.select(since.alias("since"), *(pl.col(rule_column(r)).cast(pl.Utf8) for r in RESULTS if r != "citizenship_since"))
    sig = res.select(pl.concat_str([pl.col(c).cast(pl.Utf8).fill_null("?") for c in res.columns], separator="|"))
    tried = pl.DataFrame({"fact": [f for f, _ in keys], "ctx": [k for _, k in keys], "sig": sig.to_series(),
                          "error": out[ERROR_COLUMN]}).filter(pl.col("error").is_null())  # a contradiction is no result
    changed = tried.group_by("fact", "ctx").agg(pl.col("sig").n_unique().alias("n")).filter(pl.col("n") > 1)
    return set(changed["fact"].to_list())


def alone_irrelevant(case: dict, doc: dict) -> tuple[set[str], set[str]]:
    """The listed facts no single answer of which (others as they are) changes a result or what is left to
    ask (the property's criterion); and those no single answer of which changes a result (gate questions,
    which change only what is left to ask, among them)."""
    facts = dict(case.get("facts") or {})
    typed = to_case(facts, case["as_of"])
    out, no_result = set(), set()
    for fact in doc["missing_facts"]:
        tries = []
        for value in candidates(fact, typed.facts, typed.as_of, QUESTION_PLACES):
            try:
                tries.append((value, screen({**facts, fact: value}, as_of=case["as_of"], rank=False)))
            except InputErrors:
                tries.append((value, None))
        if relevance(doc, fact, tries):
            out.add(fact)
        if all(a is None or _signature(a) == _signature(doc) for _, a in tries):
            no_result.add(fact)
    return out, no_result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=int, default=20, help="random assignments of the other listed facts")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    t0 = time.perf_counter()
    listed = irrelevant = open_cases = alone = result_only = 0
    worst: dict[str, int] = {}
    worst_alone: dict[str, int] = {}
    for case in load_cases():
        facts = dict(case.get("facts") or {})
        try:
            doc = screen(facts, as_of=case["as_of"], rank=False)
        except InputErrors:
            continue
        missing = doc["missing_facts"]
        if not missing:
            continue
        open_cases += 1
        keep = relevant_facts(case, missing, rng, args.samples)
        by_property, no_result = alone_irrelevant(case, doc)
        result_only += len(no_result)
        for fact in by_property:
            alone += 1
            worst_alone[fact] = worst_alone.get(fact, 0) + 1
        for fact in missing:
            listed += 1
            if fact not in keep:
                irrelevant += 1
                worst[fact] = worst.get(fact, 0) + 1

    def pct(n: int) -> str:
        return f"{n / listed if listed else 0.0:.1%}"

    print(f"open cases: {open_cases}; listed missing facts: {listed}; {time.perf_counter() - t0:.1f} s")
    print(f"1. issue 14's figure, the property's criterion (one answer, the other facts as they are, changes a "
          f"result or what is left to ask): irrelevant {alone} of {listed} ({pct(alone)})")
    for fact, n in sorted(worst_alone.items(), key=lambda kv: -kv[1])[:10]:
        print(f"  {n:4d}  {fact}")
    print(f"2. the same, a result only (a gate question, whose answer only opens its follow-ups, counts as "
          f"irrelevant here): {result_only} of {listed} ({pct(result_only)})")
    print(f"3. a sampled bound, not a measure of irrelevance: no answer changes a result under one of "
          f"{args.samples} random assignments of the other listed facts (follow-up questions never answered, so "
          f"a gate question or a fact needed with a follow-up always counts here): {irrelevant} of {listed} "
          f"({pct(irrelevant)})")
    for fact, n in sorted(worst.items(), key=lambda kv: -kv[1])[:10]:
        print(f"  {n:4d}  {fact}")

if __name__ == "__main__":
    main()
