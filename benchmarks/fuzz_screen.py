"""Fuzz `screen()` with JSON-like values per fact and count internal errors. Never asserts.

    .venv/bin/python benchmarks/fuzz_screen.py [--cases 53000] [--seed 1] [--batch-every 50]

Each case names 1-12 facts of the vocabulary, each given a value that is either shaped like what the
fact takes (a date, a code, a list of codes, periods, a number), a tricky text ("٥", "1e400",
"9999-12-31", "[/]", "sv-cec0t-2025") or any JSON value (nested lists and objects, huge integers,
NaN). A case must be decided or refused with the project's own InputErrors; anything else is an
internal error, counted by its type and first line. Every `--batch-every`-th case is also screened
through the batch path (a JSONL line read by the batch reader, then the columnar engine), which must
keep the row and give it a decision or an error.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
import traceback
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from safeguard.api import screen
from safeguard.batch.readers import jsonl_chunks
from safeguard.batch.run import screen_frame
from safeguard.facts.parse import InputErrors, country_codes
from safeguard.facts.schema import fact_specs

AS_OF = date(2026, 1, 1)
TRICKY = ["", " ", "٥", "1_000", "1e3", "1e400", "+5", "-0", "inf", "nan", "0x10", "١٩٦٠-٠١-٠١", "1960-1-1",
          "1960-02-30", "9999-12-31", "0001-01-01", "1789-12-31", "2200-12-31", "2201-01-01", "true", "Yes", "İ",
          "none", "US;MX", "US;;XX", ";", "sv-cecot-2025", "sv-cec0t-2025", "x" * 5000, "150", "150.0001",
          "[/]", "[link=http://x]y[/link]", "=cmd|' /C calc'!A0", "\x00", "\ud800"]


def _json(rng: random.Random, depth: int = 0):
    roll = rng.random()
    if depth > 3 or roll < 0.5:
        return rng.choice([None, True, False, rng.randint(-10**6, 10**6), 10 ** rng.randint(20, 400),
                           rng.uniform(-1e6, 1e6), float("nan"), float("inf"), rng.choice(TRICKY),
                           "".join(chr(rng.randint(32, 0x2FFF)) for _ in range(rng.randint(0, 8)))])
    if roll < 0.75:
        return [_json(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    return {rng.choice(["a", "0", "start", "end", ""]): _json(rng, depth + 1) for _ in range(rng.randint(0, 3))}


def _day(rng: random.Random) -> str:
    return (date(1700, 1, 1) + timedelta(days=rng.randint(0, 600 * 365))).isoformat()


def _shaped(rng: random.Random, spec) -> object:
    codes = sorted(country_codes())
    kind = spec.type
    if kind == "date":
        return _day(rng)
    if kind == "country":
        return rng.choice(codes + ["XX", "usa", " sv "])
    if kind == "countries":
        return [rng.choice(codes) for _ in range(rng.randint(0, 3))] if rng.random() < 0.7 else \
            ";".join(rng.choice(codes) for _ in range(rng.randint(0, 3)))
    if kind == "number":
        return rng.choice([rng.randint(-3, 200), rng.uniform(-1, 200), rng.randint(0, 2 * 10**9)])
    if kind == "bool":
        return rng.choice([True, False, "yes", "no", 0, 1, 2])
    if kind == "enum":
        return rng.choice(list(spec.values) + ["moon"])
    if kind == "periods":
        return [[_day(rng), rng.choice([None, _day(rng)])] for _ in range(rng.randint(0, 4))]
    return rng.choice(["sv-cecot-2025", "gtmo-2025", "sv-aca-2019", "sv-cecot-2025-grant", "p-1", 12345])


def make_case(rng: random.Random, names: list[str], specs) -> dict:
    case = {}
    shaped = rng.choice([0.6, 0.97])  # half the cases mostly well-formed, to reach the rules, not only the parser
    for name in rng.sample(names, rng.randint(1, 12)):
        roll = rng.random()
        case[name] = _shaped(rng, specs[name]) if roll < shaped else (
            rng.choice(TRICKY) if roll < (1 + shaped) / 2 else _json(rng))
    return case


def _through_batch(case: dict, folder: Path) -> None:
    path = folder / "one.jsonl"
    try:
        line = json.dumps(case)
    except (ValueError, TypeError):
        return
    path.write_text(line + "\n", encoding="utf-8", errors="surrogatepass")
    out = screen_frame(next(jsonl_chunks(path, 10, 1 << 20)), default_as_of=AS_OF)
    if out.height != 1:
        raise AssertionError(f"batch gave {out.height} rows for one")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=53_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch-every", type=int, default=50)
    args = parser.parse_args()
    specs = fact_specs()
    names = sorted(specs)
    rng = random.Random(args.seed)
    counts: Counter[str] = Counter()
    internal: Counter[str] = Counter()
    example: dict[str, str] = {}
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.cases):
            case = make_case(rng, names, specs)
            for where in ("single", "batch") if i % args.batch_every == 0 else ("single",):
                try:
                    if where == "single":
                        screen(case, as_of=AS_OF, rank=(i % 20 == 0))
                        counts["decided"] += 1
                    else:
                        _through_batch(case, Path(tmp))
                        counts["batch rows"] += 1
                except InputErrors:
                    counts["input error (exit 2)"] += 1
                except Exception as e:  # noqa: BLE001 - what the fuzzer looks for
                    key = f"{where}: {type(e).__name__}: {str(e).splitlines()[0][:120] if str(e) else ''}"
                    internal[key] += 1
                    example.setdefault(key, repr(case)[:300] + "\n" + traceback.format_exc(limit=3)[-600:])
    seconds = time.perf_counter() - start
    print(f"cases: {args.cases:,} (seed {args.seed}); {seconds:,.0f} s")
    for key, n in counts.most_common():
        print(f"  {key}: {n:,}")
    print(f"internal errors: {sum(internal.values()):,} ({len(internal)} distinct causes)")
    for key, n in internal.most_common():
        print(f"  {n:,} x {key}\n    e.g. {example[key]}")


if __name__ == "__main__":
    main()
