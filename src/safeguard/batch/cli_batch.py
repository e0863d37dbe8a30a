"""`safeguard batch`: read, screen in chunks with a progress bar, write atomically, summarise."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import polars as pl
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from safeguard.batch.io import read_manifest, write_manifest
from safeguard.batch.run import screen_frame

CHUNK = 250_000
FLAGGED = ("BARRED_", "HOLD_")


def run_batch(src: Path, dst: Path, as_of: date | None, explain_flagged: Path | None, console: Console) -> dict:
    from safeguard.batch.io import ManifestError
    from safeguard.cli import BadInput

    try:
        frame = read_manifest(src)
        day = as_of or date.today()
        parts = []
        with Progress(TextColumn("screening"), BarColumn(), MofNCompleteColumn(), TextColumn("rows"),
                      TimeRemainingColumn(), console=console, transient=True) as progress:
            task = progress.add_task("rows", total=frame.height)
            for start in range(0, max(frame.height, 1), CHUNK):
                chunk = frame.slice(start, CHUNK)
                parts.append(screen_frame(chunk, default_as_of=day))
                progress.advance(task, chunk.height)
        result = pl.concat(parts, how="vertical_relaxed") if parts else frame
        write_manifest(result, dst)
    except ManifestError as e:
        raise BadInput(str(e)) from None
    if explain_flagged is not None:
        _explain_flagged(frame, result, day, explain_flagged)
    summary = {
        "rows_in": frame.height,
        "rows_out": result.height,
        "rows_with_error": int(result["error"].is_not_null().sum()),
        "outcomes": dict(result.group_by("transfer_outcome").len().sort("len", descending=True).iter_rows()),
        "citizenship": dict(result.group_by("citizenship_status").len().sort("len", descending=True).iter_rows()),
    }
    console.print(f"rows in {summary['rows_in']:,} = rows out {summary['rows_out']:,}; "
                  f"{summary['rows_with_error']:,} with errors; written to {dst}")
    console.print({k: v for k, v in summary.items() if k in ("outcomes", "citizenship")})
    return summary


def _explain_flagged(frame: pl.DataFrame, result: pl.DataFrame, day: date, path: Path) -> None:
    """One JSON line per flagged row: the row's full result document with its explanation."""
    from safeguard.api import screen

    flagged = result.with_row_index("_i").filter(
        pl.col("transfer_outcome").str.starts_with(FLAGGED[0]) | pl.col("transfer_outcome").str.starts_with(FLAGGED[1])
        | (pl.col("transfer_outcome").is_null() & pl.col("citizenship_status").is_in(["citizen", "national", "unknown"]))
    )["_i"].to_list()
    from safeguard.facts.parse import parse_case
    from safeguard.facts.schema import fact_specs

    with path.open("w", encoding="utf-8") as fh:
        for i in flagged:
            row = {k: v for k, v in frame.row(i, named=True).items() if k in fact_specs() and v not in (None, "")}
            case = parse_case(row, as_of=None if row.get("as_of") else day, text=True)
            fh.write(json.dumps({"row": i, **screen(case, explain=True)}, default=str) + "\n")

