"""Reading manifests chunk by chunk, every row kept: a row that cannot be read keeps its place, its
cells empty, with the reason and its line number in `READ_ERROR` (it becomes the row's `error`).

- CSV: every cell as text. The fast reader (Arrow) takes a well-formed UTF-8 file; at the first thing it
  cannot read (a ragged row, a cell larger than its block, bytes that are not UTF-8) the rest of the file
  is read by Python's csv module, row by row, from the first row not yet given out.
- JSONL: one JSON object a line. A first pass collects every key of the file, so every chunk has the same
  columns whatever line a key first appears on; each fact's value is validated by `parse.coerce`, the
  single-case parser, so a value of the wrong JSON type is that row's error (never turned into text).
- Parquet: record batches, sized so that a chunk holds about `chunk_bytes` of data.

Chunks are bounded by rows and by bytes, so a very wide manifest reads fewer rows at a time.
"""

from __future__ import annotations

import codecs
import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from safeguard.facts.columns import READ_ERROR
from safeguard.facts.frame import DTYPES
from safeguard.facts.parse import ApproxDate, InputError, approx_date, coerce
from safeguard.facts.schema import fact_specs

CHUNK_BYTES = 64 << 20  # input bytes per chunk at most (about; one row is never split)
MAX_CELL = 1 << 20  # characters of one CSV cell, bytes of one JSON line: larger is that row's error
UTF8 = ("utf-8", "utf-8-sig", "utf8", "utf_8")


class ReadError(ValueError):
    """The file as a whole cannot be read (the message names the path and why)."""


def text_encoding(encoding: str | None) -> str:
    """The encoding to decode with: UTF-8 by default (a byte-order mark is skipped)."""
    if encoding is None or encoding.lower().replace("_", "-") in ("utf-8", "utf8"):
        return "utf-8-sig"
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise ReadError(f"--encoding {encoding!r}: not an encoding Python knows (e.g. utf-8, latin-1, cp1252, "
                        "utf-16)") from None
    return encoding


def undecodable(path: Path, encoding: str) -> str:
    """Where and why the file is not text in `encoding`: the byte offset of the first bad byte."""
    decoder = codecs.getincrementaldecoder(encoding)()
    offset = 0
    with path.open("rb") as fh:
        head = fh.read(4)
        fh.seek(0)
        if encoding in UTF8 and head[:2] in (b"\xff\xfe", b"\xfe\xff"):
            return "it starts with a UTF-16 byte-order mark: give --encoding utf-16"
        while block := fh.read(1 << 20):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as e:
                return (f"byte 0x{block[e.start]:02x} at offset {offset + e.start:,} is not {encoding} "
                        "(give the file's encoding with --encoding, e.g. --encoding latin-1)")
            offset += len(block)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return f"the file ends in the middle of a {encoding} character (offset {offset:,})"
    return f"not {encoding} text"


# ---- CSV ------------------------------------------------------------------------------------------

def csv_header(path: Path, encoding: str) -> list[str]:
    try:
        with path.open(newline="", encoding=encoding) as fh:
            header = next(csv.reader(fh), None)
    except UnicodeDecodeError:
        raise ReadError(f"{path}: {undecodable(path, encoding)}") from None
    except csv.Error as e:
        raise ReadError(f"{path}: the header row cannot be read as CSV: {e}") from None
    if not header:
        raise ReadError(f"{path}: no header row (the first line must name the columns)")
    if len(set(header)) != len(header):
        twice = sorted({h for h in header if header.count(h) > 1})
        raise ReadError(f"{path}: column names appear twice: {', '.join(map(repr, twice))}")
    return header


def csv_chunks(path: Path, rows: int, chunk_bytes: int, encoding: str | None = None) -> Iterator[pl.DataFrame]:
    """Every cell as text, an empty cell as "" (the validator reads both empty and blank as unknown)."""
    enc = text_encoding(encoding)
    header = csv_header(path, enc)
    given = 0
    if enc in UTF8:
        try:
            for chunk in _fast_csv(path, header, rows, chunk_bytes):
                yield chunk
                given += chunk.height
            return
        except (pa.ArrowInvalid, _NotSame):
            pass  # read the rest row by row
    yield from _slow_csv(path, header, rows, chunk_bytes, enc, skip=given)


class _NotSame(Exception):
    pass


