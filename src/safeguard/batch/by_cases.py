"""Deciding by cases in a batch: the rows whose status is unknown and whose birth date (or place) is
unknown are tried at every value of that fact (engine/cases.py), as `safeguard.api` does for one case,
and the results every value agrees on replace the unknown ones. Same values, same order, same answers.

First a few far-apart values per row (most rows fail there), then every value for the rows that remain.
Impossible values (a birth date after the person's own naturalization, say) are not cases: the same
consistency check as the validation drops them.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from safeguard.api import columnar_engine
from safeguard.approximate import ANSWER
from safeguard.engine.cases import PROBES, SPLIT_FACTS, case_values, needs_exact_date, split_basis, spread_first
from safeguard.engine.columnar import ERROR_COLUMN, rule_column
from safeguard.facts.columns import APPROX_PREFIX, ERROR, _consistency, approx_columns
from safeguard.facts.frame import engine_columns
from safeguard.facts.parse import approx_date
from safeguard.facts.schema import fact_specs
from safeguard.law.outputs import ROOTS

ROOT_COLUMNS = list(dict.fromkeys(rule_column(r.id) for r in ROOTS))
STATUS = rule_column("citizenship_status")
BASIS = rule_column("citizenship_basis")
ANSWER_COLUMNS = [rule_column(a) for a in ANSWER]
OPEN_PREFIX = "_approx_open."  # per row and approximate date: the answer differs inside it (null: not given)


def _row_facts(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (tuple(v) if isinstance(v, list) else v) for k, v in row.items()
            if v is not None and k != "as_of" and k in engine_columns()}


TRIAL_ROWS = 100_000  # (row, value) pairs screened at a time: memory stays bounded whatever the manifest


def _try(rows: pl.DataFrame, fact: str, values: list[list[Any]]) -> pl.DataFrame:
    """Every (row, value) pair through the engine, a slice of rows at a time: the root columns, with `_row`
    and `_pos` (the value's place in the row's order) and `_ok` (the value is possible with the other facts)."""
    parts, start = [], 0
    while start < rows.height:
        stop, pairs = start, 0
        while stop < rows.height and (pairs == 0 or pairs + len(values[stop]) <= TRIAL_ROWS):
            pairs += len(values[stop])
            stop += 1
        parts.append(_try_slice(rows[start:stop], fact, values[start:stop]))
        start = stop
    return pl.concat(parts, how="vertical")


def _try_slice(rows: pl.DataFrame, fact: str, values: list[list[Any]]) -> pl.DataFrame:
    cols = engine_columns()
    lengths = [len(v) for v in values]
    index = [i for i, n in enumerate(lengths) for _ in range(n)]
    trial = rows.select(list(cols)).gather(index).with_columns(
        pl.Series(fact, [v for vs in values for v in vs], dtype=cols[fact]))
    out = columnar_engine().run(trial.lazy()).select(ROOT_COLUMNS + [ERROR_COLUMN]).collect()
    ok = trial.select(~_consistency(set(cols))).to_series()
    pos = [p for n in lengths for p in range(n)]
    return out.with_columns(pl.Series("_row", rows["_row"].gather(index)), pl.Series("_pos", pos), ok.alias("_ok"))


def _decided(tried: pl.DataFrame) -> pl.DataFrame:
    """Per row: decided when every possible value gives the same known status and no engine error."""
    possible = tried.filter(pl.col("_ok"))
    return possible.group_by("_row").agg(
        (pl.col(STATUS).is_not_null().all() & (pl.col(STATUS).n_unique() == 1) & pl.col(ERROR_COLUMN).is_null().all())
        .alias("_all_agree"), pl.len().alias("_cases"))


def _interval_of(text: str, as_of: Any) -> tuple[Any, Any]:
    day = approx_date(text).clipped(as_of)  # the row was validated: a year or month with a day on or before as_of
    return day.low, day.high


def _merge(ruled: pl.DataFrame, merged: pl.DataFrame, partial: set[int]) -> pl.DataFrame:
    """`merged` (root columns by `_row`) into `ruled`: in full, or only what it settles for the rows in
    `partial` (those an approximate date's search already settled: see approximate.merge_values)."""
    merged = merged.cast({c: ruled.schema[c] for c in merged.columns})
    whole = merged.filter(~pl.col("_row").is_in(sorted(partial)))
    some = merged.filter(pl.col("_row").is_in(sorted(partial)))
    if whole.height:
        ruled = ruled.update(whole, on="_row", include_nulls=True)
    if some.height:
        ruled = ruled.update(some, on="_row")
    return ruled


def _settle_intervals(ruled: pl.DataFrame, periods: dict[str, pl.Series]) -> tuple[pl.DataFrame, set[int]]:
    """Each approximate date searched over its days (as approximate.settle_intervals does for one case):
    the settled frame, with `_approx_open.<fact>` per row, and the rows that have an approximate date."""
    searched: set[int] = set()
    with_approx: set[int] = set()
    order = [f for f in fact_specs() if f in approx_columns(ruled)]
    given_count = pl.sum_horizontal([pl.col(APPROX_PREFIX + f).is_not_null().cast(pl.Int32) for f in order])
    ruled = ruled.with_columns((given_count > 1).alias("_several")) if order else ruled
    for fact in order:
        given_col = APPROX_PREFIX + fact
        ruled = ruled.with_columns(pl.when(pl.col(given_col).is_not_null()).then(True).alias(OPEN_PREFIX + fact))
        usable = pl.col(given_col).is_not_null() & pl.col(ERROR_COLUMN).is_null()
        if ERROR in ruled.columns:
            usable = usable & pl.col(ERROR).is_null()
        rows = ruled.filter(usable)
        with_approx |= set(ruled.filter(pl.col(given_col).is_not_null())["_row"].to_list())
        keep, orders = [], []
        for i, r in enumerate(rows.iter_rows(named=True)):
            given = {k: () for k, flags in periods.items() if flags[r["_row"]]}
            facts = _row_facts(r)
            if needs_exact_date(fact, {**facts, **given}):
                continue
            keep.append(i)
            orders.append(case_values(fact, "date", facts, r["as_of"], interval=_interval_of(r[given_col], r["as_of"])))
        if not keep:
            continue
        rows = rows[keep]
        tried = _try(rows, fact, orders).filter(pl.col("_ok"))
        agg = tried.group_by("_row", maintain_order=True).agg(
            [pl.when(pl.col(c).n_unique() == 1).then(pl.col(c).first()).alias(c) for c in ROOT_COLUMNS if c != BASIS]
            + [pl.col(BASIS).drop_nulls().unique(maintain_order=True).alias("_bases"), pl.len().alias("_cases"),
               pl.col(ERROR_COLUMN).is_not_null().any().alias("_failed"),
               pl.any_horizontal([pl.col(c).n_unique() > 1 for c in ANSWER_COLUMNS]).alias("_differs")])
        agg = agg.filter(~pl.col("_failed"))
        if agg.height == 0:
            continue
        current = ruled.select("_row", STATUS, BASIS, given_col).join(
            agg.select("_row", "_bases", "_cases", pl.col(STATUS).alias("_found")), on="_row", maintain_order="left")
        bases = [split_basis(b, fact, n, text) if now is None and found is not None else basis
                 for now, basis, b, n, found, text in current.select(STATUS, BASIS, "_bases", "_cases", "_found",
                                                                     given_col).iter_rows()]
        merged = agg.drop("_bases", "_cases", "_failed", "_differs", BASIS, strict=False).join(
            current.select("_row", pl.Series(BASIS, bases, dtype=pl.Utf8)), on="_row")
        ruled = _merge(ruled, merged, searched)
        searched |= set(agg["_row"].to_list())
        opened = agg.join(ruled.select("_row", "_several"), on="_row").select(
            "_row", (pl.col("_differs") | (pl.col("_several") & pl.col(STATUS).is_null())).alias(OPEN_PREFIX + fact))
        ruled = ruled.update(opened, on="_row")
    return ruled.drop("_several", strict=False), with_approx


def settle_by_cases(ruled: pl.DataFrame, periods_given: pl.Series | None,
                    periods: dict[str, pl.Series] | None = None) -> pl.DataFrame:
    """The engine's output with the days of approximate dates searched, and unknown statuses decided by
    cases where every case agrees. `periods`: per presence-periods column, the rows that give it."""
    ruled = ruled.with_row_index("_row")
    ruled, with_approx = _settle_intervals(ruled, periods or {})
    for fact, kind in SPLIT_FACTS.items():
        open_rows = ruled[STATUS].is_null() & ruled[fact].is_null() & ruled[ERROR_COLUMN].is_null()
        if APPROX_PREFIX + fact in ruled.columns:
            open_rows = open_rows & ruled[APPROX_PREFIX + fact].is_null()
        if fact == "birth_date" and periods_given is not None:
            open_rows = open_rows & ~periods_given
        rows = ruled.filter(open_rows)
        if rows.height == 0:
            continue
        orders = [spread_first(case_values(fact, kind, _row_facts(r), r["as_of"]))
                  for r in rows.iter_rows(named=True)]
        probe = _decided(_try(rows, fact, [o[:PROBES] for o in orders]))
        keep = set(probe.filter(pl.col("_all_agree"))["_row"].to_list())
        if not keep:
            continue
        pick = [i for i, r in enumerate(rows["_row"].to_list()) if r in keep]
        rows = rows[pick]
        tried = _try(rows, fact, [orders[i] for i in pick])
        verdict = _decided(tried).filter(pl.col("_all_agree") & (pl.col("_cases") > 0))
        if verdict.height == 0:
            continue
        possible = tried.filter(pl.col("_ok") & pl.col("_row").is_in(verdict["_row"].implode())).sort("_row", "_pos")
        root_cols = ROOT_COLUMNS
        merged = possible.group_by("_row", maintain_order=True).agg(
            [pl.when(pl.col(c).n_unique() == 1).then(pl.col(c).first()).alias(c) for c in root_cols if c != BASIS]
            + [pl.col(BASIS).drop_nulls().unique(maintain_order=True).alias("_bases"), pl.len().alias("_cases")])
        merged = merged.with_columns(pl.struct("_bases", "_cases").map_elements(
            lambda s, f=fact: split_basis(s["_bases"], f, s["_cases"]), return_dtype=pl.Utf8).alias(BASIS))
        merged = merged.drop("_bases", "_cases")
        ruled = _merge(ruled, merged, with_approx)
    return ruled.drop("_row")
