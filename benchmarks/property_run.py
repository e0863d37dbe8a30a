"""The long property run (issue 14): random valid cases biased to the thresholds, each checked for soundness,
safety and scalar/columnar agreement. Prints what it tried and every violation; never asserts.

    .venv/bin/python benchmarks/property_run.py [--examples 400] [--seed 1] [--unknown-sample 6]
    make fuzz EXAMPLES=400 SEED=1

A case draws the facts and values of tests/test_properties.py (threshold dates, listed places and numbers):
each core fact given with probability 3/4, then up to ten other facts. An impossible combination (refused
with InputErrors) is skipped and counted, not tried. For each valid case: (c) safety of its result; (a)
soundness, answering every listed missing fact and `--unknown-sample` other unknown facts with every value
worth trying (engine/properties.py); (d) the valid cases screened together as one batch by the columnar
engine agree with the scalar results (in batches of 200). The exit code is 1 when a violation was found.
Stopped early (Ctrl-C, or SIGTERM from `timeout`), it reports the cases tried so far; those after the last
full batch were checked for soundness and safety but not yet for agreement.
"""

from __future__ import annotations

import argparse
import random
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from safeguard.api import screen  # noqa: E402
from safeguard.engine.properties import check_case  # noqa: E402
from safeguard.facts.parse import InputErrors  # noqa: E402
from test_properties import AS_OF, CORE, FACTS, answers, disagreements  # noqa: E402

BATCH = 200
_progress = {"tried": 0, "refused": 0, "batch_seconds": 0.0}   # what an interrupted run reports


def random_case(rng: random.Random) -> dict:
    """As the property test's strategy draws a case: core facts usually given, up to ten others at random."""
    facts = {name: rng.choice(answers(name)) for name in CORE if rng.random() < 0.75}
    for name in rng.sample(FACTS, rng.randint(0, 10)):
        facts[name] = rng.choice(answers(name))
    return facts


def run(examples: int, seed: int, unknown_sample: int) -> int:
    rng = random.Random(seed)
    started = time.perf_counter()
    violations: list[str] = []
    try:
        tried, refused, batch_seconds = _search(rng, examples, unknown_sample, violations, started)
    except KeyboardInterrupt:  # a long run stopped by hand still reports what it tried
        tried, refused, batch_seconds = _progress["tried"], _progress["refused"], _progress["batch_seconds"]
        print("interrupted")
    elapsed = time.perf_counter() - started
    print(f"seed {seed}: {tried} valid cases tried ({refused} impossible combinations skipped), "
          f"{len(violations)} violations, {elapsed:.1f} s ({elapsed / max(tried, 1):.2f} s a case; "
          f"{batch_seconds:.1f} s of it the columnar batches)")
    for v in violations:
        print("VIOLATION", v)
    return 1 if violations else 0


def _search(rng: random.Random, examples: int, unknown_sample: int, violations: list[str],
            started: float) -> tuple[int, int, float]:
    tried = refused = 0
    rows: list[tuple[dict, dict]] = []
    batch_seconds = 0.0
    while tried < examples:
        facts = random_case(rng)
        try:
            doc = screen(facts, as_of=AS_OF, rank=False)
        except InputErrors:
            refused += 1
            continue
        tried += 1
        problems = check_case(facts, AS_OF, screen, answers,
                              lambda names: rng.sample(names, min(unknown_sample, len(names))),
                              InputErrors, check_relevance=False)
        violations += [f"{facts}: {p}" for p in problems]
        rows.append((facts, doc))
        if len(rows) == BATCH or tried == examples:
            t = time.perf_counter()
            violations += disagreements(rows)
            batch_seconds += time.perf_counter() - t
            rows = []
        _progress.update(tried=tried, refused=refused, batch_seconds=batch_seconds)
        if tried % 50 == 0:
            print(f"  {tried} cases, {len(violations)} violations, {time.perf_counter() - started:.0f} s", flush=True)
    return tried, refused, batch_seconds


def _stop(signum, frame) -> None:
    raise KeyboardInterrupt


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--examples", type=int, default=400, help="valid cases to try")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--unknown-sample", type=int, default=6,
                    help="unknown facts (not listed as missing) answered per case for soundness")
    args = ap.parse_args()
    signal.signal(signal.SIGTERM, _stop)
    raise SystemExit(run(args.examples, args.seed, args.unknown_sample))


if __name__ == "__main__":
    main()
