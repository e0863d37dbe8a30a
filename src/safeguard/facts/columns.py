"""Validating a whole manifest at once: raw columns in, typed fact columns and a per-row error out.

The same rules as `parse.py`, vectorized: a value is bad when it is given (not empty) but cannot be
read as its type, or is impossible together with the row's other facts. The message for a bad row
comes from `parse.parse_case` run on that row alone, so batch and single cases say the same thing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl

from safeguard.facts.consistency import contradiction_mask
from safeguard.facts.frame import DTYPES, engine_columns
from safeguard.facts.parse import (
    NO_COUNTRIES,
    OWN_EVENTS,
    TRUE_WORDS,
    InputErrors,
    country_codes,
    expected_for,
    parse_case,
)
from safeguard.facts.schema import PARENTS, FactSpec, fact_specs

ERROR = "error"


def _blank(raw: pl.Expr, dtype: pl.DataType = pl.Utf8) -> pl.Expr:
    """No value given: null, or (in a text column) only spaces."""
    if dtype != pl.Utf8:
        return raw.is_null()
    return raw.is_null() | raw.str.contains(r"^\s*$")


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
        if isinstance(dtype, pl.Datetime):
            return raw.dt.date()  # a date stored with a time of day (as pandas writes them): its date
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
        return pl.when(~_blank(raw, dtype) & all_valid).then(cleaned)
    if t == "enum":
        text = raw.cast(pl.Utf8).str.strip_chars()
        return pl.when(text.is_in(list(spec.values))).then(text)
    return pl.when(~_blank(raw, dtype)).then(raw.cast(pl.Utf8))


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
    return bad | contradiction_mask()


def _read_distinct(raw: pl.DataFrame, name: str, spec: FactSpec) -> pl.Series:
    """Read a text column through its distinct values: a struct of the typed value and the
    "value given" flag, for every row, the same as reading each row."""
    col = pl.col(name)
    distinct = raw.select(col.unique()).with_columns(
        _coerce(spec, col, pl.Utf8).cast(DTYPES[spec.type]).alias("_value"),
        (~_blank(col)).alias(f"_given.{name}"))
    read = raw.select(col).join(distinct, on=name, how="left", maintain_order="left", nulls_equal=True)
    return read.select(pl.struct(pl.col("_value").alias(name), pl.col(f"_given.{name}"))
                       .alias(f"_read.{name}")).to_series()


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
    typed, given, by_value = [], [], []
    for name in present:
        spec, col = specs[name], pl.col(name)
        dtype = raw.schema[name]
        if spec.type == "countries" and dtype == pl.Utf8:
            by_value.append(name)  # few distinct lists, each costly to read: read each distinct text once
            continue
        value = _coerce(spec, col, dtype) if name != "as_of" else _coerce(spec, col, dtype).fill_null(
            pl.when(_blank(col, dtype)).then(pl.lit(default_as_of)))
        typed.append(value.cast(DTYPES[spec.type]).alias(name))
        if spec.type != "string":
            given.append((~_blank(col, dtype)).alias(f"_given.{name}"))
    # Typed values and "was a value given" flags first, then the checks read those columns:
    # each value is coerced once, not once for the value and again for the check.
    out = raw.lazy().select(*typed, *given).collect()
    out = out.with_columns(_read_distinct(raw, name, specs[name]) for name in by_value).unnest(
        [f"_read.{name}" for name in by_value])
    flags = [c for c in out.columns if c.startswith("_given.")]
    unreadable = pl.any_horizontal([pl.col(f) & pl.col(f[len("_given."):]).is_null() for f in flags]) \
        if flags else pl.lit(False)
    missing_cols = {n: d for n, d in engine_columns().items() if n not in out.columns}
    out = out.with_columns(
        [pl.lit(default_as_of if n == "as_of" else None, dtype=d).alias(n) for n, d in missing_cols.items()]
    )
    out = out.with_columns(unreadable.alias("_unreadable"),
                           (unreadable | _consistency(set(present) | {"as_of"})).alias("_bad"))
    out = _apply_periods(raw, out, default_as_of)
    messages = _messages(raw, out, flags, default_as_of)
    return out.drop("_bad", "_unreadable", *flags).with_columns(messages)


def _messages(raw: pl.DataFrame, out: pl.DataFrame, flags: list[str], default_as_of: date) -> pl.Series:
    """The `error` column. A row whose only faults are unreadable text cells gets its message built
    here, in the words of `parse.InputError` ("fact = 'value': expected ..."), the faults in column
    order as `parse_case` lists them; any other bad row is re-read by `parse_case` itself."""
    specs = fact_specs()
    bad = out.with_row_index("_i").filter(pl.col("_bad"))
    messages = pl.Series(ERROR, [None] * out.height, dtype=pl.Utf8)
    if bad.height == 0:
        return messages
    position = {c: i for i, c in enumerate(raw.columns)}
    text_cols = sorted((f for f in flags if raw.schema[f[len("_given."):]] == pl.Utf8),
                       key=lambda f: position[f[len("_given."):]])  # in column order, as parse_case lists them
    other_cols = [f for f in flags if f not in text_cols]
    fault = {f: pl.col(f) & pl.col(f[len("_given."):]).is_null() for f in flags}
    raw_bad = raw[bad["_i"]]
    parts = [pl.when(fault[f]).then(pl.concat_str([
        pl.lit(f"{f[len('_given.'):]} = '"), pl.col("_raw." + f), pl.lit(f"': expected {expected_for(specs[f[len('_given.'):]])}")]))
        for f in text_cols]
    periods = any(specs[c].type == "periods" for c in raw.columns if c in specs)
    simple = pl.col("_unreadable") & (not periods) & ~pl.any_horizontal([fault[f] for f in other_cols] or [pl.lit(False)])
    built = bad.with_columns([raw_bad[f[len("_given."):]].alias("_raw." + f) for f in text_cols]).select(
        "_i", simple.alias("_simple"),
        pl.concat_str(parts, separator="; ", ignore_nulls=True).alias("_text") if parts else pl.lit(None, pl.Utf8))
    values = messages.to_list()
    for i, is_simple, text in built.iter_rows():
        values[i] = text if is_simple else _row_message(raw.row(i, named=True), default_as_of)
    return pl.Series(ERROR, values, dtype=pl.Utf8)


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
            for key in ("us_presence_years", "us_presence_years_after_12", "us_presence_years_after_14",
                        "us_presence_years_after_16", "us_continuous_presence_year"):
                name = f"{parent}_{key}"
                updates.setdefault(name, out[name].to_list())[i] = case.facts.get(name)
    return out.with_columns([pl.Series(n, v, dtype=out.schema[n]) for n, v in updates.items()] +
                            [pl.Series("_bad", bad)])
