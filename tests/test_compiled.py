"""The rules compiled to Python functions (engine/compiled.py) give what the reference evaluation gives (the
expression trees interpreted node by node, engine/scalar.py): every rule's value, of the same type, and the
same errors, for every case file; and evaluating a case with a fact changed, from the case's own values,
gives what evaluating the changed case afresh gives."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest

from conftest import load_cases
from safeguard.api import scalar_engine, to_case
from safeguard.engine import expr as X
from safeguard.engine.ask import candidates, spread
from safeguard.engine.rules import Citation, Rule
from safeguard.engine.scalar import ScalarEngine
from safeguard.facts.parse import InputErrors

CITE = Citation("test", "compiled rules", "https://example.org/compiled-test")
AS_OF = date(2026, 11, 23)
TRI = [True, False, None]


def _typed_cases():
    out = []
    for c in load_cases():
        try:
            out.append((c["id"], to_case(dict(c["facts"] or {}), c["as_of"])))
        except InputErrors:
            continue  # a case of bad input: nothing to evaluate
    return out


CASES = _typed_cases()


def _same(a: dict, b: dict) -> list[str]:
    """The rules whose values differ (or differ in type: 1 and True are not the same answer)."""
    assert a.keys() == b.keys()
    return [k for k in b if a[k] != b[k] or type(a[k]) is not type(b[k])]


def test_every_case_file_has_cases():
    assert len(CASES) > 100


@pytest.mark.parametrize("case_id,case", CASES, ids=[i for i, _ in CASES])
def test_compiled_rules_give_the_reference_values(case_id, case):
    eng = scalar_engine()
    fast = eng.evaluate(case.facts, case.as_of)
    ref = eng.evaluate_reference(case.facts, case.as_of)
    assert _same(fast.values, ref.values) == []
    assert fast.errors == ref.errors


@pytest.mark.parametrize("case_id,case", CASES[::3], ids=[i for i, _ in CASES[::3]])
def test_changed_facts_give_a_fresh_evaluation(case_id, case):
    """Each known fact made unknown, and each unknown fact the ranking tries given a few of its answers."""
    eng = scalar_engine()
    ev = eng.evaluate(case.facts, case.as_of)
    trials = [{name: None} for name in case.facts]
    for name in ("birth_place", "birth_date", "mother_citizen_at_birth", "destination_country", "removal_order"):
        if name not in case.facts:
            trials += [{name: v} for v in spread(candidates(name, case.facts, case.as_of), 5)]
    for change in trials:
        changed = eng.evaluate_changed(ev, change)
        facts = {k: v for k, v in {**case.facts, **change}.items() if v is not None}
        ref = eng.evaluate_reference(facts, case.as_of)
        assert _same(changed.values, ref.values) == [], change
        assert changed.errors == ref.errors, change
        assert changed.facts == facts


def test_readings_under_each_reading_of_a_contested_parameter():
    """A contested date (two readings): the compiled `agreed` and `disputed` read it under each reading."""
    eng = scalar_engine()
    contested = next(name for name, p in eng.params.items()
                     if p.unit == "date" and len(set(p.readings.values())) > 1)
    item = X.Fact("d") < X.Param(contested)
    rules = [Rule("agreed_d", "test rule", CITE, X.agreed(item)), Rule("disputed_d", "test rule", CITE, X.disputed(item))]
    small = ScalarEngine(rules)
    early, late = min(eng.params[contested].readings.values()), max(eng.params[contested].readings.values())
    for d in [None] + [day + timedelta(days=k) for day in (early, late) for k in (-1, 0, 1)]:
        facts = {} if d is None else {"d": d}
        assert _same(small.evaluate(facts, AS_OF).values, small.evaluate_reference(facts, AS_OF).values) == []
    assert small.evaluate({"d": early - timedelta(days=1)}, AS_OF).values == {"agreed_d": True, "disputed_d": False}
    assert small.evaluate({"d": early}, AS_OF).values == {"agreed_d": None, "disputed_d": True}
    assert small.evaluate({}, AS_OF).values == {"agreed_d": None, "disputed_d": None}


@pytest.mark.parametrize("build", [
    lambda a, b, d: a & b & ~d.known(),
    lambda a, b, d: a | (b & d.known()) | X.Presumed(X.Fact("p"), True, "test"),
    lambda a, b, d: X.decide((a, "A"), (b, X.Fact("d")), otherwise="none"),
    lambda a, b, d: X.first_true((a, "A"), (b, "B"), otherwise=None),
    lambda a, b, d: X.latest(d, X.day("2001-02-27")) < X.day("2003-01-01").plus_days(2),
    lambda a, b, d: d.plus_years(18).is_in([date(2019, 2, 28), date(2020, 1, 1)]) | a.established(),
    lambda a, b, d: X.exclusive(first=a, second=b),
])
def test_each_kind_of_node_agrees_with_the_reference(build):
    r = Rule("node_test", "test rule", CITE, X.lift(build(X.Fact("a"), X.Fact("b"), X.Fact("d"))))
    eng = ScalarEngine([r])
    for a, b, d in itertools.product(TRI, TRI, [None, date(2001, 2, 28), date(2002, 1, 1)]):
        facts = {k: v for k, v in {"a": a, "b": b, "d": d}.items() if v is not None}
        fast, ref = eng.evaluate(facts, AS_OF), eng.evaluate_reference(facts, AS_OF)
        assert _same(fast.values, ref.values) == [] and fast.errors == ref.errors, facts
