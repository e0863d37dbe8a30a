"""`screen(df, as_of=...)`: a PySpark DataFrame screened by the same engine as `safeguard batch`."""

from __future__ import annotations

from datetime import date

from pyspark.sql import DataFrame

from safeguard.spark.kernel import CHUNK_ROWS, ScreeningKernel
from safeguard.spark.schema import output_schema


def screen(df: DataFrame, *, as_of: date | str, chunk_rows: int = CHUNK_ROWS) -> DataFrame:
    """Every row of `df`, with every column kept, plus the contract's result columns (citizenship_status,
    citizenship_basis, citizenship_since, transfer_outcome, reason_codes, missing_facts, error); a row
    that cannot be read keeps its place with `error` set. Lazy, like any Spark transformation.

    `as_of` (the date the law is taken at for rows that give none) is required: the tasks never read the
    clock, so a retried or speculative task gives the same answer as the first.
    """
    day = date.fromisoformat(as_of) if isinstance(as_of, str) else as_of
    if not isinstance(day, date):
        raise TypeError(f"as_of = {as_of!r}: expected a date or a YYYY-MM-DD string")
    if chunk_rows < 1:
        raise ValueError(f"chunk_rows = {chunk_rows}: expected a positive number of rows")
    conf = df.sparkSession.conf
    schema = output_schema(
        df.schema, day,
        timezone=conf.get("spark.sql.session.timeZone", "UTC"),
        large_types=conf.get("spark.sql.execution.arrow.useLargeVarTypes", "false").lower() == "true",
    )
    return df.mapInArrow(ScreeningKernel(day, schema.arrow, chunk_rows), schema.spark)
