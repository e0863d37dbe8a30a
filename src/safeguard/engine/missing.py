"""Which unknown facts could still change a result, computed the same way for one case and for a batch.

A result is *open* when it is unknown. Inside an open rule, a node is open when it is unknown and its
parent could still take its value from it (the edges of `reach.py`: every unknown operand of an
and/or/comparison; a branch of a decision only while it can still be chosen). A rule referenced from
an open node is open; a fact is *missing* when it is unknown and read at an open node. A fact that
the rules read only where its answer cannot matter (a non-citizen mother's years of presence; the
routes of an era the birth date has excluded) is not listed. Scalar and columnar engines both follow
these edges, so they name the same facts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import polars as pl

from safeguard.engine import expr as X
from safeguard.engine.reach import edges
from safeguard.engine.rules import Rule, closure
from safeguard.engine.scalar import Evaluation, ScalarEngine, _eval, reading_combinations
from safeguard.facts.schema import fact_specs


def _fact_order(names: set[str]) -> list[str]:
    order = {n: i for i, n in enumerate(fact_specs())}
    return sorted(names, key=lambda n: order.get(n, len(order)))


def _guards_hold(guards, value) -> bool:
    return all((value(c) is not True) if kind == "not_true" else (value(c) is not False) for kind, c in guards)


def missing_facts_scalar(ev: Evaluation, engine: ScalarEngine, roots: list[Rule]) -> list[str]:
    """The unknown facts read at an open node of an open root, for one evaluated case."""
    memo: dict[tuple, Any] = {}
    readings: dict[str, str] = {}

    def value(node: X.Expr) -> Any:
        if isinstance(node, Rule):
            return ev.values[node.id]
        if isinstance(node, X.Fact):
            return ev.as_of if node.name == "as_of" else ev.facts.get(node.name)
        key = (id(node), tuple(readings.items()))
        if key not in memo:
            saved, ev.readings = ev.readings, {**ev.readings, **readings}
            memo[key] = _eval(node, ev, engine)
            ev.readings = saved
        return memo[key]

    found: set[str] = set()
    seen: set[str] = set()
    stack = [r for r in roots if ev.values[r.id] is None]

    def leaf(node: X.Expr) -> bool:
        if isinstance(node, Rule):
            if node.id not in seen:
                stack.append(node)
            return True
        if isinstance(node, X.Fact):
            if node.name != "as_of":
                found.add(node.name)
            return True
        return False

    def walk(node: X.Expr) -> None:
        if leaf(node):
            return
        if isinstance(node, X.Readings):  # unknown where the readings differ: walk each reading's own unknowns
            for combo in reading_combinations(node, engine.params):
                saved = dict(readings)
                readings.update(combo)
                if value(node.item) is None:
                    walk(node.item)
                readings.clear()
                readings.update(saved)
            return
        for child, guards in edges(node):
            if value(child) is None and _guards_hold(guards, value):
                walk(child)

    while stack:
        r = stack.pop()
        if r.id in seen:
            continue
        seen.add(r.id)
        walk(r.expr)
    return _fact_order(found)


def open_column(rule_id: str) -> str:
    return f"open.{rule_id}"


class _ColumnarReach:
    """The same walk as `missing_facts_scalar`, as Polars conditions: for each rule, the condition (per row)
    under which it is open; for each fact, the condition under which it is read at an open node."""

    def __init__(self, roots: list[Rule]):
        from safeguard.engine.columnar import _Compiler

        self.compile = _Compiler({})
        self.order = closure(roots)
        self.into_rule: dict[str, list[pl.Expr]] = {r.id: [] for r in self.order}
        self.into_fact: dict[str, list[pl.Expr]] = {}

    def guard(self, kind: str, cond: X.Expr):
        c = self.compile(cond)
        return ~c.fill_null(False) if kind == "not_true" else c.fill_null(True)

    def walk(self, node: X.Expr, reached) -> None:
        if isinstance(node, Rule):
            self.into_rule[node.id].append(reached)
            return
        if isinstance(node, X.Fact):
            if node.name != "as_of":
                self.into_fact.setdefault(node.name, []).append(reached)
            return
        if isinstance(node, X.Readings):  # as in the scalar walk: each reading's own unknowns
            saved = self.compile.readings
            for combo in reading_combinations(node, self.compile.params):
                self.compile.readings = {**saved, **combo}
                self.walk(node.item, reached & self.compile(node.item).is_null())
            self.compile.readings = saved
            return
        for child, guards in edges(node):
            cond = reached
            for kind, g in guards:
                cond = cond & self.guard(kind, g)
            self.walk(child, cond & self.compile(child).is_null())


def missing_facts_columnar(roots: list[Rule]) -> MissingFacts:
    """Layers of expressions (to run after the rule columns exist), ending in the masks of missing
    facts (see `MissingFacts`). Whether each rule is open is computed once per rule, as its own column,
    parents before children, so a rule read by many open rules is not re-derived for each."""
    import polars as pl

    from safeguard.engine.columnar import rule_column

    reach = _ColumnarReach(roots)
    root_ids = {r.id for r in roots}
    height: dict[str, int] = {}
    parents: dict[str, list[str]] = {r.id: [] for r in reach.order}
    for r in reach.order:
        for c in r.rules:
            parents[c.id].append(r.id)
    layers: list[list[pl.Expr]] = []
    for r in reversed(reach.order):  # parents before children
        if r.id in root_ids:
            is_open, h = pl.col(rule_column(r.id)).is_null(), 0
        elif reach.into_rule[r.id]:
            is_open = pl.any_horizontal(reach.into_rule[r.id])
            h = 1 + max(height[p] for p in parents[r.id] if p in height)
        else:
            continue
        height[r.id] = h
        while len(layers) <= h:
            layers.append([])
        layers[h].append(is_open.alias(open_column(r.id)))
        reach.walk(r.expr, pl.col(open_column(r.id)))
    facts = _fact_order(set(reach.into_fact))
    masks = []
    for start in range(0, len(facts), MASK_BITS):
        group = facts[start:start + MASK_BITS]
        bits = [pl.when(pl.any_horizontal(reach.into_fact[f])).then(pl.lit(1 << i, pl.UInt64))
                .otherwise(pl.lit(0, pl.UInt64)) for i, f in enumerate(group)]
        masks.append(pl.sum_horizontal(bits).alias(f"{MASK_PREFIX}{start // MASK_BITS}"))
    return MissingFacts(layers=[*layers, masks], groups=[facts[i:i + MASK_BITS] for i in range(0, len(facts), MASK_BITS)])


MASK_BITS = 63
MASK_PREFIX = "missing_mask."


@dataclass
class MissingFacts:
    """The columnar computation of missing facts: `layers` of expressions add, per row, one bit per
    fact (in groups of 63, columns `missing_mask.<n>`); `names` turns those bits into the ';'-joined
    names. Rows share few distinct combinations, so each combination is spelt out once."""

    layers: list[list[pl.Expr]]
    groups: list[list[str]]

    def mask_columns(self) -> list[str]:
        return [f"{MASK_PREFIX}{i}" for i in range(len(self.groups))]

    def names(self, frame: pl.DataFrame) -> pl.Series:
        """The `missing_facts` column for a frame holding the mask columns."""
        import polars as pl

        cols = self.mask_columns()
        if not cols:
            return pl.Series("missing_facts", [""] * frame.height, dtype=pl.Utf8)
        combos = frame.select(cols).unique()
        spelt = [";".join(f for group, mask in zip(self.groups, row) for i, f in enumerate(group) if mask >> i & 1)
                 for row in combos.iter_rows()]
        lookup = combos.with_columns(pl.Series("missing_facts", spelt, dtype=pl.Utf8))
        return frame.select(cols).join(lookup, on=cols, how="left", maintain_order="left")["missing_facts"]
