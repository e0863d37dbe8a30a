"""Which facts to ask can change something on their own, for a batch (engine/relevance.py for one case).

Each row with facts to ask is tried at every trial value of each of them (the values engine/relevance.py
declares: literals, and days or places read from the row's other columns), every trial through the batch
engine with its own facts to ask; a trial that changes nothing but opens a follow-up question is tried
again at that question's values. A fact is kept where some trial changes the row's result; a row where
none does keeps them all, or none when its status is contested. Rows whose values were settled by
approximate dates or by cases are left to the caller (their trials start from the settled values, as one
case does: `scalar_missing`).
"""

from __future__ import annotations

from functools import lru_cache

import polars as pl

from safeguard.api import columnar_engine
from safeguard.batch.ranking import question_scores
from safeguard.engine.cases import EARLIEST
from safeguard.engine.columnar import ERROR_COLUMN, ColumnarEngine, rule_column
from safeguard.engine.missing import MissingFacts
from safeguard.engine.relevance import (
    FEW_ANSWERS,
    LEVEL2_BUDGET,
    SIGNATURE_RULES,
    FromFact,
    signature_roots,
    trial_specs,
)
from safeguard.engine.scalar import can_report_error
from safeguard.facts.consistency import checks_reading
from safeguard.facts.frame import engine_columns
from safeguard.facts.schema import fact_specs

TRIAL_ROWS = 100_000  # trials screened at a time: memory stays bounded whatever the manifest
BLOCK_ROWS = 20_000  # rows whose trials are made and judged together (relevant_masks)
SIG = "_sig"
PERIODS = "_periods_given"  # the row gives presence periods: its birth date is never split on


def _signature() -> pl.Expr:
    """engine/relevance.signature as one text column (null parts spelt '?')."""
    c = {r: pl.col(rule_column(r)) for r in SIGNATURE_RULES}
    status = c["citizenship_status"]
    since = pl.when(status.is_in(["citizen", "national"])).then(c["citizenship_since"])
    parts = [status, since, c["national_citizenship_still_open"].fill_null(False),
             c["transfer_outcome"], c["transfer_outcome_provisional"].fill_null(False)]
    return pl.concat_str([p.cast(pl.Utf8).fill_null("?") for p in parts], separator="|").alias(SIG)


def _value(spec: FromFact, dtype: pl.DataType) -> pl.Expr:
    """One trial value of a fact taken from the row's other facts, for every row (null where it has none)."""
    col = pl.col(spec.fact)
    if spec.as_list:
        expr = pl.when(col.is_not_null()).then(pl.concat_list([col]))
    elif dtype == pl.Date:
        expr = _shifted(_shifted(col, spec.years, spec.days), -spec.back[0], -spec.back[1])
        expr = expr + pl.duration(days=spec.delta) if spec.delta else expr
    else:
        expr = col
    return expr.cast(dtype)


def _shifted(col: pl.Expr, years: int, days: int) -> pl.Expr:
    """engine/comparisons.shift_date for a column: by years then days, or (going back) by days then years."""
    if not years and not days:
        return col
    by_years = (lambda e: e.dt.offset_by(f"{years}y")) if years else (lambda e: e)
    by_days = (lambda e: e + pl.duration(days=days)) if days else (lambda e: e)
    return by_days(by_years(col)) if years >= 0 else by_years(by_days(col))


def trials(rows: pl.DataFrame, fact: str) -> pl.DataFrame:
    """The rows (engine columns and `_key`) at every distinct, possible trial value of `fact`: the values are
    worked out narrow (row position and value), and the wide rows gathered once for those that remain."""
    dtype = engine_columns()[fact]
    is_date = dtype == pl.Date
    n = rows.height
    taken = [spec for spec in trial_specs(fact) if isinstance(spec, FromFact)]
    literals = [list(spec) if isinstance(spec, tuple) else spec for spec in trial_specs(fact)
                if not isinstance(spec, FromFact)]
    index = pl.int_range(n, eager=True, dtype=pl.UInt32).alias("_i")
    wide = rows.select([_value(spec, dtype).alias(f"_v{k}") for k, spec in enumerate(taken)]) if taken else None
    parts = [pl.DataFrame([index, wide[f"_v{k}"].alias(fact)]) for k in range(len(taken))]  # one query for all
    if literals:  # every row at every literal, literals first (the declared order)
        values = pl.Series(fact, literals, dtype=dtype)
        parts.insert(0, index.to_frame().join(values.to_frame(), how="cross"))
    long = pl.concat(parts, how="vertical").filter(pl.col(fact).is_not_null())
    if is_date:
        as_of = rows["as_of"].gather(long["_i"])
        long = long.filter((long[fact] <= as_of) & (long[fact] >= EARLIEST))
    long = long.unique(subset=["_i", fact], keep="first", maintain_order=True)
    out = rows.gather(long["_i"]).with_columns(long[fact])
    checks = [c.mask() for c in checks_reading(fact)]  # the rest held together in the row (parse.possible)
    return out.filter(~pl.any_horizontal([pl.lit(False), *checks])) if checks else out


