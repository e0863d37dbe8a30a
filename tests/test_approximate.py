"""Approximate dates (a year, or a month): read into an interval, refused with a clear message when bad,
and decided the same way one case at a time and in a batch (CSV text and JSONL)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import polars as pl
import pytest

from safeguard.api import ask, screen
from safeguard.batch.readers import jsonl_chunks
from safeguard.batch.run import screen_frame
from safeguard.facts.parse import ApproxDate, InputErrors, parse_case

AS_OF = date(2026, 11, 23)


def test_a_year_and_a_month_are_intervals():
    case = parse_case({"birth_date": "1985", "lpr_date": " 2000-02 ", "birth_place": "US"}, as_of=AS_OF)
    assert "birth_date" not in case.facts and "lpr_date" not in case.facts
    assert case.approx["birth_date"] == ApproxDate("1985", date(1985, 1, 1), date(1985, 12, 31))
    assert case.approx["lpr_date"] == ApproxDate("2000-02", date(2000, 2, 1), date(2000, 2, 29))
    assert parse_case({"birth_date": "2026-11"}, as_of=AS_OF).approx["birth_date"].high == AS_OF  # clipped
    assert parse_case({"birth_date": "1985-06-15"}, as_of=AS_OF).facts["birth_date"] == date(1985, 6, 15)


@pytest.mark.parametrize("text, expected", [
    ("1985-13", "only its year (YYYY) or month (YYYY-MM)"),
    ("19850", "only its year (YYYY) or month (YYYY-MM)"),
    ("85", "only its year (YYYY) or month (YYYY-MM)"),
    ("1985-6", "only its year (YYYY) or month (YYYY-MM)"),
    ("1700", "from 1790-01-01 to 2200-12-31"),
    ("2027", "a date on or before as_of (2026-11-23)"),
])
def test_a_bad_approximate_date_names_fact_value_and_expectation(text, expected):
    with pytest.raises(InputErrors) as e:
        parse_case({"birth_date": text}, as_of=AS_OF)
    assert str(e.value).startswith(f"birth_date = '{text}': expected")
    assert expected in str(e.value)


def test_as_of_must_be_a_full_date():
    with pytest.raises(InputErrors, match="as_of = '2026': expected a full date"):
        parse_case({"as_of": "2026", "birth_place": "US"})


def test_the_result_shows_the_date_as_given_and_why_it_is_asked():
    facts = {"birth_place": "MX", "parents_married_at_birth": True, "mother_citizen_at_birth": True,
             "father_citizen_at_birth": False, "father_national_at_birth": False, "mother_us_presence_years": 12,
             "mother_us_presence_years_after_14": 6, "mother_us_presence_years_after_16": 4,
             "mother_birth_date": "1925-03-01", "father_naturalized": False, "naturalized": False, "adopted": False}
    doc = screen({**facts, "birth_date": "1952"}, as_of=AS_OF, explain=True)
    block = doc["approximate_dates"]["birth_date"]
    assert block["given"] == "1952" and block["from"] == "1952-01-01" and block["to"] == "1952-12-31"
    assert block["exact_date_needed"] is True
    assert block["note"].startswith("birth_date 1952: the answer differs before and after 1952-12-24 (acquisition.ina_effective")
    assert doc["explanation"][-1]["doc"] == block["note"]
    assert ask({**facts, "birth_date": "1952"}, as_of=AS_OF)["questions"][0]["fact"] == "birth_date"
    decided = screen({**facts, "birth_date": "1953"}, as_of=AS_OF, explain=True)
    assert decided["citizenship"]["status"] == "citizen"
    assert "decided for every day of birth_date 1953" in decided["citizenship"]["basis"]
    assert decided["explanation"][-1]["value"] == "decided for every day"
    assert "birth_date" not in ask({**facts, "birth_date": "1953"}, as_of=AS_OF)["questions"]


CLIENT = {"birth_place": "MX", "birth_date": "1975-03-10", "mother_naturalized": "true",
          "mother_naturalization_date": "1985", "parents_married_at_birth": "true", "parents_legally_separated": "true",
          "legal_separation_date": "1982-04-01", "custody_parent": "mother", "lpr": "true", "lpr_date": "1983-05-01",
          "mother_citizen_at_birth": "false", "father_citizen_at_birth": "false", "mother_national_at_birth": "false",
          "father_national_at_birth": "false", "father_naturalized": "false", "naturalized": "false",
          "adopted": "false", "married_before_18": "false", "parents_reunited_after_separation": "false",
          "mother_deceased": "false", "father_deceased": "false", "foundling": "false", "destination_country": "SV"}
ROWS = [
    {"person_id": "us-year", "birth_place": "US", "birth_date": "1985", "destination_country": "SV", "removal_order": "final"},
    {"person_id": "abroad-month", "birth_place": "MX", "birth_date": "1985-06", "mother_citizen_at_birth": "true",
     "father_citizen_at_birth": "true", "parents_married_at_birth": "true", "mother_us_residence_before_birth": "true"},
    {"person_id": "lpr-year", "birth_place": "SV", "birth_date": "1990-04-02", "lpr": "true", "lpr_date": "2001",
     "mother_naturalized": "true", "mother_naturalization_date": "2005", "parents_married_at_birth": "true",
     "mother_citizen_at_birth": "false", "father_citizen_at_birth": "false", "destination_country": "SV"},
    {"person_id": "place-unknown", "birth_date": "1960", "mother_citizen_at_birth": "true",
     "father_citizen_at_birth": "true", "parents_married_at_birth": "true", "mother_us_residence_before_birth": "true",
     "father_us_residence_before_birth": "true"},
    {"person_id": "bad", "birth_place": "US", "birth_date": "1985-00"},
    {"person_id": "several", **CLIENT, "birth_date": "1975-03", "legal_separation_date": "1982"},
    {"person_id": "several-differ", **CLIENT, "birth_date": "1975", "mother_naturalization_date": "1993"},
    {"person_id": "several-same-year", **CLIENT, "legal_separation_date": "1985"},
    {"person_id": "exact", "birth_place": "GU", "birth_date": "1960-05-01"},
]


def _scalar(row: dict) -> tuple:
    facts = {k: v for k, v in row.items() if k != "person_id" and v != ""}
    facts = {k: {"true": True, "false": False}.get(v, v) for k, v in facts.items()}
    try:
        doc = screen(facts, as_of=AS_OF)
    except InputErrors as e:
        return ("error", str(e))
    return (doc["citizenship"]["status"], doc["citizenship"]["basis"], (doc.get("transfer") or {}).get("outcome"),
            set(doc["missing_facts"]))


def _batch(out: pl.DataFrame) -> dict[str, tuple]:
    rows = {}
    for r in out.iter_rows(named=True):
        rows[r["person_id"]] = ("error", r["error"]) if r["error"] else (
            r["citizenship_status"], r["citizenship_basis"], r["transfer_outcome"],
            set(filter(None, (r["missing_facts"] or "").split(";"))))
    return rows


def test_scalar_and_batch_agree_on_approximate_dates(tmp_path):
    cols = sorted({k for r in ROWS for k in r})
    frame = pl.DataFrame([{c: r.get(c, "") for c in cols} for r in ROWS], schema={c: pl.Utf8 for c in cols})
    from_csv = _batch(screen_frame(frame, default_as_of=AS_OF))
    path = tmp_path / "rows.jsonl"
    path.write_text("".join(json.dumps({k: {"true": True, "false": False}.get(v, v) for k, v in r.items()}) + "\n"
                            for r in ROWS), encoding="utf-8")
    chunk = next(jsonl_chunks(path, 100, 1 << 20))
    from_jsonl = _batch(screen_frame(chunk, default_as_of=AS_OF))
    for row in ROWS:
        single = _scalar(row)
        assert from_csv[row["person_id"]] == single, row["person_id"]
        assert from_jsonl[row["person_id"]] == single, row["person_id"]
    assert from_csv["us-year"][0] == "citizen" and from_csv["bad"][0] == "error"
    assert from_csv["several"][0] == from_csv["several-same-year"][0] == "citizen"
    assert from_csv["several-differ"][0] == "unknown"
    assert {"birth_date", "mother_naturalization_date"} <= from_csv["several-differ"][3]
    assert "birth_date" in from_csv["bad"][1] and "'1985-00'" in from_csv["bad"][1]


def _every_day(facts: dict, names: list[str]) -> pl.DataFrame:
    """The case at every combination of days of its approximate dates (exact dates: the brute force)."""
    from itertools import product

    case = parse_case({k: v for k, v in facts.items()}, as_of=AS_OF, text=True)
    spans = [[case.approx[n].low + timedelta(days=i) for i in range((case.approx[n].high - case.approx[n].low).days + 1)]
             for n in names]
    rows = [{**{k: v for k, v in facts.items() if k not in names}, **{n: d.isoformat() for n, d in zip(names, days)}}
            for days in product(*spans)]
    return screen_frame(pl.DataFrame(rows, schema={k: pl.Utf8 for k in rows[0]}), default_as_of=AS_OF)


@pytest.mark.parametrize("approximate", [
    {"legal_separation_date": "1985-06", "mother_naturalization_date": "1985-06"},  # the two can come in either order
    {"birth_date": "1975-03", "mother_naturalization_date": "1993-03"},  # across the 18th birthday
])
def test_several_approximate_dates_give_what_every_day_gives(approximate):
    facts = {k: v for k, v in {**CLIENT, **approximate}.items()}
    doc = screen({k: {"true": True, "false": False}.get(v, v) for k, v in facts.items()}, as_of=AS_OF)
    brute = _every_day(facts, list(approximate))
    possible = brute.filter(pl.col("error").is_null())
    statuses = set(possible["citizenship_status"])
    if len(statuses) == 1:
        assert doc["citizenship"]["status"] == statuses.pop()
    else:
        assert doc["citizenship"]["status"] == "unknown"
        assert all(doc["approximate_dates"][f]["exact_date_needed"] for f in approximate)


def test_the_cli_takes_a_year(tmp_path):
    import subprocess
    import sys

    case = tmp_path / "case.json"
    case.write_text(json.dumps({"birth_place": "US", "birth_date": "1985"}))
    r = subprocess.run([sys.executable, "-m", "safeguard", "screen", str(case), "--as-of", "2026-11-23"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["citizenship"]["status"] == "citizen"
    assert doc["approximate_dates"]["birth_date"]["given"] == "1985"


def test_the_terminal_interview_keeps_a_year_as_given(monkeypatch):
    from rich.prompt import Prompt

    from safeguard import cli

    family = {"birth_place": "MX", "parents_married_at_birth": True, "mother_citizen_at_birth": True,
              "father_citizen_at_birth": False, "father_national_at_birth": False, "mother_us_presence_years": 12,
              "mother_us_presence_years_after_14": 6, "mother_us_presence_years_after_16": 4,
              "mother_birth_date": "1925-03-01", "father_naturalized": False, "naturalized": False, "adopted": False,
              "destination_country": "SV", "removal_order": "final"}
    monkeypatch.setattr(Prompt, "ask", lambda text, **kw: "1953" if "date of birth" in str(text) else "?")
    facts = cli.interview(dict(family), AS_OF)
    assert facts["birth_date"] == "1953"
    assert screen(facts, as_of=AS_OF)["citizenship"]["status"] == "citizen"


def test_a_date_presence_periods_are_counted_from_is_asked_exactly(tmp_path):
    facts = {"birth_place": "MX", "birth_date": "1985", "parents_married_at_birth": True,
             "mother_citizen_at_birth": True, "father_citizen_at_birth": False, "mother_birth_date": "1960-01-01",
             "mother_us_presence_periods": [["1961-01-01", "1984-01-01"]]}
    doc = screen(facts, as_of=AS_OF)
    block = doc["approximate_dates"]["birth_date"]
    assert block["exact_date_needed"] is True and "presence periods" in block["note"]
    assert "birth_date" in doc["missing_facts"]
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps({"person_id": "p", **facts}) + "\n", encoding="utf-8")
    row = screen_frame(next(jsonl_chunks(path, 10, 1 << 20)), default_as_of=AS_OF).row(0, named=True)
    assert row["error"] is None
    assert row["citizenship_status"] == doc["citizenship"]["status"]
    assert set(row["missing_facts"].split(";")) == set(doc["missing_facts"])


def test_several_dates_that_cannot_be_searched_together_decide_nothing(monkeypatch):
    """Each date's own search runs with the other dates unknown, where a presumption can stand that another date's
    interval contradicts: when the joint search cannot run (here: a limit of no combination), none is kept and
    the exact dates are asked, in one case and in batch alike (sound, if cautious: a Guam birth in 1960 is then
    unknown until the dates are given)."""
    from safeguard.engine import cases

    row = {"person_id": "guam-two-years", "birth_place": "GU", "birth_date": "1960", "lpr_date": "2001",
           "destination_country": "SV", "removal_order": "final"}  # INA 307: any day of 1960, a citizen
    assert _scalar(row)[0] == "citizen"
    monkeypatch.setattr(cases, "JOINT_LIMIT", 0)
    alone = _scalar(row)
    assert alone[0] == "unknown" and "birth_date" in alone[3]
    frame = pl.DataFrame([row], schema={k: pl.Utf8 for k in row})
    assert _batch(screen_frame(frame, default_as_of=AS_OF))["guam-two-years"] == alone
