"""`safeguard batch` at scale: every row out in order (bad rows kept with their error), the same
results whatever the chunk size or file format, --map for foreign column names and codes, and no
output posing as complete after an interrupted run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from rich.console import Console

from safeguard.batch.cli_batch import run_batch
from safeguard.batch.io import iter_manifest, read_manifest
from safeguard.batch.run import RESULT_COLUMNS, screen_frame
from safeguard.synth.cli_support import write_manifest

AS_OF = date(2026, 11, 23)
QUIET = Console(file=open(os.devnull, "w"))  # noqa: SIM115 - lives as long as the tests


@pytest.fixture(scope="module")
def manifest(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("m") / "manifest.parquet"
    write_manifest(path, 6_000, seed=11, chunk_size=2_500, bad_row_share=0.02, as_of=AS_OF)
    return path


@pytest.fixture(scope="module")
def expected(manifest) -> pl.DataFrame:
    """The whole manifest screened in memory at once: the reference the streamed runs must equal."""
    return screen_frame(pl.read_parquet(manifest), default_as_of=AS_OF)


@pytest.mark.parametrize("suffix", [".parquet", ".csv", ".jsonl"])
def test_streamed_run_keeps_every_row_in_order_and_equals_one_pass(manifest, expected, tmp_path, suffix):
    dst = tmp_path / f"out{suffix}"
    summary = run_batch(manifest, dst, AS_OF, None, QUIET, chunk_rows=1_500)
    assert summary["rows_in"] == summary["rows_out"] == 6_000
    out = read_manifest(dst)
    assert out.height == 6_000
    assert out["person_id"].to_list() == expected["person_id"].to_list()
    for column in ("citizenship_status", "transfer_outcome", "reason_codes", "missing_facts", "error"):
        text = [None if v == "" else v for v in out[column].cast(pl.Utf8).to_list()]  # CSV: empty = none
        assert text == [None if v == "" else v for v in expected[column].cast(pl.Utf8).to_list()], column
    bad = out.filter(pl.col("error").is_not_null())
    assert bad.height == summary["rows_with_error"] == 120  # 2% of 6,000, as generated
    assert bad["transfer_outcome"].null_count() == bad.height  # bad rows keep empty result columns
    assert set(out.columns) >= set(pl.read_parquet(manifest).columns) | set(RESULT_COLUMNS)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_text_manifests_read_in_chunks_as_whole(manifest, tmp_path, suffix):
    src = tmp_path / f"m{suffix}"
    write_manifest(src, 5_000, seed=11, chunk_size=5_000, bad_row_share=0.02, as_of=AS_OF)
    chunks = list(iter_manifest(src, rows=1_200))
    assert [c.height for c in chunks] == [1_200] * 4 + [200]
    assert len({tuple(c.schema.items()) for c in chunks}) == 1
    whole = pl.concat(chunks)
    assert whole["person_id"].to_list() == [f"S-{i:07d}" for i in range(1, 5_001)]


def test_empty_manifest_gives_an_empty_output_with_the_columns(tmp_path):
    src = tmp_path / "empty.csv"
    src.write_text("person_id,birth_place,birth_date\n")
    dst = tmp_path / "out.csv"
    summary = run_batch(src, dst, AS_OF, None, QUIET)
    assert summary["rows_in"] == summary["rows_out"] == 0
    assert dst.read_text().splitlines()[0].split(",")[:3] == ["person_id", "birth_place", "birth_date"]


MAP = """
columns: {ID: person_id, DOB: birth_date, COB: birth_place, Dest: destination_country, Status: removal_order}
values:
  birth_place: {USA: US, GUAM: GU, SLV: SV, MEX: MX}
  destination_country: {SLV: SV}
  removal_order: {FO: final, NONE: none}
date_format: "%m/%d/%Y"
"""


def test_map_reads_foreign_column_names_codes_and_dates(tmp_path):
    """A roster with its own column names, country codes and US-style dates screens like the same
    people written in the vocabulary; the output keeps the roster's columns and values."""
    roster = pl.DataFrame({
        "ID": ["r1", "r2", "r3", "r4"],
        "DOB": ["05/01/1960", "13/45/1960", "02/14/1988", "07/04/1990"],
        "COB": ["GUAM", "USA", "SLV", "MEX"],
        "Dest": ["SLV"] * 4,
        "Status": ["NONE", "FO", "FO", "FO"],
        "Remarks": ["kept as is"] * 4,
        "error": ["the roster's own error column"] * 4,  # kept as error_input, not overwritten
    })
    src, dst, mapping = tmp_path / "roster.csv", tmp_path / "out.csv", tmp_path / "map.yaml"
    roster.write_csv(src)
    mapping.write_text(MAP)
    run_batch(src, dst, AS_OF, None, QUIET, map_file=mapping)
    out = pl.read_csv(dst, infer_schema=False)
    assert out.columns[:7] == [*roster.columns[:6], "error_input"]
    assert out["COB"].to_list() == roster["COB"].to_list()
    assert out["error_input"].to_list() == roster["error"].to_list()
    same = screen_frame(pl.DataFrame({
        "person_id": ["r1", "r2", "r3", "r4"], "birth_date": ["1960-05-01", "13/45/1960", "1988-02-14", "1990-07-04"],
        "birth_place": ["GU", "US", "SV", "MX"], "destination_country": ["SV"] * 4,
        "removal_order": ["none", "final", "final", "final"]}), AS_OF)
    assert out["transfer_outcome"].to_list() == same["transfer_outcome"].to_list()
    assert out["transfer_outcome"][0] == "BARRED_US_CITIZEN"  # born in Guam, 1960: INA 307
    assert out["error"][1] == ("DOB (birth_date) = '13/45/1960': expected a date as MM/DD/YYYY "
                               "(the map's date_format) or YYYY-MM-DD, or only its year (YYYY) or month (YYYY-MM) "
                               "when that is all that is known")


