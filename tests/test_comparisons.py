"""The days where a date can change an answer (engine/comparisons.py), checked against the rules themselves:
between two neighbouring days that deciding by cases (and the relevance trials) tries, every rule of the
law gives the same value as on the first of them. A day the search skipped that changed any rule would
let a case be decided by cases while one of its possible dates gives another answer."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from safeguard.api import scalar_engine
from safeguard.engine.cases import EARLIEST, date_values, spread_first
from safeguard.engine.comparisons import days_near_turning_points, partners, turning_points
from safeguard.engine.relevance import trial_values

AS_OF = date(2026, 11, 23)

# Cases whose dates lie on different sides of the law's thresholds: a derivation through a naturalized
# mother after a divorce, a birth abroad to a citizen father, an out-of-wedlock birth, an LPR with an order.
CASES = [
    {"birth_place": "MX", "birth_date": date(1975, 3, 1), "parents_married_at_birth": True,
     "mother_citizen_at_birth": False, "mother_naturalized": True, "mother_naturalization_date": date(1985, 6, 1),
     "parents_legally_separated": True, "legal_separation_date": date(1982, 1, 5), "custody_parent": "mother",
     "lpr": True, "lpr_date": date(1983, 4, 2), "mother_birth_date": date(1950, 2, 2)},
    {"birth_place": "PH", "birth_date": date(1960, 7, 7), "parents_married_at_birth": True,
     "father_citizen_at_birth": True, "mother_citizen_at_birth": False, "mother_national_at_birth": False,
     "father_birth_date": date(1935, 1, 1), "father_us_presence_years": 12.0,
     "father_us_presence_years_after_14": 6.0},
    {"birth_place": "DO", "birth_date": date(1999, 12, 31), "parents_married_at_birth": False,
     "father_citizen_at_birth": True, "paternity_established_by": "legitimation",
     "paternity_established_date": date(2005, 5, 5), "father_birth_date": date(1970, 3, 3),
     "blood_relationship_established": True},
    {"birth_place": "SV", "birth_date": date(1990, 2, 28), "lpr": True, "lpr_date": date(2001, 2, 27),
     "removal_order": "final", "removal_order_date": date(2020, 8, 1), "destination_country": "SV",
     "withholding_countries": ("SV",)},
]
DATE_FACTS = ["birth_date", "lpr_date", "legal_separation_date", "mother_naturalization_date",
              "paternity_established_date", "father_birth_date", "removal_order_date"]


def _both_dates(a, b) -> bool:
    """A rule whose value is a date read from the one tried (`since`, a date a route was complete) moves
    with it between any two days; only a change of any other value (or of a date to unknown) is a turn."""
    return isinstance(a, date) and isinstance(b, date)


def _values(facts: dict) -> dict:
    return scalar_engine().evaluate(facts, AS_OF).values


@pytest.mark.parametrize("case_no", range(len(CASES)))
def test_no_rule_changes_between_two_neighbouring_days_tried(case_no):
    rng = random.Random(case_no)
    case = CASES[case_no]
    for fact in DATE_FACTS:
        others = {k: v for k, v in case.items() if k != fact}
        tried = date_values(fact, others, AS_OF)
        gaps = [(a, b) for a, b in zip(tried, tried[1:]) if (b - a).days > 1]
        for a, b in rng.sample(gaps, min(len(gaps), 12)):
            inside = a + timedelta(days=rng.randrange(1, (b - a).days))
            at_a, at_inside = _values({**others, fact: a}), _values({**others, fact: inside})
            changed = {r for r in at_a if at_a[r] != at_inside[r] and not _both_dates(at_a[r], at_inside[r])}
            assert not changed, f"{fact}: {a} and {inside} differ in {sorted(changed)[:5]} (case {case_no})"


def test_a_date_is_compared_with_what_the_law_compares_it_with():
    # INA 320 / former 321: a parent's naturalization counts only before the child's 18th birthday.
    assert ((0, 0), ("fact", "birth_date", 18, 0)) in partners("mother_naturalization_date")
    # The 1952 Act's effective date decides which law a birth abroad falls under.
    assert ((0, 0), ("date", date(1952, 12, 24))) in partners("birth_date")
    # A legal separation is compared with the child's birth date shifted by the derivation age limits.
    days = turning_points("legal_separation_date", {"birth_date": date(1975, 3, 1)}, AS_OF)
    assert date(1993, 3, 1) in days and date(1991, 3, 1) in days  # 18th and 16th birthdays


def test_relevance_tries_the_same_days_as_deciding_by_cases():
    for case in CASES:
        for fact in DATE_FACTS:
            others = {k: v for k, v in case.items() if k != fact}
            assert set(trial_values(fact, others, AS_OF)) == set(date_values(fact, others, AS_OF)) - {
                d for d in date_values(fact, others, AS_OF) if d < EARLIEST}


def test_the_days_tried_are_the_turning_points_and_the_days_either_side():
    for case in CASES:
        for fact in DATE_FACTS:
            others = {k: v for k, v in case.items() if k != fact}
            near = {d + timedelta(days=k) for d in turning_points(fact, others, AS_OF) for k in (-1, 0, 1)}
            assert days_near_turning_points(fact, others, AS_OF) == near


def test_far_apart_values_are_tried_first_and_every_value_once():
    # Every 9th (the first), then every 4th, then every 2nd, then the rest, as deciding by cases tries them.
    assert spread_first(list("abcdefghi")) == list("aeicgbdfh")
    for n in range(40):
        assert sorted(spread_first(list(range(n)))) == list(range(n))
