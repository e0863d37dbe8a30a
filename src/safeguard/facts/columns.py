"""Validating a whole manifest at once: raw columns in, typed fact columns and a per-row error out.

The same rules as `parse.py`, vectorized: a value is bad when it is given (not empty) but cannot be
read as its type, or is impossible together with the row's other facts. The message for a bad row
comes from `parse.parse_case` run on that row alone, so batch and single cases say the same thing.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import polars as pl

from safeguard.facts.consistency import contradiction_mask
from safeguard.facts.errors import NoFactColumns  # noqa: F401 (raised here, caught by the CLI)
from safeguard.facts.frame import DTYPES, engine_columns
from safeguard.facts.parse import (
    APPROX_PATTERN,
    BLANKS,
    COUNTRY_PATTERN,
    DATE_PATTERN,
    FIRST_DAY,
    LAST_DAY,
    MAX_TEXT,
    NO_COUNTRIES,
    NUMBER_MAX,
    NUMBER_PATTERN,
    TRUE_WORDS,
    YEARS_MAX,
    InputError,
    InputErrors,
    arrangement_ids,
    country_codes,
    expected_for_value,
    parse_case,
)
from safeguard.facts.schema import PARENTS, FactSpec, fact_specs

ERROR = "error"
# A reader that could not read a row (a ragged CSV line, a bad JSON line) keeps the row's place with
# the reason in this column; the row is not screened and the reason becomes its `error`.
READ_ERROR = "_read_error"
# A date cell given as a year or a month ("1985", "1985-06") leaves its fact unknown and is kept, as given,
# in `_approx.<fact>`: deciding by cases searches the days of that interval (batch/by_cases.py).
APPROX_PREFIX = "_approx."
BLANK = f"^[{re.escape(BLANKS)}]*$"



def _blank(raw: pl.Expr, dtype: pl.DataType = pl.Utf8) -> pl.Expr:
    """No value given: null, or (in a text column) only blanks."""
    if dtype != pl.Utf8:
        return raw.is_null()
    return raw.is_null() | raw.str.contains(BLANK)


def _strip(raw: pl.Expr) -> pl.Expr:
    return raw.str.strip_chars(BLANKS)


def _text_like(dtype: pl.DataType) -> bool:
    return dtype in (pl.Utf8, pl.Categorical) or isinstance(dtype, (pl.Categorical, pl.Enum))


def _nothing(dtype: pl.DataType) -> pl.Expr:
    return pl.lit(None, dtype)


def _coerce(spec: FactSpec, raw: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """The typed column (null where unknown or unreadable). The same grammar as `parse.coerce`; a
    column of a type the fact cannot take (a list where a country is expected) reads as unreadable."""
    t = spec.type
    if dtype == pl.Null:
        return _nothing(DTYPES[t])
    if _text_like(dtype) and dtype != pl.Utf8:
        raw, dtype = raw.cast(pl.Utf8), pl.Utf8
    if t == "bool":
        if dtype == pl.Boolean:
            return raw
        if dtype.is_integer():
            return pl.when(raw.is_in([0, 1])).then(raw == 1)
        if dtype != pl.Utf8:
            return _nothing(pl.Boolean)
        return _strip(raw).str.to_lowercase().replace_strict(TRUE_WORDS, default=None, return_dtype=pl.Boolean)
    if t == "date":
        if dtype == pl.Date:
            day = raw
        elif isinstance(dtype, pl.Datetime):
            day = raw.dt.date()  # a date stored with a time of day (as pandas writes them): its date
        elif dtype == pl.Utf8:
            text = _strip(raw)
            day = pl.when(text.str.contains(DATE_PATTERN)).then(text.str.strptime(pl.Date, "%Y-%m-%d", strict=False))
        else:
            return _nothing(pl.Date)
        return pl.when(day.is_between(pl.lit(FIRST_DAY), pl.lit(LAST_DAY))).then(day)
    if t == "number":
        top = NUMBER_MAX.get(spec.name, YEARS_MAX)
        if dtype == pl.Utf8:
            text = _strip(raw)
            value = pl.when(text.str.contains(NUMBER_PATTERN)).then(text.cast(pl.Float64, strict=False))
        elif dtype.is_numeric():
            value = raw.cast(pl.Float64, strict=False)
        else:
            return _nothing(pl.Float64)
        return pl.when(value.is_between(0, top)).then(value)
    if t in ("country", "enum"):
        if dtype != pl.Utf8:
            return _nothing(pl.Utf8)
        text = _strip(raw)
        if t == "enum":
            return pl.when(text.is_in(list(spec.values))).then(text)
        code = text.str.to_uppercase()
        return pl.when(text.str.contains(COUNTRY_PATTERN) & code.is_in(sorted(country_codes()))).then(code)
    if t == "countries":
        if dtype == pl.Utf8:
            text = _strip(raw)
            items = pl.when(text.str.to_lowercase() == NO_COUNTRIES).then(pl.lit("")).otherwise(raw).str.split(";")
        elif isinstance(dtype, pl.List) and _text_like(dtype.inner):
            items = raw.cast(pl.List(pl.Utf8))
        else:
            return _nothing(pl.List(pl.Utf8))
        e = pl.element()
        kept = items.list.eval(e.filter(e.is_null() | (_strip(e) != "")))  # blank items are skipped, as one by one
        valid = kept.list.eval((_strip(e).str.contains(COUNTRY_PATTERN)
                                & _strip(e).str.to_uppercase().is_in(sorted(country_codes()))).fill_null(False)).list.all()
        cleaned = kept.list.eval(_strip(e).str.to_uppercase())
        return pl.when(~_blank(raw, dtype) & valid & (kept.list.len() <= 300)).then(cleaned)
    # text: an identifier; a whole number is read as its digits, never an object or a list
    if dtype.is_integer():
        raw, dtype = raw.cast(pl.Utf8), pl.Utf8
    if dtype != pl.Utf8:
        return _nothing(pl.Utf8)
    ok = raw.str.len_chars() <= MAX_TEXT
    if spec.name == "arrangement":
        return pl.when(ok & _strip(raw).is_in(list(arrangement_ids()))).then(_strip(raw))
    return pl.when(~_blank(raw, dtype) & ok).then(raw)


def _consistency(cols: set[str]) -> pl.Expr:
    """True where the typed facts of a row are impossible together (the checks of parse.check_consistency
    whose facts are all columns)."""
    specs = fact_specs()
    after = [(pl.col(name) > pl.col("as_of")).fill_null(False) for name in cols if specs[name].type == "date"]
    return pl.any_horizontal([*after, contradiction_mask(cols)])


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


def check_has_facts(raw: pl.DataFrame) -> None:
    """Refuse a manifest none of whose columns is a fact (after a map has renamed its columns)."""
    named = [c for c in raw.columns if c != READ_ERROR]
    if named and not any(c in fact_specs() for c in named):
        shown = ", ".join(repr(c[:40]) for c in named[:6]) + (" ..." if len(named) > 6 else "")
        raise NoFactColumns(f"no column is a fact of the vocabulary or a column the map names (columns: {shown}); "
                            "the first line must name the columns, e.g. person_id,birth_date,birth_place "
                            "(a CSV without its header row?)")


def typed_facts(raw: pl.DataFrame, default_as_of: date) -> pl.DataFrame:
    """Typed engine columns for every row, plus `error` (null on good rows). Rows in = rows out."""
    check_has_facts(raw)
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
        if spec.type == "date" and name != "as_of" and dtype == pl.Utf8:
            approx = _strip(col).str.contains(APPROX_PATTERN).fill_null(False)
            typed.append(pl.when(approx).then(_strip(col)).alias(APPROX_PREFIX + name))
            given.append((~_blank(col, dtype) & ~approx).alias(f"_given.{name}"))
        else:
            given.append((~_blank(col, dtype)).alias(f"_given.{name}"))
    # Typed values and "was a value given" flags first, then the checks read those columns:
    # each value is coerced once, not once for the value and again for the check.
    # (`_pad` gives the frame its height when no fact column is read, e.g. a file of unreadable lines.)
    out = raw.lazy().select(pl.int_range(pl.len()).alias("_pad"), *typed, *given).collect()
    out = out.with_columns(_read_distinct(raw, name, specs[name]) for name in by_value).unnest(
        [f"_read.{name}" for name in by_value])
    flags = [c for c in out.columns if c.startswith("_given.")]
    unreadable = pl.any_horizontal([pl.col(f) & pl.col(f[len("_given."):]).is_null() for f in flags]) \
        if flags else pl.lit(False)
    missing_cols = {n: d for n, d in engine_columns().items() if n not in out.columns}
    out = out.with_columns(
        [pl.lit(default_as_of if n == "as_of" else None, dtype=d).alias(n) for n, d in missing_cols.items()]
    )
    not_read = raw[READ_ERROR].is_not_null() if READ_ERROR in raw.columns else pl.Series([False] * raw.height)
    out = out.with_columns(unreadable.alias("_unreadable"),
                           (unreadable | _consistency(set(present) | {"as_of"}) | pl.lit(not_read)
                            | pl.lit(_approx_refused(raw, out, default_as_of))).alias("_bad"))
    out = _apply_periods(raw, out, default_as_of)
    messages = _messages(raw, out, flags, default_as_of)
    return out.drop("_pad", "_bad", "_unreadable", *flags).with_columns(messages)


def approx_columns(frame: pl.DataFrame) -> list[str]:
    """The date facts some row of the typed frame gives as a year or a month."""
    return [c[len(APPROX_PREFIX):] for c in frame.columns if c.startswith(APPROX_PREFIX)]


def _approx_refused(raw: pl.DataFrame, out: pl.DataFrame, default_as_of: date) -> pl.Series:
    """Rows with an approximate date that the single case refuses (a month 13, a year after as_of, no day
    possible with the other facts): each such row is read by `parse_case` itself, so the two agree."""
    cols = [APPROX_PREFIX + n for n in approx_columns(out)]
    refused = [False] * out.height
    if not cols:
        return pl.Series(refused)
    rows = out.with_row_index("_i").filter(pl.any_horizontal(pl.col(c).is_not_null() for c in cols))["_i"]
    for i in rows.to_list():
        row = {k: v for k, v in raw.row(i, named=True).items() if k in fact_specs()}
        day = None if row.get("as_of") not in (None, "") else default_as_of
        try:
            parse_case(row, as_of=day, text=True)
        except InputErrors:
            refused[i] = True
    return pl.Series(refused)


def _messages(raw: pl.DataFrame, out: pl.DataFrame, flags: list[str], default_as_of: date) -> pl.Series:
    """The `error` column. A row that a reader could not read has the reader's reason. A row whose
    only faults are unreadable text cells gets its message built here, each fault worded by
    `parse.InputError` itself (once per distinct value), in column order as `parse_case` lists them;
    any other bad row is re-read by `parse_case` itself."""
    specs = fact_specs()
    bad = out.with_row_index("_i").filter(pl.col("_bad"))
    messages = pl.Series(ERROR, [None] * out.height, dtype=pl.Utf8)
    if bad.height == 0:
        return messages
    read_error = raw[READ_ERROR].to_list() if READ_ERROR in raw.columns else None
    position = {c: i for i, c in enumerate(raw.columns)}
    fact_of = {f: f[len("_given."):] for f in flags}
    text_cols = sorted((f for f in flags if fact_of[f] in raw.columns and raw.schema[fact_of[f]] == pl.Utf8),
                       key=lambda f: position[fact_of[f]])  # in column order, as parse_case lists them
    other_cols = [f for f in flags if f not in text_cols]
    fault = {f: pl.col(f) & pl.col(fact_of[f]).is_null() for f in flags}
    raw_bad = raw[bad["_i"]]
    parts = []
    for f in text_cols:
        name, spec = fact_of[f], specs[fact_of[f]]
        values = bad.select(fault[f].alias("_f")).to_series()
        wrong = raw_bad[name].filter(values).unique().to_list()
        words = {v: str(InputError(name, v, expected_for_value(spec, v))) for v in wrong if v is not None}
        parts.append(pl.when(fault[f]).then(pl.col("_raw." + f).replace_strict(words, default=None, return_dtype=pl.Utf8)))
    periods = any(specs[c].type == "periods" for c in raw.columns if c in specs)
    simple = pl.col("_unreadable") & (not periods) & ~pl.any_horizontal([fault[f] for f in other_cols] or [pl.lit(False)])
    built = bad.with_columns([raw_bad[fact_of[f]].alias("_raw." + f) for f in text_cols]).select(
        "_i", simple.alias("_simple"),
        pl.concat_str(parts, separator="; ", ignore_nulls=True).alias("_text") if parts else pl.lit(None, pl.Utf8))
    values = messages.to_list()
    for i, is_simple, text in built.iter_rows():
        if read_error is not None and read_error[i] is not None:
            values[i] = read_error[i]
        else:
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
