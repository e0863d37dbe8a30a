"""Hostile input, as an attacker or a careless export gives it: each case with the exit code the
contract demands (0 decided, 2 bad input, never 1), the rows that must come out and the words the
message must have. Runs the real command in-process (Typer's runner) on files written here."""

from __future__ import annotations

import json
import os
import time
from datetime import date
from importlib import resources
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from safeguard.batch.io import iter_manifest
from safeguard.batch.paths import OutputLock
from safeguard.cli import app

AS_OF = "2026-01-01"
EXAMPLE = json.loads((resources.files("safeguard") / "examples" / "venezuelan-not-convicted.json").read_text("utf-8"))


def run(*args: str):
    result = CliRunner().invoke(app, [str(a) for a in args])
    text = " ".join((result.output or "").split())  # Rich wraps long lines: compare words, not line breaks
    return result.exit_code, text


def batch(tmp_path: Path, name: str, content: str | bytes, *extra: str, out: str = "out.csv"):
    src = tmp_path / name
    src.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    dst = tmp_path / out
    code, text = run("batch", src, dst, "--as-of", AS_OF, *extra)
    frame = _read(dst) if dst.exists() else None
    return code, text, frame


def _read(path: Path) -> pl.DataFrame:
    if path.suffix == ".csv":
        return pl.read_csv(path, infer_schema=False)
    if path.suffix == ".parquet":
        return pl.read_parquet(path)
    return pl.read_ndjson(path, infer_schema_length=None)


def jsonl(*rows) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows)


# ---- a person lost or an outcome lowered --------------------------------------------------------

def test_explain_flagged_naming_the_input_is_refused_and_the_input_is_untouched(tmp_path):
    content = jsonl(EXAMPLE, {"person_id": "x", "birth_place": "MX"})
    src = tmp_path / "in.jsonl"
    src.write_text(content)
    code, text = run("batch", src, tmp_path / "out.jsonl", "--explain-flagged", src)
    assert code == 2 and "--explain-flagged" in text and "same file as the input" in text
    assert src.read_text() == content and not (tmp_path / "out.jsonl").exists()


@pytest.mark.parametrize("where", ["output", "explain"])
def test_no_output_inside_the_report_folder(tmp_path, where):
    src = tmp_path / "in.jsonl"
    src.write_text(jsonl(EXAMPLE))
    report = tmp_path / "report"
    inside = report / "flagged.csv"
    args = [src, inside if where == "output" else tmp_path / "out.csv", "--report", report]
    if where == "explain":
        args += ["--explain-flagged", report / "index.jsonl"]
    code, text = run("batch", *args)
    assert code == 2 and "inside --report" in text and not report.exists()


