"""Which of the facts to ask can change something on their own, tried the same way for one case and a batch.

The facts to ask (engine/missing.py) are those an open rule reads, through their gates. Many of them
cannot change anything with the other facts as they are: a non-citizen mother's years of presence, a
permanent residence begun before 18 while the parents' naturalization is unknown. A listed fact is kept
only when one of its *trial values*, the other facts as they are, changes the result (the status, its
`since`, whether the person is at least a national, the transfer outcome and whether it is provisional)
or what is left to ask (a gate whose answer calls for a follow-up question that can). Should no listed fact
pass, every one is kept (facts needed together: an open result names what would decide it), unless the
status is contested: then what is open is the law, which the result's `contested` states, and no fact is
listed that no answer can change.

Trial values are declared once per fact, as literals and as days taken from the row's other facts (a
date the day before, of and after every threshold of the law, every age the law counts and every other
date of the case), so the scalar engine (here) and the columnar one (batch/relevance.py) try the same
values. The same values rank the questions (engine/ask.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

from safeguard.engine.cases import threshold_dates
from safeguard.engine.missing import missing_facts_scalar
from safeguard.engine.scalar import add_years
from safeguard.facts.schema import fact_specs
from safeguard.law.vocabulary import MINOR_OUTLYING_ISLANDS, US_PLACES

if TYPE_CHECKING:
    from safeguard.engine.rules import Rule
    from safeguard.engine.scalar import Evaluation, ScalarEngine

# The ages the law counts (for a date after the birth date), and years of presence worth trying.
AGES = (1, 5, 13, 14, 15, 16, 17, 18, 19, 21, 22, 23, 25, 26, 27, 28, 29)
NUMBERS = (0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 4.9, 5.0, 5.5, 9.9, 10.0, 12.0)
FOREIGN = "MX"
# Places worth trying when a place is unknown: every U.S. place the law distinguishes, Panama, a foreign one.
QUESTION_PLACES = (*US_PLACES, *MINOR_OUTLYING_ISLANDS, "PA")
SEEN_PLACES = ("destination_country", "birth_place")


@dataclass(frozen=True)
class FromFact:
    """A value taken from another fact of the case: a date moved by years then days, a place as it is, or
    (`as_list`) a place as a one-country list."""

    fact: str
    years: int = 0
    days: int = 0
    as_list: bool = False

    def value(self, facts: dict[str, Any]) -> Any:
        v = facts.get(self.fact)
        if v is None:
            return None
        if self.as_list:
            return (v,)
        if self.years or self.days:
            return add_years(v, self.years) + timedelta(days=self.days)
        return v


@cache
def trial_specs(name: str) -> tuple[Any, ...]:
    """The values to try for one fact: literals, and `FromFact` values read from the case."""
    spec = fact_specs()[name]
    if spec.type == "bool":
        return (True, False)
    if spec.type == "enum":
        return tuple(spec.values)
    if spec.type == "country":
        return (*QUESTION_PLACES, FOREIGN, *(FromFact(f) for f in SEEN_PLACES))
    if spec.type == "countries":
        return ((), (FOREIGN,), *(FromFact(f, as_list=True) for f in SEEN_PLACES))
    if spec.type == "number":
        return NUMBERS
    if spec.type == "date":
        fixed = sorted({t + timedelta(days=d) for t in threshold_dates() for d in (-1, 0, 1)})
        ages = [FromFact("birth_date", a, d) for a in AGES for d in (0, -1)] if name != "birth_date" else []
        others = [FromFact(g, 0, d) for g, s in fact_specs().items()
                  if s.type == "date" and g not in (name, "as_of") for d in (-1, 0, 1)]
        return (*fixed, *ages, *others)
    return ()


def trial_values(name: str, facts: dict[str, Any], as_of: date) -> list[Any]:
    """The distinct values to try for `name` in this case, in declared order (dates on or before as_of)."""
    out, seen = [], set()
    is_date = fact_specs()[name].type == "date"
    for spec in trial_specs(name):
        v = spec.value(facts) if isinstance(spec, FromFact) else spec
        if v is None or v in seen or (is_date and v > as_of):
            continue
        seen.add(v)
        out.append(v)
    return out


SIGNATURE_RULES = ("citizenship_status", "citizenship_since", "national_citizenship_still_open",
                   "transfer_outcome", "transfer_outcome_provisional")


def signature(values: dict[str, Any]) -> tuple[Any, ...]:
    """What an answer must change to count: the status, its `since` (for a citizen or national), whether the
    person is at least a national, the transfer outcome and whether it is provisional."""
    status = values["citizenship_status"]
    return (status, values["citizenship_since"] if status in ("citizen", "national") else None,
            values["national_citizenship_still_open"] is True, values["transfer_outcome"],
            values["transfer_outcome_provisional"] is True)


Settle = Callable[["Evaluation"], "Evaluation"]


def _as_is(ev: Evaluation) -> Evaluation:
    return ev


def _possible(ev: Evaluation, engine: ScalarEngine, fact: str, value: Any, settle: Settle) -> Evaluation | None:
    """The evaluation with `fact` answered `value` (settled: decided by cases where that applies); None
    when that answer is impossible with the rest."""
    from safeguard.facts.parse import possible

    if not possible({**ev.facts, fact: value}, ev.as_of, fact):  # the rest holds together
        return None
    out = engine.evaluate_changed(ev, {fact: value})
    return None if out.errors else settle(out)


def changes_result(ev: Evaluation, engine: ScalarEngine, fact: str, settle: Settle = _as_is) -> bool:
    """Some trial value of `fact` changes the result (its `signature`), the other facts as they are."""
    base = signature(ev.values)
    for value in trial_values(fact, ev.facts, ev.as_of):
        out = _possible(ev, engine, fact, value, settle)
        if out is not None and signature(out.values) != base:
            return True
    return False


def relevant_missing(ev: Evaluation, engine: ScalarEngine, roots: list[Rule], listed: list[str],
                     exempt: frozenset[str] = frozenset(), settle: Settle = _as_is) -> list[str]:
    """The listed facts (in order) some trial value of which changes the result, or opens a question (a
    follow-up) some answer of which then does (as evaluated; a follow-up is not decided by cases); from the case's settled evaluation `ev`, each trial settled
    by `settle` (deciding by cases); all of them when none does (none for a contested status). `exempt`
    facts (an approximate date, decided by its own search) are kept."""
    tried = [f for f in listed if f not in exempt]
    if not tried:
        return listed
    base = signature(ev.values)
    asked = set(missing_facts_scalar(ev, engine, roots))
    keep = set()
    for fact in tried:
        for value in trial_values(fact, ev.facts, ev.as_of):
            out = _possible(ev, engine, fact, value, settle)
            if out is None:
                continue
            if signature(out.values) != base:
                keep.add(fact)
                break
            opened = set(missing_facts_scalar(out, engine, roots)) - asked
            if any(changes_result(out, engine, h) for h in opened):  # the follow-up: as evaluated, not by cases
                keep.add(fact)
                break
    if not keep and ev.values.get("citizenship_contested") is None:
        return listed
    return [f for f in listed if f in keep or f in exempt]
