"""The order a batch row's questions are asked in: most telling first (engine/ask.rank_questions for one case).

The relevance trials (batch/relevance.py) already answer each fact to ask at each of its trial values; a
fact's score is the bits of the distribution of the row's results over those answers (how much its answer
tells apart), then how many results an answer settles on average, then the vocabulary's order. So the first
facts of a row's `missing_facts` are the questions to ask first (the report's top three)."""

from __future__ import annotations

import polars as pl

from safeguard.facts.schema import fact_specs

SCORE_KEYS = ["_bits", "_settles"]


def question_scores(answers: pl.DataFrame, sig: str) -> pl.DataFrame:
    """Per (`_base` row, `_fact`): `_bits` and `_settles` of the trials' result signatures `sig`."""
    if not answers.height:
        return pl.DataFrame(schema={"_base": pl.UInt32, "_fact": pl.Utf8, "_bits": pl.Float64, "_settles": pl.Float64})
    known = pl.col(sig).str.split("|").list.eval(pl.element() != "?").list.sum()
    per = answers.select("_base", "_fact", sig, known.alias("_known"))
    counts = per.group_by("_base", "_fact", sig).agg(pl.len().alias("_k"), pl.col("_known").first())
    p = pl.col("_k") / pl.col("_k").sum().over("_base", "_fact")
    return (counts.with_columns(p.alias("_p"))
            .group_by("_base", "_fact")
            .agg((-(pl.col("_p") * pl.col("_p").log(2))).sum().round(6).alias("_bits"),
                 (pl.col("_p") * pl.col("_known")).sum().alias("_settles")))


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
    joined = (long.sort(["_base", "_bits", "_settles", "_o"], descending=[False, True, True, False])
              .group_by("_base", maintain_order=True).agg(pl.col("_fact").str.join(";").alias("_ranked")))
    out = rows.join(joined, on="_base", how="left", maintain_order="left")
    return out.select(pl.coalesce("_ranked", "missing_facts").alias("missing_facts"))["missing_facts"]
