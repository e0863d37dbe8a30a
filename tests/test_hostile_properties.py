"""Properties over generated input: `screen()` given any JSON values raises nothing but the project's
own input error; single and batch read the same text and the same JSON values alike."""

from __future__ import annotations

import json
from datetime import date

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeguard.api import screen
from safeguard.batch.readers import jsonl_chunks
from safeguard.facts.columns import READ_ERROR, typed_facts
from safeguard.facts.parse import InputErrors, country_codes, parse_case
from safeguard.facts.schema import fact_specs

AS_OF = date(2026, 1, 1)
SPECS = fact_specs()
FACTS = sorted(SPECS)
CSV_FACTS = [n for n in FACTS if SPECS[n].type != "periods"]

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=6)
DATES = st.dates(min_value=date(1700, 1, 1), max_value=date(2300, 12, 31)).map(date.isoformat)
CODES = st.sampled_from(sorted(country_codes()) + ["XX", "us", " SV ", "SLV", "ſv"])
TRICKY = st.sampled_from(["", " ", "\t", "٥", "1_000", "1e3", "+5", "-0", "5.", ".5", "inf", "nan", "NaN", "0x10",
                          "١٩٦٠-٠١-٠١", "1960-1-1", "1960-02-30", "9999-12-31", "0001-01-01", "1790-01-01",
                          "2200-12-31", "2201-01-01", "true", "Yes", " n ", "TRUE", "İ", "none", "NONE", "US;MX",
                          "US;;MX", "US; XX", ";", "sv-cecot-2025", "sv-cec0t-2025", " sv-cecot-2025 ", "x" * 1001,
                          "150", "150.5", "0", "1000000001", "federal_prison", "[/]", "=1+1", "\x00"])


def _value_for(name: str) -> st.SearchStrategy:
    """Any JSON value, or one shaped like what the fact takes (to reach the rules, not only the parser)."""
    kind = SPECS[name].type
    shaped = {
        "date": DATES, "country": CODES, "countries": st.lists(CODES, max_size=3),
        "number": st.integers(-5, 10**9) | st.floats(-1, 200), "bool": st.booleans(),
        "enum": st.sampled_from(list(SPECS[name].values) + ["moon"]),
        "periods": st.lists(st.tuples(DATES, DATES | st.none()).map(list), max_size=3),
        "string": st.sampled_from(["sv-cecot-2025", "gtmo-2025", "p-1"]) if name != "arrangement" else
        st.sampled_from(["sv-cecot-2025", "gtmo-2025", "sv-aca-2019", "nope"]),
    }[kind]
    return st.one_of(shaped, TRICKY, JSON)


CASES = st.lists(st.sampled_from(FACTS), min_size=1, max_size=10, unique=True).flatmap(
    lambda names: st.fixed_dictionaries({n: _value_for(n) for n in names}))


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CASES)
def test_screen_raises_only_the_projects_input_error_on_any_json_values(case):
    try:
        doc = screen(case, as_of=AS_OF, rank=False)
    except InputErrors as e:
        assert e.errors and all(err.fact in case or err.fact == "as_of" or "_us_presence" in err.fact
                                for err in e.errors)
        return
    assert doc["citizenship"]["status"] in ("citizen", "national", "not_citizen", "unknown", "contested")


def _single(raw: dict, text: bool):
    day = None if raw.get("as_of") not in (None, "") else AS_OF
    try:
        return parse_case(raw, as_of=day, text=text), None
    except InputErrors as e:
        return None, str(e)


def _plain(value):
    """A list however it comes: a tuple (single case) or a Polars Series (a list cell of the batch)."""
    if isinstance(value, pl.Series):
        return value.to_list()
    return list(value) if isinstance(value, tuple) else value


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(CSV_FACTS).flatmap(lambda n: st.tuples(st.just(n), TRICKY | st.text(max_size=12) |
                                                                    st.from_regex(r"\A[0-9٠-٩]{1,4}([.-][0-9]{1,2}){0,2}\Z"))))
def test_a_csv_cell_reads_as_the_same_text_read_as_a_single_case(fact_and_text):
    fact, text = fact_and_text
    case, message = _single({fact: text}, text=True)
    out = typed_facts(pl.DataFrame({fact: [text]}, schema={fact: pl.Utf8}), AS_OF)
    assert out["error"][0] == message
    if message is None and fact in case.facts:
        assert _plain(case.facts[fact]) == _plain(out[fact][0])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CASES)
def test_a_jsonl_line_reads_as_the_same_json_read_as_a_single_case(tmp_path_factory, case):
    path = tmp_path_factory.mktemp("j") / "one.jsonl"
    try:
        line = json.dumps(case, allow_nan=True)
    except ValueError:
        return
    path.write_text(line + "\n", encoding="utf-8")
    chunk = next(jsonl_chunks(path, 10, 1 << 20))
    _, message = _single(json.loads(line), text=False)
    out = typed_facts(chunk, AS_OF)
    assert chunk.height == 1
    assert out["error"][0] == message
    if message is None:
        assert chunk[READ_ERROR][0] is None