def test_output_over_the_map_or_a_hard_link_of_the_input_is_refused(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("person_id,COB\np1,US\n")
    map_file = tmp_path / "map.yaml"
    map_file.write_text("columns: {COB: birth_place}\n")
    code, text = run("batch", src, tmp_path / "map.yaml", "--map", map_file)
    assert code == 2 and "same file as --map" in text and map_file.read_text().startswith("columns")
    link = tmp_path / "link.csv"
    os.link(src, link)
    code, text = run("batch", src, link)
    assert code == 2 and "same file as the input" in text and src.read_text() == "person_id,COB\np1,US\n"


def test_a_csv_without_its_header_row_is_refused_not_read_one_person_short(tmp_path):
    code, text, frame = batch(tmp_path, "in.csv", "p1,US,1990-01-01\np2,GU,1960-05-01\n")
    assert code == 2 and frame is None
    assert "in.csv" in text and "no column is a fact" in text and "header row" in text


def test_an_unknown_arrangement_id_is_an_error_on_its_row_never_no_arrangement(tmp_path):
    typo = {**EXAMPLE, "person_id": "typo", "arrangement": "sv-cec0t-2025"}  # letter O for zero
    code, text, frame = batch(tmp_path, "in.jsonl", jsonl(EXAMPLE, typo))
    assert code == 0 and frame.height == 2
    good, bad = frame.row(0, named=True), frame.row(1, named=True)
    assert good["transfer_outcome"] == "OUTSIDE_ARRANGEMENT" and good["error"] is None
    assert bad["transfer_outcome"] is None
    assert bad["error"].startswith("arrangement = 'sv-cec0t-2025'") and "did you mean sv-cecot-2025?" in bad["error"]
    case = tmp_path / "typo.json"
    case.write_text(json.dumps(typo))
    code, text = run("screen", case, "--as-of", AS_OF)
    assert code == 2 and "did you mean sv-cecot-2025?" in text


@pytest.mark.parametrize("out", ["out.csv", "out.parquet", "out.jsonl"])
def test_jsonl_keys_first_seen_after_the_first_chunk_give_every_row_the_same_fields(tmp_path, out):
    rows = [{"person_id": f"p{i}", "birth_place": "MX"} for i in range(1500)]
    for r in rows[1200:]:
        r["nationalities"], r["note"] = ["MX"], "late key"
    code, text, frame = batch(tmp_path, "in.jsonl", jsonl(*rows), "--chunk-rows", "1000", out=out)
    assert code == 0, text
    assert frame.height == 1500 and frame["nationalities"][:1200].null_count() == 1200
    assert frame["note"][1499] == "late key"
    if out.endswith(".csv"):
        lines = (tmp_path / out).read_text().splitlines()
        assert len(lines) == 1501 and len({line.count(",") for line in lines[1:]}) == 1


# ---- a row kept, with its error, where the whole run was refused ----------------------------------

def test_ragged_csv_rows_keep_their_place_with_the_line_number(tmp_path):
    content = "person_id,birth_place,birth_date\np1,US,1990-01-01\np2,MX,1980-01-01,extra\np3,SV\np4,GU,1960-05-01\n"
    code, text, frame = batch(tmp_path, "in.csv", content)
    assert code == 0 and frame["person_id"].to_list() == ["p1", "p2", "p3", "p4"]
    errors = frame["error"].to_list()
    assert errors[1] == "line 3: 4 fields where the header has 3; the row was not screened"
    assert errors[2] == "line 4: 2 fields where the header has 3; the row was not screened"
    assert errors[0] is None and errors[3] is None
    assert frame["citizenship_status"].to_list() == ["citizen", None, None, "citizen"]


def test_bad_json_lines_arrays_and_mixed_types_keep_every_other_row(tmp_path):
    content = jsonl({"person_id": "a", "birth_place": "US"}, '{"person_id": "b", birth_place', [1, 2],
                    {"person_id": "d", "birth_place": ["US"]}, {"person_id": "e", "birth_place": 7},
                    {"person_id": "f", "birth_place": "GU", "birth_date": "1960-05-01"})
    code, text, frame = batch(tmp_path, "in.jsonl", content)
    assert code == 0 and frame.height == 6
    errors = frame["error"].to_list()
    assert errors[0] is None and errors[5] is None
    assert errors[1].startswith("line 2: not valid JSON")
    assert errors[2] == "line 3: expected a JSON object of facts {...}, got an array"
    assert errors[3].startswith("birth_place = ['US']: expected an ISO 3166-1")
    assert errors[4].startswith("birth_place = 7: expected an ISO 3166-1")
    assert frame["citizenship_status"][5] == "citizen"


def test_a_cell_larger_than_a_read_block_is_that_rows_error(tmp_path):
    huge = "x" * (5 << 20)  # larger than the fast reader's 4 MiB block: it "straddles two block boundaries"
    content = f"person_id,birth_place,note\np1,US,short\np2,MX,{huge}\np3,GU,short\n"
    code, text, frame = batch(tmp_path, "in.csv", content)
    assert code == 0 and frame["person_id"].to_list() == ["p1", "p2", "p3"]
    assert frame["error"][1] == "line 3: the cell in column 'note' has 5,242,880 characters; at most 1,048,576 are read"
    assert frame["citizenship_status"][0] == "citizen" and frame["error"][2] is None


# ---- files that cannot be read: exit 2 naming the path and why ----------------------------------

@pytest.mark.parametrize("content,words", [
    (b"", "cannot be read as parquet"),
    (b"person_id,birth_place\np1,US\n", "cannot be read as parquet"),  # a CSV named .parquet
    (None, "cannot be read as parquet"),  # a real Parquet file, truncated
])
def test_unreadable_parquet_is_bad_input(tmp_path, content, words):
    if content is None:
        whole = tmp_path / "whole.parquet"
        pl.DataFrame({"person_id": [f"p{i}" for i in range(5000)], "birth_place": ["US"] * 5000}).write_parquet(whole)
        content = whole.read_bytes()[: whole.stat().st_size // 2]
    code, text, frame = batch(tmp_path, "in.parquet", content)
    assert code == 2 and "in.parquet" in text and words in text and frame is None


def test_a_parquet_list_where_a_country_is_expected_is_an_error_on_each_row(tmp_path):
    src = tmp_path / "in.parquet"
    pl.DataFrame({"person_id": ["a", "b"], "birth_place": [["US"], None]}).write_parquet(src)
    code, text = run("batch", src, tmp_path / "out.parquet", "--as-of", AS_OF)
    frame = pl.read_parquet(tmp_path / "out.parquet")
    assert code == 0 and frame.height == 2
    assert frame["error"][0].startswith("birth_place = ['US']: expected an ISO 3166-1") and frame["error"][1] is None


def test_non_utf8_csv_names_the_byte_offset_and_encoding_reads_it(tmp_path):
    content = "person_id,birth_place\np1,US\np\xe9,GU\n".encode("latin-1")
    code, text, frame = batch(tmp_path, "in.csv", content)
    assert code == 2 and "byte 0xe9 at offset 29" in text and "--encoding" in text
    code, text, frame = batch(tmp_path, "in.csv", content, "--encoding", "latin-1")
    assert code == 0 and frame["person_id"].to_list() == ["p1", "pé"]


def test_a_utf8_byte_order_mark_is_not_part_of_the_first_column_name(tmp_path):
    code, text, frame = batch(tmp_path, "in.csv", "\ufeffperson_id,birth_place\np1,US\n".encode())
    assert code == 0 and frame.columns[0] == "person_id" and frame["citizenship_status"][0] == "citizen"


@pytest.mark.parametrize("content,words", [
    (None, "not a file (a folder)"),
    ('{"birth_place": "US\xe9"}'.encode("latin-1"), "byte 0xe9 at offset 19"),
    ('{"birth_place": "US"}'.encode("utf-16"), "UTF-16"),
    (b'{"mother_us_presence_years": ' + b"9" * 400 + b"}", "from 0 to 150"),
    (b'{"birth_date": "9999-12-31"}', "from 1790-01-01 to 2200-12-31"),
    (b'{"mother_us_presence_periods": [{"start": "2000-01-01"}]}', "[start, end] date pairs"),
    (b'{"person_id": {"a": 1}}', "person_id = {'a': 1}: expected text"),
    (b'{"arrangement": ["sv-cecot-2025"]}', "arrangement = ['sv-cecot-2025']: expected an arrangement id"),
    ('{"mother_us_presence_years": "\u0665"}'.encode(), "digits 0-9 only"),
    (b'{"birth_place": "[/]"}', "birth_place = '[/]': expected"),
    (b"[1, 2]", "expected an object of facts"),
    (b"[" * 100_000, "not valid JSON"),
])
def test_screen_refuses_bad_case_files_with_exit_2(tmp_path, content, words):
    case = tmp_path / "case.json"
    if content is None:
        case.mkdir()
    else:
        case.write_bytes(content)
    for command in ("screen", "ask"):
        code, text = run(command, case, "--as-of", AS_OF)
        assert code == 2 and words in text, (command, text)


def test_a_value_is_printed_as_text_never_as_terminal_markup(tmp_path):
    case = tmp_path / "case.json"
    case.write_text(json.dumps({"person_id": "[link=https://example.org]click[/link] [/]", "birth_place": "GU",
                                "birth_date": "1960-05-01"}))
    code, text = run("screen", case, "--format", "text", "--as-of", AS_OF)
    assert code == 0 and "[link=https://example.org]click[/link] [/]" in text


def test_interview_survives_an_answer_that_looks_like_markup(monkeypatch, capsys):
    from rich.prompt import Prompt

    from safeguard import cli

    asked: list[str] = []

    def answer(text, **kwargs):
        asked.append(str(text))
        if len(asked) == 1:
            return "[/]"
        return "GU" if "Where was the person born" in str(text) else (
            "1960-05-01" if "date of birth" in str(text) else "?")

    monkeypatch.setattr(Prompt, "ask", answer)
    facts = cli.interview({}, date(2026, 1, 1))
    assert facts.get("birth_place") == "GU" and "[/]" not in facts.values()  # refused, and the interview went on
    assert asked[1] == asked[0]  # the same question asked again after the refused answer
    assert "= '[/]': expected" in " ".join(capsys.readouterr().out.split())


# ---- bounded work --------------------------------------------------------------------------------

LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))


