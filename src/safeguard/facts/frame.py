"""Typed columns for facts: the Polars dtype of each fact type, and a frame built from typed cases."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl

from safeguard.facts.schema import fact_specs

DTYPES = {
    "bool": pl.Boolean,
    "date": pl.Date,
    "number": pl.Float64,
    "country": pl.Utf8,
    "enum": pl.Utf8,
    "string": pl.Utf8,
    "countries": pl.List(pl.Utf8),
}


def engine_columns() -> dict[str, pl.DataType]:
    """Every fact column the rules may read, with its dtype (periods are turned into facts before)."""
    return {n: DTYPES[s.type] for n, s in fact_specs().items() if s.type != "periods" and n != "as_of"} | {
        "as_of": pl.Date
    }


def facts_frame(cases: list[dict[str, Any]], as_of: list[date]) -> pl.DataFrame:
    """A frame with one row per typed case (missing facts null), ready for the columnar engine."""
    cols = engine_columns()
    data: dict[str, list[Any]] = {name: [] for name in cols}
    for facts, day in zip(cases, as_of):
        for name in cols:
            value = day if name == "as_of" else facts.get(name)
            data[name].append(list(value) if isinstance(value, tuple) else value)
    return pl.DataFrame(data, schema=cols)


def variants_frame(base: dict[str, Any], as_of: date, variants: list[tuple[str, list[Any]]]) -> pl.DataFrame:
    """One row per (fact, value) variant of a single case: the case's facts with that one fact replaced.
    Built column-wise (the base row repeated, the varied columns swapped in), for `ask` to try many answers."""
    one = facts_frame([base], [as_of])
    total = sum(len(values) for _, values in variants)
    frame = one.select(pl.all().gather([0] * total))
    start, varied = 0, {}
    for name, values in variants:
        column = varied.setdefault(name, [list(v) if isinstance(v, tuple) else v for v in [base.get(name)] * total])
        column[start:start + len(values)] = [list(v) if isinstance(v, tuple) else v for v in values]
        start += len(values)
    return frame.with_columns([pl.Series(n, v, dtype=one.schema[n]) for n, v in varied.items()])
