"""Approximate dates: a date fact known only to the year or the month is unknown within that interval.

The case is evaluated without it, then at every day of the interval where a comparison of the rules
could turn (`engine.cases.case_values` with the interval: the same exhaustive search as deciding by
cases). A result every such day gives is the result; where the days differ the result stays unknown
and the exact date is asked, naming the day the answer turns at and the dates the rules meet there.

Several approximate dates are searched one at a time, each with the others unknown: a result one
search finds holds whatever the others turn out to be. Nothing is ever guessed: an answer is decided
only by a search that tried every day that could give another answer. `batch/by_cases.py` does the
same for a manifest, so the two say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from safeguard.engine.cases import (
    agree,
    case_values,
    joint_basis,
    joint_values,
    needs_exact_date,
    split_basis,
    turning_reasons,
)
from safeguard.engine.rules import closure
from safeguard.engine.scalar import Evaluation, ScalarEngine
from safeguard.facts.parse import ApproxDate, Case, check_consistency, possible
from safeguard.facts.schema import fact_specs
from safeguard.law.outputs import OPEN_ROOTS, ROOTS

# What "the answer" is: two days give the same answer when these rules have the same values.
ANSWER = list(dict.fromkeys(["citizenship_status", "transfer_outcome"] + [r.id for r in OPEN_ROOTS]))
ROOT_IDS = [r.id for r in ROOTS]
# The roots that read the status (the transfer's bars and holds, its outcome, what is still open): worked out
# from the status, never taken from what the days agree on (every day has a status; their union may not).
FROM_STATUS = [r.id for r in ROOTS if r.id != "citizenship_status"
               and "citizenship_status" in {x.id for x in closure([r])}]


def keep_transfer(values: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    """`values` settled by a search (days of an approximate date, or cases), with the roots that read the
    status taken from `base` (the case evaluated without the searched fact) when the search leaves the status,
    or the outcome, unknown: the days each gave a status and an outcome, but where they differ the person's
    status is unresolved, and what follows from that is what the case without the fact gives (a hold), not
    nothing (found by review: a year-only birth date left no transfer outcome at all)."""
    if base.get("transfer_outcome") is None or (values["citizenship_status"] is not None
                                                and values.get("transfer_outcome") is not None):
        return values
    return {**values, **{k: base[k] for k in FROM_STATUS}}


@dataclass(kw_only=True)
class Agreement:
    """What the days (or combinations of days) of a search agree on: how many were tried, the root values
    every one gives (a value None where they differ; `values` None while none was tried), their bases in
    order, and whether the answer differs between them (until searched, it may)."""

    cases: int = 0
    values: dict[str, Any] | None = None
    bases: list[Any] = field(default_factory=list)
    differs: bool = True


@dataclass
class IntervalSearch(Agreement):
    """One approximate date searched: the values every day agrees on, and where the answer turns inside
    the interval."""

    fact: str
    given: ApproxDate
    turns: list[dict[str, Any]] = field(default_factory=list)
    not_searched: str | None = None
    together: JointSearch | None = None  # with other approximate dates: the search of all of them
    asked: bool | None = None  # with other approximate dates: whether this one's exact date is asked

    @property
    def asks(self) -> bool:
        """The exact date is asked: the answer differs inside the interval (with other approximate dates:
        see `settle_intervals`)."""
        return self.differs if self.together is None else bool(self.asked)

    def note(self) -> str:
        head = f"{self.fact} {self.given.given}"
        if self.not_searched:
            return f"{head}: the exact date is needed ({self.not_searched})"
        joint = self.together
        if joint is not None and not self.asks:
            if not joint.differs:
                return (f"{head}: the same answer on every day from {self.given.low} to {self.given.high}, with the other "
                        f"approximate dates: each of the {joint.cases} combination{'s' if joint.cases != 1 else ''} of "
                        "days where the answer could turn gives the same answer")
            return (f"{head}: every day from {self.given.low} to {self.given.high} gives the same answer while the "
                    "other approximate dates are unknown; their exact dates are asked first")
        if joint is not None and not self.turns:
            why = "too many combinations of days to search" if joint.values is None else \
                "no one of the approximate dates decides it, and together they give different answers"
            return f"{head}: the exact date is needed ({why})"
        if not self.differs:
            return (f"{head}: the same answer on every day from {self.given.low} to {self.given.high}: each of the "
                    f"{self.cases} days where the answer could turn gives the same answer, so the exact date "
                    "would not change it")
        if not self.turns:
            return f"{head}: the exact date is needed (the days of the interval could not all be screened)"
        parts = [f"the answer differs before and after {t['date']} ({'; '.join(t['because']) or 'a date of the case'})"
                 for t in self.turns]
        return f"{head}: " + ", and ".join(parts) + "; the exact date is needed"

    def as_dict(self) -> dict[str, Any]:
        return {"given": self.given.given, "from": self.given.low.isoformat(), "to": self.given.high.isoformat(),
                "exact_date_needed": self.asks, "days_tried": self.cases,
                "turns_at": [{**t, "date": t["date"].isoformat()} for t in self.turns], "note": self.note()}


@dataclass
class JointSearch(Agreement):
    """Several approximate dates searched together (`engine.cases.joint_values`)."""

    given: dict[str, str]


def search_joint(engine: ScalarEngine, ev: Evaluation, case: Case, order: list[str]) -> JointSearch:
    """Every combination of days of the approximate dates where the answer could turn."""
    out = JointSearch({f: case.approx[f].given for f in order})
    if any(needs_exact_date(f, case.facts) for f in order):
        return out
    combos = joint_values({f: (case.approx[f].low, case.approx[f].high) for f in order}, case.facts, case.as_of,
                          lambda combo: not check_consistency({**case.facts, **combo}, case.as_of))
    tried = []
    for combo in combos or []:
        changed = engine.evaluate_changed(ev, combo)
        if changed.errors:
            return out
        tried.append({r: changed.values[r] for r in ROOT_IDS})
    _agreement(out, tried)
    return out


def _agreement(out: Agreement, tried: list[dict[str, Any]]) -> None:
    """Fills `out` with what the days (or combinations of days) tried agree on; unchanged if none was."""
    if tried:
        out.cases, out.values = len(tried), agree(tried, ROOT_IDS)
        out.bases = [v["citizenship_basis"] for v in tried]
        out.differs = any(out.values[k] is None and any(v[k] is not None for v in tried) for k in ANSWER)


def search_interval(engine: ScalarEngine, ev: Evaluation, case: Case, fact: str) -> IntervalSearch:
    """Every day of the approximate `fact` where the answer could turn, tried on the evaluation `ev`
    (made with `fact` unknown)."""
    given = case.approx[fact]
    out = IntervalSearch(fact, given)
    if needs_exact_date(fact, case.facts):
        out.not_searched = "presence periods are counted from it day by day"
        return out
    tried: list[tuple[Any, dict[str, Any]]] = []
    for day in case_values(fact, "date", case.facts, case.as_of, interval=(given.low, given.high)):
        if not possible({**case.facts, fact: day}, case.as_of, fact):
            continue  # impossible with the other facts: not a case
        changed = engine.evaluate_changed(ev, {fact: day})
        if changed.errors:
            return out
        tried.append((day, {r: changed.values[r] for r in ROOT_IDS}))
    _agreement(out, [v for _, v in tried])
    for (before, a), (after, b) in zip(tried, tried[1:]):
        if any(a[k] != b[k] for k in ANSWER):
            because = (turning_reasons(fact, case.facts, case.as_of, after)
                       or turning_reasons(fact, case.facts, case.as_of, before))
            out.turns.append({"date": after, "because": because,
                              "before": {k: a[k] for k in ("citizenship_status", "transfer_outcome")},
                              "after": {k: b[k] for k in ("citizenship_status", "transfer_outcome")}})
    return out


def settle_intervals(engine: ScalarEngine, ev: Evaluation, case: Case) -> tuple[dict[str, Any], list[IntervalSearch]]:
    """The rule values with what the searches of the approximate dates settle, and the searches. Each is
    searched on the case without any of them. The first search's values replace the case's (as deciding
    by cases does: a rule that asks whether a value is known reads the searched days); a later search
    adds only what it settles. The basis changes only with a status a search decides. With several, their
    joint search decides; where it cannot be run, no single date's search is kept."""
    values = dict(ev.values)
    order = [f for f in fact_specs() if f in case.approx]
    searches = [search_interval(engine, ev, case, fact) for fact in order]
    first = True
    for s in searches:
        if s.values is None:
            continue
        basis = values["citizenship_basis"]
        if values["citizenship_status"] is None and s.values["citizenship_status"] is not None:
            basis = split_basis(s.bases, s.fact, s.cases, s.given.given)
        values.update(merge_values(s.values, first))
        values["citizenship_basis"] = basis if first or basis is not None else values["citizenship_basis"]
        first = False
    if len(searches) > 1:
        joint = search_joint(engine, ev, case, order)
        if joint.values is None:
            # Too many combinations to search together: each date's own search ran with the others unknown,
            # where a presumption may stand that another date's interval contradicts. None of them is kept.
            values = dict(ev.values)
        else:
            values = {**ev.values, **joint.values}
            values["citizenship_basis"] = ev.values["citizenship_basis"]
            if ev.values["citizenship_status"] is None and joint.values["citizenship_status"] is not None:
                values["citizenship_basis"] = joint_basis(joint.bases, joint.given, joint.cases)
        for s in searches:
            s.together = joint
        ask_some(searches)
    return keep_transfer(values, ev.values), searches