@pytest.mark.parametrize("where", ["scenario", "map", "case"])
def test_yaml_aliases_are_refused_before_anything_is_expanded(tmp_path, where):
    start = time.process_time()
    path = tmp_path / "f.yaml"
    path.write_text(LAUGHS)
    if where == "scenario":
        code, text = run("simulate", path, "--out", tmp_path / "sim")
    elif where == "map":
        src = tmp_path / "in.csv"
        src.write_text("person_id,COB\np1,US\n")
        code, text = run("batch", src, tmp_path / "out.csv", "--map", path)
    else:
        code, text = run("screen", path)
    assert code == 2 and "alias" in text, text
    assert time.process_time() - start < 30  # a guard against a hang, not a speed figure


def test_a_wide_manifest_is_read_in_chunks_bounded_by_bytes(tmp_path):
    src = tmp_path / "wide.csv"
    header = ["person_id", "birth_place"] + [f"c{i}" for i in range(300)]
    src.write_text(",".join(header) + "\n" + "".join(",".join([f"p{r}", "US"] + ["v" * 20] * 300) + "\n"
                                                     for r in range(2000)))
    chunks = list(iter_manifest(src, rows=250_000, chunk_bytes=1 << 20))
    assert sum(c.height for c in chunks) == 2000 and len(chunks) > 4
    assert max(c.height for c in chunks) < 1000
    code, text = run("batch", src, tmp_path / "out.parquet")
    assert code == 0 and pl.read_parquet(tmp_path / "out.parquet").height == 2000


