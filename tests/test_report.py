"""The reviewer's report of a screened manifest: its figures agree with the screened rows, every flagged row
(and only those) is listed in priority order, and the page, charts and JSON are written whole."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import polars as pl
import pytest

from safeguard.batch.io import write_manifest
from safeguard.batch.run import screen_frame
from safeguard.facts.schema import fact_specs
from safeguard.report import figures as F
from safeguard.report.manifest_report import write_report
from safeguard.result import DISCLAIMER
from safeguard.synth import generate

AS_OF = datetime.date(2026, 11, 23)
N = 3000
STOP = ("BARRED_US_CITIZEN", "BARRED_US_NATIONAL", "HOLD_CITIZENSHIP_UNRESOLVED", "BARRED_PROTECTION",
        "BARRED_NO_FINAL_ORDER", "HOLD_PENDING_CLAIM")
PRIORITY = [*STOP, "NO_TRANSFER_SCREENED", "NOT_SCREENED"]


@pytest.fixture(scope="module")
def screened() -> pl.DataFrame:
    """A screened synthetic manifest with bad rows and some rows with no destination."""
    raw = generate(N, 11, bad_row_share=0.02, destination="SV", arrangement="sv-cecot-2025", as_of=AS_OF)
    raw = raw.with_row_index("_i").with_columns(
        pl.when(pl.col("_i") % 37 == 5).then(None).otherwise(pl.col("destination_country"))
        .alias("destination_country")).drop("_i")
    return screen_frame(raw, AS_OF)


@pytest.fixture(scope="module")
def files(screened, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("screened")
    out = {}
    for ext in ("parquet", "csv", "jsonl"):
        out[ext] = folder / f"screened.{ext}"
        write_manifest(screened, out[ext])
    return out


@pytest.fixture(scope="module")
def report(files, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report") / "review"
    html = write_report(files["parquet"], out, source="screened.parquet", as_of=AS_OF,
                        run={"rows_in": N, "rows_out": N, "seconds": 1.5, "rows_per_second": 2000.0})
    assert html == out / "report.html"
    return out


def _blank(col: str) -> pl.Expr:
    return pl.when(pl.col(col) != "").then(pl.col(col))


def expected_flags(frame: pl.DataFrame) -> pl.DataFrame:
    """The flagged rows, worked out here from the screened frame, in the order the report must list them."""
    outcome, status = pl.col("transfer_outcome"), pl.col("citizenship_status")
    flag = (pl.when(pl.col("error").is_not_null()).then(pl.lit("NOT_SCREENED"))
            .when(outcome.is_in(STOP)).then(outcome)
            .when(outcome.is_null() & status.is_in(["citizen", "national", "unknown"])).then(pl.lit("NO_TRANSFER_SCREENED")))
    rank = {f: i for i, f in enumerate(PRIORITY)}
    return (frame.with_row_index("row").with_columns(flag.alias("flag")).drop_nulls("flag")
            .with_columns(pl.col("flag").replace_strict(rank).alias("rank")).sort("rank", "row"))


def test_fixture_has_every_kind_of_row(screened):
    flags = set(expected_flags(screened)["flag"])
    assert {"BARRED_US_CITIZEN", "HOLD_CITIZENSHIP_UNRESOLVED", "HOLD_PENDING_CLAIM", "NO_TRANSFER_SCREENED",
            "NOT_SCREENED"} <= flags


def test_figures_agree_with_the_screened_rows(screened, report):
    figs = json.loads((report / "figures.json").read_text())
    direct = dict(screened.drop_nulls("transfer_outcome").group_by("transfer_outcome").len().iter_rows())
    assert list(figs["outcomes"]) == F.OUTCOME_ORDER
    assert figs["outcomes"] == {code: direct.get(code, 0) for code in F.OUTCOME_ORDER}
    reasons = (screened.select(pl.col("reason_codes").str.split(";")).explode("reason_codes", empty_as_null=True)
               .drop_nulls().group_by("reason_codes").len())
    assert figs["reasons"] == {code: dict(reasons.iter_rows()).get(code, 0) for code in F.OUTCOME_ORDER}
    status = dict(screened.drop_nulls("citizenship_status").group_by("citizenship_status").len().iter_rows())
    assert figs["citizenship"] == {s: status.get(s, 0) for s in F.STATUSES}
    errors = screened["error"].is_not_null().sum()
    no_transfer = (screened["transfer_outcome"].is_null() & screened["error"].is_null()).sum()
    t = figs["totals"]
    assert (t["rows"], t["not_screened"], t["screened"], t["no_transfer_screened"]) == (
        N, errors, N - errors, no_transfer)
    assert t["transfer_screened"] + t["no_transfer_screened"] + t["not_screened"] == N
    assert t["must_stop"] == t["flagged"] - errors  # the batch summary's rows_flagged
    assert figs["flagged"] == dict(expected_flags(screened).group_by("flag").len().iter_rows()) | {
        f: 0 for f in PRIORITY if f not in set(expected_flags(screened)["flag"])}
    assert figs["rows_check"] == {"rows_in": N, "rows_out": N, "rows_in_file": N, "equal": True}


def test_missing_fact_counts_are_over_held_rows(screened, report):
    figs = json.loads((report / "figures.json").read_text())
    held = screened.filter(pl.col("transfer_outcome").str.starts_with("HOLD_"))
    counts = dict(held.select(_blank("missing_facts").str.split(";")).explode("missing_facts", empty_as_null=True).drop_nulls()
                  .group_by("missing_facts").len().iter_rows())
    assert {e["fact"]: e["rows"] for e in figs["missing_facts_held"]} == counts
    rows = [e["rows"] for e in figs["missing_facts_held"]]
    assert rows == sorted(rows, reverse=True)
    for e in figs["missing_facts_held"]:
        assert e["question"] == fact_specs()[e["fact"]].question
        assert sum(e["by_outcome"].values()) == e["rows"]


def test_flagged_csv_lists_every_flagged_row_in_priority_order(screened, report):
    listed = pl.read_csv(report / "flagged.csv", infer_schema=False)
    expected = expected_flags(screened)
    # manifest rows count from 1, the first person
    assert (listed["manifest_row"].cast(pl.Int64) - 1).to_list() == expected["row"].cast(pl.Int64).to_list()
    assert listed["flag"].to_list() == expected["flag"].to_list()
    assert listed["person_id"].to_list() == expected["person_id"].to_list()
    assert listed["reason_codes"].to_list() == expected["reason_codes"].to_list()


def test_held_rows_list_their_missing_facts_and_questions(screened, report):
    listed = pl.read_csv(report / "flagged.csv", infer_schema=False).with_columns(
        (pl.col("manifest_row").cast(pl.Int64) - 1).alias("row"))
    source = screened.with_row_index("row").with_columns(pl.col("row").cast(pl.Int64))
    joined = listed.join(source.select("row", pl.col("missing_facts").alias("source_facts"),
                                       pl.col("error").alias("source_error")), on="row")
    held = joined.filter(pl.col("flag").str.starts_with("HOLD_") & _blank("source_facts").is_not_null())
    assert held.height > 0
    asks = dict(pl.read_csv(report / "questions.csv").iter_rows())
    for top, count, source_facts in held.select("top_questions", "missing_count", "source_facts").iter_rows():
        # the first three of the row's missing facts, in the engine's order; the count of all of them
        assert top.split(";") == source_facts.split(";")[:3]
        assert int(count) == len(source_facts.split(";"))
        assert all(asks[n] == fact_specs()[n].question for n in top.split(";"))
    barred = joined.filter(pl.col("flag").str.starts_with("BARRED_"))
    assert barred["top_questions"].null_count() == barred.height  # a barred row needs nothing resolved
    errors = joined.filter(pl.col("flag") == "NOT_SCREENED")
    assert errors.height == screened["error"].is_not_null().sum()
    assert errors["error"].to_list() == errors["source_error"].to_list()
    assert all(e and "=" in e for e in errors["error"])


def test_page_has_caveat_charts_and_the_rows_that_must_stop(screened, report):
    html = (report / "report.html").read_text()
    assert html.count(DISCLAIMER) == 2
    assert html.count('src="data:image/png;base64,') == 3
    assert "rows in 3,000 = rows out 3,000" in html.lower()
    assert html.index("Rows that must stop first") < html.index("Counts") < html.index("How to read this")
    first = expected_flags(screened).filter(pl.col("flag") == "HOLD_CITIZENSHIP_UNRESOLVED").row(0, named=True)
    assert first["person_id"] in html
    assert "flagged.csv and flagged.xlsx hold them all" in html
    error = expected_flags(screened).filter(pl.col("flag") == "NOT_SCREENED")["error"][0]
    assert error.replace("'", "&#x27;") in html
    for name in ("outcomes.png", "reasons.png", "missing_facts.png"):
        assert (report / name).read_bytes().startswith(b"\x89PNG")
    assert not [p for p in report.parent.iterdir() if p.name.endswith(".partial")]


def test_page_lists_about_a_thousand_rows_with_every_kind(report):
    figs = json.loads((report / "figures.json").read_text())
    assert sum(figs["shown"].values()) == min(1000, figs["totals"]["flagged"])
    assert all(figs["shown"][f] > 0 for f, n in figs["flagged"].items() if n)


@pytest.mark.parametrize("ext", ["csv", "jsonl"])
def test_every_file_type_gives_the_same_figures(files, report, ext, tmp_path):
    out = tmp_path / ext
    write_report(files[ext], out, source="screened.parquet", as_of=AS_OF,
                 run={"rows_in": N, "rows_out": N, "seconds": 1.5, "rows_per_second": 2000.0})
    assert json.loads((out / "figures.json").read_text()) == json.loads((report / "figures.json").read_text())
    assert (out / "flagged.csv").read_bytes() == (report / "flagged.csv").read_bytes()


def test_slices_add_up_to_the_same_report(files, report, tmp_path, monkeypatch):
    monkeypatch.setattr(F, "CHUNK", 700)  # five slices, categories spread over them
    out = tmp_path / "sliced"
    write_report(files["parquet"], out, source="screened.parquet", as_of=AS_OF,
                 run={"rows_in": N, "rows_out": N, "seconds": 1.5, "rows_per_second": 2000.0})
    assert json.loads((out / "figures.json").read_text()) == json.loads((report / "figures.json").read_text())
    assert (out / "flagged.csv").read_bytes() == (report / "flagged.csv").read_bytes()
    made = re.compile(r"report made [0-9: -]+UTC")
    assert made.sub("", (out / "report.html").read_text()) == made.sub("", (report / "report.html").read_text())


def test_empty_manifest(screened, tmp_path):
    for ext in ("parquet", "csv", "jsonl"):
        path = tmp_path / f"empty.{ext}"
        write_manifest(screened.head(0), path)
        html = write_report(path, tmp_path / f"out-{ext}", source=path.name, as_of=AS_OF)
        figs = json.loads((html.parent / "figures.json").read_text())
        assert figs["totals"]["rows"] == 0 and set(figs["outcomes"].values()) == {0}
        assert figs["rows_check"]["equal"] is None
        assert pl.read_csv(html.parent / "flagged.csv").height == 0
        assert DISCLAIMER in html.read_text()


def test_without_person_id_and_with_a_row_count_mismatch(screened, tmp_path):
    path = tmp_path / "anon.parquet"
    write_manifest(screened.drop("person_id").head(200), path)
    html = write_report(path, tmp_path / "out", source="anon", as_of=AS_OF, run={"rows_in": 201, "rows_out": 200, "outcomes": {"SEEN": 1}})
    assert "person_id" not in pl.read_csv(html.parent / "flagged.csv").columns
    assert "ROWS IN ≠ ROWS OUT" in html.read_text()
    assert "SEEN" not in html.read_text()  # the run's own breakdowns are not shown as text
    assert json.loads((html.parent / "figures.json").read_text())["rows_check"]["equal"] is False


def test_a_new_report_replaces_the_old_whole_and_never_empties_a_foreign_folder(screened, files, tmp_path):
    from safeguard.report.folder import ReportFolderError

    out = tmp_path / "review"
    out.mkdir()
    (out / "report.html").write_text("old")
    (out / "stale.png").write_bytes(b"old chart")
    write_report(files["parquet"], out, source="s", as_of=AS_OF)
    assert (out / "report.html").read_text() != "old"
    assert not (out / "stale.png").exists()  # the old report's files do not survive beside the new one
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine")
    (mine / "report.html").write_text("old")
    with pytest.raises(ReportFolderError, match="not part of a safeguard report"):
        write_report(files["parquet"], mine, source="s", as_of=AS_OF)
    assert (mine / "notes.txt").read_text() == "mine"
    bad = tmp_path / "unscreened.csv"
    bad.write_text("person_id,birth_date\nA-1,2000-01-01\n")
    with pytest.raises(F.ReportError, match="not a screened manifest"):
        write_report(bad, tmp_path / "never", source="x", as_of=AS_OF)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine", "review", "unscreened.csv"]


def test_allocate_shares_the_page_between_kinds():
    shown = F.allocate({"a": 5000, "b": 3, "c": 0, "d": 400}, budget=1000)
    assert shown == {"a": 597, "b": 3, "c": 0, "d": 400}
    assert F.allocate({"a": 10}, budget=1000) == {"a": 10}


def test_triage_groups_by_kind_then_size_with_the_basis_of_barred_citizens(screened, report):
    figs = json.loads((report / "figures.json").read_text())
    groups = figs["triage"]
    rank = {f: i for i, f in enumerate(PRIORITY)}
    keys = [(rank[g["flag"]], -g["rows"]) for g in groups]
    assert keys == sorted(keys)  # most serious kind first, largest group first within a kind
    assert sum(g["rows"] for g in groups) == figs["totals"]["flagged"]
    citizens = screened.filter(pl.col("transfer_outcome") == "BARRED_US_CITIZEN")
    by_basis = dict(citizens.group_by("citizenship_basis").len().iter_rows())
    assert {g["detail"]: g["rows"] for g in groups if g["flag"] == "BARRED_US_CITIZEN"} == by_basis
    held = [g for g in groups if g["flag"] == "HOLD_CITIZENSHIP_UNRESOLVED"]
    assert held and all(g["detail"] for g in held)  # the open routes, named from the row's first missing facts
    first = held[0]["examples"][0]
    row = screened.filter(pl.col("person_id") == first).row(0, named=True)
    assert row["transfer_outcome"] == "HOLD_CITIZENSHIP_UNRESOLVED"
    page = (report / "report.html").read_text()
    assert page.index("At a glance") < page.index("Rows that must stop first") < page.index("The flagged rows")
    assert figs["triage"][0]["examples"][0] in page


def test_every_fact_a_held_row_can_miss_names_an_open_route():
    """A held row's open route is named from its missing facts' groups: no group may be left without words
    (the adoptee's birth parents and the residence begun before 18 once came out with no route at all)."""
    from safeguard.facts.schema import input_facts

    specs = fact_specs()
    assert [n for n in input_facts() if not F.ROUTE_WORDS.get(specs[n].group)] == []
    assert specs["began_residing_permanently_before_18"].group == "derivation"
    assert specs["birth_mother_citizen_at_birth"].group == "parent"
