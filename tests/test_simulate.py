"""The offer simulator: scenario validation, the screening it relies on, the cost formulas, the Monte Carlo
and the report. Expected values are computed from the scenario's inputs and the formulas, never typed in."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import polars as pl
import pytest
import yaml

from safeguard.batch.run import screen_frame
from safeguard.render.sources import is_primary
from safeguard.simulate import ScenarioError, load_scenario, parse_scenario, run_simulation, write_report
from safeguard.simulate.load import bundled_dir
from safeguard.simulate.model import us_cost_avoided
from safeguard.synth import generate

ROOT = Path(__file__).resolve().parents[1]
SMALL_ROWS = 3000
BARRED_OR_HELD = ("BARRED_US_CITIZEN", "BARRED_US_NATIONAL", "HOLD_CITIZENSHIP_UNRESOLVED", "BARRED_PROTECTION",
                  "BARRED_NO_FINAL_ORDER", "HOLD_PENDING_CLAIM", "OUTSIDE_ARRANGEMENT")


def raw(name: str = "cecot-offer-2025", rows: int = SMALL_ROWS, runs: int = 400) -> dict:
    """A bundled scenario as YAML data, made small enough for a fast test."""
    data = yaml.safe_load((bundled_dir() / f"{name}.yaml").read_text(encoding="utf-8"))
    data["population"]["synthetic"]["rows"] = rows
    data["monte_carlo"]["runs"] = runs
    return data


def write(tmp_path: Path, data: dict, name: str = "scenario.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def simulate(tmp_path: Path, data: dict, name: str = "scenario.yaml", **kwargs):
    return run_simulation(load_scenario(write(tmp_path, data, name)), **kwargs)


@pytest.fixture(scope="module")
def offer(tmp_path_factory):
    """The CECOT offer scenario, end to end on a small synthetic population."""
    return simulate(tmp_path_factory.mktemp("offer"), raw())


def test_bundled_scenarios_load_and_root_copies_equal_the_package_copies():
    for path in sorted(bundled_dir().glob("*.yaml")):
        load_scenario(path.stem)
        assert (ROOT / "scenarios" / path.name).read_bytes() == path.read_bytes(), (
            f"scenarios/{path.name} differs from the package copy (the package copy is the truth)")
    assert {p.name for p in (ROOT / "scenarios").glob("*.yaml")} >= {"cecot-offer-2025.yaml", "cecot-grant-2025.yaml"}


def test_every_parameter_has_a_source_or_a_stated_assumption():
    for name in ("cecot-offer-2025", "cecot-grant-2025"):
        scenario = load_scenario(name).scenario
        for key, p in scenario.parameters().items():
            assert p.source or (p.assumption and p.reason), f"{name}: {key}"
            assert p.quote or p.note or p.reason, f"{name}: {key} has no quote, note or reason"


# (c) bad scenarios are rejected with a message naming the field ------------------------------------

def _rejected(data: dict) -> str:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(data, "test.yaml")
    return str(caught.value)


def test_negative_cost_is_rejected_naming_the_field():
    data = raw()
    data["costs"]["fee_per_person_year"]["min"] = -5
    message = _rejected(data)
    assert "field costs.fee_per_person_year.min: got -5" in message and ">= 0" in message


def test_negative_fixed_value_is_rejected_naming_the_field():
    data = raw()
    data["costs"]["one_off_costs"]["value"] = -1000000
    assert "field costs.one_off_costs.value: got -1000000" in _rejected(data)


def test_unknown_arrangement_is_rejected_naming_the_field():
    data = raw()
    data["arrangement"] = "sv-cecot-2099"
    message = _rejected(data)
    assert "field arrangement: got 'sv-cecot-2099'" in message and "sv-cecot-2025" in message


def test_range_with_min_above_max_is_rejected_naming_the_field():
    data = raw()
    p = data["costs"]["us_cost_bop_inmate_year"]
    p.pop("mode")
    p["min"], p["max"] = 50000, 40000
    message = _rejected(data)
    assert "field costs.us_cost_bop_inmate_year: expected min < max" in message and "min=50000" in message


def test_unknown_keys_are_rejected_naming_the_field_and_the_allowed_keys():
    data = raw()
    data["costs"]["fee_per_person_year"]["sorce"] = "https://example.org"
    data["costz"] = {}
    message = _rejected(data)
    assert "field costs.fee_per_person_year.sorce: unknown key" in message and "source" in message
    assert "field costz: unknown key" in message and "allowed keys here:" in message


def test_other_bad_values_name_their_field():
    data = raw()
    data["costs"]["transport_people_per_flight"] = {**data["costs"]["transport_people_per_flight"], "min": 0}
    data["transferable"]["include_safeguards_required"] = "yes"
    data["facility"]["current_population"]["source"] = "not a url"
    message = _rejected(data)
    assert "field costs.transport_people_per_flight: got 0; expected a number > 0" in message
    assert "field transferable.include_safeguards_required: got 'yes'; expected true or false" in message
    assert "field facility.current_population.source: got 'not a url'" in message


def test_cli_exit_codes(tmp_path):
    bad = raw()
    bad["costs"]["fee_per_person_year"]["max"] = 1000  # below the min
    result = subprocess.run([sys.executable, "-m", "safeguard", "simulate", str(write(tmp_path, bad)),
                             "--out", str(tmp_path / "r")], capture_output=True, text=True)
    assert result.returncode == 2 and "costs.fee_per_person_year" in result.stderr
    good = subprocess.run([sys.executable, "-m", "safeguard", "simulate", str(write(tmp_path, raw(), "ok.yaml")),
                           "--out", str(tmp_path / "r"), "--runs", "50", "--format", "json"],
                          capture_output=True, text=True)
    assert good.returncode == 0, good.stderr
    doc = json.loads(good.stdout)
    assert doc["scenario"]["monte_carlo"]["runs"] == 50 and (tmp_path / "r" / "report.html").exists()


# (d) end to end: only people the law lets through are counted ------------------------------------

def test_offer_counts_match_an_independent_screening(offer):
    sc = load_scenario("cecot-offer-2025").scenario
    frame = generate(SMALL_ROWS, sc.population.synthetic.seed, destination="SV", arrangement=sc.arrangement,
                     as_of=sc.as_of)
    frame = frame.with_columns(pl.lit(True).alias("arrangement_assumed_in_force"),
                               pl.lit(0.0).alias("arrangement_persons_transferred"))
    expected = screen_frame(frame, sc.as_of)
    assert expected["transfer_outcome"].to_list() == offer.screened["transfer_outcome"].to_list()

    pop = offer.doc["population"]
    scale = pop["represents"] / SMALL_ROWS
    counts = expected["transfer_outcome"].value_counts()
    for row in offer.doc["population"]["by_outcome"]:
        n = counts.filter(pl.col("transfer_outcome") == row["outcome"])["count"].sum()
        assert row["rows"] == n and row["persons"] == pytest.approx(n * scale)
        assert row["transferable"] == (row["outcome"] in ("NO_BAR_FOUND", "SAFEGUARDS_REQUIRED"))
    lawful = expected.filter(pl.col("transfer_outcome").is_in(["NO_BAR_FOUND", "SAFEGUARDS_REQUIRED"])).height
    assert lawful > 0
    assert pop["lawful_persons"] == pytest.approx(lawful * scale)
    assert pop["transferred_persons"] == pytest.approx(lawful * scale)  # the offer has no cap
    barred = expected.filter(pl.col("transfer_outcome").is_in(BARRED_OR_HELD)).height
    assert barred > 0 and lawful + barred == expected.filter(pl.col("transfer_outcome").is_not_null()).height
    citizens = expected.filter(pl.col("transfer_outcome").is_in(["BARRED_US_CITIZEN", "BARRED_US_NATIONAL"])).height
    assert citizens > 0
    assert offer.doc["results"]["persons_barred_as_us_citizens_or_nationals"]["central"] == pytest.approx(
        citizens * scale)
    bop = expected.filter(pl.col("transfer_outcome").is_in(["NO_BAR_FOUND", "SAFEGUARDS_REQUIRED"])
                          & (pl.col("custody") == "federal_prison")).height
    assert pop["transferred_persons_by_custody"]["bop"] == pytest.approx(bop * scale)


def test_safeguards_required_counts_only_when_the_scenario_says_so(tmp_path, offer):
    data = raw()
    data["transferable"]["include_safeguards_required"] = False
    sim = simulate(tmp_path, data)
    pop = sim.doc["population"]
    only_clear = (sim.screened["transfer_outcome"] == "NO_BAR_FOUND").sum()
    assert pop["lawful_persons"] == pytest.approx(only_clear * pop["people_per_row"])
    assert pop["lawful_persons"] < offer.doc["population"]["lawful_persons"]
    assert not next(r for r in pop["by_outcome"] if r["outcome"] == "SAFEGUARDS_REQUIRED")["transferable"]


def test_grant_cap_limits_the_people_transferred(tmp_path):
    sim = simulate(tmp_path, raw("cecot-grant-2025"))
    pop = sim.doc["population"]
    cap = pop["arrangement_cap"]
    assert cap == 300 and pop["lawful_persons"] > cap
    assert pop["transferred_persons"] == pytest.approx(cap)
    assert pop["beyond_cap"] == pytest.approx(pop["lawful_persons"] - cap)
    assert sim.doc["results"]["persons_transferred"]["central"] == pytest.approx(cap)


def test_manifest_population_is_read_relative_to_the_scenario(tmp_path):
    generate(200, 7, destination="SV", arrangement="sv-cecot-2025", as_of="2025-02-04").write_parquet(
        tmp_path / "people.parquet")
    data = raw()
    data["population"] = {"manifest": {"path": "people.parquet"}, "persons_already_transferred": 0}
    sim = simulate(tmp_path, data)
    lawful = sim.screened["transfer_outcome"].is_in(["NO_BAR_FOUND", "SAFEGUARDS_REQUIRED"]).sum()
    assert sim.doc["population"]["people_per_row"] == 1.0
    assert sim.doc["population"]["transferred_persons"] == lawful


# (a), (b) one parameter changed: the figures move by what the formulas say -------------------------

def _fixed(data: dict, name: str, value: float, section: str = "costs") -> dict:
    data = copy.deepcopy(data)
    p = data[section][name]
    for key in ("min", "max", "mode", "distribution"):
        p.pop(key, None)
    p["value"] = value
    return data


def test_changing_the_fee_moves_fees_and_net_cost_by_fee_times_persons_times_years(tmp_path):
    base = _fixed(raw(), "fee_per_person_year", 20000)
    higher = _fixed(raw(), "fee_per_person_year", 26500)
    a, b = simulate(tmp_path, base, "a.yaml"), simulate(tmp_path, higher, "b.yaml")
    persons = a.doc["population"]["transferred_persons"]
    years = load_scenario(tmp_path / "a.yaml").scenario.costs.horizon_years.central
    delta = (26500 - 20000) * persons * years
    assert delta > 0
    for stat in ("central", "p5", "p95"):  # same seed: every run moves by the same amount
        assert b.doc["results"]["fees_paid"][stat] - a.doc["results"]["fees_paid"][stat] == pytest.approx(delta)
        assert b.doc["results"]["net_cost"][stat] - a.doc["results"]["net_cost"][stat] == pytest.approx(delta)
        assert b.doc["results"]["us_cost_avoided"][stat] == pytest.approx(a.doc["results"]["us_cost_avoided"][stat])
    assert b.doc["results"]["net_cost_per_person_year"]["central"] - a.doc["results"]["net_cost_per_person_year"][
        "central"] == pytest.approx(26500 - 20000)


def test_changing_the_bop_cost_moves_cost_avoided_by_cost_times_bop_persons_times_years(tmp_path):
    base = _fixed(raw(), "us_cost_bop_inmate_year", 44090)
    higher = _fixed(raw(), "us_cost_bop_inmate_year", 47162)
    a, b = simulate(tmp_path, base, "a.yaml"), simulate(tmp_path, higher, "b.yaml")
    bop = a.doc["population"]["transferred_persons_by_custody"]["bop"]
    bop_rows = (a.screened["transfer_outcome"].is_in(["NO_BAR_FOUND", "SAFEGUARDS_REQUIRED"])
                & (a.screened["custody"] == "federal_prison")).sum()
    assert bop > 0 and bop == pytest.approx(bop_rows * a.doc["population"]["people_per_row"])
    years = load_scenario(tmp_path / "a.yaml").scenario.costs.horizon_years.central
    delta = (47162 - 44090) * bop * years
    for stat in ("central", "p5", "p95"):
        assert b.doc["results"]["us_cost_avoided"][stat] - a.doc["results"]["us_cost_avoided"][stat] == pytest.approx(delta)
        assert a.doc["results"]["net_cost"][stat] - b.doc["results"]["net_cost"][stat] == pytest.approx(delta)
        assert b.doc["results"]["fees_paid"][stat] == pytest.approx(a.doc["results"]["fees_paid"][stat])


def test_a_longer_horizon_scales_fees_and_bop_costs_but_ice_days_are_capped_by_the_horizon():
    persons = {"bop": 10.0, "ice": 4.0, "state": 0.0, "other": 3.0}
    p = {"horizon_years": np.array([0.1, 2.0]), "us_cost_bop_inmate_year": np.array([40000.0] * 2),
         "us_cost_state_inmate_year": np.array([30000.0] * 2), "us_cost_ice_bed_day": np.array([150.0] * 2),
         "ice_detention_days_avoided": np.array([50.0] * 2)}
    got = us_cost_avoided(persons, p)
    expect_short = 10 * 40000 * 0.1 + 4 * 150 * min(50, 365 * 0.1)
    expect_long = 10 * 40000 * 2.0 + 4 * 150 * 50
    assert got == pytest.approx([expect_short, expect_long])


def test_central_run_equals_the_formulas_on_central_values(offer):
    sc = load_scenario("cecot-offer-2025").scenario
    c = {k: p.central for k, p in sc.parameters().items()}
    pop = offer.doc["population"]
    moved, total = pop["transferred_persons_by_custody"], pop["transferred_persons"]
    years = c["horizon_years"]
    avoided = (moved["bop"] * c["us_cost_bop_inmate_year"] * years + moved["state"] * c["us_cost_state_inmate_year"]
               * years + moved["ice"] * c["us_cost_ice_bed_day"] * min(c["ice_detention_days_avoided"], 365 * years))
    fees = total * c["fee_per_person_year"] * years
    flights = np.ceil(total / c["transport_people_per_flight"])
    transport = flights * c["transport_hours_per_flight"] * c["transport_cost_per_flight_hour"]
    res = offer.doc["results"]
    assert res["us_cost_avoided"]["central"] == pytest.approx(avoided)
    assert res["fees_paid"]["central"] == pytest.approx(fees)
    assert res["transport_cost"]["central"] == pytest.approx(transport)
    assert res["net_cost"]["central"] == pytest.approx(fees + transport + c["one_off_costs"] - avoided)
    after = c["current_population"] + total
    assert res["share_of_design_capacity"]["central"] == pytest.approx(after / 40000)
    assert res["share_of_alternative_capacity"]["central"] == pytest.approx(after / 20480)
    check = offer.doc["facility"]["catalogue_check"]  # the catalogue's own facility check agrees
    assert check["occupancy_after"] == round(c["current_population"]) + round(total)


# (f) same seed, same figures; the intervals come from the ranges ----------------------------------

def test_same_seed_gives_the_same_figures_and_another_seed_other_intervals(tmp_path, offer):
    again = simulate(tmp_path, raw())
    assert again.doc["results"] == offer.doc["results"]
    assert again.doc["sensitivity"] == offer.doc["sensitivity"]
    other = simulate(tmp_path, raw(), "other.yaml", seed=12345)
    assert other.doc["results"]["net_cost"]["central"] == offer.doc["results"]["net_cost"]["central"]
    assert other.doc["results"]["net_cost"]["p5"] != offer.doc["results"]["net_cost"]["p5"]


def test_intervals_lie_within_what_the_ranges_allow(offer):
    sc = load_scenario("cecot-offer-2025").scenario
    fee = sc.costs.fee_per_person_year
    r = offer.doc["results"]["fee_per_person_year"]
    assert fee.min <= r["p5"] < r["p95"] <= fee.max
    total = offer.doc["population"]["transferred_persons"]
    years = sc.costs.horizon_years.central
    fees = offer.doc["results"]["fees_paid"]
    assert fees["p5"] == pytest.approx(r["p5"] * total * years) and fees["p95"] == pytest.approx(r["p95"] * total * years)


def test_sensitivity_ranks_inputs_by_their_swing_on_net_cost(offer):
    rows = offer.doc["sensitivity"]["rows"]
    swings = [r["swing"] for r in rows]
    assert swings == sorted(swings, reverse=True)
    fee = next(r for r in rows if r["parameter"] == "fee_per_person_year")
    total = offer.doc["population"]["transferred_persons"]
    assert fee["result_at_high"] - fee["result_at_low"] == pytest.approx((fee["high_value"] - fee["low_value"]) * total)
    ranged = {k for k, p in load_scenario("cecot-offer-2025").scenario.parameters().items() if p.is_range}
    assert {r["parameter"] for r in rows} == ranged


# (e) the report -------------------------------------------------------------------------------------

def test_report_has_the_charts_a_source_row_for_every_parameter_and_the_claims(tmp_path, offer):
    paths = write_report(offer.doc, tmp_path / "report")
    html = paths["html"].read_text(encoding="utf-8")
    assert html.count('src="data:image/png;base64,') == 5
    for stem in ("costs", "unit-costs", "population", "occupancy", "sensitivity"):
        assert (tmp_path / "report" / "charts" / f"{stem}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    rows = re.findall(r"<tr>(.*?)</tr>", html, flags=re.S)
    for p in offer.doc["parameters"]:
        row = next((r for r in rows if f"<code>{p['section']}.{p['name']}</code>" in r), None)
        assert row is not None, f"no source row for {p['name']}"
        if p["source"] and is_primary(p["source"]):
            assert f'href="{p["source"]}"' in row
        elif p["source"]:  # a secondary copy: shown, marked, not linked (tests/test_sources.py)
            assert "unconfirmed — secondary source" in row and p["source"] in row
        else:
            assert "assumption" in row.lower()
    for claim in offer.doc["claims"]:
        assert any(claim["quote"][:40].replace("'", "&#x27;") in r for r in rows)
    assert html.count("not legal advice") >= 2 and "is a model" in html
    assert not re.findall(r'(?:src|url)\s*[=(]\s*["\']?https?://', html)  # self-contained: only links
    doc = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert doc["results"] == json.loads(json.dumps(offer.doc["results"]))


def test_report_is_swapped_in_whole_and_never_empties_a_folder_of_other_files(tmp_path, offer):
    from safeguard.report.folder import ReportFolderError

    out = tmp_path / "report"
    (out / "charts").mkdir(parents=True)
    (out / "report.html").write_text("old")
    (out / "charts" / "stale.png").write_bytes(b"old")
    write_report(offer.doc, out)
    assert (out / "report.html").read_text() != "old"
    assert not (out / "charts" / "stale.png").exists()  # nothing of the old report survives beside the new one
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no staging folder left
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine")
    with pytest.raises(ReportFolderError):
        write_report(offer.doc, mine)
    assert (mine / "notes.txt").read_text() == "mine"


def test_a_number_written_with_an_exponent_is_a_number(tmp_path):
    """`value: 5e7` (no dot) is text to YAML 1.1; a scenario reads it as 50,000,000, as YAML 1.2 does."""
    data = raw()
    data["costs"]["one_off_costs"]["value"] = 123456789
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    path = tmp_path / "exp.yaml"
    path.write_text(text.replace("value: 123456789", "value: 5e7", 1), encoding="utf-8")
    assert "5e7" in path.read_text(encoding="utf-8")
    assert load_scenario(path).scenario.costs.one_off_costs.value == 50_000_000