# ---- outputs that cannot be turned against their reader, and leftovers ------------------------------

FORMULAS = ["=HYPERLINK(\"http://x\",\"y\")", "=cmd|' /C calc'!A0", "+1+1", "-1-1", "@SUM(A1)", "\tx", "\rx"]


def _unsafe_cells(path: Path) -> list[str]:
    table = pl.read_csv(path, infer_schema=False)
    cells = [*table.columns, *(v for col in table.iter_columns() for v in col.to_list() if v is not None)]
    return [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]


def _formula_rows() -> list[dict]:
    rows = [{"person_id": f, "birth_place": "US", "birth_date": "1990-01-01", "destination_country": "SV",
             "removal_order": "final", "=note": f} for f in FORMULAS]
    rows.append({"person_id": "plain", "birth_place": "=1+1", "=note": "ok"})  # a bad value repeated in `error`
    return rows


def test_the_screened_csv_is_spreadsheet_safe_and_parquet_keeps_the_value(tmp_path):
    rows = _formula_rows()
    code, text, frame = batch(tmp_path, "in.jsonl", jsonl(*rows), out="out.csv")
    assert code == 0 and frame.height == len(rows)
    assert _unsafe_cells(tmp_path / "out.csv") == []
    assert frame["person_id"].to_list()[:2] == ["'" + FORMULAS[0], "'" + FORMULAS[1]]
    assert "'=note" in frame.columns
    assert frame["error"][len(rows) - 1].startswith("birth_place = '=1+1': expected")
    kept = tmp_path / "out.parquet"
    run("batch", tmp_path / "in.jsonl", kept)
    assert pl.read_parquet(kept)["person_id"].to_list()[: len(FORMULAS)] == FORMULAS  # Parquet keeps the value


@pytest.mark.parametrize("out", ["out.csv", "out.parquet"])
def test_every_csv_the_batch_command_writes_is_spreadsheet_safe(tmp_path, out):
    code, text, frame = batch(tmp_path, "in.jsonl", jsonl(*_formula_rows()), "--report", tmp_path / "report", out=out)
    assert code == 0
    written = sorted(tmp_path.rglob("*.csv"))
    assert any(p.parent.name == "report" for p in written)
    assert {p.name: _unsafe_cells(p) for p in written} == {p.name: [] for p in written}


def test_stale_partials_of_a_killed_run_are_removed_and_said(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("person_id,birth_place\np1,US\n")
    stale = tmp_path / ".out.csv.abcd1234.partial"
    stale.write_text("half a run")
    other = tmp_path / ".other.csv.abcd1234.partial"  # another output's: not ours to remove
    other.write_text("x")
    code, text = run("batch", src, tmp_path / "out.csv")
    assert code == 0 and "removed 1 partial file left by an interrupted run" in text
    assert not stale.exists() and other.exists() and not (tmp_path / ".out.csv.lock").exists()


def test_a_second_run_on_the_same_output_is_refused_while_the_first_holds_it(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("person_id,birth_place\np1,US\n")
    lock = OutputLock(tmp_path / "out.csv")
    try:
        partial = tmp_path / ".out.csv.live0000.partial"
        partial.write_text("a live run's")
        code, text = run("batch", src, tmp_path / "out.csv")
        assert code == 2 and f"another run (pid {os.getpid()}) is writing this output" in text
        assert partial.exists() and not (tmp_path / "out.csv").exists()
    finally:
        lock.release()


def test_a_scenario_value_that_looks_like_markup_is_printed_as_text(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text('arrangement: "[/]"\n')
    code, text = run("simulate", path, "--out", tmp_path / "sim")
    assert code == 2 and "[/]" in text and "bad scenario" in text
