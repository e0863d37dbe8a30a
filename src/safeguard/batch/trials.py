"""Rows tried at other values of their unknown facts (deciding by cases, approximate dates): each (row,
values) pair through the batch engine, a slice at a time, with whether the values are possible."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import polars as pl

from safeguard.api import columnar_engine
from safeguard.approximate import ANSWER
from safeguard.engine.columnar import ERROR_COLUMN, rule_column
from safeguard.facts.columns import ERROR, _consistency
from safeguard.facts.frame import engine_columns
from safeguard.law.outputs import ROOTS

ROOT_COLUMNS = list(dict.fromkeys(rule_column(r.id) for r in ROOTS))
STATUS = rule_column("citizenship_status")
BASIS = rule_column("citizenship_basis")
ANSWER_COLUMNS = [rule_column(a) for a in ANSWER]
TRIAL_ROWS = 100_000  # (row, value) pairs screened at a time: memory stays bounded whatever the manifest


@lru_cache(maxsize=1)
def _fact_columns() -> frozenset[str]:
    return frozenset(engine_columns()) - {"as_of"}


def row_facts(row: dict[str, Any]) -> dict[str, Any]:
    """A typed row's known facts, as a single case holds them."""
    cols = _fact_columns()  # called for every row: the columns are worked out once
    return {k: (tuple(v) if isinstance(v, list) else v) for k, v in row.items() if v is not None and k in cols}


def usable(ruled: pl.DataFrame) -> pl.Expr:
    """The rows worth trying at other values: no engine error and no input error (an input error blanks
    the row's results whatever the trials give)."""
    ok = pl.col(ERROR_COLUMN).is_null()
    return ok & pl.col(ERROR).is_null() if ERROR in ruled.columns else ok


def try_values(rows: pl.DataFrame, facts: str | tuple[str, ...], values: list[list[Any]]) -> pl.DataFrame:
    """Every (row, value) pair through the engine, a slice of rows at a time: the root columns, with `_row`
    and `_pos` (the value's place in the row's order) and `_ok` (the value is possible with the other facts).
    `facts`: one fact (each value is its value) or several (each value a tuple of theirs)."""
    return try_values_together([(rows, facts, values)])[0]


Group = tuple[pl.DataFrame, "str | tuple[str, ...]", list[list[Any]]]


def try_values_together(groups: list[Group]) -> list[pl.DataFrame]:
    """`try_values` of several groups (rows, facts, values), their pairs screened in the same engine queries
    (TRIAL_ROWS pairs at most each: each query costs its planning, whatever its rows)."""
    pieces: list[tuple[int, pl.DataFrame, pl.Series, list[int]]] = []
    for g, (rows, facts, values) in enumerate(groups):
        start = 0
        while start < rows.height:
            stop, pairs = start, 0
            while stop < rows.height and (pairs == 0 or pairs + len(values[stop]) <= TRIAL_ROWS):
                pairs += len(values[stop])
                stop += 1
            pieces.append((g, *_trial_slice(rows[start:stop], facts, values[start:stop])))
            start = stop
    outs: list[list[pl.DataFrame]] = [[] for _ in groups]
    batch: list[tuple[int, pl.DataFrame, pl.Series, list[int]]] = []
    for piece in pieces:
        if batch and sum(p[1].height for p in batch) + piece[1].height > TRIAL_ROWS:
            _screen(batch, outs)
            batch = []
        batch.append(piece)
    if batch:
        _screen(batch, outs)
    return [pl.concat(parts, how="vertical") for parts in outs]  # every group has rows (callers skip empty ones)


def _trial_slice(rows: pl.DataFrame, facts: str | tuple[str, ...], values: list[list[Any]],
                 ) -> tuple[pl.DataFrame, pl.Series, list[int]]:
    """The trial rows (engine columns) of a slice, with each one's `_row` and `_pos`."""
    cols = engine_columns()
    lengths = [len(v) for v in values]
    index = [i for i, n in enumerate(lengths) for _ in range(n)]
    flat = [v for vs in values for v in vs]
    names = (facts,) if isinstance(facts, str) else facts
    columns = [pl.Series(facts, flat, dtype=cols[facts])] if isinstance(facts, str) else \
        [pl.Series(name, [v[i] for v in flat], dtype=cols[name]) for i, name in enumerate(names)]
    trial = rows.select(list(cols)).gather(index).with_columns(columns)
    return trial, pl.Series("_row", rows["_row"].gather(index)), [p for n in lengths for p in range(n)]


def _screen(batch: list[tuple[int, pl.DataFrame, pl.Series, list[int]]], outs: list[list[pl.DataFrame]]) -> None:
    """One engine query for the trial rows of several pieces; each piece's part goes to its group's list."""
    cols = engine_columns()
    trial = pl.concat([p[1] for p in batch], how="vertical")
    out = columnar_engine().run_frame(trial).select(ROOT_COLUMNS + [ERROR_COLUMN]).collect()
    ok = trial.select(~_consistency(set(cols))).to_series()
    start = 0
    for g, part, row, pos in batch:
        n = part.height
        outs[g].append(out[start:start + n].with_columns(row, pl.Series("_pos", pos), ok[start:start + n].alias("_ok")))
        start += n


def agree_trials(tried: pl.DataFrame) -> pl.DataFrame:
    """Per row, over its possible trials (`try_values`): each root where all agree (else null), the bases in
    order (`_bases`), how many (`_cases`), and whether the answer differs (`_differs`); a row the engine
    failed on at one of them is left out (nothing is decided for it)."""
    tried = tried.filter(pl.col("_ok")).sort("_row", "_pos")
    agg = tried.group_by("_row", maintain_order=True).agg(
        [pl.when(pl.col(c).n_unique() == 1).then(pl.col(c).first()).alias(c) for c in ROOT_COLUMNS if c != BASIS]
        + [pl.col(BASIS).drop_nulls().unique(maintain_order=True).alias("_bases"), pl.len().alias("_cases"),
           pl.col(ERROR_COLUMN).is_not_null().any().alias("_failed"),
           pl.any_horizontal([pl.col(c).n_unique() > 1 for c in ANSWER_COLUMNS]).alias("_differs")])
    return agg.filter(~pl.col("_failed"))


def with_basis(agg: pl.DataFrame, bases: list[Any]) -> pl.DataFrame:
    """`agree_trials`' roots by `_row`, with the basis given for each of its rows."""
    return agg.drop("_bases", "_cases", "_failed", "_differs").with_columns(pl.Series(BASIS, bases, dtype=pl.Utf8))
