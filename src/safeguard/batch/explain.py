"""`--explain-flagged FILE.jsonl[.gz]`: the full result document, with its explanation tree, of every
flagged row, one JSON line each with its row number (counting from 0, as the report does).

Run after the screened output (and the report) are complete, in a second pass over the manifest, so
the output never waits for it. Explaining is one case at a time (a few ms each) and a full tree is
~30 KB of JSON, so a million flagged rows take about an hour and ~30 GB: the command says so before it
starts, and a name ending in `.gz` writes the file gzip-compressed. Written to a temporary file and
renamed when complete (a temporary name of its own, under the output's lock: see paths.py).
"""

from __future__ import annotations

import gzip
import json
import os
import tempfile
from datetime import date
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from safeguard.batch.io import ManifestError, iter_manifest
from safeguard.batch.mapping import ColumnMap
from safeguard.batch.paths import OutputLock, OutputPathError, stale_note

SECONDS_EACH, BYTES_EACH = 0.004, 31_000  # measured on the synthetic manifest (2 CPUs), for the warning only


def write_explanations(src: Path, rows: np.ndarray, path: Path, day: date, column_map: ColumnMap | None,
                       console: Console, chunk_rows: int, *, encoding: str | None = None) -> None:
    from safeguard.facts.schema import fact_specs

    n = len(rows)
    packed = path.name.endswith(".gz")
    size = n * BYTES_EACH / (12 if packed else 1)
    console.print(f"explaining {n:,} flagged rows one at a time: about {n * SECONDS_EACH / 60:,.0f} min and "
                  f"{size / 1e9:,.1f} GB{'' if packed else ' (name the file .jsonl.gz to compress it)'}")
    facts = fact_specs()
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        lock = OutputLock(path)
    except OutputPathError as e:
        raise ManifestError(str(e)) from None
    try:
        if note := stale_note(lock.remove_stale()):
            console.print(note, markup=False)
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
        os.close(fd)
        tmp = Path(name)
        try:
            _explain_rows(src, rows, tmp, packed, day, column_map, console, chunk_rows, facts, n, encoding)
            tmp.replace(path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    finally:
        lock.release()
    console.print(f"explanations: {escape(str(path))}")


def _explain_rows(src: Path, rows: np.ndarray, tmp: Path, packed: bool, day: date, column_map: ColumnMap | None,
                  console: Console, chunk_rows: int, facts: dict, n: int, encoding: str | None) -> None:
    from safeguard.api import screen
    from safeguard.facts.parse import parse_case

    opener = gzip.open if packed else open
    with opener(tmp, "wt", encoding="utf-8") as fh, Progress(
            TextColumn("explaining"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
            console=console, transient=True) as progress:
        task = progress.add_task("rows", total=n)
        start = 0
        for chunk in iter_manifest(src, chunk_rows, encoding=encoding):
            end = start + chunk.height
            here = rows[np.searchsorted(rows, start):np.searchsorted(rows, end)] - start  # rows are in order
            frame = column_map.apply(chunk) if column_map is not None else chunk
            for i in here.tolist():
                row = {k: v for k, v in frame.row(i, named=True).items() if k in facts and v not in (None, "")}
                case = parse_case(row, as_of=None if row.get("as_of") else day, text=True)
                doc = screen(case, explain=True, rank=False)
                fh.write(json.dumps({"row": start + i, **doc}, default=str, ensure_ascii=False) + "\n")
                progress.advance(task)
            start = end
