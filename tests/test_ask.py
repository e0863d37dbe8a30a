"""`ask` proposes a fact that actually changes the answer: for every case file whose status is unknown
(and not contested), setting the proposed fact to different values gives different results."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import load_cases
from safeguard.api import QUESTION_PLACES, ask, screen, to_case
from safeguard.engine.ask import candidates

UNKNOWN = [c for c in load_cases()
           if ((c.get("expect") or {}).get("citizenship") or {}).get("status") == "unknown"
           and not c["expect"]["citizenship"].get("contested") and not c.get("pending")
           and not c.get("ask_cannot_decide")]


def _outcome(facts: dict, as_of: date) -> tuple:
    doc = screen(facts, as_of=as_of)
    return doc["citizenship"]["status"], (doc.get("transfer") or {}).get("outcome")


@pytest.mark.parametrize("case", UNKNOWN, ids=[c["id"] for c in UNKNOWN])
def test_next_question_changes_the_answer(case):
    c = to_case(dict(case["facts"] or {}), case["as_of"])
    doc = screen(c)
    assert doc["citizenship"]["status"] == "unknown"
    question = doc["next_question"]
    assert question, f"unknown status but nothing to ask: {doc['missing_facts']}"
    fact = question["fact"]
    results = set()
    rough = {k: a.given for k, a in c.approx.items() if k != fact}  # other approximate dates stay as given
    within = (c.approx[fact].low, c.approx[fact].high) if fact in c.approx else None
    for value in candidates(fact, c.facts, c.as_of, QUESTION_PLACES, within):
        try:
            results.add(_outcome({**c.facts, **rough, fact: value}, c.as_of))
        except ValueError:  # a candidate impossible with the case's other facts
            continue
    assert len(results) >= 2, f"{fact}: every tried value gives {results}"
    assert any(status != "unknown" for status, _ in results) or len(results) >= 2


def test_there_are_unknown_cases_to_check():
    assert len(UNKNOWN) >= 10


# Born in El Salvador in 1995, never an LPR, parents married and neither a citizen or national at birth; the
# parents' naturalization not yet asked. Permanent residence in fact before 18 (the second clause of former
# INA 321(a)(5) as Nwozuzu v. Holder reads it) is then the only question that can change the status alone.
NOT_YET_ASKED_NATURALIZATION = {
    "birth_place": "SV", "birth_date": "1995-07-26", "parents_married_at_birth": True, "foundling": False,
    "mother_citizen_at_birth": False, "father_citizen_at_birth": False, "mother_national_at_birth": False,
    "father_national_at_birth": False, "naturalized": False, "lpr": False, "adopted": False,
    "parents_legally_separated": False, "nmi_domicile_on_1986_11_03": "elsewhere",
}


def test_a_fact_that_cannot_be_found_out_does_not_end_the_questions():
    """Answered "I don't know", a fact is left out of what is worth asking: the parents' naturalization,
    which alone changed nothing while it was open, now decides (both never naturalized closes every
    derivation route), so the interview goes on instead of stopping unresolved."""
    first = ask(NOT_YET_ASKED_NATURALIZATION, as_of="2026-11-23")
    assert [q["fact"] for q in first["questions"]] == ["began_residing_permanently_before_18"]
    after = ask(NOT_YET_ASKED_NATURALIZATION, as_of="2026-11-23", unknowable={"began_residing_permanently_before_18"})
    asked = [q["fact"] for q in after["questions"]]
    assert "began_residing_permanently_before_18" not in asked
    assert {"mother_naturalized", "father_naturalized"} <= set(asked)
    assert after["decided"] is False and after["status"] == "unknown"
    closed = ask({**NOT_YET_ASKED_NATURALIZATION, "mother_naturalized": False, "father_naturalized": False},
                 as_of="2026-11-23", unknowable={"began_residing_permanently_before_18"})
    assert closed["status"] == "not_citizen" and closed["decided"] is True


def test_an_approximate_date_that_cannot_be_found_out_is_not_asked():
    """Born in Mexico "in 1952" to a citizen mother (tests/cases/approximate/birth-abroad-1952.yaml): the
    day decides (INA 301(a)(7) from 1952-12-24, the 1940 Act's five years after 16 not met before), and no
    other fact decides alone, so the exact day is the only question. Said to be unknowable, it is never
    asked again, and the facts that decide on one side of the day are (the mother's U.S. residence before
    the birth: under the 1940 Act)."""
    case = next(c for c in load_cases() if c["id"] == "approximate-abroad-1952-straddles-the-ina")
    first = ask(dict(case["facts"]), as_of=case["as_of"])
    assert [q["fact"] for q in first["questions"]] == ["birth_date"]
    after = ask(dict(case["facts"]), as_of=case["as_of"], unknowable={"birth_date"})
    asked = [q["fact"] for q in after["questions"]]
    assert "birth_date" not in asked and "mother_us_residence_before_birth" in asked
    assert after["decided"] is False and after["status"] == "unknown"
