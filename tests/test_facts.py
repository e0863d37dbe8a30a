"""Input validation (messages name fact, value and expectation) and day-exact presence from periods."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from safeguard.facts.columns import typed_facts
from safeguard.facts.parse import InputErrors, parse_case

AS_OF = date(2026, 11, 23)


@pytest.mark.parametrize("raw,fact,words", [
    ({"birth_date": "1960-13-01"}, "birth_date", "YYYY-MM-DD"),
    ({"custody": "moon"}, "custody", "one of federal_prison"),
    ({"mother_us_presence_years": -3}, "mother_us_presence_years", "from 0 to 150"),
    ({"mother_us_presence_years": 2, "mother_us_presence_years_after_14": 3}, "mother_us_presence_years_after_14",
     "no more than mother_us_presence_years"),
    ({"lpr_date": "2030-01-01"}, "lpr_date", "on or before as_of"),
    ({"mother_birth_date": "1960-01-01", "mother_naturalization_date": "1950-01-01"}, "mother_naturalization_date",
     "on or after mother_birth_date"),
    ({"birth_plac": "US"}, "birth_plac", "did you mean birth_place"),
    ({"birth_place": "XX"}, "birth_place", "ISO 3166-1"),
])
def test_bad_input_names_fact_value_and_expectation(raw, fact, words):
    with pytest.raises(InputErrors) as e:
        parse_case(raw, as_of=AS_OF)
    message = str(e.value)
    assert message.startswith(fact) and words in message
    assert repr(list(raw.values())[-1]).strip("'") in message


def test_batch_validation_gives_the_same_message_and_keeps_every_row():
    raw = pl.DataFrame({"birth_date": ["1960-13-01", "1960-01-01", ""], "custody": ["none", "moon", ""]})
    out = typed_facts(raw, AS_OF)
    assert out.height == 3
    errors = out["error"].to_list()
    assert errors[0] == str(_error({"birth_date": "1960-13-01", "custody": "none"}))
    assert errors[1].startswith("custody = 'moon'") and errors[2] is None


def _error(raw):
    try:
        parse_case(raw, as_of=AS_OF, text=True)
    except InputErrors as e:
        return e


def test_presence_periods_are_counted_day_exactly():
    # Father born 1968-01-01, present 1968-01-01..1984-12-31 (overlapping second period), child born 1990-03-01.
    case = parse_case({
        "birth_date": "1990-03-01", "father_birth_date": "1968-01-01",
        "father_us_presence_periods": [["1968-01-01", "1980-12-31"], ["1975-06-01", "1984-12-31"]],
    }, as_of=AS_OF)
    days_total = (date(1984, 12, 31) - date(1968, 1, 1)).days + 1
    days_after_14 = (date(1984, 12, 31) - date(1982, 1, 1)).days + 1
    assert case.facts["father_us_presence_years"] == pytest.approx(days_total / 365, abs=1e-6)
    assert case.facts["father_us_presence_years_after_14"] == pytest.approx(days_after_14 / 365, abs=1e-6)
    assert case.facts["father_us_continuous_presence_year"] is True


def test_ongoing_period_stops_at_the_birth_and_leap_days_count():
    case = parse_case({"birth_date": "2021-01-01", "mother_birth_date": "1990-01-01",
                       "mother_us_presence_periods": [["2019-12-31", None]]}, as_of=AS_OF)
    assert case.facts["mother_us_presence_years"] == pytest.approx(367 / 365, abs=1e-6)  # 2020 is a leap year


def test_batch_messages_equal_single_case_messages_on_a_synthetic_manifest():
    """Every rejected row of a generated manifest (typed and text columns mixed, two bad values in
    some rows) carries exactly the message the single-case validator gives for that row."""
    from safeguard.synth import generate

    frame = generate(20_000, seed=5, bad_row_share=0.03)
    # a second bad value, in an earlier column, in every third row that already has one elsewhere
    second = (pl.int_range(pl.len()) % 3 == 0) & ~pl.col("_synth_bad_fact").is_in(["", "lpr_date"])
    raw = frame.with_columns(pl.when(second).then(pl.lit("1960-99-01")).otherwise(pl.col("lpr_date"))
                             .alias("lpr_date")).drop("_synth_bad_fact")
    assert frame.select(second.sum()).item() > 100
    out = typed_facts(raw, AS_OF)
    rejected = out.with_row_index("i").filter(pl.col("error").is_not_null())
    assert rejected.height == 600 and rejected["error"].str.contains("; ").sum() > 100
    for i, message in rejected.select("i", "error").iter_rows():
        row = {k: v for k, v in raw.row(i, named=True).items() if v is not None}
        assert message == str(_error(row)), i


@pytest.mark.parametrize("raw,words", [
    ({"mother_us_presence_years": "٥"}, "digits 0-9 only"),  # an Arabic-Indic five: not a digit here
    ({"mother_us_presence_years": "1_000"}, "digits 0-9 only"),
    ({"mother_us_presence_years": 151}, "from 0 to 150"),
    ({"mother_us_presence_years": 10 ** 400}, "from 0 to 150"),  # compared as an integer, never overflowing
    ({"birth_date": "1789-12-31"}, "from 1790-01-01 to 2200-12-31"),
    ({"birth_date": "٢٠٠٠-٠١-٠١"}, "a date as YYYY-MM-DD"),
    ({"person_id": ["a"]}, "person_id = ['a']: expected text"),  # a list is never turned into text
    ({"custody": {"a": 1}}, "custody = {'a': 1}: expected one of"),
    ({"arrangement": "sv-cec0t-2025"}, "(did you mean sv-cecot-2025?)"),
    ({"destination_country": "El Salvador"}, "(did you mean SV?)"),
    ({"mother_us_presence_periods": [{"start": "2000-01-01", "end": None}]}, "[start, end] date pairs"),
])
def test_values_are_typed_strictly_with_one_grammar_in_single_and_batch(raw, words):
    with pytest.raises(InputErrors) as e:
        parse_case(raw, as_of=AS_OF)
    assert words in str(e.value)
    fact, value = next(iter(raw.items()))
    if isinstance(value, str) and fact != "mother_us_presence_periods":  # the same text through the batch
        out = typed_facts(pl.DataFrame({fact: [value]}), AS_OF)
        assert out["error"][0] == str(_error(raw))


def test_numeric_person_ids_and_catalogued_arrangements_are_read():
    case = parse_case({"person_id": 12345, "arrangement": " sv-cecot-2025 "}, as_of=AS_OF)
    assert case.person_id == "12345" and case.facts["arrangement"] == "sv-cecot-2025"
