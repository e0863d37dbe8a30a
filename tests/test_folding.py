"""Partial evaluation (engine/folding.py) gives every rule the value the unfolded rules give.

The batch engine folds, for each frame, the facts that frame leaves unknown in every row. A wrong fold
would change results silently, so every case file is checked twice: rule by rule under the reference
semantics (scalar.py, every case, the facts it does not give folded as unknown), and through Polars for a
sample of cases, each alone in its frame, as the batch runs a frame (every rule column and the error)."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from conftest import cases_as_text_manifest, load_cases
from safeguard.api import scalar_engine, to_case
from safeguard.engine import expr as X
from safeguard.engine.columnar import ColumnarEngine, rule_column
from safeguard.engine.folding import Folder
from safeguard.engine.scalar import Evaluation, _eval
from safeguard.facts.columns import typed_facts
from safeguard.facts.parse import InputErrors
from safeguard.law.outputs import ROOTS

CASES = load_cases()
AS_OF = date(2026, 11, 23)


def _typed_case(case):
    try:
        return to_case(dict(case["facts"] or {}), as_of=case["as_of"])
    except InputErrors:
        return None


def _unknown(engine, facts) -> frozenset[str]:
    return frozenset(f for r in engine.order for f in r.facts if f != "as_of" and facts.get(f) is None)


def test_every_case_file_gives_the_same_value_for_every_rule_once_its_unknown_facts_are_folded():
    """Every case of every file (the facts it gives as given, all others folded as unknown): each rule's folded
    expression, evaluated by the reference semantics, gives the unfolded rule's value, and the same errors."""
    engine = scalar_engine()
    checked, folded_away = 0, 0
    for case in CASES:
        typed = _typed_case(case)
        if typed is None:
            continue
        want = engine.evaluate_reference(typed.facts, typed.as_of)
        rules = Folder(_unknown(engine, typed.facts)).fold_rules(engine.order)
        got = Evaluation(typed.facts, typed.as_of, {})
        for r in engine.order:
            got.values[r.id] = _eval(rules[r.id], got, engine)
            value, expected = got.values[r.id], want.values[r.id]
            assert value == expected and type(value) is type(expected), (case["id"], r.id, value, expected)
        assert got.errors == want.errors, case["id"]
        checked += 1
        folded_away += sum(isinstance(e, X.Const) for e in rules.values())
    assert checked > 250, checked
    assert folded_away > checked * 20, "folding should turn many rules into constants"


@pytest.fixture(scope="module")
def typed_cases() -> pl.DataFrame:
    """The case files as one typed batch frame (cases with presence periods are JSON-only, as in test_cases)."""
    return typed_facts(cases_as_text_manifest(CASES), AS_OF)


def test_a_case_alone_in_its_frame_gives_the_same_columns_from_the_folded_plan(typed_cases):
    """A sample of cases, each alone in a frame (so every fact it does not give is folded): every rule column
    and the engine's error equal the unfolded engine's, type for type."""
    full = ColumnarEngine(ROOTS)
    sample = list(range(0, typed_cases.height, max(1, typed_cases.height // 25)))
    for i in sample:
        row = typed_cases[i:i + 1]
        unknown = frozenset(f for f in full.facts if row[f].null_count() == 1)
        folded = ColumnarEngine(ROOTS, unknown=unknown, dtypes=full.dtypes())
        assert sum(len(layer) for layer in folded.layers) < sum(len(layer) for layer in full.layers)
        assert_frame_equal(folded.run(row.lazy()).collect(), full.run(row.lazy()).collect())


def test_frames_folded_differently_concatenate_and_equal_the_unfolded_frame(typed_cases):
    """Two chunks leaving different facts empty: each folded (built the second time its pattern is seen),
    their outputs have the same columns and types, and together equal the unfolded engine's output."""
    full = ColumnarEngine(ROOTS)
    born_here = typed_cases.filter(pl.col("birth_place") == "US")
    abroad = typed_cases.filter(pl.col("birth_place") != "US")
    parts = []
    for chunk in (born_here, abroad):
        assert full.for_frame(chunk) is full, "a pattern seen once runs unfolded"
        folded = full.for_frame(chunk)
        assert folded is not full and folded.unknown, "seen twice, it is folded"
        parts.append(folded.run(chunk.lazy()).collect())
    assert full.for_frame(born_here).unknown != full.for_frame(abroad).unknown
    together = pl.concat(parts, how="vertical")
    assert_frame_equal(together, full.run(pl.concat([born_here, abroad]).lazy()).collect())
    assert together[rule_column("citizenship_status")].drop_nulls().len() > 0
