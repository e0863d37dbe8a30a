"""The order a batch row's questions are asked in: most telling first (engine/ask.rank_questions for one case).

The relevance trials (batch/relevance.py) already answer each fact to ask at each of its trial values; a
fact's score is the bits of the distribution of the row's results over those answers (how much its answer
tells apart), then how many results an answer settles on average, then, among facts no answer of which tells
the results apart (facts needed together), how much an answer changes the rest of the facts to ask, then the
vocabulary's order. So the first facts of a row's `missing_facts` are the questions to ask first (the
report's top three)."""

from __future__ import annotations

import polars as pl

from safeguard.facts.schema import fact_specs

SCORE_KEYS = ["_bits", "_settles", "_moves"]
SCHEMA = {"_base": pl.UInt32, "_fact": pl.Utf8, "_bits": pl.Float64, "_settles": pl.Float64, "_moves": pl.Float64}


def question_scores(answers: pl.DataFrame, sig: str, base: pl.DataFrame | None = None,
                    bits: list[tuple[str, str, int]] = ()) -> pl.DataFrame:
    """Per (`_base` row, `_fact`): `_bits` and `_settles` of the trials' result signatures `sig`, and `_moves`
    (for facts of no bits): how many facts to ask an answer adds or removes on average, the fact itself
    aside (the trials' mask columns against the row's in `base`; `bits`: (fact, mask column, bit))."""
    if not answers.height:
        return pl.DataFrame(schema=SCHEMA)
    known = pl.col(sig).str.split("|").list.eval(pl.element() != "?").list.sum()
    cols = sorted({c for _, c, _ in bits})
    per = answers.select("_base", "_fact", sig, known.alias("_known"), _moved(answers, base, bits, cols))
    counts = per.group_by("_base", "_fact", sig).agg(pl.len().alias("_k"), pl.col("_known").first(),
                                                     pl.col("_moved").sum())
    p = pl.col("_k") / pl.col("_k").sum().over("_base", "_fact")
    scores = (counts.with_columns(p.alias("_p"))
              .group_by("_base", "_fact")
              .agg((-(pl.col("_p") * pl.col("_p").log(2))).sum().round(6).alias("_bits"),
                   (pl.col("_p") * pl.col("_known")).sum().round(6).alias("_settles"),
                   (pl.col("_moved").sum() / pl.col("_k").sum()).alias("_moves")))
    return scores.with_columns(pl.when(pl.col("_bits") == 0).then(pl.col("_moves").round(6)).alias("_moves"))


def _moved(answers: pl.DataFrame, base: pl.DataFrame | None, bits: list[tuple[str, str, int]],
           cols: list[str]) -> pl.Series:
    """For each trial: how many facts to ask differ from the row's, the tried fact aside."""
    if base is None or not cols:
        return pl.Series("_moved", [0] * answers.height, dtype=pl.UInt32)
    clear = {c: {f: b for f, col, b in bits if col == c} for c in cols}
    rows = answers.select("_base", "_fact", *cols).join(
        base.select("_base", *[pl.col(c).alias("_b" + c) for c in cols]), on="_base", how="left",
        maintain_order="left")
    own = [pl.col("_fact").replace_strict(clear[c], default=0, return_dtype=pl.UInt64) for c in cols]
    differ = [(pl.col(c) ^ (pl.col("_b" + c) - (pl.col("_b" + c) & o))).bitwise_count_ones()
              for c, o in zip(cols, own)]
    return rows.select(pl.sum_horizontal(differ).cast(pl.UInt32).alias("_moved"))["_moved"]


def ranked_names(names: pl.Series, scores: pl.DataFrame) -> pl.Series:
    """`missing_facts` with each row's facts ordered by their scores (unscored facts last, in vocabulary order)."""
    if not scores.height:
        return names
    order = {f: i for i, f in enumerate(fact_specs())}
    rows = pl.DataFrame({"missing_facts": names}).with_row_index("_base")
    long = (rows.select("_base", pl.col("missing_facts").str.split(";").alias("_fact")).explode("_fact", empty_as_null=True)
            .filter(pl.col("_fact").is_not_null() & (pl.col("_fact") != ""))
            .join(scores, on=["_base", "_fact"], how="left")
            .with_columns(pl.col("_fact").replace_strict(order, default=len(order), return_dtype=pl.Int32).alias("_o"),
                          *(pl.col(k).fill_null(-1.0) for k in SCORE_KEYS)))
    joined = (long.sort(["_base", "_bits", "_settles", "_moves", "_o"], descending=[False, True, True, True, False])
              .group_by("_base", maintain_order=True).agg(pl.col("_fact").str.join(";").alias("_ranked")))
    out = rows.join(joined, on="_base", how="left", maintain_order="left")
    return out.select(pl.coalesce("_ranked", "missing_facts").alias("missing_facts"))["missing_facts"]
