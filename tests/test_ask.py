"""`ask` proposes a fact that actually changes the answer: for every case file whose status is unknown
(and not contested), setting the proposed fact to different values gives different results."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import load_cases
from safeguard.api import QUESTION_PLACES, screen, to_case
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
