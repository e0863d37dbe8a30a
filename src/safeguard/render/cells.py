"""Spreadsheet-safe text cells: a cell a spreadsheet would evaluate as a formula is neutralised.

OWASP's rule for CSV injection: a cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return
is prefixed with a single quote, so Excel, LibreOffice and Google Sheets show it as text instead of
running it (`=HYPERLINK(...)`, `=cmd|' /C calc'!A0`). Every CSV and XLSX the project writes goes through
this; Parquet and JSONL keep the original value.
Source: https://owasp.org/www-community/attacks/CSV_Injection
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """The value as a spreadsheet may show it: text starting like a formula gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def spreadsheet_safe_expr(column: str):
    """The same rule as a Polars expression over a text column (kept under its own name)."""
    import polars as pl

    col = pl.col(column)
    starts = pl.any_horizontal([col.str.starts_with(s) for s in FORMULA_STARTS])
    return pl.when(starts).then(pl.lit("'") + col).otherwise(col).alias(column)
