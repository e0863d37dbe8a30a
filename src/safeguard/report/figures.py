"""The reviewer's figures, computed from a screened manifest in bounded memory.

A Parquet manifest is read in slices of CHUNK rows (`chunks`: a lazy scan of the columns the report
needs, sliced and collected by the streaming engine); a CSV or JSON-lines manifest is first copied
once, by a streaming sink, into a narrow scratch Parquet file (`prepare`). Each row carries its 0-based
position in the manifest (`row`, the number `--explain-flagged` uses) and its flag category, and
`Tally` adds the figures up slice by slice, so memory stays bounded whatever the number of rows. (One
streaming query over the whole file was tried first: with per-row expressions its memory grew with
the rows, to 2 GB at 20M rows, in polars 1.44.2.)

Flag categories, in the order a reviewer must act on them: the contract's BARRED_* and HOLD_* codes
in the contract's order, then NO_TRANSFER_SCREENED (no destination given, citizenship citizen,
national or unknown), then NOT_SCREENED (the row could not be read: `error` is set). Within a
category, rows keep their input order.

`compute` returns the figures as a JSON-ready dict (and the rows the page lists); its keys are stable:

- `report`: "safeguard manifest report", `format_version`: 1
- `source`: the name of the manifest as given; `as_of`: YYYY-MM-DD; `law_version`
- `run`: the run facts as given by the caller (or null)
- `rows_check`: {`rows_in`, `rows_out` (from `run`, or null), `rows_in_file`, `equal`: rows_in == rows_out
  == rows_in_file (null when `run` gives neither)}
- `totals`: {`rows`, `screened` (rows without error), `not_screened` (rows with error),
  `transfer_screened` (rows with a transfer outcome), `no_transfer_screened`, `flagged` (every flagged row,
  rows not screened included), `must_stop` (flagged rows that were screened: the batch summary's
  `rows_flagged`), `barred`, `held`}
- `outcomes`: {code: rows} for every outcome code in the contract's order, zeros included
- `reasons`: {code: rows listing it in `reason_codes`} for every code in the contract's order
- `citizenship`: {citizen, national, not_citizen, unknown: rows} (rows with error have no status)
- `no_transfer_screened_by_citizenship`: the same, for rows with no destination
- `flagged`: {category: rows} for every flag category in priority order, zeros included
- `missing_facts_held`: [{`fact`, `question`, `rows`, `by_outcome`: {HOLD code: rows}}] over HOLD_* rows,
  most needed first (ties in the vocabulary's order)
- `shown`: {category: rows listed in report.html}; the full list is `flagged.csv`
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from safeguard.batch.flags import (
    FLAG_ORDER,
    HOLD_CODES,
    NO_TRANSFER,
    OUTCOME_ORDER,
    flag_expr,
)
from safeguard.facts.schema import fact_specs
from safeguard.report.texts import question
from safeguard.version import law_version

STATUSES = ["citizen", "national", "not_citizen", "unknown"]
RESULTS = ["citizenship_status", "transfer_outcome", "reason_codes", "missing_facts", "error"]
SHOWN_BUDGET = 1000
CHUNK = 500_000
FLAGGED_COLUMNS = ["row", "person_id", "flag", "transfer_outcome", "citizenship_status", "reason_codes",
                   "missing_facts", "error"]


class ReportError(ValueError):
    """The file cannot be reported on (wrong type, or not the output of `safeguard batch`)."""


def _jsonl_columns(path: Path) -> list[str]:
    """The keys of the first record of a JSON-lines file (empty for an empty file)."""
    with path.open("rb") as fh:
        for line in fh:
            if line.strip():
                return list(json.loads(line))
    return []


def scan(path: Path, row: str | None = None) -> pl.LazyFrame:
    """A lazy scan of the screened file's result columns (and person_id when present), as text; with `row`,
    each row's 0-based position too, numbered by the reader (so a slice of a Parquet file reads only its part)."""
    ext = path.suffix.lower()
    if not path.exists():
        raise ReportError(f"{path}: no such file")
    if ext == ".parquet":
        lf = pl.scan_parquet(path, row_index_name=row)
        columns = list(lf.collect_schema())
    elif ext == ".csv":
        lf = pl.scan_csv(path, infer_schema=False, row_index_name=row)
        columns = list(lf.collect_schema())
    elif ext == ".jsonl":
        columns = _jsonl_columns(path) or RESULTS
        lf = pl.scan_ndjson(path, schema={c: pl.String for c in ["person_id", *RESULTS] if c in columns},
                            row_index_name=row)
    else:
        raise ReportError(f"{path}: file type {ext or '(none)'!r} not supported; expected .csv, .parquet or .jsonl")
    absent = [c for c in RESULTS if c not in columns]
    if absent:
        raise ReportError(f"{path}: not a screened manifest (no column {', '.join(absent)}); "
                          "run 'safeguard batch' on it first")
    keep = (["person_id"] if "person_id" in columns else []) + RESULTS
    return lf.select(([pl.col(row)] if row else []) + [pl.col(c).cast(pl.String) for c in keep])


