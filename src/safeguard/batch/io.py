"""Reading and writing manifests by extension (.csv, .parquet, .jsonl); the readers are in `readers.py`.

Whole files (`read_manifest`, `write_manifest`) for the Python API, and chunk by chunk
(`iter_manifest`, `ManifestWriter`) for `safeguard batch`, so a manifest larger than memory streams
through. Output is written to a temporary file beside the target and renamed only when complete.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from safeguard.batch.paths import OutputLock, OutputPathError
from safeguard.batch.readers import CHUNK_BYTES, ReadError, csv_chunks, jsonl_chunks, parquet_chunks
from safeguard.facts.columns import READ_ERROR
from safeguard.render.cells import spreadsheet_safe, spreadsheet_safe_expr

FORMATS = (".csv", ".parquet", ".jsonl")


class ManifestError(ValueError):
    pass


def _format(path: Path) -> str:
    ext = path.suffix.lower()
    if ext not in FORMATS:
        raise ManifestError(f"{path}: file type {ext or '(none)'!r} not supported; expected one of {', '.join(FORMATS)}")
    return ext


def _readable(path: Path) -> None:
    if not path.exists():
        raise ManifestError(f"{path}: no such file")
    if not path.is_file():
        raise ManifestError(f"{path}: not a file (a {'folder' if path.is_dir() else 'special file'}); "
                            "expected a manifest file")


def read_manifest(path: Path, *, encoding: str | None = None) -> pl.DataFrame:
    """Read a whole manifest, every row kept (see `iter_manifest`)."""
    chunks = list(iter_manifest(path, rows=1 << 40, encoding=encoding, chunk_bytes=1 << 62))
    frame = pl.concat(chunks, how="vertical") if len(chunks) > 1 else chunks[0]
    if _format(path) == ".csv":  # an empty cell reads as null here (as Polars reads a CSV); blank is unknown anyway
        frame = frame.with_columns(pl.col(pl.Utf8).replace("", None))
    if READ_ERROR in frame.columns and frame[READ_ERROR].null_count() == frame.height:
        frame = frame.drop(READ_ERROR)
    return frame


def write_manifest(frame: pl.DataFrame, path: Path) -> None:
    """Write a whole frame atomically (see `ManifestWriter`)."""
    with ManifestWriter(path) as writer:
        writer.write(frame)


# ---- chunk by chunk -------------------------------------------------------------------------------

def count_rows(path: Path) -> int | None:
    """Rows in a manifest, cheaply: exact for Parquet (its footer), line count for CSV (less the
    header) and JSONL; None when the file cannot be read (the reader then reports why)."""
    try:
        ext = _format(path)
        if ext == ".parquet":
            return pq.ParquetFile(path).metadata.num_rows
        lines, last = 0, b"\n"
        with path.open("rb") as fh:
            while block := fh.read(1 << 24):
                lines += block.count(b"\n")
                last = block[-1:]
        lines += last != b"\n"
        return max(lines - 1, 0) if ext == ".csv" else lines
    except (OSError, ValueError, pa.ArrowException):
        return None


def iter_manifest(path: Path, rows: int = 250_000, *, encoding: str | None = None,
                  chunk_bytes: int = CHUNK_BYTES) -> Iterator[pl.DataFrame]:
    """The manifest in chunks of at most `rows` rows and about `chunk_bytes` bytes, in order, every
    chunk with the same columns; at least one (possibly empty) chunk, so an empty manifest still has
    its columns. A row that cannot be read keeps its place, with the reason in `READ_ERROR`; a file
    that cannot be read at all is a ManifestError naming the path and the reason."""
    ext = _format(path)
    _readable(path)
    try:
        if ext == ".csv":
            yield from csv_chunks(path, rows, chunk_bytes, encoding)
        elif ext == ".jsonl":
            yield from jsonl_chunks(path, rows, chunk_bytes)
        else:
            yield from parquet_chunks(path, rows, chunk_bytes)
    except ReadError as e:
        raise ManifestError(str(e)) from None
    except (pl.exceptions.PolarsError, pa.ArrowException, OSError, UnicodeDecodeError, csv.Error) as e:
        raise ManifestError(f"{path}: cannot be read as {ext[1:]}: {_reason(e)}") from None


def _reason(error: Exception) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return text[:300]


class ManifestWriter:
    """Writes a manifest chunk by chunk to a hidden temporary file beside the target
    (`.NAME.XXXXXXXX.partial`) and renames it to the target only on `commit` (or a clean `with` exit).
    On any error or interruption the temporary file is deleted: no partial output under the real name.

    While it writes it holds the output's lock (`.NAME.lock`, with its pid): a second run writing the
    same output is refused, and the partial files that no live run owns (left by a run that was
    killed) are removed; `stale_removed` lists them, for the command to say so. The columns are fixed
    by the first chunk: every row of the file has the same fields. A CSV is written spreadsheet-safe
    (a text cell starting like a formula gets a leading quote); Parquet and JSONL keep every value."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.ext = _format(self.path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.lock = OutputLock(self.path)
        except OutputPathError as e:
            raise ManifestError(str(e)) from None
        self.stale_removed = self.lock.remove_stale()
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".partial", dir=self.path.parent)
        except BaseException:
            self.lock.release()
            raise
        os.close(fd)
        self.tmp = Path(tmp)
        self.rows = 0
        self.columns: list[str] | None = None
        self._parquet: pq.ParquetWriter | None = None
        self._fh = None if self.ext == ".parquet" else self.tmp.open("wb")

    def write(self, frame: pl.DataFrame) -> None:
        frame = self._same_columns(frame)
        if self.ext == ".parquet":
            table = frame.to_arrow()
            if self._parquet is None:
                self._parquet = pq.ParquetWriter(self.tmp, table.schema, compression="lz4")
            self._parquet.write_table(table.cast(self._parquet.schema))
        elif self.ext == ".csv":
            _csv_ready(frame).write_csv(self._fh, include_header=self.rows == 0 and not self._fh.tell())
        else:
            frame.write_ndjson(self._fh)
        self.rows += frame.height

    def _same_columns(self, frame: pl.DataFrame) -> pl.DataFrame:
        if self.columns is None:
            self.columns = frame.columns
            return frame
        if frame.columns == self.columns:
            return frame
        extra = [c for c in frame.columns if c not in self.columns]
        if extra:
            raise ManifestError(f"internal: a later chunk has columns the first did not ({', '.join(extra[:5])})")
        return frame.select(pl.col(c) if c in frame.columns else pl.lit(None).alias(c) for c in self.columns)

    def commit(self) -> None:
        try:
            self._close()
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(self.tmp, 0o666 & ~umask)  # a temporary file is private; the output is an ordinary file
            os.replace(self.tmp, self.path)
        finally:
            self.tmp.unlink(missing_ok=True)
            self.lock.release()

    def abort(self) -> None:
        try:
            self._close()
        finally:
            self.tmp.unlink(missing_ok=True)
            self.lock.release()

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
    """Lists as ';'-joined text (the CSV convention); nested lists (presence periods) as JSON text;
    then every text cell, and every column name, spreadsheet-safe (render/cells.py, the OWASP rule)."""
    out = []
    for name, dtype in frame.schema.items():
        if isinstance(dtype, pl.List) and isinstance(dtype.inner, pl.List | pl.Struct):
            out.append(pl.Series(name, [None if v is None else json.dumps(v, default=str)
                                        for v in frame[name].to_list()], dtype=pl.Utf8))
        elif isinstance(dtype, pl.List):
            out.append(pl.col(name).cast(pl.List(pl.Utf8)).list.join(";"))
        elif isinstance(dtype, pl.Struct):
            out.append(pl.col(name).struct.json_encode())
        elif isinstance(dtype, (pl.Categorical, pl.Enum)):
            out.append(pl.col(name).cast(pl.Utf8))
    frame = frame.with_columns(out) if out else frame
    text = [spreadsheet_safe_expr(n) for n, d in frame.schema.items() if d == pl.Utf8]
    frame = frame.with_columns(text) if text else frame
    renames = {c: spreadsheet_safe(c) for c in frame.columns if spreadsheet_safe(c) != c}
    return frame.rename(renames) if renames else frame
