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
from safeguard.engine.cases import PROBES, SPLIT_FACTS, case_values, split_basis, spread_first
from safeguard.engine.columnar import ERROR_COLUMN, rule_column
from safeguard.facts.columns import _consistency
from safeguard.facts.frame import engine_columns
from safeguard.law.outputs import ROOTS

ROOT_COLUMNS = list(dict.fromkeys(rule_column(r.id) for r in ROOTS))
STATUS = rule_column("citizenship_status")
BASIS = rule_column("citizenship_basis")


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


def settle_by_cases(ruled: pl.DataFrame, periods_given: pl.Series | None) -> pl.DataFrame:
    """The engine's output with unknown statuses decided by cases where every case agrees."""
    ruled = ruled.with_row_index("_row")
    for fact, kind in SPLIT_FACTS.items():
        open_rows = ruled[STATUS].is_null() & ruled[fact].is_null() & ruled[ERROR_COLUMN].is_null()
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
        ruled = ruled.update(merged.cast({c: ruled.schema[c] for c in merged.columns}), on="_row",
                             include_nulls=True)
    return ruled.drop("_row")