def prepare(screened: Path, scratch: Path) -> Path:
    """A Parquet file to read the rows from in slices: a Parquet manifest itself; else its result columns
    copied once into `scratch` by a streaming sink (slicing a CSV or JSON-lines file would re-read it)."""
    if screened.suffix.lower() == ".parquet":
        scan(screened)  # checks the columns
        return screened
    scan(screened).sink_parquet(scratch, engine="streaming")
    return scratch


def chunks(prepared: Path, size: int | None = None) -> Iterator[pl.DataFrame]:
    """The rows in slices of `size` (default CHUNK), in input order, each with its position (`row`) and flag,
    empty text read as null."""
    size = size or CHUNK
    lf = scan(prepared, row="row")
    total = lf.select(pl.len()).collect(engine="streaming").item()
    text = [c for c in lf.collect_schema() if c != "row"]
    for start in range(0, total, size):
        part = lf.slice(start, size).collect(engine="streaming")
        part = part.with_columns([pl.when(pl.col(c) != "").then(pl.col(c)).alias(c) for c in text])
        yield part.with_columns(flag_expr().alias("flag"))


def flagged_columns(prepared: Path) -> list[str]:
    """The columns of a flagged row (person_id only when the manifest has it)."""
    schema = scan(prepared, row="row").collect_schema()
    return [c for c in FLAGGED_COLUMNS if c in schema or c == "flag"]


def needs_facts() -> pl.Expr:
    """The row is held (not barred): its missing facts are what would resolve it."""
    return (pl.col("flag").is_in(HOLD_CODES)
            | ((pl.col("flag") == NO_TRANSFER) & (pl.col("citizenship_status") == "unknown")))


def flagged(chunk: pl.DataFrame) -> Iterator[tuple[str, pl.DataFrame]]:
    """A slice's flagged rows, category by category in priority order, input order within each; missing
    facts kept for held rows only."""
    columns = [c for c in FLAGGED_COLUMNS if c in chunk.columns]
    rows = chunk.filter(pl.col("flag").is_not_null()).with_columns(
        pl.when(needs_facts()).then(pl.col("missing_facts")).alias("missing_facts")).select(columns)
    for flag in FLAG_ORDER:
        part = rows.filter(pl.col("flag") == flag)
        if part.height:
            yield flag, part