@lru_cache(maxsize=1)
def follow_up_engine() -> ColumnarEngine:
    """The batch engine for a follow-up's answer, judged as evaluated (not decided by cases): the rules of
    the signature and every rule that can report an error, as `ScalarEngine.answers_changed` re-evaluates
    them for one case (engine/relevance.changes_result). Left out: the rules only other results read, such
    as whether a contested reading turns the answer (40% of the whole law's plan)."""
    full = columnar_engine()
    return ColumnarEngine([*signature_roots(), *(r for r in full.order if can_report_error(r.expr))])


def _ruled(frame: pl.DataFrame, engine: ColumnarEngine | None = None) -> pl.DataFrame:
    """Trials through the batch engine (their rule columns added; `frame`'s kept); `engine`: another set of
    rules than the whole law's. Callers pass at most TRIAL_ROWS at a time: a ruled trial carries every rule's
    column."""
    engine = engine or columnar_engine()
    return engine.run_frame(frame.drop(PERIODS)).collect().with_columns(frame[PERIODS])


def _slices(frame: pl.DataFrame):
    return (frame[start:start + TRIAL_ROWS] for start in range(0, frame.height, TRIAL_ROWS))


def _answers(ruled: pl.DataFrame, keep: list[str], masks: MissingFacts | None, settle: bool) -> pl.DataFrame:
    """The signature (and the masks of facts to ask) of every ruled trial, with `_final`: the answer cannot be
    decided by cases (its status is known, or no split fact is unknown). With `settle`, decided by cases where
    that applies, as the row itself was. Trials the engine fails on are left out."""
    from safeguard.batch.by_cases import settle_by_cases
    from safeguard.batch.trials import STATUS

    if settle:
        ruled = settle_by_cases(ruled.drop(PERIODS), ruled[PERIODS]).with_columns(ruled[PERIODS])
    final = (pl.col(STATUS).is_not_null()
             | (pl.col("birth_place").is_not_null() & (pl.col("birth_date").is_not_null() | pl.col(PERIODS))))
    lf = ruled.lazy()
    extra = []
    if masks is not None:
        for layer in masks.layers:
            lf = lf.with_columns(layer)
        extra = masks.mask_columns()
    return lf.filter(pl.col(ERROR_COLUMN).is_null()).select([*keep, _signature(), *extra, final.alias("_final")]).collect()


def _follow_ups(frame: pl.DataFrame) -> pl.DataFrame:
    """`_answers` of every follow-up trial of `frame`, as evaluated (not decided by cases, as for one case),
    by `follow_up_engine`, a slice at a time."""
    keep = [c for c in frame.columns if c not in engine_columns() and c != PERIODS]
    return pl.concat([_answers(_ruled(part, follow_up_engine()), keep, None, settle=False)
                      for part in _slices(frame)], how="vertical")


