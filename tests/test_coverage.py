"""Coverage by construction: every cell of the coverage table (place of birth x era of birth), walked at its
first day, its last day and a day in the middle with every other route closed as far as the vocabulary
allows. A cell whose law is not encoded must give `unknown` with the missing law named; `not_citizen` may come
only from a cell whose rules are named and exist. The rendered chart must match the table."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from safeguard.api import screen
from safeguard.engine.rules import REGISTRY
from safeguard.law.citizenship import coverage_table as T
from safeguard.law.citizenship.coverage import COVERAGE_CELLS, GAPS, Cell
from safeguard.law.citizenship.coverage_render import render_markdown

AS_OF = date(2026, 11, 23)
FLOOR = date(1890, 1, 1)   # first day walked for an era open to the past

# Every route the vocabulary can close, closed: no citizen or national parent, no naturalization, no
# residence in Puerto Rico on 1941-01-13, a foreign nationality kept in Guam, no Covenant §301 class.
CLOSED = {
    "mother_citizen_at_birth": False, "father_citizen_at_birth": False, "mother_national_at_birth": False,
    "father_national_at_birth": False, "mother_naturalized": False, "father_naturalized": False,
    "parents_married_at_birth": True, "adopted": False, "foundling": False, "naturalized": False, "lpr": False,
    "born_to_foreign_diplomat": False, "resided_in_us_territory_on_1941_01_13": False,
    "kept_foreign_nationality_before_1950_08_01": True, "ttpi_citizen_on_1986_11_03": False,
    "nmi_domicile_on_1986_11_03": "elsewhere", "nmi_domiciled_continuously_since_before_1974": False,
    "covenant_302_national_declaration": False, "nmi_domiciled_five_years_before_1986_11_04": False,
}
# For a cell that is not encoded only under a condition (its `gap`): the facts that close the gap, and
# those that open it (and leave every other route closed).
GAP_FACTS = {
    "pr_residence_not_shown": ({"resided_in_us_territory_on_1941_01_13": True},
                               {"resided_in_us_territory_on_1941_01_13": False}),
    "guam_kept_nationality_citizen_parent": ({}, {"mother_citizen_at_birth": True,
                                                  "mother_us_residence_before_birth": False}),
    "citizen_parent_possible": ({}, {"mother_citizen_at_birth": True, "mother_us_residence_before_birth": False}),
}
UNLISTED_CODE = "MX"


def walk_days(c: Cell) -> list[date]:
    first, last = c.first_day or FLOOR, c.last_day or AS_OF
    return sorted({first, date.fromordinal((first.toordinal() + last.toordinal()) // 2), last})


def code_of(c: Cell) -> str:
    return (T.PLACES[c.place][1] or (UNLISTED_CODE,))[0]


def cell_id(c: Cell) -> str:
    return f"{c.place}:{c.first_day or 'open'}..{c.last_day or 'open'}"


def test_every_gap_has_facts_to_walk_it():
    assert set(GAP_FACTS) == set(GAPS)


@pytest.mark.parametrize("cell", COVERAGE_CELLS, ids=[cell_id(c) for c in COVERAGE_CELLS])
def test_cell(cell: Cell):
    missing = [r for r in cell.rules if r not in REGISTRY]
    assert not missing, f"{cell_id(cell)} names rules that do not exist: {missing}"
    assert cell.rules or cell.not_encoded, f"{cell_id(cell)} names no rule and no missing law"
    variants = [(CLOSED, cell.not_encoded and not cell.gap)]
    if cell.gap:
        close, open_ = GAP_FACTS[cell.gap]
        variants = [({**CLOSED, **close}, False), ({**CLOSED, **open_}, True)]
    for facts, gap_open in variants:
        for day in walk_days(cell):
            case = {**facts, "birth_place": code_of(cell), "birth_date": day.isoformat()}
            doc = screen(case, as_of=AS_OF)
            cit = doc["citizenship"]
            where = f"{cell_id(cell)} born {day} with {case}: {cit}"
            if cell.contested:
                assert cit["status"] == "unknown" and cit["contested"], "a contested cell was decided: " + where
                moved = screen({**case, "destination_country": "SV"}, as_of=AS_OF)["transfer"]["outcome"]
                assert moved not in ("NO_BAR_FOUND", "SAFEGUARDS_REQUIRED"), where
            elif gap_open:
                assert cit["status"] == "unknown", "a cell whose law is not encoded was decided: " + where
                assert cit["not_encoded"] and cell.law in cit["not_encoded"], "missing law not named: " + where
                moved = screen({**case, "destination_country": "SV"}, as_of=AS_OF)["transfer"]["outcome"]
                assert moved not in ("NO_BAR_FOUND", "SAFEGUARDS_REQUIRED"), where
            else:
                assert cell.rules, where
                assert cit["status"] != "unknown", "every route is closed, yet no rule decides: " + where
                assert cit["not_encoded"] is None, where


def test_unknown_place_with_a_date_in_a_not_encoded_era_is_not_decided():
    """Born 1910 in an unknown place, with every parent route closed: the place might be the Virgin Islands
    (INA 306(a), not encoded) or Puerto Rico, so `not_citizen` may not be concluded."""
    doc = screen({**CLOSED, "birth_date": "1910-05-01"}, as_of=AS_OF)
    assert doc["citizenship"]["status"] == "unknown"
    assert "coverage" in doc["citizenship"]["not_encoded"]


def test_a_closed_foreign_birth_is_still_not_a_citizen():
    """The gate does not turn decided cases into unknowns: born in Mexico in 1990 to two non-citizens."""
    doc = screen({**CLOSED, "birth_place": "MX", "birth_date": "1990-05-01"}, as_of=AS_OF)
    assert doc["citizenship"]["status"] == "not_citizen"
    assert doc["citizenship"]["not_encoded"] is None


def test_rendered_coverage_doc_is_current():
    path = Path(__file__).resolve().parents[1] / "docs" / "coverage.md"
    assert path.read_text(encoding="utf-8") == render_markdown() + "\n", (
        "docs/coverage.md is out of date: run .venv/bin/python docs/coverage_build.py")


def test_every_cell_is_in_the_rendered_doc():
    text = render_markdown()
    for c in COVERAGE_CELLS:
        if c.law:
            assert " ".join(c.law.split()).replace("|", "\\|") in text, cell_id(c)


def test_foundling_presumption_is_listed_with_its_authority():
    """INA 301(f): a foundling's unknown birth place is taken as a U.S. birth, and the result says so."""
    doc = screen({"foundling": True}, as_of=AS_OF)
    assert doc["citizenship"]["status"] == "citizen"
    listed = [p for p in doc["presumptions"] if p["fact"] == "birth_place"]
    assert listed and listed[0]["presumed"] == "US" and "301(f)" in listed[0]["authority"]
    shown_abroad = screen({"foundling": True, "birth_place": "MX"}, as_of=AS_OF)
    assert not [p for p in shown_abroad["presumptions"] if p["fact"] == "birth_place"]
    assert shown_abroad["citizenship"]["status"] != "citizen"
