"""The reviewer's figures, computed from a screened manifest in bounded memory.

A Parquet manifest is read in slices of CHUNK rows (`chunks`: a lazy scan of the columns the report
needs, sliced and collected by the streaming engine); a CSV or JSON-lines manifest is first copied
once, by a streaming sink, into a narrow scratch Parquet file (`prepare`). Each row carries its manifest
row number counting from 1, the first person (`manifest_row`; in a CSV manifest that is line
manifest_row + 1, after the header), the person's own identifier when the manifest has one
(`identifier`, read from the column the run names), and its flag category, and
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
- `triage`: [{`flag`, `detail` (the citizenship basis of a barred citizen or national, the open routes of a
  held row), `rows`, `also` ({other reason code: rows of the group listing it}), `examples` (up to three
  identifiers or manifest rows)}], flag categories in priority order, the largest group first within each
- `id_column`: the manifest's identifier column (or null); `run_id`, `input_sha256`, `output_sha256`
  (from `run`, or null): which run and which exact files this report speaks for
- `top_questions`: the first three of a held row's `missing_facts`, which the batch lists most telling first
  (batch/ranking.py: bits of the row's results over each fact's trial answers, as `ask` ranks one case)
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
RESULTS = ["citizenship_status", "citizenship_basis", "transfer_outcome", "reason_codes", "missing_facts", "error"]
ID = "identifier"
TOP_QUESTIONS = 3
SHOWN_BUDGET = 1000
CHUNK = 500_000
FLAGGED_COLUMNS = ["manifest_row", ID, "flag", "citizenship_status", "citizenship_basis",
                   "reason_codes", "open_route", "top_questions", "missing_count", "error"]
EXAMPLES = 3


class ReportError(ValueError):
    """The file cannot be reported on (wrong type, or not the output of `safeguard batch`)."""


def _jsonl_columns(path: Path) -> list[str]:
    """The keys of the first record of a JSON-lines file (empty for an empty file)."""
    with path.open("rb") as fh:
        for line in fh:
            if line.strip():
                return list(json.loads(line))
    return []


def scan(path: Path, row: str | None = None, id_column: str | None = None) -> pl.LazyFrame:
    """A lazy scan of the screened file's result columns (and the identifier column, as `identifier`, when
    present), as text; with `row`, each row's 0-based position too, numbered by the reader (so a slice of a
    Parquet file reads only its part)."""
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
        lf = pl.scan_ndjson(path, schema={c: pl.String for c in [id_column, ID, *RESULTS] if c and c in columns},
                            row_index_name=row)
    else:
        raise ReportError(f"{path}: file type {ext or '(none)'!r} not supported; expected .csv, .parquet or .jsonl")
    absent = [c for c in RESULTS if c not in columns]
    if absent:
        raise ReportError(f"{path}: not a screened manifest (no column {', '.join(absent)}); "
                          "run 'safeguard batch' on it first")
    if id_column is not None and id_column not in columns:
        raise ReportError(f"{path}: the identifier column {id_column!r} is not in the screened file")
    ident = [pl.col(id_column).cast(pl.String).alias(ID)] if id_column else \
        [pl.col(ID).cast(pl.String)] if ID in columns else []
    return lf.select(([pl.col(row)] if row else []) + ident + [pl.col(c).cast(pl.String) for c in RESULTS])


def prepare(screened: Path, scratch: Path, id_column: str | None = None) -> Path:
    """A narrow Parquet file to read the rows from in slices (result columns and the identifier, as
    `identifier`), copied once by a streaming sink."""
    scan(screened, id_column=id_column).sink_parquet(scratch, engine="streaming")
    return scratch


def _routes(facts: pl.Expr) -> pl.Expr:
    """The open routes of a held row, named from the vocabulary group of each of its missing facts, in
    alphabetical order (a set: rows whose questions come in another order are one group); renders what the
    engine listed, decides nothing."""
    groups = {name: ROUTE_WORDS.get(spec.group, "") for name, spec in fact_specs().items()}
    named = facts.str.split(";").list.eval(pl.element().replace_strict(groups, default="", return_dtype=pl.String))
    return named.list.eval(pl.element().filter(pl.element() != "")).list.unique().list.sort().list.join("; ")


ROUTE_WORDS = {
    "birth": "birth in the U.S. or a territory",
    "parent": "a citizen parent at birth (acquisition)",
    "paternity": "a citizen father, out of wedlock (acquisition)",
    "derivation": "a parent's naturalization (derivation)",
    "own_status": "the person's own naturalization or its loss",
    "immigration": "immigration status, removal order or protection",
    "transfer": "the transfer's terms and safeguards",
}


def chunks(prepared: Path, size: int | None = None) -> Iterator[pl.DataFrame]:
    """The rows in slices of `size` (default CHUNK), in input order, each with its manifest row (from 1), flag,
    open routes and first questions, empty text read as null."""
    size = size or CHUNK
    lf = scan(prepared, row="row")
    total = lf.select(pl.len()).collect(engine="streaming").item()
    text = [c for c in lf.collect_schema() if c != "row"]
    for start in range(0, total, size):
        part = lf.slice(start, size).collect(engine="streaming")
        part = part.with_columns([pl.when(pl.col(c) != "").then(pl.col(c)).alias(c) for c in text])
        part = part.with_columns(flag_expr().alias("flag"), (pl.col("row").cast(pl.Int64) + 1).alias("manifest_row"))
        facts = pl.when(needs_facts()).then(pl.col("missing_facts"))
        yield part.with_columns(
            pl.when(facts.is_not_null()).then(_routes(facts.str.split(";").list.head(TOP_QUESTIONS).list.join(";")))
            .alias("open_route"),
            facts.str.split(";").list.head(TOP_QUESTIONS).list.join(";").alias("top_questions"),
            facts.str.split(";").list.len().alias("missing_count"))


def flagged_columns(prepared: Path) -> list[str]:
    """The columns of a flagged row (the identifier only when the manifest has one)."""
    schema = scan(prepared, row="row").collect_schema()
    return [c for c in FLAGGED_COLUMNS if c != ID or ID in schema]


def needs_facts() -> pl.Expr:
    """The row is held (not barred): its missing facts are what would resolve it."""
    return (pl.col("flag").is_in(HOLD_CODES)
            | ((pl.col("flag") == NO_TRANSFER) & (pl.col("citizenship_status") == "unknown")))


def flagged(chunk: pl.DataFrame) -> Iterator[tuple[str, pl.DataFrame]]:
    """A slice's flagged rows, category by category in priority order, input order within each; open routes
    and questions kept for held rows only."""
    columns = [c for c in FLAGGED_COLUMNS if c in chunk.columns]
    rows = chunk.filter(pl.col("flag").is_not_null()).select(columns)
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

    def __init__(self, columns: list[str], budget: int = SHOWN_BUDGET, id_column: str | None = None):
        self.columns = columns
        self.id_column = id_column
        self.budget = budget
        self.cells: Counter = Counter()  # (flag, outcome, status, has error) -> rows
        self.reasons: Counter = Counter()
        self.facts: Counter = Counter()  # (fact, HOLD code) -> rows
        self.heads: dict[str, list[pl.DataFrame]] = {f: [] for f in FLAG_ORDER}
        self.kept: Counter = Counter()
        self.groups: Counter = Counter()  # (flag, basis or open route) -> rows
        self.also: Counter = Counter()  # (flag, basis or open route, another reason) -> rows
        self.examples: dict[tuple, list[str]] = {}

    def add(self, chunk: pl.DataFrame) -> Iterator[tuple[str, pl.DataFrame]]:
        """Count a slice; yields its flagged rows by category (for flagged.csv)."""
        _add(self.cells, chunk.group_by("flag", "transfer_outcome", "citizenship_status",
                                        pl.col("error").is_not_null()).len())
        _add(self.reasons, chunk.select(pl.col("reason_codes").str.split(";"))
             .explode("reason_codes", empty_as_null=True).drop_nulls().group_by("reason_codes").len())
        held = chunk.filter(pl.col("transfer_outcome").is_in(HOLD_CODES) & pl.col("missing_facts").is_not_null())
        _add(self.facts, held.select(pl.col("missing_facts").str.split(";"), "transfer_outcome")
             .explode("missing_facts", empty_as_null=True).group_by("missing_facts", "transfer_outcome").len())
        self._group(chunk)
        for flag, part in flagged(chunk):
            room = self.budget - self.kept[flag]
            if room > 0:
                self.heads[flag].append(part.head(room))
                self.kept[flag] += min(room, part.height)
            yield flag, part

    def _group(self, chunk: pl.DataFrame) -> None:
        """Flagged rows grouped by category and the basis (barred) or open routes (held), with the other
        reasons the group's rows list."""
        who = pl.col(ID) if ID in chunk.columns else pl.lit("manifest row ") + pl.col("manifest_row").cast(pl.String)
        detail = pl.coalesce(pl.col("citizenship_basis"), pl.col("open_route"),
                             pl.when(pl.col("flag") == "NOT_SCREENED").then(pl.lit("the row could not be read")))
        rows = chunk.filter(pl.col("flag").is_not_null()).with_columns(detail.fill_null("").alias("detail"))
        grouped = rows.group_by("flag", "detail", maintain_order=True).agg(pl.len().alias("n"),
                                                                          who.head(EXAMPLES).alias("who"))
        for flag, text, n, names in grouped.iter_rows():
            key = (flag, text)
            self.groups[key] += int(n)
            seen = self.examples.setdefault(key, [])
            seen.extend(names[:EXAMPLES - len(seen)])
        others = (rows.select("flag", "detail", pl.col("reason_codes").str.split(";"))
                  .explode("reason_codes", empty_as_null=True).drop_nulls()
                  .filter(pl.col("reason_codes") != pl.col("flag")).group_by("flag", "detail", "reason_codes").len())
        _add(self.also, others)

    def triage(self) -> list[dict[str, Any]]:
        rank = {f: i for i, f in enumerate(FLAG_ORDER)}
        order = {c: i for i, c in enumerate(OUTCOME_ORDER)}
        keys = sorted(self.groups, key=lambda k: (rank[k[0]], -self.groups[k], k[1]))
        out = []
        for f, d in keys:
            also = sorted(((code, n) for (ff, dd, code), n in self.also.items() if (ff, dd) == (f, d)),
                          key=lambda cn: order.get(cn[0], len(order)))
            out.append({"flag": f, "detail": d or None, "rows": self.groups[(f, d)],
                        "also": dict(also), "examples": self.examples[(f, d)]})
        return out

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
            "run_id": (run or {}).get("run_id"),
            "input_sha256": (run or {}).get("input_sha256"),
            "output_sha256": (run or {}).get("output_sha256"),
            "id_column": self.id_column,
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
            "triage": self.triage(),
        }

    def shown_rows(self, shown: dict[str, int]) -> pl.DataFrame:
        """The first rows of each category the page lists, in priority order."""
        parts = [pl.concat(self.heads[f]).head(shown[f]) for f in FLAG_ORDER if shown.get(f) and self.heads[f]]
        if parts:
            return pl.concat(parts)
        return pl.DataFrame(schema={c: pl.Int64 if c in ("manifest_row", "missing_count") else pl.String
                                    for c in self.columns})


def compute(prepared: Path, *, source: str, as_of: date, run: dict | None = None,
            on_flagged: Callable[[str, pl.DataFrame], None] | None = None,
            budget: int = SHOWN_BUDGET, id_column: str | None = None) -> tuple[dict[str, Any], pl.DataFrame]:
    """The figures and the rows the page lists, from the prepared file; each slice's flagged rows go to
    `on_flagged(category, rows)` as they are found (input order within each category)."""
    tally = Tally(flagged_columns(prepared), budget, id_column)
    for chunk in chunks(prepared):
        for flag, part in tally.add(chunk):
            if on_flagged is not None:
                on_flagged(flag, part)
    figs = tally.figures(source=source, as_of=as_of, run=run)
    return figs, tally.shown_rows(figs["shown"])
