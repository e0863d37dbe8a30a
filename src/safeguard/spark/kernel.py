"""The function Spark runs on every partition: Arrow record batches in, screened record batches out.

It is pure. It reads no file, no clock and no configuration: the date the law is taken at (`as_of`) and
the Arrow schema of the output are fixed on the driver and travel with it. A task that Spark retries, or
runs twice speculatively, therefore gives the same rows. It needs no Spark: pyarrow, polars and the
engine (through `safeguard.api.screen_batch`, the same call the single-machine batch makes).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

import polars as pl
import pyarrow as pa

from safeguard.api import screen_batch

CHUNK_ROWS = 100_000  # rows screened at once in a task (Spark sends 10,000-row batches; the engine's
#                       fixed cost per call is amortised over larger chunks; memory ~0.2 GB per 100k rows)


@dataclass(frozen=True)
class ScreeningKernel:
    """Callable for `DataFrame.mapInArrow`. Picklable by reference to this module (the executors need
    safeguard installed, as they need any library a job imports)."""

    as_of: date
    output: pa.Schema
    chunk_rows: int = CHUNK_ROWS

    def __call__(self, batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        pending: list[pa.RecordBatch] = []
        size = 0
        for batch in batches:
            if batch.num_rows == 0:
                continue
            pending.append(batch)
            size += batch.num_rows
            if size >= self.chunk_rows:
                yield from self.screen(pending)
                pending, size = [], 0
        if pending:
            yield from self.screen(pending)

    def screen(self, batches: list[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        """Screen some record batches together: the input rows in order, with the result columns."""
        frame = pl.from_arrow(pa.Table.from_batches(batches))
        screened = screen_batch(frame, as_of=self.as_of)
        yield from conform(screened, self.output).to_batches()


def conform(frame: pl.DataFrame, schema: pa.Schema) -> pa.Table:
    """The screened frame as an Arrow table of exactly `schema` (the types Spark was told to expect:
    polars' large_string and string_view become string, large_list becomes list, and so on)."""
    table = frame.to_arrow()
    if table.column_names != schema.names:
        raise ValueError(f"internal: screened columns {table.column_names} differ from the declared {schema.names}")
    return table.cast(schema)