def _fast_csv(path: Path, header: list[str], rows: int, chunk_bytes: int) -> Iterator[pl.DataFrame]:
    reader = pa_csv.open_csv(
        path, read_options=pa_csv.ReadOptions(block_size=1 << 22, encoding="utf8"),
        parse_options=pa_csv.ParseOptions(newlines_in_values=True),
        convert_options=pa_csv.ConvertOptions(column_types={h: pa.string() for h in header},
                                              strings_can_be_null=False))
    if reader.schema.names != header:
        raise _NotSame()
    empty = pl.DataFrame(schema=dict.fromkeys(header, pl.Utf8))
    for chunk in rechunk((pl.from_arrow(b) for b in reader), rows, chunk_bytes, empty):
        if chunk.height and chunk.select(pl.max_horizontal(pl.all().str.len_bytes().max())).item() > MAX_CELL:
            raise _NotSame()  # a huge cell: read from here row by row, which names its line
        yield chunk


def _slow_csv(path: Path, header: list[str], rows: int, chunk_bytes: int, encoding: str,
              skip: int) -> Iterator[pl.DataFrame]:
    """Row by row: a ragged row keeps its cells in place (missing ones empty, extra ones dropped)."""
    csv.field_size_limit(max(csv.field_size_limit(), 1 << 28))  # a huge cell is reported, not refused
    width = len(header)
    cols: list[list[str]] = [[] for _ in header]
    problems: list[str | None] = []
    size, sent, seen = 0, False, 0
    try:
        with path.open(newline="", encoding=encoding) as fh:
            reader = csv.reader(fh)
            next(reader)
            line = reader.line_num
            while True:
                problem = None
                try:
                    record = next(reader)
                except StopIteration:
                    break
                except csv.Error as e:
                    record, problem = [], f"line {line + 1}: cannot be read as CSV ({e})"
                start, line = line + 1, reader.line_num
                if not record and problem is None:
                    continue  # a blank line is no one
                seen += 1
                if seen <= skip:
                    continue
                if problem is None and len(record) != width:
                    problem = (f"line {start}: {len(record)} field{'s' * (len(record) != 1)} where the header has "
                               f"{width}; the row was not screened")
                record = (record + [""] * width)[:width]
                for i, cell in enumerate(record):
                    if len(cell) > MAX_CELL:
                        big = (f"line {start}: the cell in column {header[i][:40]!r} has {len(cell):,} characters; "
                               f"at most {MAX_CELL:,} are read")
                        problem = f"{problem}; {big}" if problem else big
                        record[i] = ""
                for i, cell in enumerate(record):
                    cols[i].append(cell)
                problems.append(problem)
                size += sum(len(c) for c in record) + width
                if len(problems) >= rows or size >= chunk_bytes:
                    yield _frame(header, cols, problems)
                    sent, size = True, 0
                    cols, problems = [[] for _ in header], []
    except UnicodeDecodeError:
        raise ReadError(f"{path}: {undecodable(path, encoding)}") from None
    if problems or not sent:
        yield _frame(header, cols, problems)


def _frame(header: list[str], cols: list[list[str]], problems: list[str | None]) -> pl.DataFrame:
    data = {h: pl.Series(h, c, dtype=pl.Utf8) for h, c in zip(header, cols)}
    data[READ_ERROR] = pl.Series(READ_ERROR, problems, dtype=pl.Utf8)
    return pl.DataFrame(data)


def rechunk(batches: Iterator[pl.DataFrame], rows: int, chunk_bytes: int,
            empty: pl.DataFrame) -> Iterator[pl.DataFrame]:
    """Gather record batches into chunks of at most `rows` rows and about `chunk_bytes` bytes."""
    pending: list[pl.DataFrame] = []
    size, bytes_, sent = 0, 0, False
    for batch in batches:
        if batch.height == 0:
            continue
        pending.append(batch)
        size += batch.height
        bytes_ += batch.estimated_size()
        per_row = max(bytes_ / size, 1)
        limit = max(1, min(rows, int(chunk_bytes / per_row)))
        while size >= limit:
            whole = pl.concat(pending, how="vertical")
            yield whole.slice(0, limit)
            sent = True
            rest = whole.slice(limit)
            pending, size = ([rest] if rest.height else []), rest.height
            bytes_ = int(size * per_row)
    if pending:
        yield pl.concat(pending, how="vertical")
    elif not sent:
        yield empty


# ---- JSONL ----------------------------------------------------------------------------------------

