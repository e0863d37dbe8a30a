"""Screen a frame: validate the columns, run the columnar engine, add the contract's result columns.

Output: every input row, in input order, every input column kept, plus citizenship_status,
citizenship_basis, citizenship_since, transfer_outcome, reason_codes, missing_facts, error.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import polars as pl

from safeguard.api import columnar_engine
from safeguard.batch.by_cases import OPEN_PREFIX, settle_by_cases
from safeguard.batch.ranking import ranked_names
from safeguard.batch.relevance import relevant_masks, scalar_missing
from safeguard.engine.columnar import ERROR_COLUMN, rule_column
from safeguard.engine.missing import MissingFacts, missing_facts_columnar
from safeguard.facts.columns import APPROX_PREFIX, ERROR, READ_ERROR, typed_facts
from safeguard.facts.schema import fact_specs
from safeguard.law.outputs import OPEN_ROOTS
from safeguard.law.removal.outcome import OUTCOMES

RESULT_COLUMNS = ["citizenship_status", "citizenship_basis", "citizenship_since", "transfer_outcome",
                  "reason_codes", "missing_facts", "error"]


def _col(rule_id: str) -> pl.Expr:
    return pl.col(rule_column(rule_id))


def result_columns() -> list[pl.Expr]:
    status = _col("citizenship_status")
    outcome = _col("transfer_outcome")
    codes = [pl.when(_col(cond.id).fill_null(False)).then(pl.lit(code)) for code, cond in OUTCOMES]
    codes.append(pl.when(outcome.is_in(["SAFEGUARDS_REQUIRED", "NO_BAR_FOUND"])).then(outcome)
                 .when(_col("third_country_safeguards_outstanding").fill_null(False)).then(pl.lit("SAFEGUARDS_REQUIRED")))
    return [
        status.fill_null("unknown").alias("citizenship_status"),
        _col("citizenship_basis").alias("citizenship_basis"),
        pl.when(status.is_in(["citizen", "national"])).then(_col("citizenship_since")).alias("citizenship_since"),
        outcome.alias("transfer_outcome"),
        pl.when(outcome.is_not_null()).then(pl.concat_str(codes, separator=";", ignore_nulls=True))
        .alias("reason_codes"),
    ]


@lru_cache(maxsize=1)
def _missing() -> MissingFacts:
    return missing_facts_columnar(OPEN_ROOTS)


def screen_frame(raw: pl.DataFrame, default_as_of: date, questions: bool = True) -> pl.DataFrame:
    """Every input row out, in order, with the result columns (empty where the row has an error). With
    `questions=False` the facts to ask are not worked out (`missing_facts` is null: the offer simulator
    counts outcomes only, and asking what matters is most of a batch's work)."""
    typed = typed_facts(raw, default_as_of)
    ruled = columnar_engine().run_frame(typed).collect()
    periods = [c for c in raw.columns if c.endswith("_presence_periods")]
    given = raw.select(pl.any_horizontal([pl.col(c).is_not_null() for c in periods])).to_series() if periods else None
    by_column = {c: raw[c].is_not_null() for c in periods}
    settled = settle_by_cases(ruled, given, by_column)
    if not questions:
        return _without_questions(raw, settled)
    opened = [c for c in settled.columns if c.startswith(OPEN_PREFIX)]
    lf = settled.lazy()
    missing = _missing()
    for layer in missing.layers:
        lf = lf.with_columns(layer)
    error = pl.coalesce(pl.col(ERROR), pl.col(ERROR_COLUMN))
    results = lf.select(*result_columns(), *missing.mask_columns(), error.alias("error")).collect()
    special = _approximate_rows(settled)
    ok = results["error"].is_null()
    masks, scores = relevant_masks(settled, results, missing, ok & ~special, given)
    results = results.with_columns(masks)
    results = results.with_columns(ranked_names(missing.names(results), scores)).drop(missing.mask_columns())
    if opened:
        results = results.with_columns(asked_exact_dates(results["missing_facts"], settled.select(opened)))
    redo = special & ok & (results["missing_facts"].fill_null("") != "")
    if redo.any():
        names = results["missing_facts"].to_list()
        given_periods = raw.select(periods).filter(redo) if periods else None
        for i, value in zip(redo.arg_true().to_list(), scalar_missing(settled.filter(redo), given_periods)):
            names[i] = value
        results = results.with_columns(pl.Series("missing_facts", names, dtype=pl.Utf8))
    blanked = results.select(
        [pl.when(pl.lit(ok)).then(pl.col(c)).alias(c) for c in RESULT_COLUMNS if c != "error"] + [pl.col("error")]
    )
    kept = keep_input(raw)
    return kept.hstack(blanked) if kept.width else blanked  # (no column at all: a file of unreadable lines)


def _without_questions(raw: pl.DataFrame, settled: pl.DataFrame) -> pl.DataFrame:
    error = pl.coalesce(pl.col(ERROR), pl.col(ERROR_COLUMN))
    results = settled.select(*result_columns(), pl.lit(None, pl.Utf8).alias("missing_facts"), error.alias("error"))
    blanked = results.select([pl.when(pl.col("error").is_null()).then(pl.col(c)).alias(c)
                              for c in RESULT_COLUMNS if c != "error"] + [pl.col("error")])
    kept = keep_input(raw)
    return kept.hstack(blanked) if kept.width else blanked


def _approximate_rows(settled: pl.DataFrame) -> pl.Series:
    """Rows with an approximate date: their facts to ask are tried from the values its search settled, one
    case at a time (batch/relevance.scalar_missing)."""
    approx = [c for c in settled.columns if c.startswith(APPROX_PREFIX)]
    if not approx:
        return pl.Series([False] * settled.height, dtype=pl.Boolean)
    return settled.select(pl.any_horizontal([pl.col(c).is_not_null() for c in approx])).to_series()


def asked_exact_dates(names: pl.Series, opened: pl.DataFrame) -> pl.Series:
    """`missing_facts` with each approximate date asked (for the exact date) only where the answer differs
    inside it (approximate.adjust_missing, for one case)."""
    order = {f: i for i, f in enumerate(fact_specs())}
    facts = [c[len(OPEN_PREFIX):] for c in opened.columns]
    out = names.to_list()
    for i, flags in enumerate(opened.iter_rows()):
        if all(f is None for f in flags):
            continue
        now = [n for n in (out[i] or "").split(";") if n]
        differs = {f for f, flag in zip(facts, flags) if flag is True}
        settled = {f for f, flag in zip(facts, flags) if flag is False}
        kept = [n for n in now if n not in settled]
        if differs - set(kept):
            kept = sorted(set(kept) | differs, key=order.__getitem__)
        out[i] = ";".join(kept)
    return pl.Series("missing_facts", out, dtype=pl.Utf8)


def keep_input(raw: pl.DataFrame) -> pl.DataFrame:
    """The input columns, every one kept: one that bears a result column's name (an `error` column of
    the manifest's own, say) is kept as `<name>_input` so the result does not overwrite it."""
    raw = raw.drop(READ_ERROR, strict=False)  # a reader's reason for a row it could not read: now in `error`
    taken = set(raw.columns) | set(RESULT_COLUMNS)
    renames = {}
    for name in (c for c in raw.columns if c in RESULT_COLUMNS):
        new = f"{name}_input"
        while new in taken:
            new += "_"
        renames[name], _ = new, taken.add(new)
    return raw.rename(renames) if renames else raw
