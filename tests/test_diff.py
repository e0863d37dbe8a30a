"""`safeguard diff`: two screenings of a manifest, with known changes, give exactly those changes and why."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import polars as pl
from tests.test_manifest_columns import PROTECTED

from safeguard.batch.io import write_manifest
from safeguard.batch.run import screen_frame

AS_OF = date(2025, 6, 1)


def test_diff_names_who_changed_outcome_and_the_fact_that_did_it(tmp_path):
    people = [{**PROTECTED, "person_id": p} for p in ("A", "B", "C")]
    week1 = pl.DataFrame(people)
    week2 = pl.DataFrame([{**people[0], "withholding_countries": "SV"},  # A: protection as to El Salvador found
                          people[1],  # B: unchanged
                          {**PROTECTED, "person_id": "D", "birth_place": "US"}])  # C gone, D (U.S.-born) new
    old, new = tmp_path / "w1.parquet", tmp_path / "w2.csv"
    write_manifest(screen_frame(week1, AS_OF), old)
    write_manifest(screen_frame(week2, AS_OF), new)
    r = subprocess.run([sys.executable, "-m", "safeguard", "diff", str(old), str(new), "--format", "json",
                        "--out", str(tmp_path / "changes.csv")], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["matched_by"] == "person_id"
    assert (doc["outcome_changed"], doc["added"], doc["removed"]) == (1, 1, 1)
    rows = {row["person_id"]: row for row in doc["rows"]}
    assert set(rows) == {"A", "C", "D"}  # B did not change
    a = rows["A"]
    assert a["change"] == "outcome changed" and a["new_outcome"] == "BARRED_PROTECTION"
    assert a["old_outcome"] != "BARRED_PROTECTION"
    assert a["facts_changed"] == "withholding_countries: unknown → SV"
    assert rows["C"]["change"] == "removed" and rows["D"]["change"] == "added"
    assert rows["D"]["new_outcome"] == "BARRED_US_CITIZEN"
    written = pl.read_csv(tmp_path / "changes.csv", infer_schema=False)
    assert written["person_id"].to_list() == ["A", "D", "C"]  # outcome changes first, then added, removed


def test_diff_refuses_duplicate_identifiers(tmp_path):
    frame = screen_frame(pl.DataFrame([{**PROTECTED, "person_id": "A"}] * 2), AS_OF)
    path = tmp_path / "dup.parquet"
    write_manifest(frame, path)
    r = subprocess.run([sys.executable, "-m", "safeguard", "diff", str(path), str(path)], capture_output=True, text=True)
    assert r.returncode == 2 and "more than once" in r.stderr


def test_the_changes_csv_is_spreadsheet_safe(tmp_path):
    from safeguard.batch.diff import write_diff_csv
    from safeguard.render.cells import FORMULA_STARTS

    old = screen_frame(pl.DataFrame([{**PROTECTED, "person_id": "=HYPERLINK(\"x\")"}]), AS_OF)
    new = screen_frame(pl.DataFrame([{**PROTECTED, "person_id": "=HYPERLINK(\"x\")", "withholding_countries": "SV"}]),
                       AS_OF)
    from safeguard.batch.diff import diff_frames

    changes, _ = diff_frames(old.with_row_index("manifest_row", offset=1).with_columns(pl.all().cast(pl.String)),
                             new.with_row_index("manifest_row", offset=1).with_columns(pl.all().cast(pl.String)))
    write_diff_csv(changes, tmp_path / "d.csv")
    frame = pl.read_csv(tmp_path / "d.csv", infer_schema=False)
    cells = [c for col in frame.columns for c in frame[col].to_list() if c is not None]
    assert "'=HYPERLINK(\"x\")" in cells
    assert not [c for c in cells if c.startswith(FORMULA_STARTS)]
