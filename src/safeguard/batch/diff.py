"""`safeguard diff OLD NEW`: who changed outcome between two screened files, and why (the reviewer's
weekly question).

Rows are matched by the person's identifier (`--id-column`, default person_id) when both files have
it, else by manifest row (two screenings of the same manifest). For each person whose outcome,
citizenship status or reasons changed, the diff gives the old and new values and the input facts whose
values differ (the "why"); people only in OLD or only in NEW are listed as removed or added.
Duplicated identifiers are refused: matching them would pair the wrong people.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from safeguard.batch.io import ManifestError, read_manifest
from safeguard.batch.run import RESULT_COLUMNS
from safeguard.facts.schema import fact_specs
from safeguard.render.cells import spreadsheet_safe_expr

COMPARED = ["transfer_outcome", "citizenship_status", "reason_codes"]
NONE = "(none)"


class DiffError(ValueError):
    """The two files cannot be compared; the message says why."""


def _load(path: Path, id_column: str | None) -> pl.DataFrame:
    try:
        frame = read_manifest(path)
    except ManifestError as e:
        raise DiffError(str(e)) from None
    absent = [c for c in RESULT_COLUMNS if c not in frame.columns]
    if absent:
        raise DiffError(f"{path}: not a screened file (no column {', '.join(absent)}); run 'safeguard batch' first")
    frame = frame.with_row_index("manifest_row", offset=1)
    text = [c for c in frame.columns if c != "manifest_row"]
    return frame.with_columns(pl.col(c).cast(pl.String) for c in text)


def _key(old: pl.DataFrame, new: pl.DataFrame, id_column: str | None) -> str:
    wanted = id_column or "person_id"
    if wanted in old.columns and wanted in new.columns:
        for name, frame in (("OLD", old), ("NEW", new)):
            dup = frame.filter(pl.col(wanted).is_not_null() & pl.col(wanted).is_duplicated())[wanted]
            if dup.len():
                raise DiffError(f"{name}: identifier {dup[0]!r} appears more than once in column {wanted!r}; "
                                "each person needs their own identifier to be matched")
        return wanted
    if id_column:
        raise DiffError(f"--id-column {id_column!r}: not a column of both files")
    if old.height != new.height:
        raise DiffError(f"no identifier column (person_id or --id-column) in both files, and they have "
                        f"{old.height:,} and {new.height:,} rows: they cannot be matched row by row")
    return "manifest_row"


def diff_frames(old: pl.DataFrame, new: pl.DataFrame, id_column: str | None = None) -> tuple[pl.DataFrame, dict]:
    """The changed, added and removed people, and a summary (transitions old -> new outcome, with counts)."""
    key = _key(old, new, id_column)
    specs = fact_specs()
    facts = [c for c in dict.fromkeys(old.columns + new.columns) if c in specs and c != key]
    old = old.with_columns(pl.lit(None, pl.String).alias(f) for f in facts if f not in old.columns)
    new = new.with_columns(pl.lit(None, pl.String).alias(f) for f in facts if f not in new.columns)
    joined = old.join(new, on=key, how="full", suffix="_new", coalesce=True)
    outcome = lambda c: pl.col(c).fill_null(NONE)  # noqa: E731 - a row without a transfer outcome
    differs = {c: outcome(c).ne_missing(outcome(f"{c}_new")) for c in COMPARED}
    present_old = pl.col("citizenship_status").is_not_null() | pl.col("error").is_not_null()
    present_new = pl.col("citizenship_status_new").is_not_null() | pl.col("error_new").is_not_null()
    why = [pl.when(pl.col(f).ne_missing(pl.col(f"{f}_new"))).then(
        pl.concat_str([pl.lit(f"{f}: "), pl.col(f).fill_null("unknown"), pl.lit(" → "),
                       pl.col(f"{f}_new").fill_null("unknown")])) for f in facts]
    change = (pl.when(~present_old).then(pl.lit("added")).when(~present_new).then(pl.lit("removed"))
              .when(differs["transfer_outcome"]).then(pl.lit("outcome changed"))
              .when(differs["citizenship_status"]).then(pl.lit("citizenship changed"))
              .when(differs["reason_codes"]).then(pl.lit("reasons changed")))
    rank = {"outcome changed": 0, "citizenship changed": 1, "added": 2, "removed": 3, "reasons changed": 4}
    keep = [pl.col("manifest_row")] if key == "manifest_row" else \
        [pl.col(key), pl.col("manifest_row").alias("old_manifest_row"), pl.col("manifest_row_new").alias("new_manifest_row")]
    out = (joined.with_columns(change.alias("change"),
                               (pl.concat_str(why, separator="; ", ignore_nulls=True) if why else pl.lit(None))
                               .alias("facts_changed"))
           .filter(pl.col("change").is_not_null())
           .with_columns(pl.when(pl.col("facts_changed") != "").then(pl.col("facts_changed")).alias("facts_changed"))
           .sort(pl.col("change").replace_strict(rank, return_dtype=pl.Int32), "manifest_row")
           .select(*keep, "change", pl.col("transfer_outcome").alias("old_outcome"),
                   pl.col("transfer_outcome_new").alias("new_outcome"),
                   pl.col("citizenship_status").alias("old_citizenship"),
                   pl.col("citizenship_status_new").alias("new_citizenship"),
                   pl.col("reason_codes").alias("old_reasons"), pl.col("reason_codes_new").alias("new_reasons"),
                   pl.col("error").alias("old_error"), pl.col("error_new").alias("new_error"), "facts_changed"))
    transitions = (out.group_by(pl.col("old_outcome").fill_null(NONE), pl.col("new_outcome").fill_null(NONE),
                                "change").len().sort("len", descending=True))
    summary = {"matched_by": key, "rows_old": old.height, "rows_new": new.height,
               "outcome_changed": int((out["change"] == "outcome changed").sum()),
               "citizenship_changed": int((out["change"] == "citizenship changed").sum()),
               "reasons_changed": int((out["change"] == "reasons changed").sum()),
               "added": int((out["change"] == "added").sum()),
               "removed": int((out["change"] == "removed").sum()),
               "transitions": [{"old": o, "new": n, "change": c, "rows": int(k)} for o, n, c, k in
                               transitions.iter_rows()]}
    return out, summary


def write_diff_csv(changes: pl.DataFrame, path: Path) -> None:
    """The changes as CSV, every text cell spreadsheet-safe."""
    safe = [spreadsheet_safe_expr(c) if changes.schema[c] == pl.String else pl.col(c) for c in changes.columns]
    changes.select(safe).write_csv(path)


def run_diff(old_path: Path, new_path: Path, id_column: str | None, out: Path | None, fmt: str, console) -> dict:
    """Compare, print (a table, or JSON), and write the changes to `out` (.csv) when asked."""
    import json

    from rich.markup import escape
    from rich.table import Table

    if fmt not in ("text", "json"):
        raise DiffError(f"--format = {fmt!r}: expected text or json")
    if out is not None and out.suffix.lower() != ".csv":
        raise DiffError(f"--out {out}: expected a .csv file name")
    changes, summary = diff_frames(_load(old_path, id_column), _load(new_path, id_column), id_column)
    summary = {"old": str(old_path), "new": str(new_path), **summary}
    if out is not None:
        write_diff_csv(changes, out)
        summary["written"] = str(out)
    if fmt == "json":
        print(json.dumps({**summary, "rows": changes.head(1000).to_dicts()}, indent=2, ensure_ascii=False))
        return summary
    console.print(f"{escape(str(old_path))} → {escape(str(new_path))}: matched by {summary['matched_by']}; "
                  f"{summary['outcome_changed']:,} changed outcome, {summary['citizenship_changed']:,} citizenship only, "
                  f"{summary['reasons_changed']:,} reasons only, {summary['added']:,} added, "
                  f"{summary['removed']:,} removed",
                  highlight=False)
    table = Table(title="Who changed outcome", title_justify="left")
    for col in ("old outcome", "new outcome", "change", "rows"):
        table.add_column(col, justify="right" if col == "rows" else "left")
    for t in summary["transitions"]:
        table.add_row(escape(t["old"]), escape(t["new"]), t["change"], f"{t['rows']:,}")
    console.print(table)
    shown = Table(title="First changes, and why (the input facts that differ)", title_justify="left")
    key = summary["matched_by"]
    for col in (key, "change", "old → new", "facts changed"):
        shown.add_column(col)
    for r in changes.filter(pl.col("change") != "reasons changed").head(20).iter_rows(named=True):
        shown.add_row(escape(str(r[key])), r["change"], escape(f"{r['old_outcome'] or NONE} → {r['new_outcome'] or NONE}"),
                      escape(r["facts_changed"] or "(no input fact differs: the law or the run's settings did)"))
    console.print(shown)
    return summary
