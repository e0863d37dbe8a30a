"""Deciding by cases in a batch: the rows whose status is unknown and whose birth date (or place) is
unknown are tried at every value of that fact (engine/cases.py), as `safeguard.api` does for one case,
and the results every value agrees on replace the unknown ones. Same values, same order, same answers.

First a few far-apart values per row (most rows fail there), then ever larger runs of the rest (all of it
once few pairs are left), each for the rows whose possible values so far agree; the birth dates and the
birth places of a frame are tried in the same engine queries (each query costs its planning, whatever its
rows).
Impossible values (a birth date after the person's own naturalization, say) are not cases: the same
consistency check as the validation drops them.
"""

from __future__ import annotations

import polars as pl

from safeguard.batch.intervals import (
    FROM_STATUS_COLUMNS,
    OPEN_PREFIX,
    keep_transfer_columns,
    merge_found,
    settle_intervals,
)
from safeguard.batch.trials import STATUS, agree_trials, try_values_together, usable, with_basis
from safeguard.engine.cases import PROBES, SPLIT_FACTS, split_basis, split_order_of
from safeguard.engine.columnar import ERROR_COLUMN
from safeguard.facts.columns import APPROX_PREFIX
from safeguard.facts.frame import engine_columns

__all__ = ["OPEN_PREFIX", "settle_by_cases"]

def _decided(tried: pl.DataFrame) -> pl.DataFrame:
    """Per row: decided when every possible value gives the same known status and no engine error."""
    possible = tried.filter(pl.col("_ok"))
    return possible.group_by("_row").agg(
        (pl.col(STATUS).is_not_null().all() & (pl.col(STATUS).n_unique() == 1) & pl.col(ERROR_COLUMN).is_null().all())
        .alias("_all_agree"), pl.len().alias("_cases"))


ONE_STAGE_PAIRS = 100_000  # up to this many (row, value) pairs left, every value left is tried at once


def _next_stage(start: int, size: int, left: int, longest: int) -> tuple[int, int]:
    """The positions tried next, from `start`: every one left when the rows still alive have at most
    ONE_STAGE_PAIRS pairs `left` (each stage is a query the batch engine plans afresh, ~0.2 s whatever its
    rows: for few pairs that costs more than trying the values a stage would have spared); else the next
    `size` values (the far-apart probes first, then ever larger runs)."""
    return (start, longest) if left <= ONE_STAGE_PAIRS else (start, min(start + size, longest))


def _tried_in_stages(splits: list[tuple[pl.DataFrame, str, list[list]]]) -> list[pl.DataFrame | None]:
    """For each split (rows, fact, each row's values in order): every value of the rows whose possible values
    all agree (`try_values`), a stage at a time: a row goes on while its possible values so far agree (one
    whose values so far are all impossible, birth dates before a parent's own birth say, is not refuted by
    them, as one case skips them too). None: no row left. The splits' stages are screened together, one
    engine query for all of them (`try_values_together`)."""
    states = [_Stages(rows, fact, orders) for rows, fact, orders in splits]
    while going := [st for st in states if st.going()]:
        groups = [g for st in going if (g := st.next_group()) is not None]
        found = iter(try_values_together(groups))
        for st in going:
            st.take(next(found) if st.step else None)
    return [st.tried for st in states]


class _Stages:
    """One split's stages: the positions tried next, the rows still alive, what was tried."""

    def __init__(self, rows: pl.DataFrame, fact: str, orders: list[list]):
        self.rows, self.fact, self.orders = rows, fact, orders
        self.ids = rows["_row"].to_list()
        self.alive = list(range(rows.height))
        self.longest = max(map(len, orders), default=0)
        self.start, self.size, self.stop = 0, PROBES, 0
        self.tried: pl.DataFrame | None = None
        self.done = False
        self.step: list[int] = []

    def going(self) -> bool:
        return not self.done and self.start < self.longest

    def next_group(self) -> tuple[pl.DataFrame, str, list[list]] | None:
        left = sum(max(len(self.orders[i]) - self.start, 0) for i in self.alive)
        self.start, self.stop = _next_stage(self.start, self.size, left, self.longest)
        self.step = [i for i in self.alive if len(self.orders[i]) > self.start]
        if not self.step:
            return None
        return self.rows[self.step], self.fact, [self.orders[i][self.start:self.stop] for i in self.step]

    def take(self, found: pl.DataFrame | None) -> None:
        if found is not None:
            found = found.with_columns(pl.col("_pos") + self.start)  # the value's place in the whole order
            self.tried = found if self.tried is None else pl.concat([self.tried, found], how="vertical")
        self.start, self.size = self.stop, self.size * 4
        if self.tried is None:
            return
        refuted = set(_decided(self.tried).filter(~pl.col("_all_agree"))["_row"].to_list())
        self.alive = [i for i in self.alive if self.ids[i] not in refuted]
        if not self.alive:
            self.tried, self.done = None, True
            return
        self.tried = self.tried.filter(~pl.col("_row").is_in(list(refuted)))


def _orders(rows: pl.DataFrame, fact: str, kind: str) -> list[list]:
    """Each row's values of `fact` in the order they are tried (engine/cases.split_order): read from the
    columns the order depends on alone (the other dates, the destination), not from whole rows."""
    dates = sorted(c for c, t in engine_columns().items() if t == pl.Date and c not in (fact, "as_of"))
    narrow = rows.select(*dates, "destination_country", "as_of")
    out = []
    for row in narrow.iter_rows():
        others = tuple((n, v) for n, v in zip(dates, row) if v is not None)
        out.append(list(split_order_of(fact, kind, others, row[-2], row[-1])))
    return out


def settle_by_cases(ruled: pl.DataFrame, periods_given: pl.Series | None,
                    periods: dict[str, pl.Series] | None = None) -> pl.DataFrame:
    """The engine's output with the days of approximate dates searched, and unknown statuses decided by
    cases where every case agrees. `periods`: per presence-periods column, the rows that give it."""
    ruled = ruled.with_row_index("_row")
    ruled, with_approx = settle_intervals(ruled, periods or {})
    # Each split fact's open rows, all tried together (one engine query per stage for both facts). A row
    # open on both is decided by the birth date first, as one case splits: its birth place trials count only
    # while its status is still unknown.
    splits = []
    for fact, kind in SPLIT_FACTS.items():
        open_rows = ruled.select(pl.col(STATUS).is_null() & pl.col(fact).is_null() & usable(ruled)).to_series()
        if APPROX_PREFIX + fact in ruled.columns:
            open_rows = open_rows & ruled[APPROX_PREFIX + fact].is_null()
        if fact == "birth_date" and periods_given is not None:
            open_rows = open_rows & ~periods_given
        rows = ruled.filter(open_rows)
        if rows.height:
            splits.append((rows, fact, _orders(rows, fact, kind)))
    for (_, fact, _), tried in zip(splits, _tried_in_stages(splits)):
        if tried is None:
            continue
        still_open = ruled.filter(pl.col(STATUS).is_null())["_row"].implode()
        tried = tried.filter(pl.col("_row").is_in(still_open))
        verdict = _decided(tried).filter(pl.col("_all_agree") & (pl.col("_cases") > 0))
        if verdict.height == 0:
            continue
        agg = agree_trials(tried.filter(pl.col("_row").is_in(verdict["_row"].implode())))
        merged = with_basis(agg, [split_basis(bases, fact, n) for bases, n in agg.select("_bases", "_cases").iter_rows()])
        base = ruled.select("_row", *FROM_STATUS_COLUMNS)
        ruled = keep_transfer_columns(merge_found(ruled, merged, with_approx), base)
    return ruled.drop("_row")