def _lines(path: Path) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes) of each line; None for a line longer than MAX_CELL (skipped, not kept)."""
    with path.open("rb") as fh:
        number = 0
        while True:
            line = fh.readline(MAX_CELL + 1)
            if not line:
                return
            number += 1
            if len(line) > MAX_CELL and not line.endswith(b"\n"):
                while (rest := fh.readline(1 << 20)) and not rest.endswith(b"\n"):
                    pass
                yield number, None
            else:
                yield number, line


def _object(number: int, line: bytes | None) -> tuple[dict | None, str | None]:
    """The line's object, or why it has none."""
    if line is None:
        return None, f"line {number}: longer than {MAX_CELL:,} bytes; not read"
    try:
        text = line.decode("utf-8-sig" if number == 1 else "utf-8")
    except UnicodeDecodeError as e:
        return None, f"line {number}: byte 0x{line[e.start]:02x} at column {e.start + 1} is not UTF-8"
    if not text.strip():
        return None, None
    try:
        value = json.loads(text)
    except RecursionError:
        return None, f"line {number}: not valid JSON (nested too deeply)"
    except ValueError as e:
        where = f" at column {e.colno}" if isinstance(e, json.JSONDecodeError) else ""
        reason = e.msg if isinstance(e, json.JSONDecodeError) else str(e)
        return None, f"line {number}: not valid JSON ({reason}{where})"
    if (b"\\ud" in line or b"\\uD" in line) and not _encodable(value):
        return None, f"line {number}: a \\u escape that is no character (a lone surrogate such as \\ud800)"
    if not isinstance(value, dict):
        kind = {list: "an array", str: "a string", bool: "true or false", type(None): "null"}.get(
            type(value), "a number")
        return None, f"line {number}: expected a JSON object of facts {{...}}, got {kind}"
    return value, None


def _encodable(value: Any) -> bool:
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def jsonl_columns(path: Path) -> dict[str, pl.DataType]:
    """Every key of the file, in the order first seen, with its column type (facts typed by the
    vocabulary, any other key as text)."""
    specs = fact_specs()
    keys: dict[str, None] = {}
    approximate: set[str] = set()  # date facts given as a year or a month somewhere: kept as text
    for number, line in _lines(path):
        obj, _ = _object(number, line)
        if obj:
            keys.update(dict.fromkeys(k for k in obj if k not in keys))
            approximate |= {k for k, v in obj.items() if k in specs and specs[k].type == "date" and _approximate(v)}
    return {k: pl.Utf8 if k in approximate else _jsonl_dtype(specs[k].type) if k in specs else pl.Utf8
            for k in keys if k != READ_ERROR}


def _approximate(value: Any) -> bool:
    try:
        return approx_date(value) is not None
    except ValueError:
        return True  # "1985-13": read as text, refused with the message the single case gives


def _jsonl_dtype(kind: str) -> pl.DataType:
    return pl.List(pl.List(pl.Utf8)) if kind == "periods" else DTYPES[kind]


def _cell(spec: Any, value: Any) -> tuple[Any, str | None]:
    """A JSON value as its column holds it, or why it cannot be."""
    if spec is None:
        if value is None or isinstance(value, str):
            return value, None
        return json.dumps(value, ensure_ascii=False, default=str)[:MAX_CELL], None
    try:
        typed = coerce(spec, value, text=False)
    except InputError as e:
        return None, str(e)
    if isinstance(typed, ApproxDate):
        return typed.given, None
    if spec.type == "periods" and typed is not None:
        return [[s.isoformat(), None if e is None else e.isoformat()] for s, e in typed], None
    return (list(typed) if isinstance(typed, tuple) else typed), None


def jsonl_chunks(path: Path, rows: int, chunk_bytes: int) -> Iterator[pl.DataFrame]:
    columns = jsonl_columns(path)
    specs = fact_specs()
    schema = {**columns, READ_ERROR: pl.Utf8}
    data: dict[str, list[Any]] = {k: [] for k in schema}
    size, sent = 0, False
    for number, line in _lines(path):
        obj, problem = _object(number, line)
        if obj is None and problem is None:
            continue  # a blank line is no one
        faults = [problem] if problem else []
        obj = obj or {}
        for name in columns:
            value, fault = _cell(specs.get(name), obj.get(name))
            if columns[name] == pl.Utf8 and name in specs and specs[name].type == "date" and value is not None:
                value = value.isoformat() if not isinstance(value, str) else value  # an approximate date column
            data[name].append(value)
            if fault:
                faults.append(fault)
        data[READ_ERROR].append("; ".join(faults) if faults else None)
        size += len(line or b"")
        if len(data[READ_ERROR]) >= rows or size >= chunk_bytes:
            yield pl.DataFrame(data, schema=schema)
            sent, size = True, 0
            data = {k: [] for k in schema}
    if data[READ_ERROR] or not sent:
        yield pl.DataFrame(data, schema=schema)


# ---- Parquet --------------------------------------------------------------------------------------

def parquet_chunks(path: Path, rows: int, chunk_bytes: int) -> Iterator[pl.DataFrame]:
    source = pq.ParquetFile(path)
    meta = source.metadata
    total = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
    per_row = max(total / meta.num_rows, 1) if meta.num_rows else 1
    batch_rows = max(1, min(rows, int(chunk_bytes / per_row)))
    empty = True
    for batch in source.iter_batches(batch_size=batch_rows):
        empty = False
        yield pl.from_arrow(batch)
    if empty:
        yield pl.from_arrow(source.schema_arrow.empty_table())
