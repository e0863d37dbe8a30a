"""Run a scenario end to end: build and screen the population once, then the central run, the Monte Carlo
over the cost and capacity parameters, and the sensitivity; and gather every figure into one document
(the JSON the report and the terminal summary are drawn from)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import polars as pl

from safeguard.arrangements import date_contested_on, facility_occupancy, get_arrangement, status_on
from safeguard.result import DISCLAIMER

from .load import LoadedScenario
from .model import DAYS_PER_YEAR, FacilityFigures, figures, persons_transferred
from .montecarlo import HIGH_PERCENTILE, LOW_PERCENTILE, central_values, draw, sensitivity, summarise
from .population import (
    GROUPS,
    NO_OUTCOME,
    OUTCOMES,
    UNREADABLE,
    PopulationCounts,
    build_population,
    count_outcomes,
    screen_population,
    transferable_outcomes,
)
from .provenance import bundled_parameters, provenance

MODEL_CAVEAT = ("The offer simulator is a model: its figures follow from the scenario's stated inputs, sources and "
                "assumptions, and from the project's encoded rules. They are not an official estimate or a prediction.")

# Every result of the model: its label and unit, in report order.
RESULTS = {
    "persons_barred_as_us_citizens_or_nationals": ("People the law bars as U.S. citizens or nationals", "people"),
    "persons_transferred": ("People transferred (the law lets them through)", "people"),
    "us_cost_avoided": ("U.S. cost avoided", "US$"),
    "fees_paid": ("Fees paid to the receiving country", "US$"),
    "transport_cost": ("Transport (charter flights)", "US$"),
    "one_off_costs": ("One-off costs", "US$"),
    "net_cost": ("Net cost to the U.S. (negative = saving)", "US$"),
    "us_cost_avoided_per_year": ("U.S. cost avoided per year", "US$ per year"),
    "fees_paid_per_year": ("Fees paid per year", "US$ per year"),
    "net_cost_per_year": ("Net cost per year (negative = saving)", "US$ per year"),
    "net_cost_per_person": ("Net cost per person", "US$ per person"),
    "net_cost_per_person_year": ("Net cost per person-year", "US$ per person-year"),
    "us_cost_avoided_per_person_year": ("U.S. cost avoided per person-year", "US$ per person-year"),
    "fee_per_person_year": ("Fee per person-year", "US$ per person-year"),
    "fees_share_of_us_cost_avoided": ("Fees as a share of the U.S. cost avoided", "share"),
    "fees_per_year_share_of_sv_prison_budget": ("Fees per year as a share of El Salvador's prison budget", "share"),
    "flights": ("Transfer flights", "flights"),
    "occupancy_before": ("People held at the facility before the transfers", "people"),
    "occupancy_after": ("People held at the facility after the transfers", "people"),
    "share_of_design_capacity": ("Occupancy as a share of the design capacity", "share"),
    "share_of_alternative_capacity": ("Occupancy as a share of the alternative capacity estimate", "share"),
    "spare_design_capacity_before": ("Spare places before the transfers (design capacity)", "people"),
    "spare_alternative_capacity_before": ("Spare places before the transfers (alternative estimate)", "people"),
    "m2_per_person": ("Cell floor space per person after the transfers", "m² per person"),
    "persons_per_cell": ("People per cell after the transfers", "people per cell"),
    "facilities_needed": ("Facilities of the design size needed for the people transferred alone", "facilities"),
}

# Totals summed over the whole horizon (their labels say so); the others are per year, per person or shares.
HORIZON_TOTALS = ("us_cost_avoided", "fees_paid", "transport_cost", "one_off_costs", "net_cost", "net_cost_per_person",
                  "flights")

OUTCOME_WORDS = {
    "BARRED_US_CITIZEN": "U.S. citizen: no law allows sending a citizen abroad",
    "BARRED_US_NATIONAL": "U.S. national (not a citizen): not removable",
    "HOLD_CITIZENSHIP_UNRESOLVED": "A route to U.S. citizenship is still open: hold until resolved",
    "BARRED_PROTECTION": "Withholding or CAT protection as to the destination",
    "BARRED_NO_FINAL_ORDER": "No final order of removal",
    "HOLD_PENDING_CLAIM": "A stay of removal or a pending fear claim",
    "OUTSIDE_ARRANGEMENT": "Outside the arrangement's terms (dates, destination, nationality, convictions, cap)",
    "SAFEGUARDS_REQUIRED": "No bar found, but required safeguards are unmet or unknown",
    "NO_BAR_FOUND": "No bar found and every safeguard recorded as met",
    UNREADABLE: "The row could not be read (bad value)",
    NO_OUTCOME: "No transfer outcome (no destination)",
}
GROUP_WORDS = {"bop": "federal prison (BOP)", "ice": "ICE detention", "state": "state prison",
               "other": "other or unknown custody"}
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Simulation:
    """The figures document, plus what it was computed from (for tests and the report)."""

    doc: dict
    screened: pl.DataFrame
    counts: PopulationCounts
    samples: dict[str, np.ndarray]


def _population_doc(counts: PopulationCounts, ok: tuple[str, ...], lawful: dict, moved: dict,
                    beyond_cap: float, cap: int | None, synthetic: dict | None) -> dict:
    codes = list(OUTCOMES) + [c for c in (UNREADABLE, NO_OUTCOME) if counts.rows_with(c)]
    rows = []
    for code in codes:
        r = counts.rows_with(code)
        rows.append({"outcome": code, "meaning": OUTCOME_WORDS[code], "transferable": code in ok, "rows": r,
                     "persons": r * counts.scale, "share": r / counts.rows if counts.rows else None,
                     "by_custody": {g: counts.rows_with(code, g) * counts.scale for g in GROUPS}})
    return {
        "kind": "synthetic" if synthetic else "manifest", "synthetic": synthetic,
        "rows": counts.rows, "represents": counts.represents, "people_per_row": counts.scale,
        "scale_basis": counts.scale_basis, "scale_sources": counts.scale_sources,
        "by_custody": {g: counts.rows_with(tuple(codes), g) * counts.scale for g in GROUPS},
        "custody_words": GROUP_WORDS,
        "by_outcome": rows,
        "transferable_outcomes": list(ok),
        "lawful_persons": sum(lawful.values()), "lawful_persons_by_custody": lawful,
        "arrangement_cap": cap, "beyond_cap": beyond_cap,
        "transferred_persons": sum(moved.values()), "transferred_persons_by_custody": moved,
    }


def _parameters_doc(loaded: LoadedScenario) -> list[dict]:
    sc = loaded.scenario
    sections = {**{n: "costs" for n in type(sc.costs).model_fields},
                **{n: "facility" for n in type(sc.facility).model_fields},
                **{n: "context" for n in type(sc.context).model_fields}}
    bundled = bundled_parameters(sc.id, loaded.path)
    return [{"name": name, "section": sections[name], **p.model_dump(), "central": p.central, "sampling": p.sampling,
             "provenance": provenance(name, p, bundled)}
            for name, p in sc.parameters().items()]


def _assumptions(counts: PopulationCounts, synthetic: bool) -> list[str]:
    out = [
        "Everyone counted is transferred at the start of the horizon and held to its end.",
        "U.S. cost avoided uses average costs (the BOP's cost of incarceration fee, ICE's bed rate). Moving some "
        "people out does not save all of it, because staff and buildings remain, so it is an upper bound.",
        "A federal prisoner who is not transferred is taken to stay in BOP custody for the whole horizon "
        "(remaining sentences are not modelled). An ICE detainee would otherwise be held only until removed.",
        "Transport counts one-way charter flights. The flight home that an ICE detainee's removal would have "
        "needed anyway is not subtracted, so transport somewhat overstates the added cost.",
        "The intervals cover the ranges in the scenario only, each sampled independently (no correlations).",
        "Who may be transferred is decided by the project's encoded rules on the facts in each row; unknown "
        "facts are never guessed, so a person with an open question is held, not counted.",
    ]
    if synthetic:
        out.append(f"The population is synthetic: each of the {counts.rows:,} rows stands for "
                   f"{counts.scale:,.2f} people. A count of r rows carries a sampling error of about 1/sqrt(r) "
                   "(e.g. 10% for 100 rows), which the intervals do not include.")
    return out


def _unit_costs(params: dict) -> list[dict]:
    """Cost of holding one person for a year in each place, against the fee: central value and range."""
    years = params["horizon_years"].central

    def span(label: str, low: float, central: float, high: float) -> dict:
        return {"label": label, "low": low, "central": central, "high": high, "unit": "US$ per person-year"}

    bop, bed, days, fee = (params[n] for n in ("us_cost_bop_inmate_year", "us_cost_ice_bed_day",
                                                "ice_detention_days_avoided", "fee_per_person_year"))

    def ice_avoided(b: float, d: float) -> float:
        return b * min(d, DAYS_PER_YEAR * years) / years

    return [
        span("Federal prison (BOP cost of incarceration fee)", bop.low, bop.central, bop.high),
        span("ICE detention for a full year (bed-day cost x 365)", *(p * DAYS_PER_YEAR for p in
                                                                     (bed.low, bed.central, bed.high))),
        span("ICE detention a transfer actually avoids (bed-day cost x days avoided)",
             ice_avoided(bed.low, days.low), ice_avoided(bed.central, days.central), ice_avoided(bed.high, days.high)),
        span("Fee paid to the receiving country", fee.low, fee.central, fee.high),
    ]


def run_simulation(loaded: LoadedScenario, runs: int | None = None, seed: int | None = None,
                   progress: Progress | None = None) -> Simulation:
    """Screen the population once, then compute every figure: central run, Monte Carlo, sensitivity."""
    sc = loaded.scenario
    step = progress or (lambda name, done, total: None)
    arrangement = get_arrangement(sc.arrangement)
    step("population", 0, 1)
    frame, represents, basis, sources = build_population(loaded, arrangement)
    step("population", 1, 1)
    screened = screen_population(frame, sc.as_of, progress=lambda done, total: step("screening", done, total))
    counts = count_outcomes(screened, represents, basis, sources)
    ok = transferable_outcomes(sc.transferable.include_safeguards_required)
    lawful = {g: counts.persons_with(ok, g) for g in GROUPS}
    cap = arrangement.coverage.max_persons
    moved, beyond_cap = persons_transferred(lawful, cap, sc.population.persons_already_transferred)

    runs = sc.monte_carlo.runs if runs is None else runs
    seed = sc.monte_carlo.seed if seed is None else seed
    step("monte_carlo", 0, 1)
    params = sc.parameters()
    fac = FacilityFigures.of(arrangement)
    central = figures(moved, central_values(params), fac)
    samples = figures(moved, draw(params, runs, seed), fac)
    citizens = counts.persons_with(("BARRED_US_CITIZEN", "BARRED_US_NATIONAL"))
    central["persons_barred_as_us_citizens_or_nationals"] = np.array([citizens])
    samples["persons_barred_as_us_citizens_or_nationals"] = np.full(runs, citizens)
    horizon = params["horizon_years"]
    over = (f"over the {horizon.value:g}-year horizon" if not horizon.is_range else
            f"over the horizon ({horizon.min:g} to {horizon.max:g} years)")
    results = {k: {"label": f"{label} {over}" if k in HORIZON_TOTALS else label, "unit": unit,
                   **summarise(samples[k], central[k][0])}
               for k, (label, unit) in RESULTS.items() if k in central}
    for r in results.values():  # the figure to quote: the median, inside its own interval by construction
        r["headline"] = r["p50"] if r["p50"] is not None else r["central"]
    net_sensitivity = sensitivity(params, lambda v: figures(moved, v, fac)["net_cost"][0])
    step("monte_carlo", 1, 1)

    synthetic = sc.population.synthetic.model_dump() if sc.population.synthetic else None
    check = facility_occupancy(arrangement, int(round(sum(moved.values()))),
                               int(round(params["current_population"].central)))
    doc = {
        "title": sc.title,
        "disclaimer": DISCLAIMER,
        "model_caveat": MODEL_CAVEAT,
        "scenario": {
            "id": sc.id, "title": sc.title, "description": sc.description, "file": str(loaded.path),
            "as_of": sc.as_of.isoformat(),
            "arrangement": {"id": arrangement.id, "title": arrangement.title, "kind": arrangement.kind,
                            "status_on_as_of": status_on(arrangement, sc.as_of) + (
                                f" (contested: {c})" if (c := date_contested_on(arrangement, sc.as_of)) else ""),
                            "cap_on_persons": cap},
            "assume_in_force": sc.assume_in_force, "assume_in_force_reason": sc.assume_in_force_reason,
            "transferable": {"include_safeguards_required": sc.transferable.include_safeguards_required,
                             "reason": sc.transferable.reason, "outcomes": list(ok)},
            "monte_carlo": {"runs": runs, "seed": seed, "interval": f"{LOW_PERCENTILE:g}th-{HIGH_PERCENTILE:g}th "
                            "percentile", "method": "each range sampled independently: triangular (min, mode, "
                            "max) when it has a mode, else uniform; central run at each value, mode or midpoint"},
        },
        "population": _population_doc(counts, ok, lawful, moved, beyond_cap, cap, synthetic),
        "facility": {"name": fac.name, "design_capacity": fac.design_capacity,
                     "alternative_capacity": fac.alternative_capacity, "cells": fac.cells,
                     "cell_area_m2": fac.cell_area_m2, "places_per_cell": fac.places_per_cell,
                     "reference_m2_per_person": fac.reference_m2_per_person, "catalogue_check": check},
        "results": results,
        "unit_costs": _unit_costs(params),
        "sensitivity": {"result": "net_cost", "label": RESULTS["net_cost"][0], "rows": net_sensitivity},
        "parameters": _parameters_doc(loaded),
        "claims": [{**c.model_dump(), "figure": {"name": c.compare, **results[c.compare]}}
                   for c in sc.claims if c.compare in results],
        "assumptions": _assumptions(counts, synthetic is not None),
    }
    return Simulation(doc, screened, counts, samples)
