"""The output schema of a Spark screening, declared once on the driver before any task runs.

Derived, not hand-written: the engine screens an empty frame of the input's schema, which yields the
input's columns (renamed as the batch renames them, e.g. a manifest's own `error` becomes
`error_input`) followed by the contract's result columns, with their types. The input columns keep
their Spark types; the result columns get the Spark types of their Arrow types. The Arrow schema the
tasks must produce is then Spark's own Arrow form of that Spark schema (string, not large_string or
string_view, unless the session asks for large variable-width types).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl
import pyarrow as pa
from pyspark.sql.pandas.types import from_arrow_type, to_arrow_schema
from pyspark.sql.types import StructField, StructType

from safeguard.api import screen_batch


@dataclass(frozen=True)
class OutputSchema:
    spark: StructType  # declared to mapInArrow
    arrow: pa.Schema   # what every task's record batches are cast to


def _sparkable(t: pa.DataType) -> pa.DataType:
    """An Arrow type in a form pyspark converts (the view and large forms polars writes, as plain ones)."""
    if t in (pa.large_string(), pa.string_view()):
        return pa.string()
    if t in (pa.large_binary(), pa.binary_view()):
        return pa.binary()
    if pa.types.is_large_list(t) or pa.types.is_list_view(t) or pa.types.is_large_list_view(t):
        return pa.list_(_sparkable(t.value_type))
    if pa.types.is_list(t):
        return pa.list_(_sparkable(t.value_type))
    if pa.types.is_struct(t):
        return pa.struct([pa.field(f.name, _sparkable(f.type), f.nullable) for f in t])
    return t


def output_schema(input_schema: StructType, as_of: date, *, timezone: str, large_types: bool) -> OutputSchema:
    """The screened DataFrame's schema for an input of `input_schema`."""
    arrow_in = to_arrow_schema(input_schema, timezone=timezone, prefers_large_types=large_types)
    empty = pl.from_arrow(arrow_in.empty_table())
    screened = screen_batch(empty, as_of=as_of).to_arrow().schema
    n_in = len(input_schema.fields)
    if len(screened.names) <= n_in:
        raise ValueError("internal: the screening added no result columns")
    kept = [StructField(name, f.dataType, f.nullable, f.metadata)
            for name, f in zip(screened.names[:n_in], input_schema.fields)]
    results = [StructField(f.name, from_arrow_type(_sparkable(f.type)), True) for f in list(screened)[n_in:]]
    spark = StructType(kept + results)
    return OutputSchema(spark, to_arrow_schema(spark, timezone=timezone, prefers_large_types=large_types))
