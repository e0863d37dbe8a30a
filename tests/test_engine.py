"""The rule language: Kleene logic and every node give the same values row-at-a-time and in columns."""

from __future__ import annotations

import itertools
from datetime import date

import polars as pl
import pytest

from safeguard.engine import expr as X
from safeguard.engine.columnar import ColumnarEngine
from safeguard.engine.rules import Citation, Rule
from safeguard.engine.scalar import ScalarEngine, add_years

CITE = Citation("test", "engine semantics", "https://example.org/engine-test")
AS_OF = date(2026, 11, 23)
TRI = [True, False, None]


def _rule(name: str, e: X.Expr) -> Rule:
    return Rule(name, "test rule", CITE, e)


def _both(r: Rule, rows: list[dict]) -> tuple[list, list]:
    """Values of a rule for each row, from the scalar engine and from the columnar engine."""
    scalar = [ScalarEngine([r]).evaluate(row, AS_OF).values[r.id] for row in rows]
    schema = {"a": pl.Boolean, "b": pl.Boolean, "d": pl.Date, "n": pl.Float64, "as_of": pl.Date}
    frame = pl.DataFrame([{**{k: None for k in schema}, **row, "as_of": AS_OF} for row in rows], schema=schema)
    columnar = ColumnarEngine([r]).run(frame.lazy()).collect()[f"r.{r.id}"].to_list()
    return scalar, columnar


@pytest.mark.parametrize("name,build,table", [
    ("and", lambda a, b: a & b, {(True, None): None, (False, None): False, (None, None): None, (True, True): True}),
    ("or", lambda a, b: a | b, {(True, None): True, (False, None): None, (None, None): None, (False, False): False}),
    ("not_a", lambda a, b: ~a, {(None, None): None, (True, None): False}),
])
def test_kleene_truth_tables(name, build, table):
    r = _rule(name, build(X.Fact("a"), X.Fact("b")))
    rows = [{"a": a, "b": b} for a, b in itertools.product(TRI, TRI)]
    scalar, columnar = _both(r, rows)
    assert scalar == columnar
    got = {(row["a"], row["b"]): v for row, v in zip(rows, scalar)}
    for key, want in table.items():
        assert got[key] is want


def test_decide_is_strict_and_first_true_is_lenient():
    strict = _rule("strict", X.decide((X.Fact("a"), "A"), (X.Fact("b"), "B"), otherwise="none"))
    lenient = _rule("lenient", X.first_true((X.Fact("a"), "A"), (X.Fact("b"), "B"), otherwise="none"))
    rows = [{"a": a, "b": b} for a, b in itertools.product(TRI, TRI)]
    s1, c1 = _both(strict, rows)
    s2, c2 = _both(lenient, rows)
    assert s1 == c1 and s2 == c2
    row = rows.index({"a": None, "b": True})
    assert s1[row] is None and s2[row] == "B"
    assert s1[rows.index({"a": False, "b": False})] == "none"


def test_exclusive_conflict_and_gap_name_the_rules():
    e = X.exclusive(first=X.Fact("a"), second=X.Fact("b"))
    r = _rule("excl", e)
    ev = ScalarEngine([r]).evaluate({"a": True, "b": True}, AS_OF)
    assert ev.values["excl"] is None and "first" in ev.errors[0] and "second" in ev.errors[0]
    ev = ScalarEngine([r]).evaluate({"a": False, "b": False}, AS_OF)
    assert "no rule decides" in ev.errors[0]
    frame = pl.DataFrame({"a": [True, False, None], "b": [True, False, False], "as_of": [AS_OF] * 3})
    out = ColumnarEngine([r]).run(frame.lazy()).collect()
    errors = out["engine_error"].to_list()
    assert "both apply: first, second" in errors[0] and "no rule decides" in errors[1] and errors[2] is None


def test_dates_years_and_unknown_comparisons_agree():
    r = _rule("under_18", X.Fact("as_of") < X.Fact("d").plus_years(18))
    rows = [{"d": date(2008, 11, 23)}, {"d": date(2008, 11, 24)}, {"d": None}, {"d": date(2008, 2, 29)}]
    scalar, columnar = _both(r, rows)
    assert scalar == columnar == [False, True, None, False]
    assert add_years(date(2008, 2, 29), 1) == date(2009, 2, 28)


def test_latest_is_unknown_when_any_date_is_unknown():
    r = _rule("latest", X.latest(X.Fact("d"), X.day("2001-02-27")))
    scalar, columnar = _both(r, [{"d": date(2005, 1, 1)}, {"d": date(1990, 1, 1)}, {"d": None}])
    assert scalar == columnar == [date(2005, 1, 1), date(2001, 2, 27), None]


def test_presumption_is_reported_only_when_used():
    r = _rule("presumed", X.Presumed(X.Fact("a"), False, "a test presumption") | X.Fact("b"))
    eng = ScalarEngine([r])
    ev = eng.evaluate({"b": False}, AS_OF)
    eng.trace(ev, [r])
    assert ev.values["presumed"] is False and ev.presumptions[0]["fact"] == "a"
    ev = eng.evaluate({"a": True}, AS_OF)
    eng.trace(ev, [r])
    assert ev.presumptions == []
