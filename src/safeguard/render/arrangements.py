"""The arrangement catalogue as a table, with each arrangement's status on a date."""

from __future__ import annotations

from datetime import date

from rich.console import Console
from rich.table import Table

from safeguard.arrangements import load_catalogue, status_on
from safeguard.law.removal.arrangement_terms import receiving_country


def render_arrangements(on: date, console: Console) -> None:
    table = Table(title=f"Arrangements — status on {on.isoformat()}", expand=True)
    for col in ("id", "kind", "status", "receiving country", "covers", "cap", "title"):
        table.add_column(col)
    for arr_id, arr in sorted(load_catalogue().items()):
        cov = arr.coverage
        covers = ("any nationality" if cov.nationalities == "any" else ", ".join(cov.nationalities)) + (
            "; convicted only" if cov.convicted_only else "")
        if cov.claims_to_cover_us_citizens:
            covers += "; claims to cover U.S. citizens (no legal effect)"
        table.add_row(arr_id, arr.kind, status_on(arr, on), receiving_country(arr) or "-", covers,
                      str(cov.max_persons or "-"), arr.title)
    console.print(table)
