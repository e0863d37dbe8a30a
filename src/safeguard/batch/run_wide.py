"""Facts set for a whole run from the command line: `batch --arrangement ID --assume-in-force`.

A what-if ("what if the 2025 offer were in force?") is a fact of each row (`arrangement`,
`arrangement_assumed_in_force`); a reviewer should not have to edit a million rows to ask it. The
run-wide value fills a row only where the row's own value is empty: a per-row fact always wins, and
the summary and the report say how many rows took the run's value and how many gave their own.

The fill is part of the map (`RunMap.apply`), so the screening and `--explain-flagged` read the same
facts. (`--as-of` works the same way and is applied by the screening itself, as the default date.)
"""

from __future__ import annotations

import difflib
from typing import Any

import polars as pl

from safeguard.batch.mapping import ColumnMap


class RunMap(ColumnMap):
    """A map plus the facts the whole run sets where a row leaves them empty."""

    fill: dict[str, Any] = {}

    def apply(self, frame: pl.DataFrame) -> pl.DataFrame:
        out = super().apply(frame)
        changes = []
        for fact, value in self.fill.items():
            if fact not in out.columns:
                changes.append(pl.lit(value).alias(fact))
            elif out.schema[fact] == pl.Boolean and isinstance(value, bool):
                changes.append(pl.col(fact).fill_null(value))
            else:
                text = pl.col(fact).cast(pl.Utf8)
                blank = text.is_null() | text.str.contains(r"^\s*$")
                changes.append(pl.when(blank).then(pl.lit(_text(value))).otherwise(text).alias(fact))
        return out.with_columns(changes) if changes else out

    def own_values(self, frame: pl.DataFrame) -> dict[str, int]:
        """Per run-wide fact, the rows of a (raw) chunk that give their own value, which wins."""
        mapped = ColumnMap.apply(self, frame)
        out = {}
        for fact in self.fill:
            if fact not in mapped.columns:
                out[fact] = 0
                continue
            text = mapped[fact].cast(pl.Utf8)
            out[fact] = int((text.is_not_null() & ~text.str.contains(r"^\s*$")).sum())
        return out


def _text(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def run_map(column_map: ColumnMap | None, fill: dict[str, Any], id_column: str | None) -> ColumnMap | None:
    """The map the run screens with: the user's map (or none), the run-wide facts, and the identifier
    column read as person_id (so --explain-flagged's documents carry it)."""
    columns = dict(column_map.columns) if column_map is not None else {}
    if id_column and id_column not in columns and id_column != "person_id" and "person_id" not in columns.values():
        columns[id_column] = "person_id"
    if column_map is None and not fill and columns == {}:
        return None
    base = column_map.model_dump() if column_map is not None else {}
    return RunMap.model_validate({**base, "columns": columns, "fill": fill})


def check_arrangement(arrangement_id: str) -> None:
    """--arrangement must name an arrangement of the catalogue (a typo must not read as no arrangement)."""
    from safeguard.arrangements import ArrangementError, get_arrangement
    from safeguard.arrangements.load import load_catalogue

    try:
        get_arrangement(arrangement_id)
    except ArrangementError:
        known = sorted(load_catalogue())
        close = difflib.get_close_matches(arrangement_id, known, n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise ValueError(f"--arrangement = {arrangement_id!r}: not an arrangement of the catalogue{hint}; "
                         f"known: {', '.join(known)}") from None
