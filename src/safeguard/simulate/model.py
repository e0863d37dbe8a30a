"""The arithmetic of the offer: who is transferred, what it costs and saves, and how full the facility
gets. Plain functions on numbers or numpy arrays (one value per Monte Carlo run); no I/O.

Money is in U.S. dollars over the whole horizon unless a name says "per year" or "per person".
Everyone counted is taken as transferred at the start of the horizon and held to its end.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from safeguard.arrangements import Arrangement

DAYS_PER_YEAR = 365.0
Values = dict[str, np.ndarray]


@dataclass(frozen=True)
class FacilityFigures:
    """The facility's fixed figures from the arrangement catalogue (each with its source there)."""

    name: str
    design_capacity: float
    alternative_capacity: float | None
    cells: float
    cell_area_m2: float
    places_per_cell: float | None
    reference_m2_per_person: float

    @classmethod
    def of(cls, arrangement: Arrangement) -> FacilityFigures:
        fac = arrangement.facility
        return cls(fac.name, fac.design_capacity.value,
                   fac.alternative_capacity.value if fac.alternative_capacity else None,
                   fac.cells.value, fac.cell_area_m2.value,
                   fac.places_per_cell.value if fac.places_per_cell else None,
                   fac.space_standard_m2_per_person.value)


def persons_transferred(lawful: dict[str, float], cap: int | None, already: int) -> tuple[dict[str, float], float]:
    """Persons transferred = the persons the law lets through, limited to the arrangement's cap on
    persons minus those already transferred. When the cap binds, every custody group is cut in the
    same proportion. Returns the persons by group and the lawful persons left beyond the cap."""
    total = sum(lawful.values())
    if cap is None or total <= max(cap - already, 0):
        return dict(lawful), 0.0
    room = float(max(cap - already, 0))
    share = room / total if total else 0.0
    return {g: n * share for g, n in lawful.items()}, total - room


def _ratio(top, bottom) -> np.ndarray:
    """top / bottom, with NaN (shown as 'not defined') where bottom is zero."""
    top, bottom = np.asarray(top, dtype=float), np.asarray(bottom, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(bottom != 0, top / np.where(bottom != 0, bottom, 1.0), np.nan)


def us_cost_avoided(persons: dict[str, float], p: Values) -> np.ndarray:
    """U.S. cost avoided = BOP persons x BOP cost per inmate-year x years
    + state persons x state cost per inmate-year x years
    + ICE persons x ICE cost per bed-day x min(days of detention avoided, 365 x years).
    People held by no one the model knows (custody other or unknown) avoid no cost."""
    years = p["horizon_years"]
    bop = persons.get("bop", 0.0) * p["us_cost_bop_inmate_year"] * years
    state = persons.get("state", 0.0) * p["us_cost_state_inmate_year"] * years
    ice_days = np.minimum(p["ice_detention_days_avoided"], DAYS_PER_YEAR * years)
    ice = persons.get("ice", 0.0) * p["us_cost_ice_bed_day"] * ice_days
    return np.asarray(bop + state + ice, dtype=float)


def fees_paid(total_persons: float, p: Values) -> np.ndarray:
    """Fees paid = persons transferred x fee per person-year x years."""
    return np.asarray(total_persons * p["fee_per_person_year"] * p["horizon_years"], dtype=float)


def flights_needed(total_persons: float, p: Values) -> np.ndarray:
    """Flights = persons transferred / people per flight, rounded up to whole flights (one way)."""
    return np.ceil(np.asarray(total_persons / p["transport_people_per_flight"], dtype=float) - 1e-9).clip(min=0)


def transport_cost(total_persons: float, p: Values) -> np.ndarray:
    """Transport = flights x flight hours per flight x charter cost per flight hour."""
    return flights_needed(total_persons, p) * p["transport_hours_per_flight"] * p["transport_cost_per_flight_hour"]


def net_cost(fees, transport, one_off, avoided) -> np.ndarray:
    """Net cost to the U.S. = fees + transport + one-off costs - U.S. cost avoided.
    Positive: the transfers cost the U.S. more than holding the people; negative: a saving."""
    return np.asarray(fees + transport + one_off - avoided, dtype=float)


def occupancy(total_persons: float, current_population, fac: FacilityFigures) -> Values:
    """The facility after the transfers: people held = current population + persons transferred;
    shares of the design capacity and of the alternative estimate; floor space per person
    = cells x cell area / people held (cell floor only); people per cell = people held / cells."""
    after = np.asarray(current_population + total_persons, dtype=float)
    out = {
        "occupancy_before": np.asarray(current_population, dtype=float),
        "occupancy_after": after,
        "share_of_design_capacity": _ratio(after, fac.design_capacity),
        "spare_design_capacity_before": np.asarray(fac.design_capacity - current_population, dtype=float),
        "m2_per_person": _ratio(fac.cells * fac.cell_area_m2, after),
        "persons_per_cell": _ratio(after, fac.cells),
        "facilities_needed": _ratio(total_persons, fac.design_capacity),
    }
    if fac.alternative_capacity:
        out["share_of_alternative_capacity"] = _ratio(after, fac.alternative_capacity)
        out["spare_alternative_capacity_before"] = np.asarray(fac.alternative_capacity - current_population,
                                                              dtype=float)
    return out


def figures(persons: dict[str, float], p: Values, fac: FacilityFigures) -> Values:
    """Every figure of the model for one set of parameter values (or arrays of them, one per run)."""
    total = float(sum(persons.values()))
    years = np.asarray(p["horizon_years"], dtype=float)
    avoided = us_cost_avoided(persons, p)
    fees = fees_paid(total, p)
    transport = transport_cost(total, p)
    one_off = np.asarray(p["one_off_costs"], dtype=float)
    net = net_cost(fees, transport, one_off, avoided)
    person_years = total * years
    out = {
        "persons_transferred": total,
        "us_cost_avoided": avoided,
        "fees_paid": fees,
        "transport_cost": transport,
        "one_off_costs": one_off,
        "net_cost": net,
        "us_cost_avoided_per_year": avoided / years,
        "fees_paid_per_year": fees / years,
        "net_cost_per_year": net / years,
        "net_cost_per_person": _ratio(net, total),
        "net_cost_per_person_year": _ratio(net, person_years),
        "us_cost_avoided_per_person_year": _ratio(avoided, person_years),
        "fee_per_person_year": p["fee_per_person_year"],
        "fees_share_of_us_cost_avoided": _ratio(fees, avoided),
        "fees_per_year_share_of_sv_prison_budget": _ratio(fees / years, p["sv_prison_system_cost_per_year"]),
        "flights": flights_needed(total, p),
    }
    out.update(occupancy(total, p["current_population"], fac))
    shape = np.broadcast(*(np.asarray(v) for v in p.values())).shape
    return {k: np.broadcast_to(np.asarray(v, dtype=float), shape).copy() for k, v in out.items()}
