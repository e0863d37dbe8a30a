"""Validating a whole manifest at once: raw columns in, typed fact columns and a per-row error out.

The same rules as `parse.py`, vectorized: a value is bad when it is given (not empty) but cannot be
read as its type, or is impossible together with the row's other facts. The message for a bad row
comes from `parse.parse_case` run on that row alone, so batch and single cases say the same thing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl

from safeguard.facts.frame import DTYPES, engine_columns
from safeguard.facts.parse import NO_COUNTRIES, OWN_EVENTS, TRUE_WORDS, InputErrors, country_codes, parse_case
from safeguard.facts.schema import PARENTS, FactSpec, fact_specs

ERROR = "error"


def _blank(raw: pl.Expr) -> pl.Expr:
    return raw.is_null() | (raw.cast(pl.Utf8).str.strip_chars() == "")


def _coerce(spec: FactSpec, raw: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """The typed column (null where unknown or unreadable)."""
    codes = pl.lit(sorted(country_codes()))
    t = spec.type
    if t == "bool":
        if dtype == pl.Boolean:
            return raw
        text = raw.cast(pl.Utf8).str.strip_chars().str.to_lowercase()
        return text.replace_strict(TRUE_WORDS, default=None, return_dtype=pl.Boolean)
    if t == "date":
        if dtype == pl.Date:
            return raw
        text = raw.cast(pl.Utf8).str.strip_chars()
        return pl.when(text.str.contains(r"^\d{4}-\d{2}-\d{2}$")).then(
            text.str.strptime(pl.Date, "%Y-%m-%d", strict=False))
    if t == "number":
        if dtype == pl.Boolean:
            return pl.lit(None, pl.Float64)
        value = raw.cast(pl.Utf8).str.strip_chars().cast(pl.Float64, strict=False) if dtype == pl.Utf8 else \
            raw.cast(pl.Float64, strict=False)
        return pl.when(value.is_finite() & (value >= 0)).then(value)
    if t == "country":
        code = raw.cast(pl.Utf8).str.strip_chars().str.to_uppercase()
        return pl.when(code.is_in(codes)).then(code)
    if t == "countries":
        text = raw.cast(pl.Utf8) if dtype == pl.Utf8 else None
        items = (pl.when(text.str.strip_chars().str.to_lowercase() == NO_COUNTRIES).then(pl.lit("")).otherwise(text)
                 .str.split(";")) if text is not None else raw.cast(pl.List(pl.Utf8))
        cleaned = items.list.eval(pl.element().str.strip_chars().str.to_uppercase()).list.eval(
            pl.element().filter(pl.element() != ""))
        all_valid = cleaned.list.eval(pl.element().is_in(codes)).list.all()
        return pl.when(~_blank(raw) & all_valid).then(cleaned)
    if t == "enum":
        text = raw.cast(pl.Utf8).str.strip_chars()
        return pl.when(text.is_in(list(spec.values))).then(text)
    return pl.when(~_blank(raw)).then(raw.cast(pl.Utf8))


def _consistency(cols: set[str]) -> pl.Expr:
    """True where the typed facts of a row are impossible together (mirrors parse.check_consistency)."""
    specs = fact_specs()
    c = pl.col
    bad = pl.lit(False)

    def has(*names: str) -> bool:
        return all(n in cols for n in names)

    for name in cols:
        if specs[name].type == "date":
            bad = bad | (c(name) > c("as_of")).fill_null(False)
    for name in OWN_EVENTS:
        if has(name, "birth_date"):
            bad = bad | (c(name) < c("birth_date")).fill_null(False)
    for p in PARENTS:
        total, a14, a16 = (f"{p}_us_presence_years{s}" for s in ("", "_after_14", "_after_16"))
        if has(total, a14):
            bad = bad | (c(a14) > c(total)).fill_null(False)
        if has(a14, a16):
            bad = bad | (c(a16) > c(a14)).fill_null(False)
        pbirth = f"{p}_birth_date"
        if pbirth not in cols:
            continue
        for event in ("naturalization_date", "death_date"):
            if has(f"{p}_{event}"):
                bad = bad | (c(f"{p}_{event}") < c(pbirth)).fill_null(False)
        if has("birth_date"):
            bad = bad | (c(pbirth) >= c("birth_date")).fill_null(False)
            if has(total):
                age = (c("birth_date") - c(pbirth)).dt.total_days() / 365
                bad = bad | ((c(pbirth) < c("birth_date")) & (c(total) > age + 1 / 365)).fill_null(False)
    return bad


def _row_message(row: dict[str, Any], default_as_of: date) -> str:
    raw = {k: v for k, v in row.items() if k in fact_specs()}
    day = None if raw.get("as_of") not in (None, "") else default_as_of
    try:
        parse_case(raw, as_of=day, text=True)
    except InputErrors as e:
        return str(e)
    return "internal: the row was rejected in batch but reads as valid on its own (please report)"


def typed_facts(raw: pl.DataFrame, default_as_of: date) -> pl.DataFrame:
    """Typed engine columns for every row, plus `error` (null on good rows). Rows in = rows out."""
    specs = fact_specs()
    present = [n for n in raw.columns if n in specs and specs[n].type != "periods"]
    typed, bad_read = [], pl.lit(False)
    for name in present:
        spec, col = specs[name], pl.col(name)
        dtype = raw.schema[name]
        value = _coerce(spec, col, dtype) if name != "as_of" else _coerce(spec, col, dtype).fill_null(
            pl.when(_blank(col)).then(pl.lit(default_as_of)))
        typed.append(value.cast(DTYPES[spec.type]).alias(name))
        bad_read = bad_read | (~_blank(col) & value.is_null()) if spec.type != "string" else bad_read
    out = raw.lazy().select(*typed, bad_read.alias("_bad")).collect()
    missing_cols = {n: d for n, d in engine_columns().items() if n not in out.columns}
    out = out.with_columns(
        [pl.lit(default_as_of if n == "as_of" else None, dtype=d).alias(n) for n, d in missing_cols.items()]
    )
    out = out.with_columns((pl.col("_bad") | _consistency(set(present) | {"as_of"})).alias("_bad"))
    out = _apply_periods(raw, out, default_as_of)
    bad_idx = out.with_row_index("_i").filter(pl.col("_bad"))["_i"].to_list()
    messages: list[str | None] = [None] * out.height
    if bad_idx:
        rows = raw[bad_idx].to_dicts()
        for i, row in zip(bad_idx, rows):
            messages[i] = _row_message(row, default_as_of)
    return out.drop("_bad").with_columns(pl.Series(ERROR, messages, dtype=pl.Utf8))


def _apply_periods(raw: pl.DataFrame, out: pl.DataFrame, default_as_of: date) -> pl.DataFrame:
    """Rows that give presence periods (JSON/JSONL only) take their presence facts from them."""
    cols = [c for c in raw.columns if c.endswith("_us_presence_periods") and c in fact_specs()]
    if not cols:
        return out
    idx = raw.with_row_index("_i").filter(pl.any_horizontal(pl.col(c).is_not_null() for c in cols))["_i"].to_list()
    if not idx:
        return out
    updates: dict[str, list[Any]] = {}
    bad = out["_bad"].to_list()
    for i in idx:
        row = {k: v for k, v in raw.row(i, named=True).items() if k in fact_specs() and v is not None}
        try:
            case = parse_case(row, as_of=out["as_of"][i] if "as_of" not in row else None)
        except InputErrors:
            bad[i] = True
            continue
        for parent in PARENTS:
            for key in ("us_presence_years", "us_presence_years_after_14", "us_presence_years_after_16",
                        "us_continuous_presence_year"):
                name = f"{parent}_{key}"
                updates.setdefault(name, out[name].to_list())[i] = case.facts.get(name)
    return out.with_columns([pl.Series(n, v, dtype=out.schema[n]) for n, v in updates.items()] +
                            [pl.Series("_bad", bad)])