def ask_some(searches: list[IntervalSearch]) -> None:
    """Which of several approximate dates are asked: none when every combination of their days gives the
    same answer; else those whose own days give different answers; else (none does alone) all of them."""
    joint = searches[0].together
    decided = joint is not None and joint.values is not None and not joint.differs
    turning = any(s.differs for s in searches)
    for s in searches:
        s.asked = False if decided else (s.differs if turning else True)


def merge_values(found: dict[str, Any], replace: bool) -> dict[str, Any]:
    """The values a search contributes: all of them when it replaces, else only those it settles."""
    return dict(found) if replace else {k: v for k, v in found.items() if v is not None}


def adjust_missing(missing: list[str], searches: list[IntervalSearch]) -> list[str]:
    """An approximate date is asked (for the exact date) only when the answer differs inside it."""
    differs = {s.fact for s in searches if s.asks}
    settled = {s.fact for s in searches if not s.asks}
    out = [f for f in missing if f not in settled]
    order = list(fact_specs())
    return sorted(set(out) | differs, key=order.index) if differs - set(out) else out


def approximate_node(s: IntervalSearch) -> dict[str, Any]:
    """The search of one approximate date as a node of the explanation."""
    return {"rule": f"approximate_date.{s.fact}", "value": "exact date needed" if s.asks else "decided for every day",
            "doc": s.note(), "citation": {"text": "every day of the interval where a rule's comparison can turn "
                                                  "(deciding by cases, engine/cases.py)"},
            "inputs": {s.fact: s.given.given}, "children": []}
