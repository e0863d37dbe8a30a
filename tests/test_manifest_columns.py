"""batch accounts for every column (issue 11): a misspelled fact column stops the run instead of being
dropped, a manifest with no fact column is bad input, the person's own identifier reaches every output,
run-wide what-if facts fill only the rows that leave them empty, and no CSV/XLSX cell can run as a formula."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import polars as pl
import pytest

from safeguard.batch.columns_check import VOCABULARY, ColumnsError, plan_columns
from safeguard.facts.schema import fact_specs
from safeguard.render.cells import FORMULA_STARTS

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
PROTECTED = {"person_id": "EX-W", "birth_place": "SV", "birth_date": "1995-07-26", "parents_married_at_birth": "true",
             "mother_citizen_at_birth": "false", "father_citizen_at_birth": "false",
             "mother_national_at_birth": "false", "father_national_at_birth": "false",
             "mother_naturalized": "false", "father_naturalized": "false", "naturalized": "false", "lpr": "false",
             "nationalities": "SV", "immigration_status": "no_status", "removal_order": "final",
             "order_designated_country": "SV", "destination_country": "SV", "arrangement": "sv-cecot-2025-grant"}


def batch(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "safeguard", "batch", *map(str, args), "--as-of", "2025-06-01"],
                          capture_output=True, text=True)


def misspellings(fact: str) -> list[str]:
    """Ways a manifest writes a fact's name wrong: no underscores, Title Case, a letter dropped or doubled."""
    words = fact.split("_")
    out = {fact.replace("_", ""), " ".join(w.title() for w in words), fact.upper()}
    if len(fact) >= 8:
        out |= {fact[:-1], fact + fact[-1], fact[:3] + fact[4:]}
    return sorted(out - set(fact_specs()))


@pytest.mark.parametrize("fact", [f for f in fact_specs() if f != "person_id"])
def test_every_near_miss_of_every_fact_stops_with_a_did_you_mean(fact):
    other = "birth_place" if fact != "birth_place" else "birth_date"
    for wrong in misspellings(fact):
        with pytest.raises(ColumnsError) as exc:
            plan_columns(["person_id", other, wrong])
        assert repr(wrong) in str(exc.value) and "did you mean" in str(exc.value), (fact, wrong)
        # on the user's word the column is kept as given, unread
        plan = plan_columns([other, wrong], allow_unmapped=(wrong,))
        assert plan.allowed == [wrong] and wrong not in plan.facts


def test_common_roster_spellings_name_real_facts_and_ordinary_columns_pass_through():
    assert set(VOCABULARY.values()) <= set(fact_specs())
    plan = plan_columns(["person_id", "Name", "Facility", "Notes", "Sex", "birth_date"])
    assert plan.pass_through == ["Name", "Facility", "Notes", "Sex"]
    assert plan.facts == {"person_id": "person_id", "birth_date": "birth_date"}
    for wrong in ("DOB", "date_of_birth", "withholding_country", "Custody", "birthdate"):
        with pytest.raises(ColumnsError, match="did you mean"):
            plan_columns(["birth_place", wrong])


