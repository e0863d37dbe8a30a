"""Which question to ask next: every unknown fact that can still change a result, ranked.

Each candidate fact is tried with a spread of plausible values (both booleans, every enum value, the
places the law distinguishes (given by the caller) and a foreign country, dates on either side of every
date threshold and of the ages the law counts), each by the scalar engine re-evaluating only the rules
downstream of that fact. A fact ranks higher the more its answers tell apart (the entropy, in bits, of the
open results over its tried answers, each answer counted once: a question that can end in three different
results before one that can end in two), then the more of the open results its answers settle, then the
more different outcomes its answers lead to.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from safeguard.engine.cases import case_values, threshold_dates
from safeguard.engine.scalar import add_years
from safeguard.facts.schema import fact_specs

AGES = (1, 5, 13, 14, 15, 16, 17, 18, 19, 21, 22, 23, 25, 26, 27, 28, 29)
NUMBERS = (0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 4.9, 5.0, 5.5, 9.9, 10.0, 12.0)
FOREIGN = "MX"


def _threshold_dates() -> list[date]:
    """The day before, of and after every date the law names (the same dates deciding by cases starts from)."""
    return sorted({t + timedelta(days=d) for t in threshold_dates() for d in (-1, 0, 1)})


def candidates(name: str, facts: dict[str, Any], as_of: date, places: tuple[str, ...] = (),
               interval: tuple[date, date] | None = None) -> list[Any]:
    """Values worth trying for one unknown fact of this case (for a date known to lie in `interval`, the
    days of it where an answer can turn)."""
    spec = fact_specs()[name]
    if interval is not None:
        return case_values(name, "date", facts, as_of, interval=interval)
    if spec.type == "bool":
        return [True, False]
    if spec.type == "enum":
        return list(spec.values)
    if spec.type in ("country", "countries"):
        seen = [c for c in (facts.get("destination_country"), facts.get("birth_place")) if c]
        places = list(dict.fromkeys(list(places) + [FOREIGN] + seen))
        if spec.type == "country":
            return places
        return [(), (FOREIGN,)] + [(c,) for c in seen]
    if spec.type == "number":
        return list(NUMBERS)
    if spec.type == "date":
        dates = set(_threshold_dates())
        for known in (facts.get("birth_date"),):
            if known is not None:
                dates |= {add_years(known, a) for a in AGES} | {add_years(known, a) - timedelta(days=1) for a in AGES}
        return sorted(d for d in dates if d <= as_of)
    return []


RANKING_TRIES = 24  # answers tried per fact for ranking (evenly spread over its candidates)


def spread(values: list[Any], most: int) -> list[Any]:
    """At most `most` of the values, evenly spread over the list (all of them when there are few)."""
    if len(values) <= most:
        return values
    step = (len(values) - 1) / (most - 1)
    return [values[round(i * step)] for i in range(most)]


def _entropy(results: list[tuple[Any, ...]]) -> float:
    """Bits of the distribution of results over the answers tried (each answer weighs the same)."""
    n = len(results)
    return -sum(k / n * math.log2(k / n) for k in Counter(results).values())


def rank_questions(
    facts: dict[str, Any],
    as_of: date,
    missing: list[str],
    try_answer: Callable[[str, Any], tuple[Any, ...] | None],
    places: tuple[str, ...] = (),
    intervals: dict[str, tuple[date, date]] | None = None,
    moves: Callable[[str, Any], int | None] | None = None,
) -> list[dict[str, Any]]:
    """Rank the missing facts; `try_answer(fact, value)` gives the open results (a tuple) with that one fact
    answered, or None when that answer contradicts the other facts. `intervals`: the approximate dates.
    `moves(fact, value)`: how many of the other facts to ask that answer adds or removes (None: impossible),
    used only among facts no answer of which tells the results apart (the facts needed together)."""
    stats: dict[str, dict[str, float]] = {}
    tried: dict[str, list[Any]] = {}
    for name in missing:
        values = spread(candidates(name, facts, as_of, places, (intervals or {}).get(name)), RANKING_TRIES)
        answered = [(v, r) for v, r in ((v, try_answer(name, v)) for v in values) if r is not None]
        results = [r for _, r in answered]
        tried[name] = [v for v, _ in answered]
        if results:
            stats[name] = {"settles": sum(sum(x is not None for x in r) for r in results) / len(results),
                           "outcomes": len(set(results)), "bits": _entropy(results)}
    if moves is not None:
        for name in missing:
            if name in stats and stats[name]["bits"] == 0:
                counts = [n for n in (moves(name, v) for v in tried[name]) if n is not None]
                if counts:
                    stats[name]["moves"] = sum(counts) / len(counts)
    order = {n: i for i, n in enumerate(fact_specs())}
    # Facts whose answers tell most apart first; then those that settle most; then, among facts needed
    # together, those whose answers change the rest of the questions most on average; then the rest.
    ranked = sorted(missing, key=lambda n: (-round(stats.get(n, {}).get("bits", 0.0), 6),
                                            -stats.get(n, {}).get("settles", 0),
                                            -stats.get(n, {}).get("outcomes", 0),
                                            -round(stats.get(n, {}).get("moves", -1.0), 6), order[n]))
    specs = fact_specs()
    return [
        {"fact": n, "text": specs[n].question, "settles": round(stats.get(n, {}).get("settles", 0.0), 3),
         "outcomes": int(stats.get(n, {}).get("outcomes", 1))}
        for n in ranked
    ]
