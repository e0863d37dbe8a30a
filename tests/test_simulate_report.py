"""The analyst's report (issue 11): headlines quote the median inside its own interval, a changed input is
marked as no longer supported by its source, totals name their horizon, and two scenarios compare."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from tests.test_simulate import raw, simulate

from safeguard.simulate import formatting as fmt
from safeguard.simulate import write_report
from safeguard.simulate.provenance import CHANGED, NEW_SOURCE


@pytest.mark.parametrize("name", ["cecot-offer-2025", "cecot-grant-2025"])
def test_every_headline_lies_inside_its_interval_and_totals_name_their_horizon(tmp_path, name):
    sim = simulate(tmp_path, raw(name))
    res = sim.doc["results"]
    for key, r in res.items():
        if r["p5"] is not None:
            assert r["p5"] <= r["headline"] <= r["p95"], key
    for key in ("us_cost_avoided", "fees_paid", "net_cost"):
        assert "horizon" in res[key]["label"], res[key]["label"]
    assert "horizon" not in res["net_cost_per_year"]["label"]
    paths = write_report(sim.doc, tmp_path / "report")
    page = paths["html"].read_text(encoding="utf-8")
    assert fmt.headline(res["net_cost"]) in page  # the key figure quoted is the median with its interval
    assert "median of the runs" in page
    # the central run is shown only under its own label
    assert fmt.central_and_interval(res["net_cost"]).split(" (")[0] in page and "central run" in page


def test_a_changed_input_is_marked_unless_it_has_a_new_source(tmp_path):
    data = raw()
    data["costs"]["fee_per_person_year"] = {**data["costs"]["fee_per_person_year"], "min": 1000, "max": 2000,
                                            "mode": 1500}
    data["costs"]["one_off_costs"] = {**data["costs"]["one_off_costs"], "value": 5_000_000,
                                      "source": "https://www.gao.gov/products/example-new-source"}
    data["costs"]["one_off_costs"].pop("min", None), data["costs"]["one_off_costs"].pop("max", None)
    data["costs"]["one_off_costs"].pop("mode", None), data["costs"]["one_off_costs"].pop("assumption", None)
    data["costs"]["one_off_costs"].pop("reason", None)
    sim = simulate(tmp_path, data)
    marks = {p["name"]: p["provenance"] for p in sim.doc["parameters"]}
    assert marks["fee_per_person_year"] == CHANGED
    assert marks["one_off_costs"] == NEW_SOURCE
    assert marks["us_cost_bop_inmate_year"] is None  # as bundled
    page = write_report(sim.doc, tmp_path / "r")["html"].read_text(encoding="utf-8")
    assert page.count(CHANGED) >= 2  # the input's label and its struck-out source


def test_simulate_compare_shows_the_bundled_pair_side_by_side(tmp_path):
    out = tmp_path / "cmp"
    r = subprocess.run([sys.executable, "-m", "safeguard", "simulate", "cecot-offer-2025", "--compare",
                        "cecot-grant-2025", "--runs", "200", "--out", str(out), "--format", "json"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert (doc["a"]["id"], doc["b"]["id"]) == ("cecot-offer-2025", "cecot-grant-2025")
    moved = {f["name"]: f for f in doc["figures"]}["persons_transferred"]
    assert moved["difference_of_medians"] == pytest.approx(moved["b"]["p50"] - moved["a"]["p50"])
    assert moved["b"]["p50"] < moved["a"]["p50"]  # the grant's cap of 300 people
    assert {o["outcome"] for o in doc["outcomes"]} >= {"BARRED_US_CITIZEN", "NO_BAR_FOUND"}
    assert json.loads((out / "figures.json").read_text()) == doc
    assert (out / "charts" / "outcomes.png").read_bytes().startswith(b"\x89PNG")
    assert "B − A" in (out / "report.html").read_text(encoding="utf-8")