def _judge(frame: pl.DataFrame, key: list[str], masks: MissingFacts | None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Each trial's answer (`frame` holds `_t`, a trial id, and `_ref`, the signature to compare with),
    and the `key`s some trial of which changes it. Every trial runs once plainly; then the trials that could
    be decided by cases, of keys no final trial changed, are decided by cases, all of them together (from
    the same engine runs: the batch engine plans each query afresh, ~0.2 s whatever its rows, so one
    deciding by cases for the block costs a fraction of one per slice)."""
    keep = [c for c in frame.columns if c not in engine_columns() and c != PERIODS]
    differs = pl.col(SIG) != pl.col("_ref")
    answers, changed, pending = [], frame.select(key).clear(), []
    for part in _slices(frame):  # a slice at a time: memory stays bounded whatever the manifest
        ruled = _ruled(part)
        plain = _answers(ruled, keep, masks, settle=False)
        changed = pl.concat([changed, plain.filter(pl.col("_final") & differs).select(key)]).unique()
        answers.append(plain.filter(pl.col("_final")))
        again = plain.filter(~pl.col("_final")).join(changed, on=key, how="anti").select("_t")
        if again.height:
            pending.append(ruled.join(again, on="_t", how="semi"))
    if pending:
        left = pl.concat(pending, how="vertical").join(changed, on=key, how="anti")
        for part in _slices(left):
            settled = _answers(part, keep, masks, settle=True)
            answers.append(settled)
            changed = pl.concat([changed, settled.filter(differs).select(key)]).unique()
    return pl.concat(answers, how="vertical"), changed


def _bits(masks: MissingFacts) -> list[tuple[str, str, int]]:
    """(fact, mask column, bit) for every fact to ask."""
    return [(f, col, 1 << i) for col, group in zip(masks.mask_columns(), masks.groups) for i, f in enumerate(group)]


def relevant_masks(settled: pl.DataFrame, found: pl.DataFrame, masks: MissingFacts, tried: pl.Series,
                   periods_given: pl.Series | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """`found`'s mask columns with the facts no trial can change dropped (module doc), for the `tried` rows
    (the others as they are); and each tried fact's score for ranking (batch/ranking.py). `settled`: the
    engine's output (facts and rule columns), row for row; `periods_given`: the rows that give presence
    periods. Worked out BLOCK_ROWS rows at a time: a row's trials (a hundred or more, each a whole row) are
    all made before they are judged, so memory follows the block, not the frame."""
    parts, scores = [], []
    for start in range(0, max(settled.height, 1), BLOCK_ROWS):
        end = min(start + BLOCK_ROWS, settled.height)
        given = None if periods_given is None else periods_given[start:end]
        part, score = _relevant_block(settled[start:end], found[start:end], masks, tried[start:end], given)
        parts.append(part)
        scores.append(score.with_columns((pl.col("_base").cast(pl.UInt32) + start).alias("_base")))
    return pl.concat(parts, how="vertical"), pl.concat(scores, how="vertical")


def _relevant_block(settled: pl.DataFrame, found: pl.DataFrame, masks: MissingFacts, tried: pl.Series,
                    periods_given: pl.Series | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    cols = [*engine_columns(), PERIODS]
    settled = settled.with_columns(pl.lit(False).alias(PERIODS) if periods_given is None else
                                   pl.lit(periods_given.fill_null(False)).alias(PERIODS))
    mask_cols = masks.mask_columns()
    no_scores = question_scores(pl.DataFrame(), SIG)
    if not mask_cols:
        return found.select(mask_cols), no_scores
    any_bit = pl.any_horizontal([pl.col(c) != 0 for c in mask_cols])
    todo = found.select(any_bit & pl.lit(tried)).to_series()
    if not todo.any():
        return found.select(mask_cols), no_scores
    base = settled.select(*cols, _signature()).with_columns(found.select(mask_cols)).with_row_index("_base").filter(todo)
    bits = _bits(masks)
    # Level 1: every fact to ask, at each of its values.
    first = []
    for fact, col, bit in bits:
        rows = base.filter((pl.col(col) & bit) != 0)
        if rows.height:
            t = trials(rows.select(*cols, "_base").rename({"_base": "_key"}), fact)
            first.append(t.with_columns(pl.lit(fact).alias("_fact"), pl.col("_key").alias("_base")))
    tried1 = (pl.concat(first, how="vertical").drop("_key").with_row_index("_t")
              .join(base.select("_base", pl.col(SIG).alias("_ref")), on="_base", how="left"))
    out1, changed = _judge(tried1, ["_base", "_fact"], masks)
    scores = question_scores(out1, SIG, base, bits)
    # Level 2: a trial that changes nothing but opens a question, at that question's values (only for facts
    # no trial of which changed the result already, with few answers, opening few trial values: the others
    # are kept for opening a question, engine/relevance.follow_ups_tried).
    out1 = (out1.join(changed, on=["_base", "_fact"], how="anti")
            .join(base.select("_base", *[pl.col(c).alias("_b" + c) for c in mask_cols]), on="_base", how="left"))
    opened = [((pl.col(col) & bit) != 0) & ((pl.col("_b" + col) & bit) == 0) for fact, col, bit in bits]
    cost = pl.sum_horizontal([pl.when(o).then(pl.lit(len(trial_specs(fact)))).otherwise(pl.lit(0))
                              for o, (fact, _, _) in zip(opened, bits)])
    few = pl.col("_fact").is_in([f for f, _, _ in bits if fact_specs()[f].type in FEW_ANSWERS])
    out1 = out1.with_columns(pl.any_horizontal(opened).alias("_opens"), cost.alias("_cost"), few.alias("_few"))
    kept = out1.filter(pl.col("_opens") & (~pl.col("_few") | (pl.col("_cost") > LEVEL2_BUDGET)))
    changed = pl.concat([changed, kept.select("_base", "_fact")]).unique()
    out1 = out1.filter(pl.col("_opens") & pl.col("_few") & (pl.col("_cost") <= LEVEL2_BUDGET)).join(
        kept.select("_base", "_fact").unique(), on=["_base", "_fact"], how="anti")
    second = []
    for fact, col, bit in bits:
        rows = out1.filter(((pl.col(col) & bit) != 0) & ((pl.col("_b" + col) & bit) == 0))
        if rows.height:
            keyed = tried1.join(rows.select("_t", pl.col(SIG).alias("_was")), on="_t", how="inner")
            t = trials(keyed.select(*cols, "_t", "_was").with_columns(pl.col("_t").alias("_key")), fact)
            second.append(t.drop("_key").rename({"_t": "_trial", "_was": "_ref"}))
    if second:
        tried2 = pl.concat(second, how="vertical").with_row_index("_t")
        out2 = _follow_ups(tried2)
        hit = out2.filter(pl.col(SIG) != pl.col("_ref")).select("_trial").unique()
        found_pairs = tried1.join(hit.rename({"_trial": "_t"}), on="_t", how="semi").select("_base", "_fact")
        changed = pl.concat([changed, found_pairs]).unique()
    return _apply(found, masks, changed.unique(), base, settled), scores


def _apply(found: pl.DataFrame, masks: MissingFacts, changed: pl.DataFrame, base: pl.DataFrame,
           settled: pl.DataFrame) -> pl.DataFrame:
    """The new masks: a tried row keeps its facts that changed something; all when none did (none when the
    status is contested)."""
    out = found.select(masks.mask_columns()).with_row_index("_base")
    keep = []
    for col, group in zip(masks.mask_columns(), masks.groups):
        code = {f: 1 << i for i, f in enumerate(group)}
        part = changed.filter(pl.col("_fact").is_in(group)).with_columns(
            pl.col("_fact").replace_strict(code, return_dtype=pl.UInt64).alias("_bit"))
        keep.append(part.group_by("_base").agg(pl.col("_bit").sum().alias("_k" + col)))
    joined = out
    for k in keep:
        joined = joined.join(k, on="_base", how="left", maintain_order="left")  # the masks are read by position
    contested = settled.select(pl.col(rule_column("citizenship_contested")).is_not_null().alias("_contested")).to_series()
    joined = joined.with_columns(contested, pl.col("_base").is_in(base["_base"].implode()).alias("_tried"))
    kcols = ["_k" + c for c in masks.mask_columns()]
    joined = joined.with_columns([pl.col(k).fill_null(0) for k in kcols])
    none = pl.all_horizontal([pl.col(k) == 0 for k in kcols])
    return joined.select([
        pl.when(~pl.col("_tried")).then(pl.col(c))
        .when(none & pl.col("_contested")).then(pl.lit(0, pl.UInt64))
        .when(none).then(pl.col(c))
        .otherwise(pl.col(c) & pl.col(k)).alias(c)
        for c, k in zip(masks.mask_columns(), kcols)])


def scalar_missing(rows: pl.DataFrame, periods: pl.DataFrame | None = None) -> list[str]:
    """The facts to ask of rows with an approximate date, each as one case gives them (rows: the typed
    facts, with the approximate dates as given; `periods`: the rows' presence-period columns as given, which
    the typed facts hold only as years, and which an approximate birth date's search must know of)."""
    from safeguard.api import _missing, decide
    from safeguard.batch.trials import row_facts
    from safeguard.facts.columns import APPROX_PREFIX
    from safeguard.facts.parse import Case, _check_approx, approx_date, coerce

    specs = fact_specs()
    out = []
    approx_cols = [c for c in rows.columns if c.startswith(APPROX_PREFIX)]
    given_periods = periods.iter_rows(named=True) if periods is not None and periods.width else None
    for row in rows.iter_rows(named=True):
        given = {c[len(APPROX_PREFIX):]: approx_date(row[c]) for c in approx_cols if row[c] is not None}
        facts = row_facts(row)
        for name, value in (next(given_periods) if given_periods is not None else {}).items():
            if value is not None:
                facts[name] = coerce(specs[name], value, text=True)
        approx, _ = _check_approx(given, facts, row["as_of"])
        case = Case(None, row["as_of"], facts, approx)
        ev, _, searches = decide(case, trace=False)
        out.append(";".join(_missing(case, ev, searches)))
    return out
