"""Facility check: what a transfer would do to a facility's crowding.

Pure arithmetic on the figures in the catalogue. Every number returned comes
with the sources of the figures it was computed from.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import ArrangementError, partial_date_key

if TYPE_CHECKING:
    from .model import Arrangement, Report


def latest_population_report(reports: list[Report]) -> Report | None:
    """The most recent confirmed report that gives a single value (not a range).

    Reports dated only by month or year sort before dated days of the same
    month or year; among equal dates the later entry in the file wins.
    """
    usable = [(partial_date_key(r.date), i, r) for i, r in enumerate(reports)
              if r.confirmed and r.value is not None]
    return max(usable, key=lambda t: (t[0], t[1]))[2] if usable else None


def _check_count(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ArrangementError(f"{name}: got {value!r}; expected a whole number >= 0")
    return value


def facility_occupancy(arrangement: Arrangement, added_persons: int, population: int | None = None) -> dict:
    """Occupancy of the arrangement's facility after adding `added_persons`.

    `population` is the number already held; when omitted, the latest
    confirmed single-value population report is used and named in the result.
    Shares are fractions (1.0 = full). Space per person uses total cell floor
    area only (cells x area per cell), not corridors or yards.
    """
    fac = arrangement.facility
    if fac is None:
        raise ArrangementError(
            f"arrangement {arrangement.id!r} has no facility; expected one for the facility check")
    added = _check_count("added_persons", added_persons)
    if population is None:
        report = latest_population_report(fac.population_reports)
        if report is None:
            raise ArrangementError(f"arrangement {arrangement.id!r}: no confirmed population report; "
                                   "expected the caller to give population")
        population = report.value
        population_basis = {
            "chosen": "latest confirmed single-value population report in the catalogue",
            "value": report.value, "qualifier": report.qualifier, "date": report.date,
            "sources": list(report.sources), "note": report.note,
        }
    else:
        population = _check_count("population", population)
        population_basis = {"chosen": "given by the caller", "value": population}

    after = population + added
    cells = fac.cells.value
    floor_m2 = cells * fac.cell_area_m2.value
    standard = fac.space_standard_m2_per_person
    m2_each = floor_m2 / after if after else None
    result: dict[str, Any] = {
        "arrangement": arrangement.id,
        "facility": fac.name,
        "population_used": population,
        "population_basis": population_basis,
        "added_persons": added,
        "occupancy_after": after,
        "design_capacity": {"value": fac.design_capacity.value, "sources": list(fac.design_capacity.sources)},
        "share_of_design_capacity": after / fac.design_capacity.value if fac.design_capacity.value else None,
        "alternative_capacity": None,
        "share_of_alternative_capacity": None,
        "cells": {"value": cells, "sources": list(fac.cells.sources)},
        "persons_per_cell": after / cells,
        "places_per_cell": fac.places_per_cell.value if fac.places_per_cell else None,
        "persons_per_place": (after / (cells * fac.places_per_cell.value)
                              if fac.places_per_cell and fac.places_per_cell.value else None),
        "cell_area_m2": {"value": fac.cell_area_m2.value, "sources": list(fac.cell_area_m2.sources),
                         "note": fac.cell_area_m2.note},
        "m2_per_person": m2_each,
        "reference_m2_per_person": {"value": standard.value, "sources": list(standard.sources),
                                    "note": standard.note, "confirmed": standard.confirmed},
        "below_reference_space": (m2_each < standard.value) if m2_each is not None else False,
    }
    alt = fac.alternative_capacity
    if alt is not None:
        result["alternative_capacity"] = {"value": alt.value, "sources": list(alt.sources),
                                          "confirmed": alt.confirmed, "note": alt.note}
        result["share_of_alternative_capacity"] = after / alt.value if alt.value else None
    return result
