"""Which screened rows a reviewer must stop or fix, and in which order, for the batch summary, the
report and --explain-flagged alike.

Flag categories, most serious first: the contract's BARRED_* and HOLD_* codes in the contract's order;
then NO_TRANSFER_SCREENED (no destination given, citizenship citizen, national or unknown); then
NOT_SCREENED (the row could not be read: `error` is set). "Must stop" is every category but the last.
"""

from __future__ import annotations

import polars as pl

from safeguard.law.removal.outcome import OUTCOMES

OUTCOME_ORDER = [code for code, _ in OUTCOMES] + ["SAFEGUARDS_REQUIRED", "NO_BAR_FOUND"]
STOP_CODES = [c for c in OUTCOME_ORDER if c.startswith(("BARRED_", "HOLD_"))]
HOLD_CODES = [c for c in STOP_CODES if c.startswith("HOLD_")]
NO_TRANSFER = "NO_TRANSFER_SCREENED"
NOT_SCREENED = "NOT_SCREENED"
FLAG_ORDER = STOP_CODES + [NO_TRANSFER, NOT_SCREENED]


def flag_expr() -> pl.Expr:
    """The row's flag category (null for a row a reviewer need not stop)."""
    outcome, status = pl.col("transfer_outcome"), pl.col("citizenship_status")
    return (pl.when(pl.col("error").is_not_null()).then(pl.lit(NOT_SCREENED))
            .when(outcome.is_in(STOP_CODES)).then(outcome)
            .when(outcome.is_null() & status.is_in(["citizen", "national", "unknown"])).then(pl.lit(NO_TRANSFER))
            .otherwise(None))


def must_stop() -> pl.Expr:
    """True for a screened row that must stop (barred, held, or no transfer with citizenship open or
    established); a row not screened is counted apart, as an error."""
    return flag_expr().is_in(FLAG_ORDER[:-1]).fill_null(False)
