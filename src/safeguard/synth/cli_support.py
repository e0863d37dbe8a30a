"""Write a synthetic manifest to a file, for the command line and for benchmarks.

``write_manifest("out/manifest.parquet", 1_000_000, seed=1)`` streams the rows chunk by chunk
(so even 10M rows need little memory), in the format given by the file's extension:
``.parquet`` (one row group per chunk), ``.csv`` (header once; empty cell = unknown) or
``.jsonl`` (one JSON object per line; null = unknown). Lists of countries are ";"-joined text
in every format, as in the frame. The file is written under a temporary name in the same
folder and renamed at the end, so a reader never sees a half-written manifest.
"""

from __future__ import annotations

import os
from pathlib import Path

import pyarrow.parquet as pq

from .generate import iter_chunks

FORMATS = (".parquet", ".csv", ".jsonl")


def write_manifest(path: str | Path, n: int, seed: int, chunk_size: int = 250_000, **kwargs) -> Path:
    """Write ``generate(n, seed, **kwargs)`` to ``path``; return the path.

    ``kwargs`` are passed to ``iter_chunks`` (calibration, bad_row_share, destination,
    arrangement, as_of, labels). Raises ``ValueError`` for an unknown extension.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"cannot tell the format of {path.name!r}: use one of {', '.join(FORMATS)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        chunks = iter_chunks(n, seed, chunk_size=chunk_size, **kwargs)
        if suffix == ".parquet":
            _write_parquet(temp, chunks)
        else:
            with open(temp, "wb") as out:
                for number, chunk in enumerate(chunks):
                    if suffix == ".csv":
                        chunk.write_csv(out, include_header=number == 0)
                    else:
                        chunk.write_ndjson(out)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return path


def _write_parquet(temp: Path, chunks) -> None:
    """Stream the chunks into one Parquet file, one row group per chunk."""
    writer = None
    try:
        for chunk in chunks:
            table = chunk.to_arrow()
            if writer is None:
                writer = pq.ParquetWriter(temp, table.schema, compression="zstd")
            writer.write_table(table.cast(writer.schema))
    finally:
        if writer is not None:
            writer.close()