def allocate(counts: dict[str, int], budget: int = SHOWN_BUDGET) -> dict[str, int]:
    """How many rows of each category the page lists: the budget shared evenly, what a small category
    does not use passed on to the others, so every category with rows is shown."""
    left = {k: n for k, n in counts.items() if n > 0}
    shown = dict.fromkeys(counts, 0)
    while left and budget > 0:
        share = max(budget // len(left), 1)
        for k in sorted(left, key=lambda k: left[k]):
            take = min(left[k], share, budget)
            shown[k] += take
            budget -= take
            left[k] -= take
        left = {k: n for k, n in left.items() if n > 0}
    return shown


def _rows_check(run: dict | None, rows: int) -> dict[str, Any]:
    rows_in = (run or {}).get("rows_in")
    rows_out = (run or {}).get("rows_out")
    given = [n for n in (rows_in, rows_out) if n is not None]
    return {"rows_in": rows_in, "rows_out": rows_out, "rows_in_file": rows,
            "equal": all(n == rows for n in given) if given else None}


def _add(counter: Counter, frame: pl.DataFrame) -> None:
    """Add a frame of (keys..., len) rows into a counter keyed by the key tuple."""
    for *key, n in frame.iter_rows():
        counter[tuple(key)] += int(n)


def _missing_facts(counts: Counter) -> list[dict[str, Any]]:
    """Each missing fact among held rows, with its question, most needed first."""
    order = {name: i for i, name in enumerate(fact_specs())}
    out: dict[str, dict[str, Any]] = {}
    for (fact, outcome), n in counts.items():
        entry = out.setdefault(fact, {"fact": fact, "question": question(fact), "rows": 0,
                                      "by_outcome": dict.fromkeys(HOLD_CODES, 0)})
        entry["rows"] += n
        entry["by_outcome"][outcome] += n
    return sorted(out.values(), key=lambda e: (-e["rows"], order.get(e["fact"], len(order)), e["fact"]))


def _no_transfer(key: tuple) -> bool:
    """A cell (flag, outcome, status, has error) of rows with no destination given."""
    return key[1] is None and not key[3]


class Tally:
    """The figures, added up slice by slice, and the first rows of each flag category for the page."""

    def __init__(self, columns: list[str], budget: int = SHOWN_BUDGET):
        self.columns = columns
        self.budget = budget
        self.cells: Counter = Counter()  # (flag, outcome, status, has error) -> rows
        self.reasons: Counter = Counter()
        self.facts: Counter = Counter()  # (fact, HOLD code) -> rows
        self.heads: dict[str, list[pl.DataFrame]] = {f: [] for f in FLAG_ORDER}
        self.kept: Counter = Counter()

    def add(self, chunk: pl.DataFrame) -> Iterator[tuple[str, pl.DataFrame]]:
        """Count a slice; yields its flagged rows by category (for flagged.csv)."""
        _add(self.cells, chunk.group_by("flag", "transfer_outcome", "citizenship_status",
                                        pl.col("error").is_not_null()).len())
        _add(self.reasons, chunk.select(pl.col("reason_codes").str.split(";"))
             .explode("reason_codes", empty_as_null=True).drop_nulls().group_by("reason_codes").len())
        held = chunk.filter(pl.col("transfer_outcome").is_in(HOLD_CODES) & pl.col("missing_facts").is_not_null())
        _add(self.facts, held.select(pl.col("missing_facts").str.split(";"), "transfer_outcome")
             .explode("missing_facts", empty_as_null=True).group_by("missing_facts", "transfer_outcome").len())
        for flag, part in flagged(chunk):
            room = self.budget - self.kept[flag]
            if room > 0:
                self.heads[flag].append(part.head(room))
                self.kept[flag] += min(room, part.height)
            yield flag, part

    def _count(self, index: int, keys: list[str], where: Callable[[tuple], bool] = lambda key: True) -> dict[str, int]:
        """Rows per value of one part of the cells' key, for every listed value (zeros included)."""
        out = dict.fromkeys(keys, 0)
        for key, n in self.cells.items():
            if key[index] in out and where(key):
                out[key[index]] += n
        return out

    def figures(self, *, source: str, as_of: date, run: dict | None = None) -> dict[str, Any]:
        """Every figure of the report (keys documented in this module's docstring)."""
        rows = sum(self.cells.values())
        errors = sum(n for key, n in self.cells.items() if key[3])
        outcomes = self._count(1, OUTCOME_ORDER)
        flagged_counts = self._count(0, FLAG_ORDER)
        return {
            "report": "safeguard manifest report",
            "format_version": 1,
            "source": source,
            "as_of": as_of.isoformat(),
            "law_version": law_version(),
            "run": run,
            "rows_check": _rows_check(run, rows),
            "totals": {
                "rows": rows,
                "screened": rows - errors,
                "not_screened": errors,
                "transfer_screened": sum(outcomes.values()),
                "no_transfer_screened": sum(n for key, n in self.cells.items() if _no_transfer(key)),
                "flagged": sum(flagged_counts.values()),
                "must_stop": sum(flagged_counts.values()) - errors,
                "barred": sum(n for c, n in outcomes.items() if c.startswith("BARRED_")),
                "held": sum(n for c, n in outcomes.items() if c.startswith("HOLD_")),
            },
            "outcomes": outcomes,
            "reasons": {code: self.reasons[(code,)] for code in OUTCOME_ORDER},
            "citizenship": self._count(2, STATUSES),
            "no_transfer_screened_by_citizenship": self._count(2, STATUSES, _no_transfer),
            "flagged": flagged_counts,
            "missing_facts_held": _missing_facts(self.facts),
            "shown": allocate(flagged_counts, self.budget),
        }

    def shown_rows(self, shown: dict[str, int]) -> pl.DataFrame:
        """The first rows of each category the page lists, in priority order."""
        parts = [pl.concat(self.heads[f]).head(shown[f]) for f in FLAG_ORDER if shown.get(f) and self.heads[f]]
        if parts:
            return pl.concat(parts)
        return pl.DataFrame(schema={c: pl.UInt32 if c == "row" else pl.String for c in self.columns})


def compute(prepared: Path, *, source: str, as_of: date, run: dict | None = None,
            on_flagged: Callable[[str, pl.DataFrame], None] | None = None,
            budget: int = SHOWN_BUDGET) -> tuple[dict[str, Any], pl.DataFrame]:
    """The figures and the rows the page lists, from the prepared file; each slice's flagged rows go to
    `on_flagged(category, rows)` as they are found (input order within each category)."""
    tally = Tally(flagged_columns(prepared), budget)
    for chunk in chunks(prepared):
        for flag, part in tally.add(chunk):
            if on_flagged is not None:
                on_flagged(flag, part)
    figs = tally.figures(source=source, as_of=as_of, run=run)
    return figs, tally.shown_rows(figs["shown"])
