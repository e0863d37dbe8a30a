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
