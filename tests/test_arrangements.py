"""Tests for the arrangement catalogue (safeguard.arrangements)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from pydantic import ValidationError

from safeguard.arrangements import (
    Arrangement,
    ArrangementError,
    date_contested_on,
    facility_occupancy,
    get_arrangement,
    in_force_on,
    load_catalogue,
    status_on,
)
from safeguard.arrangements.load import CATALOGUE_DIR

IDS = {"sv-cecot-2025", "sv-cecot-2025-grant", "sv-aca-2019", "gtmo-2025"}
D = dt.date.fromisoformat


@pytest.fixture
def copied(tmp_path: Path) -> Path:
    """A private copy of the catalogue folder that a test may damage."""
    folder = tmp_path / "catalogue"
    shutil.copytree(CATALOGUE_DIR, folder)
    return folder


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, f"test setup: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- loading -----------------------------------------------------------------

def test_all_four_files_load_and_validate():
    catalogue = load_catalogue()
    assert set(catalogue) == IDS
    for arr_id, arr in catalogue.items():
        assert isinstance(arr, Arrangement)
        assert (CATALOGUE_DIR / f"{arr_id}.yaml").is_file()
        assert arr.sources and all(s.url.startswith("http") for s in arr.sources)


def test_catalogue_is_cached_and_read_only():
    first, second = load_catalogue(), load_catalogue()
    assert first["sv-aca-2019"] is second["sv-aca-2019"]
    first.pop("sv-aca-2019")  # the returned dict is a copy
    assert "sv-aca-2019" in load_catalogue()
    with pytest.raises(ValidationError):
        second["sv-aca-2019"].title = "changed"


def test_unknown_id_lists_known_ids():
    with pytest.raises(ArrangementError) as err:
        get_arrangement("sv-cecot-2026")
    message = str(err.value)
    assert "sv-cecot-2026" in message
    for arr_id in IDS:
        assert arr_id in message


def test_cecot_facility_block_is_the_same_in_offer_and_grant():
    offer, grant = get_arrangement("sv-cecot-2025"), get_arrangement("sv-cecot-2025-grant")
    assert offer.facility is not None and offer.facility == grant.facility


def test_required_contents():
    offer = get_arrangement("sv-cecot-2025")
    assert offer.kind == "offer"
    assert offer.coverage.nationalities == "any"
    assert offer.coverage.convicted_only is True
    assert offer.coverage.claims_to_cover_us_citizens is True
    assert offer.money.fee_per_person_year_usd.value is None
    fac = offer.facility
    assert (fac.design_capacity.value, fac.alternative_capacity.value) == (40000, 20480)
    assert (fac.blocks.value, fac.cells_per_block.value, fac.cells.value) == (8, 32, 256)
    assert (fac.cell_area_m2.value, fac.places_per_cell.value) == (100, 80)

    grant = get_arrangement("sv-cecot-2025-grant")
    assert grant.kind == "grant" and grant.coverage.max_persons == 300
    assert grant.dates.signed.date == D("2025-03-22")
    assert any(s.usd == 4_760_000 for s in grant.money.sums_reported)
    assert any(s.usd == 6_000_000 for s in grant.money.sums_reported)
    assert grant.money.fee_per_person_year_usd.value == pytest.approx(4_760_000 / 238, rel=0.01)
    first_flights = [e for e in grant.events if e.date == "2025-03-15" and e.persons == 261]
    assert first_flights and 238 + 23 == 261
    assert any(e.date == "2025-07-18" and e.persons == 252 for e in grant.events)

    aca = get_arrangement("sv-aca-2019")
    assert aca.facility is None and aca.dates.suspended.date == D("2021-02-06")
    assert get_arrangement("gtmo-2025").kind == "operation"


def test_unconfirmed_figures_are_marked():
    fac = get_arrangement("sv-cecot-2025").facility
    statista = [r for r in fac.population_reports if r.value == 25000]
    assert statista and statista[0].confirmed is False
    gtmo = get_arrangement("gtmo-2025")
    assert any(u.usd == 16540 and not u.confirmed for u in gtmo.money.unit_costs)


def test_package_does_not_read_shared_folder():
    package = CATALOGUE_DIR.parent
    for path in list(package.glob("*.py")) + list(CATALOGUE_DIR.glob("*.yaml")):
        assert "/work/shared" not in path.read_text(encoding="utf-8"), path


# --- status ------------------------------------------------------------------

@pytest.mark.parametrize(("arr_id", "day", "expected"), [
    ("sv-aca-2019", "2019-09-19", "not_yet_announced"),
    ("sv-aca-2019", "2019-09-20", "signed"),
    ("sv-aca-2019", "2020-12-14", "signed"),
    ("sv-aca-2019", "2020-12-15", "in_force"),
    ("sv-aca-2019", "2021-02-05", "in_force"),
    ("sv-aca-2019", "2021-02-06", "suspended"),
    ("sv-aca-2019", "2030-01-01", "suspended"),
    ("sv-cecot-2025", "2025-02-02", "not_yet_announced"),
    ("sv-cecot-2025", "2025-02-03", "announced"),
    ("sv-cecot-2025", "2026-06-01", "announced"),
    ("sv-cecot-2025-grant", "2025-03-14", "not_yet_announced"),
    ("sv-cecot-2025-grant", "2025-03-15", "announced"),
    ("sv-cecot-2025-grant", "2025-03-21", "announced"),
    ("sv-cecot-2025-grant", "2025-03-22", "in_force"),
    ("sv-cecot-2025-grant", "2025-07-17", "in_force"),
    ("sv-cecot-2025-grant", "2025-07-18", "ended"),
    ("sv-cecot-2025-grant", "2026-01-01", "ended"),
    ("gtmo-2025", "2025-02-03", "not_yet_announced"),
    ("gtmo-2025", "2025-02-04", "in_force"),
    ("gtmo-2025", "2025-12-31", "in_force"),
])
def test_status_on(arr_id, day, expected):
    arr = get_arrangement(arr_id)
    assert status_on(arr, D(day)) == expected
    assert in_force_on(arr, D(day)) is (expected == "in_force")


def test_status_on_accepts_datetime_and_rejects_text():
    arr = get_arrangement("sv-aca-2019")
    assert status_on(arr, dt.datetime(2019, 9, 20, 23, 59)) == "signed"
    with pytest.raises(TypeError):
        status_on(arr, "2019-09-20")


@pytest.mark.parametrize("day, contested", [
    ("2025-03-14", None), ("2025-03-15", "start"), ("2025-03-21", "start"), ("2025-03-22", None),
    ("2025-07-17", None), ("2025-07-18", "ended"), ("2026-03-21", "ended"), ("2026-03-22", None),
])
def test_grant_dates_the_sources_only_bound_are_contested(day, contested):
    """The grant letter is dated 2025-03-22 but pays for the transfers of 2025-03-15/16, and ran up to a year
    after the Venezuelans' return on 2025-07-18 (Democracy Forward's release of the letter): the days between
    are contested, the central reading is still what status_on gives."""
    got = date_contested_on(get_arrangement("sv-cecot-2025-grant"), D(day))
    assert (got is None) if contested is None else (contested in got), got


def test_bounds_only_on_an_unconfirmed_date(copied: Path):
    path = copied / "gtmo-2025.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  in_force:\n")
    path.write_text(text[:start] + text[start:].replace("    date: 2025-02-04\n", "    date: 2025-02-04\n    earliest: 2025-02-01\n", 1),
                    encoding="utf-8")
    with pytest.raises(ArrangementError, match="only on an unconfirmed date"):
        load_catalogue(copied)


# --- rejected files ------------------------------------------------------------

def test_unknown_key_is_rejected_with_field_path(copied: Path):
    path = copied / "sv-cecot-2025.yaml"
    _edit(path, "  cells_per_block:\n", "  cell_per_block:\n")
    with pytest.raises(ArrangementError) as err:
        load_catalogue(copied)
    message = str(err.value)
    assert "sv-cecot-2025.yaml" in message
    assert "facility.cell_per_block" in message
    assert "no such key" in message and "cells_per_block" in message  # lists allowed keys


def test_unknown_top_level_key_is_rejected(copied: Path):
    path = copied / "gtmo-2025.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "colour: red\n", encoding="utf-8")
    with pytest.raises(ArrangementError, match=r"gtmo-2025\.yaml(.|\n)*field colour: got 'red'"):
        load_catalogue(copied)


@pytest.mark.parametrize("bad", ["2019-09-31", "20 Sept 2019", "2019-9-20", "2019"])
def test_malformed_date_is_rejected_with_field_path(copied: Path, bad: str):
    path = copied / "sv-aca-2019.yaml"
    _edit(path, "  signed:\n    date: 2019-09-20\n", f"  signed:\n    date: '{bad}'\n")
    with pytest.raises(ArrangementError) as err:
        load_catalogue(copied)
    message = str(err.value)
    assert "sv-aca-2019.yaml" in message
    assert "dates.signed.date" in message
    assert bad in message and "YYYY-MM-DD" in message


def test_unquoted_impossible_date_is_rejected_with_field_path(copied: Path):
    path = copied / "sv-aca-2019.yaml"
    _edit(path, "  signed:\n    date: 2019-09-20\n", "  signed:\n    date: 2019-02-30\n")
    with pytest.raises(ArrangementError, match=r"dates\.signed\.date: got '2019-02-30'"):
        load_catalogue(copied)


def test_dates_out_of_order_are_rejected(copied: Path):
    path = copied / "sv-aca-2019.yaml"
    _edit(path, "    date: 2021-02-06\n", "    date: 2019-01-01\n")
    with pytest.raises(ArrangementError, match="suspended"):
        load_catalogue(copied)


def test_bad_country_code_and_missing_source_are_rejected(copied: Path):
    path = copied / "gtmo-2025.yaml"
    _edit(path, "    country: US\n", "    country: USA\n")
    with pytest.raises(ArrangementError, match=r"parties\.0\.country: got 'USA'"):
        load_catalogue(copied)


def test_url_not_in_source_list_is_rejected(copied: Path):
    path = copied / "sv-aca-2019.yaml"
    _edit(path, "      - http://www.ielr.com/", "      - https://example.org/x\n      - http://www.ielr.com/")
    with pytest.raises(ArrangementError, match="https://example.org/x"):
        load_catalogue(copied)


def test_file_name_must_match_id(copied: Path):
    (copied / "gtmo-2025.yaml").rename(copied / "gtmo.yaml")
    with pytest.raises(ArrangementError, match=r"gtmo\.yaml: field id: got 'gtmo-2025'"):
        load_catalogue(copied)


# --- facility check --------------------------------------------------------------

def test_cecot_occupancy_with_given_population():
    cecot = get_arrangement("sv-cecot-2025")
    result = facility_occupancy(cecot, added_persons=300, population=14_532)
    after = 14_532 + 300  # 14,832 people
    cells = 8 * 32  # 256 cells (VRT)
    assert result["population_used"] == 14_532
    assert result["population_basis"]["chosen"] == "given by the caller"
    assert result["occupancy_after"] == after
    assert result["share_of_design_capacity"] == pytest.approx(after / 40_000)  # 0.3708
    assert result["share_of_alternative_capacity"] == pytest.approx(after / 20_480)  # 0.7242
    assert result["persons_per_cell"] == pytest.approx(after / cells)  # 57.94
    assert result["persons_per_place"] == pytest.approx(after / (cells * 80))
    assert result["m2_per_person"] == pytest.approx(256 * 100 / 14_832)  # 1.726 m2
    assert result["reference_m2_per_person"]["value"] == 3.4
    assert result["reference_m2_per_person"]["sources"]
    assert result["below_reference_space"] is True
    assert result["design_capacity"]["sources"] and result["alternative_capacity"]["sources"]


def test_cecot_occupancy_defaults_to_latest_report():
    result = facility_occupancy(get_arrangement("sv-cecot-2025"), added_persons=0)
    basis = result["population_basis"]
    assert result["population_used"] == 15_000
    assert basis["date"] == "2025-03" and basis["sources"]
    assert "latest" in basis["chosen"]


def test_occupancy_rejects_bad_input_and_missing_facility():
    cecot = get_arrangement("sv-cecot-2025")
    with pytest.raises(ArrangementError):
        facility_occupancy(cecot, added_persons=-1)
    with pytest.raises(ArrangementError):
        facility_occupancy(cecot, added_persons=1, population=True)
    with pytest.raises(ArrangementError, match="no facility"):
        facility_occupancy(get_arrangement("gtmo-2025"), added_persons=10)
