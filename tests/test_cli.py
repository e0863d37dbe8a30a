"""The command line as a user meets it: the contract's exit codes and the acceptance examples."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import polars as pl


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "safeguard", *args], capture_output=True, text=True, cwd=cwd)


def write(tmp_path: Path, name: str, data) -> Path:
    p = tmp_path / name
    p.write_text(json.dumps(data) if not isinstance(data, str) else data)
    return p


def test_guam_1960_is_a_citizen_under_ina_307(tmp_path):
    r = run("screen", str(write(tmp_path, "c.json", {"birth_place": "GU", "birth_date": "1960-05-01"})))
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["citizenship"]["status"] == "citizen" and "INA 307" in doc["citizenship"]["basis"]


def test_american_samoa_is_a_national(tmp_path):
    doc = json.loads(run("screen", str(write(tmp_path, "c.json", {"birth_place": "AS"}))).stdout)
    assert doc["citizenship"]["status"] == "national"


def test_birth_date_only_is_unknown_and_ask_names_birth_place_first(tmp_path):
    case = write(tmp_path, "c.json", {"birth_date": "1980-06-01"})
    doc = json.loads(run("screen", str(case)).stdout)
    assert doc["citizenship"]["status"] == "unknown" and doc["next_question"]["fact"] == "birth_place"
    asked = json.loads(run("ask", str(case)).stdout)
    assert asked["questions"][0]["fact"] == "birth_place"


def test_bad_input_exits_2_naming_the_fact(tmp_path):
    r = run("screen", str(write(tmp_path, "c.json", {"birth_date": "1960-13-01"})))
    assert r.returncode == 2 and "birth_date" in r.stderr
    r = run("screen", str(write(tmp_path, "bad.json", "{not json")))
    assert r.returncode == 2
    r = run("screen", str(tmp_path / "missing.json"))
    assert r.returncode == 2


def test_explain_gives_the_tree(tmp_path):
    doc = json.loads(run("screen", "--explain", str(write(tmp_path, "c.json", {"birth_place": "US",
                                                                                "birth_date": "1990-01-01"}))).stdout)
    root = doc["explanation"][0]
    assert root["rule"] == "citizenship_status" and root["value"] == "citizen" and root["citation"]["url"]


def test_batch_keeps_every_row_and_names_bad_values(tmp_path):
    src = tmp_path / "in.csv"
    pl.DataFrame({"person_id": ["a", "b", "c"], "birth_place": ["GU", "US", "AS"],
                  "birth_date": ["1960-05-01", "1960-13-01", ""], "destination_country": ["SV", "SV", "SV"]}
                 ).write_csv(src)
    dst = tmp_path / "out.parquet"
    r = run("batch", str(src), str(dst))
    assert r.returncode == 0, r.stderr
    out = pl.read_parquet(dst)
    assert out["person_id"].to_list() == ["a", "b", "c"]
    assert out["transfer_outcome"].to_list() == ["BARRED_US_CITIZEN", None, "BARRED_US_NATIONAL"]
    assert "birth_date = '1960-13-01'" in out["error"][1]


def test_arrangements_lists_status_and_facility_check():
    r = run("arrangements", "--on", "2019-09-20", "--add", "300")
    assert r.returncode == 0, r.stderr
    assert "sv-aca-2019" in r.stdout and "signed" in r.stdout
    # CECOT: 256 cells x 100 m2 shared by (population used + 300); checked against the catalogue's own figures.
    text = " ".join(r.stdout.split())
    assert "15,300 held" in text and "1.67 m2 each" in text


def test_screen_reports_facility_crowding_for_an_arrangement_with_a_facility(tmp_path):
    case = {"birth_place": "US", "birth_date": "1990-01-01", "destination_country": "SV", "arrangement": "sv-cecot-2025",
            "arrangement_persons_transferred": 299}
    doc = json.loads(run("screen", str(write(tmp_path, "c.json", case))).stdout)
    facility = doc["transfer"]["facility"]
    assert facility["added_persons"] == 300
    assert facility["m2_per_person"] == 256 * 100 / (facility["population_used"] + 300)
    assert facility["persons_already_transferred"] == 299 and "lower_bound" not in facility


def test_an_unknown_number_already_transferred_is_said_not_read_as_none(tmp_path):
    """Without `arrangement_persons_transferred` only the person screened is added, and the result says the
    crowding is the least it would be (the count is not taken as zero silently)."""
    case = {"birth_place": "US", "birth_date": "1990-01-01", "destination_country": "SV", "arrangement": "sv-cecot-2025"}
    facility = json.loads(run("screen", str(write(tmp_path, "c.json", case))).stdout)["transfer"]["facility"]
    assert facility["added_persons"] == 1 and facility["persons_already_transferred"] is None
    assert "least" in facility["lower_bound"]
