"""Approximate dates in a batch: the rows that give a date as a year or a month are searched over the days
of it, as `safeguard.approximate` does for one case (the same days, the same order, the same merging),
so one case and its batch row say the same thing."""

from __future__ import annotations

from typing import Any

import polars as pl

from safeguard.approximate import FROM_STATUS
from safeguard.batch.trials import (
    BASIS,
    ROOT_COLUMNS,
    STATUS,
    agree_trials,
    row_facts,
    try_values,
    usable,
    with_basis,
)
from safeguard.engine.cases import case_values, joint_basis, joint_values, needs_exact_date, split_basis
from safeguard.engine.columnar import rule_column
from safeguard.facts.columns import APPROX_PREFIX, approx_columns
from safeguard.facts.parse import approx_date, check_consistency
from safeguard.facts.schema import fact_specs

OPEN_PREFIX = "_approx_open."  # per row and approximate date: its exact date is asked (null: not given)
FROM_STATUS_COLUMNS = [rule_column(r) for r in FROM_STATUS]


def _interval_of(text: str, as_of: Any) -> tuple[Any, Any]:
    day = approx_date(text).clipped(as_of)  # the row was validated: a year or month with a day on or before as_of
    return day.low, day.high


def merge_found(ruled: pl.DataFrame, merged: pl.DataFrame, partial: set[int]) -> pl.DataFrame:
    """`merged` (root columns by `_row`) into `ruled`: in full, or only what it settles for the rows in
    `partial` (see approximate.merge_values)."""
    merged = merged.cast({c: ruled.schema[c] for c in merged.columns})
    whole = merged.filter(~pl.col("_row").is_in(sorted(partial)))
    some = merged.filter(pl.col("_row").is_in(sorted(partial)))
    if whole.height:
        ruled = ruled.update(whole, on="_row", include_nulls=True)
    if some.height:
        ruled = ruled.update(some, on="_row")
    return ruled


def keep_transfer_columns(ruled: pl.DataFrame, base: pl.DataFrame) -> pl.DataFrame:
    """approximate.keep_transfer for a frame: where a search leaves the status (or the outcome) unknown, the
    roots that read the status are those of the rows as evaluated without the searched fact (`base`)."""
    outcome = rule_column("transfer_outcome")
    joined = ruled.join(base, on="_row", how="left", suffix="._base", maintain_order="left")
    back = (pl.col(f"{outcome}._base").is_not_null()
            & (pl.col(rule_column("citizenship_status")).is_null() | pl.col(outcome).is_null()))
    return joined.with_columns([pl.when(back).then(pl.col(f"{c}._base")).otherwise(pl.col(c)).alias(c)
                                for c in FROM_STATUS_COLUMNS]).drop([f"{c}._base" for c in FROM_STATUS_COLUMNS])


def settle_intervals(ruled: pl.DataFrame, periods: dict[str, pl.Series]) -> tuple[pl.DataFrame, set[int]]:
    """Each approximate date searched over its days, then several together: the settled frame, with
    `_approx_open.<fact>` per row, and the rows that have an approximate date."""
    order = [f for f in fact_specs() if f in approx_columns(ruled)]
    if not order:
        return ruled, set()
    base = ruled.select("_row", STATUS, BASIS)
    before = ruled.select("_row", *ROOT_COLUMNS)  # restored where several dates cannot be searched together
    with_approx = set(ruled.filter(pl.any_horizontal(pl.col(APPROX_PREFIX + f).is_not_null() for f in order))["_row"])
    searched: set[int] = set()
    for fact in order:
        given_col = APPROX_PREFIX + fact
        ruled = ruled.with_columns(pl.when(pl.col(given_col).is_not_null()).then(True).alias(OPEN_PREFIX + fact))
        rows = ruled.filter(pl.col(given_col).is_not_null() & usable(ruled))
        keep, orders = [], []
        for i, r in enumerate(rows.iter_rows(named=True)):
            facts = row_facts(r)
            if needs_exact_date(fact, {**facts, **{k: () for k, given in periods.items() if given[r["_row"]]}}):
                continue
            keep.append(i)
            orders.append(case_values(fact, "date", facts, r["as_of"], interval=_interval_of(r[given_col], r["as_of"])))
        if not keep:
            continue
        agg = agree_trials(try_values(rows[keep], fact, orders))
        if agg.height == 0:
            continue
        current = ruled.select("_row", STATUS, BASIS, given_col).join(
            agg.select("_row", "_bases", "_cases", pl.col(STATUS).alias("_found")), on="_row", how="right")
        by_row = {r[0]: (split_basis(r[3], fact, r[4], r[6]) if r[1] is None and r[5] is not None else r[2])
                  for r in current.select("_row", STATUS, BASIS, "_bases", "_cases", "_found", given_col).iter_rows()}
        ruled = merge_found(ruled, with_basis(agg, [by_row[r] for r in agg["_row"]]), searched)
        searched |= set(agg["_row"].to_list())
        ruled = ruled.update(agg.select("_row", pl.col("_differs").alias(OPEN_PREFIX + fact)), on="_row")
    settled = _settle_together(ruled, order, base, before, periods)
    return keep_transfer_columns(settled, before.select("_row", *FROM_STATUS_COLUMNS)), with_approx


