"""The reviewer's figures, computed from a screened manifest with lazy scans and streaming aggregation.

The screened file is read once (`prepare`) into a narrow scratch Parquet file holding only the columns
the report needs, each row with its 0-based position in the manifest (`row`, the number
`--explain-flagged` uses) and its flag category. Every figure is then an aggregate over that file,
collected with the streaming engine, so no step holds the whole manifest in memory.

Flag categories, in the order a reviewer must act on them: the contract's BARRED_* and HOLD_* codes
in the contract's order, then NO_TRANSFER_SCREENED (no destination given, citizenship citizen,
national or unknown), then NOT_SCREENED (the row could not be read: `error` is set). Within a
category, rows keep their input order.

`compute` returns the figures as a JSON-ready dict; its keys are stable:

- `report`: "safeguard manifest report", `format_version`: 1
- `source`: the name of the manifest as given; `as_of`: YYYY-MM-DD; `law_version`
- `run`: the run facts as given by the caller (or null)
- `rows_check`: {`rows_in`, `rows_out` (from `run`, or null), `rows_in_file`, `equal`: rows_in == rows_out
  == rows_in_file (null when `run` gives neither)}
- `totals`: {`rows`, `screened` (rows without error), `not_screened` (rows with error),
  `transfer_screened` (rows with a transfer outcome), `no_transfer_screened`, `flagged`, `barred`, `held`}
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
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from safeguard.facts.schema import fact_specs
from safeguard.law.removal.outcome import OUTCOMES
from safeguard.report.texts import NO_TRANSFER, NOT_SCREENED, question
from safeguard.version import law_version

OUTCOME_ORDER = [code for code, _ in OUTCOMES] + ["SAFEGUARDS_REQUIRED", "NO_BAR_FOUND"]
STOP_CODES = [c for c in OUTCOME_ORDER if c.startswith(("BARRED_", "HOLD_"))]
HOLD_CODES = [c for c in STOP_CODES if c.startswith("HOLD_")]
FLAG_ORDER = STOP_CODES + [NO_TRANSFER, NOT_SCREENED]
STATUSES = ["citizen", "national", "not_citizen", "unknown"]
RESULTS = ["citizenship_status", "transfer_outcome", "reason_codes", "missing_facts", "error"]
SHOWN_BUDGET = 1000


class ReportError(ValueError):
    """The file cannot be reported on (wrong type, or not the output of `safeguard batch`)."""


def _jsonl_columns(path: Path) -> list[str]:
    """The keys of the first record of a JSON-lines file (empty for an empty file)."""
    with path.open("rb") as fh:
        for line in fh:
            if line.strip():
                return list(json.loads(line))
    return []


def scan(path: Path) -> pl.LazyFrame:
    """A lazy scan of the screened file's result columns (and person_id when present), all as text."""
    ext = path.suffix.lower()
    if not path.exists():
        raise ReportError(f"{path}: no such file")
    if ext == ".parquet":
        lf = pl.scan_parquet(path)
        columns = list(lf.collect_schema())
    elif ext == ".csv":
        lf = pl.scan_csv(path, infer_schema=False)
        columns = list(lf.collect_schema())
    elif ext == ".jsonl":
        columns = _jsonl_columns(path) or RESULTS
        lf = pl.scan_ndjson(path, schema={c: pl.String for c in ["person_id", *RESULTS] if c in columns})
    else:
        raise ReportError(f"{path}: file type {ext or '(none)'!r} not supported; expected .csv, .parquet or .jsonl")
    absent = [c for c in RESULTS if c not in columns]
    if absent:
        raise ReportError(f"{path}: not a screened manifest (no column {', '.join(absent)}); "
                          "run 'safeguard batch' on it first")
    keep = (["person_id"] if "person_id" in columns else []) + RESULTS
    text = [pl.col(c).cast(pl.String) for c in keep]
    return lf.select([pl.when(t != "").then(t).alias(c) for c, t in zip(keep, text)])


def flag_expr() -> pl.Expr:
    """The row's flag category (null for a row a reviewer need not stop)."""
    outcome, status = pl.col("transfer_outcome"), pl.col("citizenship_status")
    return (pl.when(pl.col("error").is_not_null()).then(pl.lit(NOT_SCREENED))
            .when(outcome.is_in(STOP_CODES)).then(outcome)
            .when(outcome.is_null() & status.is_in(["citizen", "national", "unknown"])).then(pl.lit(NO_TRANSFER))
            .otherwise(None))


