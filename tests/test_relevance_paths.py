"""The short ways relevance (engine/relevance.py) works for one case give what the long ways give:

* a trial decided by cases from the case's own evaluation (`api.SplitStarts`) as from the trial itself: the
  same rule values, the same note, the same undecided trials;
* a follow-up judged by re-evaluating only the rules of the signature and those that can report an error
  (`changes_result`) as by re-evaluating every rule;
* a whole screen whose trials re-evaluate only the rules relevance reads (`ScalarEngine.changed_within`) as
  one whose trials re-evaluate every rule: the same facts to ask, in the same order, the same next question.

Checked for every answer tried for every fact to ask, on every case file whose status is unknown and on
nearly empty cases (the slowest to screen: a place of birth unknown, so every answer is decided by cases
over places)."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import load_cases
from safeguard.api import SplitStarts, decide, scalar_engine, screen, split_by_cases, to_case
from safeguard.engine.missing import missing_facts_scalar
from safeguard.engine.relevance import changes_result, signature, trial_values
from safeguard.engine.scalar import ScalarEngine
from safeguard.facts.parse import Case, possible
from safeguard.law.outputs import OPEN_ROOTS

AS_OF = date(2026, 11, 23)
SPARSE = [{"birth_date": "1988-04-10", "convicted": True, "destination_country": "SV"},
          {"birth_date": "1953-06-02", "mother_citizen_at_birth": True, "removal_order": "reinstated"},
          {"birth_date": "1993-09-16", "mother_citizen_at_birth": False, "withholding_countries": ["SV"],
           "destination_country": "SV"},
          {"parents_married_at_birth": True, "mother_citizen_at_birth": True, "father_citizen_at_birth": True},
          {"birth_place": "SV", "parents_married_at_birth": True, "mother_citizen_at_birth": True,
           "father_citizen_at_birth": True, "removal_order": "final", "destination_country": "SV"},
          {"birth_place": "MX"}, {}]
UNKNOWN = [c for c in load_cases()
           if ((c.get("expect") or {}).get("citizenship") or {}).get("status") == "unknown" and not c.get("pending")]
CASES = [(f"sparse-{i}", facts, AS_OF) for i, facts in enumerate(SPARSE)] + \
        [(c["id"], dict(c["facts"] or {}), c["as_of"]) for c in UNKNOWN]
# Approximate dates, searched over their days before the facts to ask are worked out.
APPROXIMATE = [{"birth_date": "1997", "mother_citizen_at_birth": True},
               {"birth_date": "1988-04", "removal_order": "final", "destination_country": "SV"}]
EVERY = [(f"sparse-{i}", facts, AS_OF) for i, facts in enumerate(SPARSE)] + \
        [(f"approximate-{i}", facts, AS_OF) for i, facts in enumerate(APPROXIMATE)] + \
        [(c["id"], dict(c["facts"] or {}), c["as_of"]) for c in load_cases()
         if not c.get("pending") and not any(k.startswith("error") for k in c.get("expect") or {})]


def _pairs(case: Case):
    """(trial, its split from the trial, its split from the case's own evaluation) for every answer tried."""
    engine = scalar_engine()
    ev, _, _ = decide(case, trace=False)
    starts = SplitStarts(engine, ev)
    for fact in missing_facts_scalar(ev, engine, OPEN_ROOTS):
        for value in trial_values(fact, ev.facts, ev.as_of):
            if not possible({**ev.facts, fact: value}, ev.as_of, fact):
                continue
            trial = engine.evaluate_changed(ev, {fact: value})
            if trial.errors:
                continue
            at = Case(case.person_id, case.as_of, trial.facts, case.approx)
            yield fact, value, split_by_cases(at, trial), split_by_cases(at, trial, starts=starts)


@pytest.mark.parametrize("name,facts,as_of", CASES, ids=[c[0] for c in CASES])
def test_a_trial_decided_by_cases_from_the_case_is_decided_as_from_the_trial(name, facts, as_of):
    case = to_case(facts, as_of)
    compared = decided = 0
    for fact, value, plain, started in _pairs(case):
        compared += 1
        assert (plain is None) == (started is None), f"{fact} = {value!r}: decided one way only"
        if plain is not None:
            decided += 1
            assert started[0].values == plain[0].values, f"{fact} = {value!r}: values differ"
            assert started[1] == plain[1], f"{fact} = {value!r}: notes differ"
    assert compared or not missing_facts_scalar(decide(case, trace=False)[0], scalar_engine(), OPEN_ROOTS)


def test_the_nearly_empty_cases_have_trials_decided_by_cases_and_trials_left_open():
    """The comparison above reaches both ways a split ends (so it can fail either way)."""
    results = [plain for facts in SPARSE[:5] for _, _, plain, _ in _pairs(to_case(facts, AS_OF))]
    assert any(r is None for r in results) and any(r is not None for r in results)


def _changes_result_in_full(ev, engine, fact: str) -> bool:
    """changes_result with every rule re-evaluated for each answer (the long way)."""
    base = signature(ev.values)
    for value in trial_values(fact, ev.facts, ev.as_of):
        if not possible({**ev.facts, fact: value}, ev.as_of, fact):
            continue
        out = engine.evaluate_changed(ev, {fact: value})
        if not out.errors and signature(out.values) != base:
            return True
    return False


@pytest.mark.parametrize("name,facts,as_of", CASES, ids=[c[0] for c in CASES])
def test_a_follow_up_judged_on_the_signature_rules_is_judged_as_on_every_rule(name, facts, as_of):
    engine = scalar_engine()
    ev, _, _ = decide(to_case(facts, as_of), trace=False)
    asked = set(missing_facts_scalar(ev, engine, OPEN_ROOTS))
    verdicts = []
    for fact in sorted(asked):
        for value in trial_values(fact, ev.facts, ev.as_of)[:6]:
            if not possible({**ev.facts, fact: value}, ev.as_of, fact):
                continue
            trial = engine.evaluate_changed(ev, {fact: value})
            if trial.errors:
                continue
            for follow_up in sorted(set(missing_facts_scalar(trial, engine, OPEN_ROOTS)) - asked):
                verdict = changes_result(trial, engine, follow_up)
                assert verdict == _changes_result_in_full(trial, engine, follow_up), f"{fact} = {value!r}, {follow_up}"
                verdicts.append(verdict)
    if name == "loss-matter-of-m-as-reported":  # answers open questions that do and do not change the result
        assert True in verdicts and False in verdicts


@pytest.mark.parametrize("name,facts,as_of", EVERY, ids=[c[0] for c in EVERY])
def test_a_screen_whose_trials_rerun_only_what_relevance_reads_asks_what_a_full_one_asks(name, facts, as_of,
                                                                                         monkeypatch):
    fast = screen(facts, as_of=as_of)
    with monkeypatch.context() as m:  # every trial re-evaluates every rule (the long way)
        m.setattr(ScalarEngine, "changed_within", lambda self, ev, changes, roots: self.evaluate_changed(ev, changes))
        full = screen(facts, as_of=as_of)
    assert fast["missing_facts"] == full["missing_facts"]
    assert fast["next_question"] == full["next_question"]
    assert fast == full