def _settle_together(ruled: pl.DataFrame, order: list[str], base: pl.DataFrame, before: pl.DataFrame,
                     periods: dict[str, pl.Series]) -> pl.DataFrame:
    """Rows with several approximate dates: every combination of their days (approximate.search_joint);
    where that search cannot run, no single date's search is kept (approximate.settle_intervals)."""
    given = pl.sum_horizontal([pl.col(APPROX_PREFIX + f).is_not_null().cast(pl.Int32) for f in order])
    rows = ruled.filter((given > 1) & usable(ruled))
    if rows.height == 0:
        return ruled
    keep, names, combos, unsearched = [], [], [], []
    for i, r in enumerate(rows.iter_rows(named=True)):
        mine = tuple(f for f in order if r[APPROX_PREFIX + f] is not None)
        facts = row_facts(r)
        exact = {k: () for k, flags in periods.items() if flags[r["_row"]]}
        found = None if any(needs_exact_date(f, {**facts, **exact}) for f in mine) else joint_values(
            {f: _interval_of(r[APPROX_PREFIX + f], r["as_of"]) for f in mine}, facts, r["as_of"],
            lambda combo, facts=facts, day=r["as_of"]: not check_consistency({**facts, **combo}, day))
        if not found:  # too many combinations, a presence period counted from a date, or no possible one
            unsearched.append(r["_row"])
        else:
            keep.append(i)
            names.append(mine)
            combos.append([tuple(c[f] for f in mine) for c in found])
    if unsearched:
        ruled = ruled.update(before.filter(pl.col("_row").is_in(unsearched)), on="_row", include_nulls=True)
    decided: set[int] = set()
    for mine in dict.fromkeys(names):  # rows with the same approximate facts are tried together
        at = [j for j, n in enumerate(names) if n == mine]
        pick = [keep[j] for j in at]
        agg = agree_trials(try_values(rows[pick], mine, [combos[j] for j in at]))
        if agg.height == 0:
            continue
        current = base.join(agg.select("_row", "_bases", "_cases", pl.col(STATUS).alias("_found")), on="_row",
                            how="right")
        texts = {r["_row"]: {f: r[APPROX_PREFIX + f] for f in mine} for r in rows[pick].iter_rows(named=True)}
        by_row = {r[0]: (joint_basis(r[3], texts[r[0]], r[4]) if r[1] is None and r[5] is not None else r[2])
                  for r in current.select("_row", STATUS, BASIS, "_bases", "_cases", "_found").iter_rows()}
        ruled = merge_found(ruled, with_basis(agg, [by_row[r] for r in agg["_row"]]), set())
        decided |= set(agg.filter(~pl.col("_differs"))["_row"].to_list())
    return _ask_some(ruled, order, given, decided)


def _ask_some(ruled: pl.DataFrame, order: list[str], given: pl.Expr, decided: set[int]) -> pl.DataFrame:
    """approximate.ask_some for every row with several approximate dates."""
    flags = [pl.col(OPEN_PREFIX + f) for f in order]
    turning = pl.any_horizontal([f.fill_null(False) for f in flags])
    several = given > 1
    is_decided = pl.col("_row").is_in(sorted(decided))
    return ruled.with_columns(
        pl.when(several & is_decided & flag.is_not_null()).then(False)
        .when(several & ~turning & flag.is_not_null()).then(True)
        .otherwise(flag).alias(OPEN_PREFIX + f) for f, flag in zip(order, flags))
