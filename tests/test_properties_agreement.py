"""(d) of the soundness promises (issue 14): the scalar and columnar engines agree on random valid cases.

A file of its own so that it runs beside tests/test_properties.py (the suite spreads files over workers).
"""

from __future__ import annotations

import random

from tests.test_properties import CORE, FACTS, _valid, answers, disagreements


def test_scalar_and_columnar_agree_on_random_cases():
    """(d): 150 random valid cases, one batch: the same status, basis, since, outcome, reasons and missing facts."""
    rng = random.Random(14)
    rows = []
    while len(rows) < 150:
        facts = {n: rng.choice(answers(n)) for n in CORE if rng.random() < 0.7}
        facts |= {n: rng.choice(answers(n)) for n in rng.sample(FACTS, rng.randint(0, 10))}
        doc = _valid(facts)
        if doc is not None:
            rows.append((facts, doc))
    problems = disagreements(rows)
    assert not problems, problems[:5]
