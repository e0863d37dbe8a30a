"""Follow-up questions (facts.yaml `asked_after`, engine/missing.py): a date of an event is asked once the
event is known to have happened; until then the event is asked; the scalar and batch engines agree."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from safeguard.api import screen
from safeguard.batch.run import screen_frame
from safeguard.facts.schema import fact_specs

AS_OF = date(2026, 11, 23)
# A 1975 birth in Mexico to non-citizen parents, LPR at 8: derivation through a parent's naturalization is open
# (former INA 321(a); USCIS Policy Manual 12 PM H.4).
# He never naturalized himself: that answer alone would decide, and only it would be listed
# (engine/relevance.py); without it, the derivation facts (needed together) are all listed.
BASE = {"birth_place": "MX", "birth_date": "1975-03-10", "parents_married_at_birth": True,
        "mother_citizen_at_birth": False, "father_citizen_at_birth": False, "lpr": True, "lpr_date": "1983-05-01",
        "naturalized": False}


def _missing(facts: dict) -> list[str]:
    return screen(facts, as_of=AS_OF, rank=False)["missing_facts"]


def _batch_missing(rows: list[dict]) -> list[set[str]]:
    columns = sorted({k for r in rows for k in r})
    text = [{c: ("true" if r.get(c) is True else "false" if r.get(c) is False else r.get(c)) for c in columns}
            for r in rows]
    out = screen_frame(pl.DataFrame(text, schema={c: pl.Utf8 for c in columns}), default_as_of=AS_OF)
    return [set((m or "").split(";")) - {""} for m in out["missing_facts"]]


def test_the_date_waits_for_the_event():
    open_ = _missing(BASE)
    assert "mother_naturalized" in open_ and "mother_naturalization_date" not in open_
    called = _missing({**BASE, "mother_naturalized": True})
    assert "mother_naturalization_date" in called
    closed = _missing({**BASE, "mother_naturalized": False})
    assert "mother_naturalization_date" not in closed and "mother_naturalized" not in closed


def test_a_chain_of_gates_asks_its_first_unknown_link():
    # the reunion's date follows the reunion, which follows the separation
    assert "parents_legally_separated" in _missing(BASE)
    assert {"parents_reunited_after_separation", "parents_reunited_date"}.isdisjoint(_missing(BASE))
    separated = _missing({**BASE, "parents_legally_separated": True})
    assert "parents_reunited_after_separation" in separated and "parents_reunited_date" not in separated
    reunited = _missing({**BASE, "parents_legally_separated": True, "parents_reunited_after_separation": True})
    assert "parents_reunited_date" in reunited


def test_a_parents_presence_is_asked_only_of_a_citizen_or_national_parent():
    abroad = {"birth_place": "MX", "birth_date": "1990-01-01", "parents_married_at_birth": True,
              "father_citizen_at_birth": False, "father_national_at_birth": False, "naturalized": False}
    assert "mother_us_presence_years" not in _missing(abroad)
    assert "mother_citizen_at_birth" in _missing(abroad)
    assert "mother_us_presence_years" in _missing({**abroad, "mother_citizen_at_birth": True})
    assert "mother_national_at_birth" not in _missing({**abroad, "mother_citizen_at_birth": True})


@pytest.mark.parametrize("extra", [{}, {"mother_naturalized": True}, {"mother_naturalized": False},
                                   {"parents_legally_separated": True, "parents_reunited_after_separation": True}])
def test_batch_names_the_same_follow_ups(extra):
    facts = {**BASE, **extra}
    assert _batch_missing([facts]) == [set(_missing(facts))]


def test_every_gate_is_a_fact_and_every_gate_value_is_one_the_fact_takes():
    specs = fact_specs()
    gated = [s for s in specs.values() if s.asked_after]
    assert len(gated) > 20
    for spec in gated:
        for gate, values in spec.asked_after:
            kind = specs[gate]
            for v in values:
                assert (isinstance(v, bool) if kind.type == "bool" else
                        v in kind.values if kind.type == "enum" else isinstance(v, str)), (spec.name, gate, v)