def test_the_protected_person_is_flagged_once_the_column_is_fixed(tmp_path):
    src, dst = tmp_path / "m.csv", tmp_path / "o.csv"
    pl.DataFrame([{**PROTECTED, "withholding_country": "SV"}]).write_csv(src)
    r = batch(src, dst)
    assert r.returncode == 2, r.stdout + r.stderr
    said = " ".join(r.stderr.split())
    assert "'withholding_country'" in said and "did you mean withholding_countries?" in said
    assert not dst.exists()
    pl.DataFrame([{**PROTECTED, "withholding_countries": "SV"}]).write_csv(src)
    r = batch(src, dst, "--format", "json")
    assert r.returncode == 0, r.stderr
    assert pl.read_csv(dst)["transfer_outcome"].to_list() == ["BARRED_PROTECTION"]
    summary = json.loads(r.stdout)
    assert summary["columns"]["read_as_facts"]["withholding_countries"] == "withholding_countries"
    # kept as given on the user's word: the run goes on, and the fact is (visibly) not read
    pl.DataFrame([{**PROTECTED, "withholding_country": "SV"}]).write_csv(src)
    r = batch(src, dst, "--allow-unmapped", "withholding_country", "--format", "json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["columns"]["fact_like_kept_as_given"] == ["withholding_country"]


def test_no_fact_column_is_bad_input_with_a_hint_to_map(tmp_path):
    src = tmp_path / "roster.csv"
    pl.DataFrame({"ID": [f"R-{i}" for i in range(6)], "Name": ["x"] * 6}).write_csv(src)
    r = batch(src, tmp_path / "o.csv")
    assert r.returncode == 2, r.stderr
    said = " ".join(r.stderr.split())
    assert "no column is a fact of the vocabulary" in said and "--map" in said
    assert "internal error" not in said and "ShapeError" not in said


def _xlsx_cells(path: Path) -> list[str]:
    """Every text cell of an .xlsx file (inline and shared strings)."""
    with zipfile.ZipFile(path) as z:
        texts = []
        for name in z.namelist():
            if name.startswith("xl/worksheets/") or name == "xl/sharedStrings.xml":
                texts += re.findall(r"<t[^>]*>(.*?)</t>", z.read(name).decode("utf-8"), flags=re.S)
    return [html.unescape(t) for t in texts]


def test_a_mapped_rosters_report_carries_its_own_id(tmp_path):
    report = tmp_path / "report"
    r = batch(EXAMPLES / "roster.csv", tmp_path / "o.csv", "--map", EXAMPLES / "roster-map.yaml",
              "--report", report)
    assert r.returncode == 0, r.stderr
    roster = pl.read_csv(EXAMPLES / "roster.csv", infer_schema=False)
    flagged = pl.read_csv(report / "flagged.csv", infer_schema=False)
    assert "ID" in flagged.columns and "person_id" not in flagged.columns
    rows = flagged["manifest_row"].cast(pl.Int64).to_list()
    assert flagged["ID"].to_list() == [roster["ID"][i - 1] for i in rows]  # 1 = the first person
    cells = _xlsx_cells(report / "flagged.xlsx")
    assert "ID" in cells and set(flagged["ID"].to_list()) <= set(cells)
    page = (report / "report.html").read_text()
    assert "column &#x27;ID&#x27;" in page and flagged["ID"][0] in page
    figs = json.loads((report / "figures.json").read_text())
    assert figs["id_column"] == "ID" and len(figs["input_sha256"]) == 64 and figs["run_id"]


def test_run_wide_what_if_fills_empty_rows_only_and_says_so(tmp_path):
    src = tmp_path / "m.csv"
    base = {**PROTECTED, "withholding_countries": "", "arrangement": "", "birth_date": "1980-01-01",
            "nmi_domicile_on_1986_11_03": "elsewhere",
            "convicted": "true", "conviction_class": "felony", "custody": "federal_prison"}
    rows = [{**base, "person_id": "A"}, {**base, "person_id": "B", "arrangement": "sv-aca-2019"}]
    pl.DataFrame(rows).write_csv(src)
    plain = batch(src, tmp_path / "plain.csv", "--arrangement", "sv-cecot-2025")  # the offer as it stands
    what_if = batch(src, tmp_path / "wi.csv", "--arrangement", "sv-cecot-2025", "--assume-in-force",
                    "--format", "json")
    assert plain.returncode == 0 and what_if.returncode == 0, plain.stderr + what_if.stderr
    before = pl.read_csv(tmp_path / "plain.csv", infer_schema=False)
    after = pl.read_csv(tmp_path / "wi.csv", infer_schema=False)
    assert after["arrangement"].to_list() in ([None, "sv-aca-2019"], ["", "sv-aca-2019"])  # the output keeps the manifest's own values
    # the 2025 offer was never in force: outside it, unless the what-if assumes it in force
    assert before["transfer_outcome"][0] == "OUTSIDE_ARRANGEMENT"
    assert after["transfer_outcome"][0] == "SAFEGUARDS_REQUIRED"
    wide = json.loads(what_if.stdout)["run_wide_facts"]
    assert wide["arrangement"] == {"value": "sv-cecot-2025", "rows_given_own_value": 1}
    assert wide["arrangement_assumed_in_force"] == {"value": True, "rows_given_own_value": 0}
    typo = batch(src, tmp_path / "t.csv", "--arrangement", "sv-cec0t-2025")
    assert typo.returncode == 2 and "did you mean sv-cecot-2025" in " ".join(typo.stderr.split())


def test_no_written_cell_can_run_as_a_formula(tmp_path):
    src, report = tmp_path / "m.csv", tmp_path / "report"
    evil = ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tX", "\rY"]
    rows = [{"person_id": e, "birth_place": "US", "birth_date": "1990-01-01", "destination_country": "SV",
             "removal_order": "final"} for e in evil]
    rows.append({"person_id": "bad", "birth_place": "US", "birth_date": "=1+2", "destination_country": "SV",
                 "removal_order": "final"})
    pl.DataFrame(rows).write_csv(src)
    r = batch(src, tmp_path / "o.parquet", "--report", report)
    assert r.returncode == 0, r.stderr
    written = list(report.glob("*.csv")) + list(report.glob("*.xlsx"))
    assert {p.name for p in written} >= {"flagged.csv", "questions.csv", "flagged.xlsx"}
    for path in written:
        if path.suffix == ".csv":
            frame = pl.read_csv(path, infer_schema=False)
            cells = [c for col in frame.columns for c in frame[col].to_list() if c is not None] + frame.columns
        else:
            cells = _xlsx_cells(path)
        assert cells, path
        assert not [c for c in cells if c.startswith(FORMULA_STARTS)], path
    flagged = pl.read_csv(report / "flagged.csv", infer_schema=False)
    assert "'=HYPERLINK(\"http://x\")" in flagged["person_id"].to_list()  # neutralised, not dropped


def test_the_sortable_table_filters_on_the_text_it_shows():
    from safeguard.render.interactive import sortable_table
    from safeguard.render.page import Markup

    page = sortable_table("t", ["row", "kind"], [[1, Markup("<code>BARRED_US_CITIZEN</code>")], [2, "HOLD_X"]],
                          filter_column=1)
    assert '<option value="BARRED_US_CITIZEN">' in page and '<option value="HOLD_X">' in page
    assert "http" not in page  # no script or style fetched from anywhere


def test_a_new_run_takes_the_old_report_away_first(tmp_path, monkeypatch):
    """Killed while writing its report, a run leaves no report at all, never the previous run's beside the
    new output."""
    from datetime import date

    from rich.console import Console

    import safeguard.report.manifest_report as manifest_report
    from safeguard.batch.cli_batch import run_batch

    src, dst, report = tmp_path / "m.csv", tmp_path / "o.parquet", tmp_path / "report"
    pl.DataFrame([{**PROTECTED, "person_id": "A"}]).write_csv(src)
    first = run_batch(src, dst, date(2025, 6, 1), None, Console(quiet=True), report_dir=report)
    assert json.loads((report / "figures.json").read_text())["run_id"] == first["run_id"]

    def killed(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(manifest_report, "write_report", killed)
    with pytest.raises(SystemExit):
        run_batch(src, dst, date(2025, 6, 1), None, Console(quiet=True), report_dir=report)
    assert not report.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # nor any staging folder


def test_explanations_carry_the_mapped_identifier(tmp_path):
    out = tmp_path / "explained.jsonl"
    r = batch(EXAMPLES / "roster.csv", tmp_path / "o.csv", "--map", EXAMPLES / "roster-map.yaml",
              "--explain-flagged", out)
    assert r.returncode == 0, r.stderr
    docs = [json.loads(line) for line in out.read_text().splitlines()]
    roster = pl.read_csv(EXAMPLES / "roster.csv", infer_schema=False)
    assert docs and all(d["person_id"] == roster["ID"][d["row"]] for d in docs)
