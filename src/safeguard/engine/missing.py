"""Which unknown facts could still change a result, computed the same way for one case and for a batch.

A rule is *open* when its value is unknown and it is one of the roots or is read by an open rule.
A fact is *read* when it is unknown and read directly by an open rule. A read fact is *missing* unless it
is a follow-up question (`asked_after` in facts.yaml: a naturalization date is worth asking once the
parent is known to have naturalized): while its gate is unknown the gate is missing in its place (up the
chain of gates), and with a gate value that does not call for it, it is not missing. Should that leave
nothing to ask while something is read, the read facts are missing (an unknown result always names what
would decide it). Scalar and columnar engines both apply this definition to the full set of rule values,
so they name the same facts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from safeguard.engine.rules import Rule, closure
from safeguard.facts.schema import fact_specs

if TYPE_CHECKING:
    import polars as pl

    from safeguard.engine.scalar import Evaluation, ScalarEngine


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


def _asked_in_place_of(name: str, facts: dict[str, Any]) -> set[str]:
    """The facts to ask for a read fact: itself when it has no gate or a gate calls for it; else its
    unknown gates (each resolved the same way); nothing when every gate is known and none calls for it."""
    gates = fact_specs()[name].asked_after
    if not gates or any(facts.get(g) in values for g, values in gates):
        return {name}
    return set().union(*(_asked_in_place_of(g, facts) for g, _ in gates if facts.get(g) is None))


def missing_facts_scalar(ev: Evaluation, engine: ScalarEngine, roots: list[Rule]) -> list[str]:
    """The facts to ask of one evaluated case (the module's definition)."""
    values, facts = ev.values, ev.facts
    read = {f for r in open_rules_scalar(values, roots) for f in r.facts if f != "as_of" and facts.get(f) is None}
    asked = set().union(*(_asked_in_place_of(f, facts) for f in read))
    return _fact_order(asked or read)


def open_column(rule_id: str) -> str:
    return f"open.{rule_id}"


def missing_facts_columnar(roots: list[Rule]) -> MissingFacts:
    """Layers of expressions (to run after the rule columns exist), ending in the masks of missing
    facts (see `MissingFacts`). Whether each rule is open is computed once per rule, as its own column,
    parents before children, so a rule read by many open rules is not re-derived for each."""
    import polars as pl

    from safeguard.engine.columnar import rule_column

    order = closure(roots)
    parents: dict[str, list[str]] = {r.id: [] for r in order}
    for r in order:
        for c in r.rules:
            parents[c.id].append(r.id)
    root_ids = {r.id for r in roots}
    height: dict[str, int] = {}
    layers: list[list[pl.Expr]] = []
    for r in reversed(order):  # parents before children
        feeds = [p for p in parents[r.id] if p in height]
        if r.id in root_ids:
            reached, h = pl.lit(True), 0
        elif feeds:
            reached, h = pl.any_horizontal([pl.col(open_column(p)) for p in feeds]), 1 + max(height[p] for p in feeds)
        else:
            continue
        height[r.id] = h
        while len(layers) <= h:
            layers.append([])
        layers[h].append((pl.col(rule_column(r.id)).is_null() & reached).alias(open_column(r.id)))
    readers: dict[str, list[str]] = {}
    for r in order:
        if r.id in height:
            for f in r.facts:
                if f != "as_of":
                    readers.setdefault(f, []).append(open_column(r.id))
    read_layer = [(pl.col(f).is_null() & pl.any_horizontal(readers[f])).alias(READ_PREFIX + f) for f in readers]
    gate_layers, asked = _asked_columnar(list(readers))
    facts = _fact_order(set(asked))
    masks = []
    for start in range(0, len(facts), MASK_BITS):
        group = facts[start:start + MASK_BITS]
        bits = [pl.when(asked[f]).then(pl.lit(1 << i, pl.UInt64)).otherwise(pl.lit(0, pl.UInt64))
                for i, f in enumerate(group)]
        masks.append(pl.sum_horizontal(bits).alias(f"{MASK_PREFIX}{start // MASK_BITS}"))
    return MissingFacts(layers=[*layers, read_layer, *gate_layers, masks],
                        groups=[facts[i:i + MASK_BITS] for i in range(0, len(facts), MASK_BITS)])


def _asked_columnar(read: list[str]) -> tuple[list[list[pl.Expr]], dict[str, pl.Expr]]:
    """`_asked_in_place_of` over the read columns, with the same fallback: two layers of columns (each fact
    asked through its gates; then whether any is, and whether any fact is read) and, per fact, whether it is
    missing (reading those layers)."""
    import polars as pl

    specs = fact_specs()
    ends: dict[str, list[pl.Expr]] = {}

    def resolve(name: str, cond: pl.Expr) -> None:
        gates = specs[name].asked_after
        if not gates:
            ends.setdefault(name, []).append(cond)
            return
        called = pl.any_horizontal([pl.col(g).is_in(list(values)).fill_null(False) for g, values in gates])
        ends.setdefault(name, []).append(cond & called)
        for g, _ in gates:
            resolve(g, cond & ~called & pl.col(g).is_null())

    for f in read:
        resolve(f, pl.col(READ_PREFIX + f))
    if not ends:
        return [], {}
    layer = [pl.any_horizontal(conds).alias(GATED_PREFIX + name) for name, conds in ends.items()]
    # Whether anything is asked through a gate, and whether anything is read: a column each (every fact's
    # mask reads them; written out in each, they made the plan ~20,000 nodes and cost 0.5 s a query).
    any_layer = [pl.any_horizontal([pl.col(GATED_PREFIX + name) for name in ends]).alias(ANY_ASKED),
                 pl.any_horizontal([pl.col(READ_PREFIX + f) for f in read]).alias(ANY_READ)]
    any_asked, any_read = pl.col(ANY_ASKED), pl.col(ANY_READ)
    out = {}
    for name in set(ends) | set(read):
        via_gate = pl.col(GATED_PREFIX + name) if name in ends else pl.lit(False)
        was_read = pl.col(READ_PREFIX + name) if name in read else pl.lit(False)
        out[name] = pl.when(any_asked | ~any_read).then(via_gate).otherwise(was_read)
    return [layer, any_layer], out


READ_PREFIX = "read."
GATED_PREFIX = "gated."
ANY_ASKED, ANY_READ = "gated.any", "read.any"


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
