"""Reading and writing manifests by extension (.csv, .parquet, .jsonl).

Whole files (`read_manifest`, `write_manifest`) for the Python API, and chunk by chunk
(`iter_manifest`, `ManifestWriter`) for `safeguard batch`, so a manifest larger than memory streams
through. Output is written to a temporary file beside the target and renamed only when complete.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

FORMATS = (".csv", ".parquet", ".jsonl")


class ManifestError(ValueError):
    pass


def _format(path: Path) -> str:
    ext = path.suffix.lower()
    if ext not in FORMATS:
        raise ManifestError(f"{path}: file type {ext or '(none)'!r} not supported; expected one of {', '.join(FORMATS)}")
    return ext


def read_manifest(path: Path) -> pl.DataFrame:
    """Read a whole manifest. CSV cells are read as text (the validator types them), so nothing is guessed."""
    ext = _format(path)
    if not path.exists():
        raise ManifestError(f"{path}: no such file")
    try:
        if ext == ".csv":
            return pl.read_csv(path, infer_schema=False)
        if ext == ".parquet":
            return pl.read_parquet(path)
        return pl.read_ndjson(path, infer_schema_length=None)
    except (pl.exceptions.PolarsError, OSError) as e:
        raise ManifestError(f"{path}: cannot be read as {ext[1:]}: {e}") from None


def write_manifest(frame: pl.DataFrame, path: Path) -> None:
    """Write a whole frame atomically (see `ManifestWriter`)."""
    with ManifestWriter(path) as writer:
        writer.write(frame)


# ---- chunk by chunk -------------------------------------------------------------------------------

def count_rows(path: Path) -> int | None:
    """Rows in a manifest, cheaply: exact for Parquet (its footer), line count for CSV (less the
    header) and JSONL; None when the file cannot be read (the reader then reports why)."""
    ext = _format(path)
    try:
        if ext == ".parquet":
            return pq.ParquetFile(path).metadata.num_rows
        lines, last = 0, b"\n"
        with path.open("rb") as fh:
            while block := fh.read(1 << 24):
                lines += block.count(b"\n")
                last = block[-1:]
        lines += last != b"\n"
        return max(lines - 1, 0) if ext == ".csv" else lines
    except OSError:
        return None


def iter_manifest(path: Path, rows: int = 250_000) -> Iterator[pl.DataFrame]:
    """The manifest in chunks of about `rows` rows, in order, every chunk with the same columns and
    types; at least one (possibly empty) chunk, so an empty manifest still has its columns."""
    ext = _format(path)
    if not path.exists():
        raise ManifestError(f"{path}: no such file")
    reader = {".parquet": _parquet_chunks, ".csv": _csv_chunks, ".jsonl": _jsonl_chunks}[ext]
    try:
        yield from reader(path, rows)
    except (pl.exceptions.PolarsError, pa.ArrowException, OSError, UnicodeDecodeError) as e:
        raise ManifestError(f"{path}: cannot be read as {ext[1:]}: {e}") from None


def _parquet_chunks(path: Path, rows: int) -> Iterator[pl.DataFrame]:
    source = pq.ParquetFile(path)
    empty = True
    for batch in source.iter_batches(batch_size=rows):
        empty = False
        yield pl.from_arrow(batch)
    if empty:
        yield pl.from_arrow(source.schema_arrow.empty_table())


def _csv_chunks(path: Path, rows: int) -> Iterator[pl.DataFrame]:
    """Every cell as text, an empty cell as "" (the validator reads both empty and blank as unknown)."""
    with path.open(newline="", encoding="utf-8-sig") as fh:
        header = next(csv.reader(fh), None)
    if not header:
        raise ManifestError(f"{path}: no header row (the first line must name the columns)")
    if len(set(header)) != len(header):
        twice = sorted({h for h in header if header.count(h) > 1})
        raise ManifestError(f"{path}: column names appear twice: {', '.join(twice)}")
    reader = pa_csv.open_csv(
        path, read_options=pa_csv.ReadOptions(block_size=1 << 22, encoding="utf8"),
        convert_options=pa_csv.ConvertOptions(column_types={h: pa.string() for h in header},
                                              strings_can_be_null=False))
    yield from _rechunk((pl.from_arrow(b) for b in reader), rows, empty=pl.DataFrame(schema=dict.fromkeys(header, pl.Utf8)))


def _jsonl_chunks(path: Path, rows: int) -> Iterator[pl.DataFrame]:
    """Each chunk of lines parsed on its own; so that chunks agree, every value is taken as text
    (true -> "true", 3 -> "3") and lists as lists of text, which the validator reads like CSV cells."""
    sent = False
    with path.open("rb") as fh:
        while lines := [line for _, line in zip(range(rows), fh)]:
            sent = True
            yield _as_text(pl.read_ndjson(io.BytesIO(b"".join(lines)), infer_schema_length=None))
    if not sent:
        yield pl.DataFrame()


def _as_text(frame: pl.DataFrame) -> pl.DataFrame:
    def text(dtype: pl.DataType) -> pl.DataType:
        return pl.List(text(dtype.inner)) if isinstance(dtype, pl.List) else pl.Utf8

    out = frame.with_columns(pl.col(n).cast(text(t)) for n, t in frame.schema.items()
                             if not isinstance(t, pl.Struct))
    return out.with_columns(pl.col(n).struct.json_encode() for n, t in frame.schema.items()
                            if isinstance(t, pl.Struct))


def _rechunk(batches: Iterator[pl.DataFrame], rows: int, empty: pl.DataFrame) -> Iterator[pl.DataFrame]:
    """Gather small record batches into chunks of `rows` rows."""
    pending: list[pl.DataFrame] = []
    size, sent = 0, False
    for batch in batches:
        pending.append(batch)
        size += batch.height
        while size >= rows:
            whole = pl.concat(pending, how="vertical")
            yield whole.slice(0, rows)
            sent = True
            rest = whole.slice(rows)
            pending, size = ([rest] if rest.height else []), rest.height
    if pending:
        yield pl.concat(pending, how="vertical")
    elif not sent:
        yield empty


class ManifestWriter:
    """Writes a manifest chunk by chunk to a hidden temporary file beside the target
    (`.NAME.XXXX.partial`) and renames it to the target only on `commit` (or a clean `with` exit).
    On any error or interruption the temporary file is deleted: no partial output under the real name."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.ext = _format(self.path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".partial", dir=self.path.parent)
        os.close(fd)
        self.tmp = Path(tmp)
        self.rows = 0
        self._parquet: pq.ParquetWriter | None = None
        self._fh = None if self.ext == ".parquet" else self.tmp.open("wb")

    def write(self, frame: pl.DataFrame) -> None:
        if self.ext == ".parquet":
            table = frame.to_arrow()
            if self._parquet is None:
                self._parquet = pq.ParquetWriter(self.tmp, table.schema, compression="zstd")
            self._parquet.write_table(table.cast(self._parquet.schema))
        elif self.ext == ".csv":
            _csv_ready(frame).write_csv(self._fh, include_header=self.rows == 0 and not self._fh.tell())
        else:
            frame.write_ndjson(self._fh)
        self.rows += frame.height

    def commit(self) -> None:
        self._close()
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(self.tmp, 0o666 & ~umask)  # a temporary file is private; the output is an ordinary file
        os.replace(self.tmp, self.path)

    def abort(self) -> None:
        self._close()
        self.tmp.unlink(missing_ok=True)

    def _close(self) -> None:
        if self._parquet is not None:
            self._parquet.close()
            self._parquet = None
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    def __enter__(self) -> ManifestWriter:
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is None:
            self.commit()
        else:
            self.abort()


def _csv_ready(frame: pl.DataFrame) -> pl.DataFrame:
    """Lists as ';'-joined text (the CSV convention); nested lists (presence periods) as JSON text."""
    out = []
    for name, dtype in frame.schema.items():
        if isinstance(dtype, pl.List) and isinstance(dtype.inner, pl.List | pl.Struct):
            out.append(pl.Series(name, [None if v is None else json.dumps(v, default=str)
                                        for v in frame[name].to_list()], dtype=pl.Utf8))
        elif isinstance(dtype, pl.List):
            out.append(pl.col(name).cast(pl.List(pl.Utf8)).list.join(";"))
    return frame.with_columns(out) if out else frame
