"""Reading and writing manifests by extension (.csv, .parquet, .jsonl), writing atomically:
the output goes to a temporary file beside the target and is renamed only when complete."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import polars as pl

FORMATS = (".csv", ".parquet", ".jsonl")


class ManifestError(ValueError):
    pass


def _format(path: Path) -> str:
    ext = path.suffix.lower()
    if ext not in FORMATS:
        raise ManifestError(f"{path}: file type {ext or '(none)'!r} not supported; expected one of {', '.join(FORMATS)}")
    return ext


def read_manifest(path: Path) -> pl.DataFrame:
    """Read a manifest. CSV cells are read as text (the validator types them), so nothing is guessed."""
    ext = _format(path)
    if not path.exists():
        raise ManifestError(f"{path}: no such file")
    try:
        if ext == ".csv":
            return pl.read_csv(path, infer_schema=False, missing_utf8_is_empty_string=True)
        if ext == ".parquet":
            return pl.read_parquet(path)
        return pl.read_ndjson(path, infer_schema_length=None)
    except (pl.exceptions.PolarsError, OSError) as e:
        raise ManifestError(f"{path}: cannot be read as {ext[1:]}: {e}") from None


def write_manifest(frame: pl.DataFrame, path: Path) -> None:
    """Write to a temporary file in the same folder, then rename: a killed run leaves no partial output."""
    ext = _format(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    os.close(fd)
    try:
        out = frame
        if ext == ".csv":
            out = frame.with_columns(
                [pl.col(c).list.join(";") for c, t in frame.schema.items() if isinstance(t, pl.List)])
            out.write_csv(tmp)
        elif ext == ".parquet":
            out.write_parquet(tmp)
        else:
            out.write_ndjson(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