def test_a_bad_map_is_bad_input_naming_the_field(tmp_path):
    src = tmp_path / "roster.csv"
    pl.DataFrame({"DOB": ["1960-01-01"]}).write_csv(src)
    for text, words in [("columns: {DOB: birthdate}", "'birthdate', which is not a fact name"),
                        ("colums: {DOB: birth_date}", "colums: no such key"),
                        ("columns: {DateOfBirth: birth_date}", "'DateOfBirth', which the manifest does not have")]:
        mapping = tmp_path / "map.yaml"
        mapping.write_text(text)
        r = subprocess.run([sys.executable, "-m", "safeguard", "batch", str(src), str(tmp_path / "o.csv"),
                            "--map", str(mapping)], capture_output=True, text=True)
        assert r.returncode == 2, r.stderr
        assert words in " ".join(r.stderr.split()), r.stderr
        assert not (tmp_path / "o.csv").exists()


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT])
def test_a_killed_run_leaves_no_output_posing_as_complete(tmp_path, how):
    src = tmp_path / "big.parquet"
    write_manifest(src, 400_000, seed=3, as_of=AS_OF)
    dst = tmp_path / "out.parquet"
    proc = subprocess.Popen([sys.executable, "-m", "safeguard", "batch", str(src), str(dst), "--chunk-rows", "20000"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    while time.time() < deadline and not any(p.name.endswith(".partial") for p in tmp_path.iterdir()):
        time.sleep(0.05)  # wait until the run is writing
    assert proc.poll() is None, "the run ended before it could be interrupted"
    time.sleep(0.5)
    proc.send_signal(how)
    proc.wait(timeout=120)
    assert proc.returncode != 0
    assert not dst.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["big.parquet"]


def test_synth_command_writes_the_same_manifest_for_the_same_seed(tmp_path):
    paths = [tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"]
    for path, seed in zip(paths, (4, 4, 5)):
        r = subprocess.run([sys.executable, "-m", "safeguard", "synth", str(path), "--n", "500", "--seed", str(seed),
                            "--bad-rows", "0.1", "--as-of", "2026-11-23"], capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
    a, b, c = (pl.read_csv(p, infer_schema=False) for p in paths)
    assert a.height == 500 and a.equals(b) and not a.equals(c)
    screened = screen_frame(a.drop("_synth_bad_fact"), AS_OF)
    assert screened["error"].is_not_null().sum() == 50  # 10% bad rows, each rejected


def test_typed_parquet_columns_including_dates_stored_with_a_time(tmp_path):
    """Parquet written by other tools: booleans, dates and datetimes (pandas writes dates as timestamps)
    are read by value; an impossible date is that row's error, not the run's."""
    from datetime import datetime

    src, dst = tmp_path / "typed.parquet", tmp_path / "out.parquet"
    pl.DataFrame({
        "person_id": ["t1", "t2", "t3"], "birth_place": ["GU", "US", "US"],
        "birth_date": [datetime(1960, 5, 1, 0, 0), datetime(1990, 1, 1, 13, 30), datetime(2031, 1, 1)],
        "convicted": [True, False, None], "destination_country": ["SV"] * 3,
    }).write_parquet(src)
    run_batch(src, dst, AS_OF, None, QUIET)
    out = pl.read_parquet(dst)
    assert out["citizenship_status"].to_list() == ["citizen", "citizen", None]
    assert out["citizenship_since"][1] == date(1990, 1, 1)
    assert out["error"][2].startswith("birth_date = '2031-01-01': expected a date on or before as_of")


@pytest.mark.parametrize("name", ["flagged.jsonl", "flagged.jsonl.gz"])
def test_explain_flagged_explains_exactly_the_flagged_rows(tmp_path, name):
    """One line per flagged row (BARRED_*, HOLD_*, or no transfer with citizenship established or open),
    with its row number, and each line is the single-case result for that row, explanation included."""
    import gzip
    import json

    from safeguard.api import screen
    from safeguard.facts.parse import parse_case

    src, dst, path = tmp_path / "m.csv", tmp_path / "out.parquet", tmp_path / name
    write_manifest(src, 300, seed=21, bad_row_share=0.05, as_of=AS_OF)
    run_batch(src, dst, AS_OF, path, QUIET, chunk_rows=1000)
    out = pl.read_parquet(dst)
    opener = gzip.open if name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as fh:
        lines = [json.loads(line) for line in fh]
    outcome = out["transfer_outcome"].fill_null("")
    flagged = [i for i, o in enumerate(outcome) if o.startswith(("BARRED_", "HOLD_"))]
    assert [d["row"] for d in lines] == flagged and len(flagged) > 100
    raw = pl.read_csv(src, infer_schema=False)
    for doc in lines[:20]:
        assert doc["transfer"]["outcome"] == out["transfer_outcome"][doc["row"]]
        assert doc["explanation"]
        row = {k: v for k, v in raw.row(doc["row"], named=True).items() if v not in (None, "") and k != "_synth_bad_fact"}
        assert screen(parse_case(row, text=True), explain=False, rank=False)["citizenship"] == doc["citizenship"]


def test_the_facts_to_ask_are_the_same_worked_out_in_blocks(monkeypatch):
    """The trials of the facts to ask are made and judged a block of rows at a time (memory follows the
    block, batch/relevance.BLOCK_ROWS): blocks of 7 rows give every row the same facts to ask, in the same
    order, as the whole frame at once."""
    import datetime

    import safeguard.batch.relevance as relevance
    from safeguard.synth import generate

    day = datetime.date(2026, 11, 23)
    frame = generate(60, 3, destination="SV", arrangement="sv-cecot-2025", as_of=day)
    whole = screen_frame(frame, default_as_of=day)
    assert (whole["missing_facts"].fill_null("") != "").sum() >= 10  # rows with facts to ask, in several blocks
    monkeypatch.setattr(relevance, "BLOCK_ROWS", 7)
    blocked = screen_frame(frame, default_as_of=day)
    assert blocked.equals(whole)


def test_no_questions_gives_the_same_outcomes_without_facts_to_ask(tmp_path):
    """`safeguard batch --no-questions`: every row out with the same status, outcome and reasons as a full
    run, `missing_facts` empty, and the summary says the questions were not worked out."""
    import json

    from typer.testing import CliRunner

    from safeguard.cli import app

    src = write_manifest(tmp_path / "in.parquet", 300, 5, as_of=date(2025, 3, 15))
    full, fast = tmp_path / "full.parquet", tmp_path / "fast.parquet"
    runner = CliRunner()
    assert runner.invoke(app, ["batch", str(src), str(full), "--as-of", "2025-03-15"]).exit_code == 0
    r = runner.invoke(app, ["batch", str(src), str(fast), "--as-of", "2025-03-15", "--no-questions", "--format", "json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["questions_worked_out"] is False
    a, b = pl.read_parquet(full), pl.read_parquet(fast)
    assert a.height == b.height == 300
    assert (a["missing_facts"].fill_null("") != "").sum() > 0 and b["missing_facts"].null_count() == 300
    assert a.drop("missing_facts").equals(b.drop("missing_facts"))
    report = tmp_path / "report"
    r = runner.invoke(app, ["batch", str(src), str(fast), "--as-of", "2025-03-15", "--no-questions",
                            "--report", str(report)])
    assert r.exit_code == 0, r.output
    page = (report / "report.html").read_text(encoding="utf-8")
    assert "Screened with --no-questions" in page and "not worked out (--no-questions)" in page


def test_rows_open_on_birth_date_birth_place_or_both_are_decided_by_cases_as_one_case_is():
    """Deciding by cases tries the birth dates and the birth places of a frame's open rows in the same
    engine queries (batch/by_cases.py): each row's status, basis and date since still equal what one case gives
    (a row open on both: the birth date first, as one case splits; one decided below, by its 114 dates)."""
    from safeguard.api import screen

    citizen_parents = {"mother_citizen_at_birth": "true", "father_citizen_at_birth": "true",
                       "parents_married_at_birth": "true", "mother_us_residence_before_birth": "true",
                       "father_us_residence_before_birth": "true"}
    alien_parents = {"mother_citizen_at_birth": "false", "father_citizen_at_birth": "false",
                     "mother_naturalized": "false", "father_naturalized": "false",
                     "parents_married_at_birth": "true", "born_to_foreign_diplomat": "false"}
    rows = [citizen_parents, alien_parents, {"mother_citizen_at_birth": "true"},
            {**citizen_parents, "birth_place": "MX"}, {**alien_parents, "birth_date": "1990-05-05"},
            {**alien_parents, "birth_place": "SV"}, {**citizen_parents, "birth_date": "1960-01-01"}]
    columns = sorted({k for r in rows for k in r})
    frame = pl.DataFrame([{c: r.get(c, "") for c in columns} for r in rows], schema={c: pl.Utf8 for c in columns})
    batch = screen_frame(frame, default_as_of=AS_OF).to_dicts()
    decided = 0
    for facts, row in zip(rows, batch):
        one = screen(dict(facts), as_of=AS_OF.isoformat())
        assert row["citizenship_status"] == one["citizenship"]["status"], facts
        assert row["citizenship_basis"] == one["citizenship"]["basis"], facts
        assert str(row["citizenship_since"] or "") == str(one["citizenship"].get("since") or ""), facts
        decided += "decided by cases" in (row["citizenship_basis"] or "")
    assert decided >= 1
