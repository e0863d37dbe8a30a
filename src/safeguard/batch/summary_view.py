"""The batch summary in a terminal: a Rich table of rows in and out, outcomes, citizenship, the columns read
as facts and the run-wide facts. (`--format json` prints the same summary as JSON instead.)"""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from safeguard.result import DISCLAIMER


def _table(title: str, headers: tuple[str, ...], rows, right: tuple[int, ...] = ()) -> Table:
    table = Table(title=title, title_justify="left", show_edge=False)
    for i, h in enumerate(headers):
        table.add_column(h, justify="right" if i in right else "left")
    for row in rows:
        table.add_row(*(escape(str(c)) for c in row))
    return table


def print_summary(summary: dict, console: Console) -> None:
    """Rows in = rows out, then what came out, what was read, and what the whole run assumed."""
    same = "=" if summary["rows_in"] == summary["rows_out"] else "≠ (ROWS LOST OR ADDED)"
    console.print(f"[bold]rows in {summary['rows_in']:,} {same} rows out {summary['rows_out']:,}[/bold]; "
                  f"{summary['rows_with_error']:,} with errors (kept, the reason in 'error'); "
                  f"[bold]{summary['rows_flagged']:,} must stop[/bold]; {summary['seconds']:.1f} s "
                  f"({(summary['rows_per_second'] or 0):,} rows/s)", highlight=False)
    console.print(f"written to {escape(summary['output'])} · run {summary.get('run_id', '')}", highlight=False)
    if summary.get("questions_worked_out") is False:
        console.print("facts to ask not worked out (--no-questions): missing_facts is empty on every row; a held "
                      "row still needs its questions, from a run without --no-questions or `safeguard ask`",
                      highlight=False)
    rows = summary["rows_in"] or 1
    console.print(_table("Outcomes", ("transfer outcome", "rows", "share"),
                         [(k, f"{n:,}", f"{100 * n / rows:.1f}%") for k, n in summary["outcomes"].items()], (1, 2)))
    console.print(_table("Citizenship", ("status", "rows", "share"),
                         [(k, f"{n:,}", f"{100 * n / rows:.1f}%") for k, n in summary["citizenship"].items()], (1, 2)))
    cols = summary.get("columns") or {}
    read = cols.get("read_as_facts") or {}
    renamed = [(c, f) for c, f in read.items() if c != f]
    kept = [(c, "kept as given (pass-through)") for c in cols.get("pass_through") or []]
    kept += [(c, "looks like a fact, kept as given (--allow-unmapped / map)") for c in
             cols.get("fact_like_kept_as_given") or []]
    if cols:
        same = len(read) - len(renamed)
        console.print(f"Columns: {len(read)} read as facts ({same} under their own names"
                      f"{', the others as mapped below' if renamed else ''}); identifier: "
                      f"{escape(str(cols.get('id_column') or 'none'))}", highlight=False)
        if renamed or kept:
            console.print(_table("Columns not read under their own names", ("manifest column", "read as"),
                                 renamed + kept))
    wide = summary.get("run_wide_facts") or {}
    if wide:
        console.print(_table("Facts set for the whole run (a row's own value wins)",
                             ("fact", "run's value", "rows that gave their own"),
                             [(f, str(v["value"]), f"{v['rows_given_own_value']:,}") for f, v in wide.items()], (2,)))
    if summary.get("report"):
        console.print(f"report: {escape(summary['report'])}", highlight=False)
    console.print(f"[dim]{DISCLAIMER}[/dim]")
