"""Which of the facts to ask can change something on their own, tried the same way for one case and a batch.

The facts to ask (engine/missing.py) are those an open rule reads, through their gates. Many of them
cannot change anything with the other facts as they are: a non-citizen mother's years of presence, a
permanent residence begun before 18 while the parents' naturalization is unknown. A listed fact is kept
only when one of its *trial values*, the other facts as they are, changes the result (the status, its
`since`, whether the person is at least a national, the transfer outcome and whether it is provisional),
or opens a question that can: a question with few answers (yes/no, a choice) whose answer opens a few
questions (their trial values, `LEVEL2_BUDGET` at most) is kept when one of those can change the result,
each tried at its values; a fact that opens more, or a date, a number or a place whose value opens
questions, is kept as it is (what is left to ask changes with it; trying every pair of its values and
theirs would cost thousands of evaluations for one fact). Should no listed fact
pass, every one is kept (facts needed together: an open result names what would decide it), unless the
status is contested: then what is open is the law, which the result's `contested` states, and no fact is
listed that no answer can change; or unless an approximate date whose exact day changes the answer is open
(its search found days that differ): that date is then the fact that decides, and the facts that matter on
one side of it only are asked once the day is known (or once it is said to be unknowable, api.ask).

Trial values are declared once per fact, as literals and as days taken from the row's other facts (a
date: the day before, of and after each day it meets what the rules compare it with, engine/comparisons.py),
so the scalar engine (here) and the columnar one (batch/relevance.py) try the same values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any

from safeguard.engine.cases import EARLIEST
from safeguard.engine.comparisons import partners, shift_date
from safeguard.engine.missing import missing_facts_scalar
from safeguard.facts.schema import fact_specs
from safeguard.law.vocabulary import MINOR_OUTLYING_ISLANDS, US_PLACES

if TYPE_CHECKING:
    from safeguard.engine.rules import Rule
    from safeguard.engine.scalar import Evaluation, ScalarEngine

# Years of presence worth trying.
NUMBERS = (0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 4.9, 5.0, 5.5, 9.9, 10.0, 12.0)
FOREIGN = "MX"
# Places worth trying when a place is unknown: every U.S. place the law distinguishes, Panama, a foreign one.
QUESTION_PLACES = (*US_PLACES, *MINOR_OUTLYING_ISLANDS, "PA")
SEEN_PLACES = ("destination_country", "birth_place")


@dataclass(frozen=True)
class FromFact:
    """A value taken from another fact of the case (`as_of` among them): a date moved by years then days,
    then back by `back` (years, days: the tried fact's own shift in the comparison), then by `delta` days; a
    place as it is, or (`as_list`) a place as a one-country list."""

    fact: str
    years: int = 0
    days: int = 0
    as_list: bool = False
    back: tuple[int, int] = (0, 0)
    delta: int = 0

    def value(self, facts: dict[str, Any], as_of: date | None = None) -> Any:
        v = as_of if self.fact == "as_of" else facts.get(self.fact)
        if v is None:
            return None
        if self.as_list:
            return (v,)
        if not isinstance(v, date):
            return v
        v = shift_date(v, self.years, self.days)
        if v is not None and self.back != (0, 0):
            v = shift_date(v, -self.back[0], -self.back[1])
        return None if v is None else shift_date(v, 0, self.delta)


@cache
def trial_specs(name: str) -> tuple[Any, ...]:
    """The values to try for one fact: literals, and `FromFact` values read from the case. A date: the day
    before, of and after every day it meets what the rules compare it with (engine/comparisons.py: the same
    days deciding by cases tries), the earliest date the law reaches and as_of."""
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
        fixed, moved = {EARLIEST}, []
        for (y, d), partner in partners(name):
            if partner[0] == "date":
                day = shift_date(partner[1], -y, -d)
                fixed |= {x for x in (shift_date(day, 0, k) for k in (-1, 0, 1)) if x is not None} if day else set()
            else:
                _, other, py, pd = partner
                moved += [FromFact(other, py, pd, back=(y, d), delta=k) for k in (-1, 0, 1)]
        return (*sorted(fixed), *moved, FromFact("as_of"))
    return ()


def trial_values(name: str, facts: dict[str, Any], as_of: date) -> list[Any]:
    """The distinct values to try for `name` in this case, in declared order (dates within [EARLIEST, as_of])."""
    out, seen = [], set()
    is_date = fact_specs()[name].type == "date"
    for spec in trial_specs(name):
        v = spec.value(facts, as_of) if isinstance(spec, FromFact) else spec
        if v is None or v in seen or (is_date and not EARLIEST <= v <= as_of):
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


def _possible(ev: Evaluation, engine: ScalarEngine, fact: str, value: Any, roots: list[Rule],
              ) -> Evaluation | None:
    """The evaluation with `fact` answered `value`; None when that answer is impossible with the rest. Only
    the rules of the signature, those `roots` read (the facts to ask) and those that can report an error are
    re-evaluated (`ScalarEngine.changed_within`): relevance reads nothing else of a trial, and deciding it
    by cases evaluates each of its cases in full from the case's own evaluation (api.SplitStarts); the
    trial's other rules keep the case's values, which nothing reads."""
    from safeguard.facts.parse import possible

    if not possible({**ev.facts, fact: value}, ev.as_of, fact):  # the rest holds together
        return None
    out = engine.changed_within(ev, {fact: value}, [*signature_roots(), *roots])
    return None if out.errors else out


@cache
def signature_roots() -> tuple[Rule, ...]:
    """The rules of the `signature`."""
    from safeguard.engine.rules import REGISTRY

    return tuple(REGISTRY[name] for name in SIGNATURE_RULES)


def changes_result(ev: Evaluation, engine: ScalarEngine, fact: str) -> bool:
    """Some trial value of `fact` changes the result (its `signature`), the other facts as they are, as
    evaluated (not decided by cases). Each answer re-evaluates only the rules the result reads and those
    that can report an error (`_possible` with no other roots): the same result and errors as evaluating
    every rule, without the rules the result does not read (whether a reading turns the answer)."""
    base = signature(ev.values)
    for value in trial_values(fact, ev.facts, ev.as_of):
        out = _possible(ev, engine, fact, value, [])
        if out is not None and signature(out.values) != base:
            return True
    return False


FEW_ANSWERS = ("bool", "enum")
LEVEL2_BUDGET = 400  # trial values (as declared: `trial_specs`) of the questions one answer opens, at most


def follow_ups_tried(fact: str, opened: Iterable[str]) -> bool:
    """Whether the questions an answer of `fact` opens are tried before `fact` is kept for opening them: for
    a fact with few answers (yes/no, a choice) whose answer opens questions of `LEVEL2_BUDGET` trial values
    at most; a date, number or place that opens questions, or an answer that opens more, keeps the fact."""
    return fact_specs()[fact].type in FEW_ANSWERS and sum(len(trial_specs(h)) for h in opened) <= LEVEL2_BUDGET


def relevant_missing(ev: Evaluation, engine: ScalarEngine, roots: list[Rule], listed: list[str],
                     exempt: frozenset[str] = frozenset(), settle: Settle = _as_is,
                     decisive: frozenset[str] = frozenset()) -> list[str]:
    """The listed facts (in order) some trial value of which changes the result, or opens a question (for a
    fact with few answers: a question some answer of which then does, as evaluated, not decided by cases;
    `follow_ups_tried`); from the case's settled evaluation `ev`, each trial settled
    by `settle` (deciding by cases); all of them when none does (none for a contested status) and no
    `decisive` fact does either. `exempt` facts (an approximate date, decided by its own search) are kept;
    `decisive` ones among them are those whose exact day is known to change the result (their search found
    days that differ): with such a date open, a fact that changes nothing alone is not listed (it matters on
    one side of the date only; the exact day is asked first, approximate.adjust_missing)."""
    tried = [f for f in listed if f not in exempt]
    if not tried:
        return listed
    base = signature(ev.values)
    asked = set(missing_facts_scalar(ev, engine, roots))
    keep = set(decisive)
    # First every answer as it is (one evaluation each), then the questions the answers of the facts not yet
    # kept open: the same facts are kept whatever the order, and the costly second level is tried least.
    unchanged: dict[str, list[Evaluation]] = {}
    for fact in tried:
        unchanged[fact] = []
        for value in trial_values(fact, ev.facts, ev.as_of):
            out = _possible(ev, engine, fact, value, roots)
            if out is None:
                continue
            out = settle(out)
            if signature(out.values) != base:
                keep.add(fact)
                break
            unchanged[fact].append(out)
    opened = {fact: [(out, set(missing_facts_scalar(out, engine, roots)) - asked) for out in outs]
              for fact, outs in unchanged.items() if fact not in keep}
    for fact, tries in opened.items():
        if any(o and not follow_ups_tried(fact, o) for _, o in tries):  # opens too much to try: kept as it is
            keep.add(fact)
    for fact, tries in opened.items():
        if fact not in keep and any(changes_result(out, engine, h) for out, o in tries for h in o):
            keep.add(fact)  # a follow-up some answer of which changes the result (as evaluated, not by cases)
    if not keep and ev.values.get("citizenship_contested") is None:
        return listed
    return [f for f in listed if f in keep or f in exempt]
