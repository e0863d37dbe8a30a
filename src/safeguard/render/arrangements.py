"""The arrangement catalogue as a table, with each arrangement's status on a date."""

from __future__ import annotations

from datetime import date

from rich.console import Console
from rich.table import Table

from safeguard.arrangements import date_contested_on, facility_occupancy, load_catalogue, status_on
from safeguard.law.removal.arrangement_terms import receiving_country


def render_arrangements(on: date, console: Console, add: int = 0) -> None:
    table = Table(title=f"Arrangements — status on {on.isoformat()}", expand=True)
    for col in ("id", "kind", "status", "receiving country", "covers", "cap", "title"):
        table.add_column(col, overflow="fold", min_width=19 if col == "id" else None)
    for arr_id, arr in sorted(load_catalogue().items()):
        cov = arr.coverage
        covers = ("any nationality" if cov.nationalities == "any" else ", ".join(cov.nationalities)) + (
            "; convicted only" if cov.convicted_only else "")
        if cov.claims_to_cover_us_citizens:
            covers += "; claims to cover U.S. citizens (no legal effect)"
        contested = date_contested_on(arr, on)
        status = status_on(arr, on) + (f" (contested: {contested})" if contested else "")
        table.add_row(arr_id, arr.kind, status, receiving_country(arr) or "-", covers,
                      str(cov.max_persons or "-"), arr.title)
    console.print(table)
    for arr_id, arr in sorted(load_catalogue().items()):
        if arr.facility is None or add <= 0:
            continue
        f = facility_occupancy(arr, add)
        console.print(f"{arr_id}: {f['facility']} with {add:,} more people: {f['occupancy_after']:,} held "
                      f"(population used {f['population_used']:,}), {f['share_of_design_capacity']:.0%} of design "
                      f"capacity, {f['share_of_alternative_capacity']:.0%} of the alternative estimate, "
                      f"{f['persons_per_cell']:.0f} per cell, {f['m2_per_person']:.2f} m2 each "
                      f"(reference {f['reference_m2_per_person']['value'] if isinstance(f['reference_m2_per_person'], dict) else f['reference_m2_per_person']} m2)")