def prepare(screened: Path, scratch: Path) -> Path:
    """Read the screened file once into a narrow Parquet file (row position, flag, result columns)."""
    lf = scan(screened).with_row_index("row").with_columns(flag_expr().alias("flag"))
    lf.sink_parquet(scratch, engine="streaming")
    return scratch


def _counts(frame: pl.DataFrame, key: str, keys: list[str]) -> dict[str, int]:
    """Rows per key, for every key listed (zeros included), in the listed order."""
    got = dict(frame.group_by(key).agg(pl.col("len").sum()).iter_rows())
    return {k: int(got.get(k) or 0) for k in keys}


def _missing_facts(frame: pl.DataFrame) -> list[dict[str, Any]]:
    """Each missing fact among held rows, with its question, most needed first."""
    order = {name: i for i, name in enumerate(fact_specs())}
    out: dict[str, dict[str, Any]] = {}
    for fact, outcome, n in frame.iter_rows():
        entry = out.setdefault(fact, {"fact": fact, "question": question(fact), "rows": 0,
                                      "by_outcome": dict.fromkeys(HOLD_CODES, 0)})
        entry["rows"] += int(n)
        entry["by_outcome"][outcome] = entry["by_outcome"].get(outcome, 0) + int(n)
    return sorted(out.values(), key=lambda e: (-e["rows"], order.get(e["fact"], len(order)), e["fact"]))


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


def compute(prepared: Path, *, source: str, as_of: date, run: dict | None = None,
            budget: int = SHOWN_BUDGET) -> dict[str, Any]:
    """Every figure of the report, from the prepared file (keys documented in this module's docstring)."""
    lf = pl.scan_parquet(prepared)
    cells = lf.group_by("flag", "transfer_outcome", "citizenship_status", pl.col("error").is_not_null()).len()
    reasons = (lf.select(pl.col("reason_codes").str.split(";").alias("code")).drop_nulls()
               .explode("code", empty_as_null=True).group_by("code").len())
    facts = (lf.filter(pl.col("transfer_outcome").is_in(HOLD_CODES) & pl.col("missing_facts").is_not_null())
             .select(pl.col("missing_facts").str.split(";").alias("fact"), "transfer_outcome")
             .explode("fact", empty_as_null=True).group_by("fact", "transfer_outcome").len())
    cells, reasons, facts = pl.collect_all([cells, reasons, facts], engine="streaming")
    rows = int(cells["len"].sum())
    errors = int(cells.filter(pl.col("error"))["len"].sum())
    outcomes = _counts(cells, "transfer_outcome", OUTCOME_ORDER)
    flagged = _counts(cells, "flag", FLAG_ORDER)
    no_transfer = cells.filter(pl.col("transfer_outcome").is_null() & ~pl.col("error"))
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
            "no_transfer_screened": int(no_transfer["len"].sum()),
            "flagged": sum(flagged.values()),
            "barred": sum(n for c, n in outcomes.items() if c.startswith("BARRED_")),
            "held": sum(n for c, n in outcomes.items() if c.startswith("HOLD_")),
        },
        "outcomes": outcomes,
        "reasons": _counts(reasons, "code", OUTCOME_ORDER),
        "citizenship": _counts(cells, "citizenship_status", STATUSES),
        "no_transfer_screened_by_citizenship": _counts(no_transfer, "citizenship_status", STATUSES),
        "flagged": flagged,
        "missing_facts_held": _missing_facts(facts),
        "shown": allocate(flagged, budget),
    }


def needs_facts() -> pl.Expr:
    """The row is held (not barred): its missing facts are what would resolve it."""
    return (pl.col("flag").is_in(HOLD_CODES)
            | ((pl.col("flag") == NO_TRANSFER) & (pl.col("citizenship_status") == "unknown")))


def flagged_rows(prepared: Path, shown: dict[str, int] | None = None) -> pl.LazyFrame:
    """The flagged rows in priority order (category, then input order); with `shown`, only the first
    rows of each category. Missing facts are kept for held rows only."""
    lf = pl.scan_parquet(prepared)
    columns = [c for c in ["row", "person_id", "flag", "transfer_outcome", "citizenship_status", "reason_codes",
                           "missing_facts", "error"] if c in lf.collect_schema()]
    parts = []
    for flag in FLAG_ORDER:
        part = lf.filter(pl.col("flag") == flag)
        if shown is not None:
            if not shown.get(flag):
                continue
            part = part.head(shown[flag])
        parts.append(part)
    if not parts:
        return lf.select(columns).head(0)
    out = pl.concat(parts, how="vertical")
    return out.with_columns(pl.when(needs_facts()).then(pl.col("missing_facts")).alias("missing_facts")).select(columns)
