"""Write a synthetic manifest to a file, for the command line and for benchmarks.

``write_manifest("out/manifest.parquet", 1_000_000, seed=1)`` streams the rows chunk by chunk
(so even 10M rows need little memory), in the format given by the file's extension:
``.parquet`` (one row group per chunk), ``.csv`` (header once; empty cell = unknown) or
``.jsonl`` (one JSON object per line; null = unknown). Lists of countries are ";"-joined text
in every format, as in the frame. The file is written under a temporary name in the same
folder and renamed at the end, so a reader never sees a half-written manifest.
"""

from __future__ import annotations

from pathlib import Path

from safeguard.batch.io import ManifestWriter

from .generate import iter_chunks

FORMATS = (".parquet", ".csv", ".jsonl")


def write_manifest(path: str | Path, n: int, seed: int, chunk_size: int = 250_000, **kwargs) -> Path:
    """Write ``generate(n, seed, **kwargs)`` to ``path``; return the path.

    ``kwargs`` are passed to ``iter_chunks`` (calibration, bad_row_share, destination,
    arrangement, as_of, labels). Raises ``ValueError`` for an unknown extension.
    """
    path = Path(path)
    if path.suffix.lower() not in FORMATS:
        raise ValueError(f"cannot tell the format of {path.name!r}: use one of {', '.join(FORMATS)}")
    with ManifestWriter(path) as writer:  # one row group per chunk; renamed into place when complete
        for chunk in iter_chunks(n, seed, chunk_size=chunk_size, **kwargs):
            writer.write(chunk)
    return path
