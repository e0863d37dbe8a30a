"""Which unknown facts could still change a result, computed the same way for one case and for a batch.

A rule is *open* when its value is unknown and it is one of the roots or is read by an open rule.
A fact is *missing* when it is unknown and read directly by an open rule. Scalar and columnar engines
both apply this definition to the full set of rule values, so they name the same facts.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from safeguard.engine.columnar import rule_column
from safeguard.engine.rules import Rule, closure
from safeguard.facts.schema import fact_specs


def _fact_order(names: set[str]) -> list[str]:
    order = {n: i for i, n in enumerate(fact_specs())}
    return sorted(names, key=lambda n: order.get(n, len(order)))


def open_rules_scalar(values: dict[str, Any], roots: list[Rule]) -> list[Rule]:
    seen: dict[str, Rule] = {}
    stack = [r for r in roots if values[r.id] is None]
    while stack:
        r = stack.pop()
        if r.id in seen:
            continue
        seen[r.id] = r
        stack.extend(c for c in r.rules if values[c.id] is None)
    return list(seen.values())


def missing_facts_scalar(values: dict[str, Any], facts: dict[str, Any], roots: list[Rule]) -> list[str]:
    names = {f for r in open_rules_scalar(values, roots) for f in r.facts if f != "as_of" and facts.get(f) is None}
    return _fact_order(names)


def missing_facts_columnar(roots: list[Rule]) -> list[pl.Expr]:
    """Expressions (to run after the rule columns exist) for `missing_facts`: ';'-joined fact names."""
    order = closure(roots)
    parents: dict[str, list[str]] = {r.id: [] for r in order}
    for r in order:
        for c in r.rules:
            parents[c.id].append(r.id)
    root_ids = {r.id for r in roots}
    is_open: dict[str, pl.Expr] = {}
    for r in reversed(order):  # parents before children
        feeds = [is_open[p] for p in parents[r.id] if p in is_open]
        reached = pl.lit(True) if r.id in root_ids else (pl.any_horizontal(feeds) if feeds else None)
        if reached is None:
            continue
        is_open[r.id] = pl.col(rule_column(r.id)).is_null() & reached
    readers: dict[str, list[pl.Expr]] = {}
    for r in order:
        if r.id in is_open:
            for f in r.facts:
                if f != "as_of":
                    readers.setdefault(f, []).append(is_open[r.id])
    parts = [
        pl.when(pl.col(f).is_null() & pl.any_horizontal(readers[f])).then(pl.lit(f))
        for f in _fact_order(set(readers))
    ]
    joined = pl.concat_str(parts, separator=";", ignore_nulls=True) if parts else pl.lit("")
    return [joined.alias("missing_facts")]
