"""What each date fact is compared with: where a rule's answer can turn as that date moves.

A rule reads a date only by comparing it (`<`, `<=`, `==`, ...) with another date: a date the law names
(a parameter or a constant), `as_of`, or another date of the case, either side shifted by years and days
(an age, a period). A date can also flow through rules before it is compared (the latest of two dates, the
date a route was complete, a rule that picks one date or another); this module follows it there. So, for a
date fact, the answer can turn only where the fact, shifted as the rule shifts it, meets its partner in one
of these comparisons: `partners(fact)` lists them, read once from the rule trees.

Deciding by cases, approximate dates and the trial values of a missing date (engine/relevance.py) try the
day before, of and after each such point: every answer the date can give, and no more. The facts' own
consistency checks compare a date with other dates of the case as they are (a naturalization is not
before the birth), so every other date of the case, unshifted, is a partner too.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache, lru_cache
from typing import Any

from safeguard.engine import expr as X
from safeguard.engine.params import load_params
from safeguard.engine.rules import REGISTRY, Rule
from safeguard.engine.scalar import add_years

Shift = tuple[int, int]  # (years, days): a date moved by years, then by days
# A source of a date value: ("fact", name, years, days), the fact so shifted; or ("date", day), a fixed day.
Source = tuple


def _date_facts() -> frozenset[str]:
    from safeguard.facts.schema import fact_specs

    return frozenset(n for n, s in fact_specs().items() if s.type == "date")


class _Flow:
    """The sources of every date-valued node, through rules (each rule's sources worked out once)."""

    def __init__(self) -> None:
        self.params = load_params()
        self.dates = _date_facts()
        self.memo: dict[int, frozenset[Source]] = {}
        self.keep: list[X.Expr] = []  # the nodes memoised by id stay alive while the flow is used

    def sources(self, e: X.Expr) -> frozenset[Source]:
        found = self.memo.get(id(e))
        if found is None:
            found = self.memo[id(e)] = frozenset(self._sources(e))
            self.keep.append(e)
        return found

    def _param_days(self, name: str) -> set[Source]:
        p = self.params[name]
        values = [v.value for v in p.versions] + list(p.readings.values())
        return {("date", v) for v in values if isinstance(v, date)}

    def _years(self, e: X.Expr) -> list[int]:
        if isinstance(e, X.Const) and isinstance(e.value, (int, float)):
            return [int(e.value)]
        if isinstance(e, X.Param):
            p = self.params[e.name]
            values = [v.value for v in p.versions] + list(p.readings.values())
            return [int(v) for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
        raise ValueError(f"a date is moved by a number of years the search cannot follow: {X.describe(e)}")

    def _sources(self, e: X.Expr) -> set[Source]:
        if isinstance(e, Rule):
            return set(self.sources(e.expr))
        if isinstance(e, X.Fact):
            return {("fact", e.name, 0, 0)} if e.name in self.dates else set()
        if isinstance(e, X.Const):
            return {("date", e.value)} if isinstance(e.value, date) else set()
        if isinstance(e, X.Param):
            return self._param_days(e.name)
        if isinstance(e, X.AddYears):
            out = set()
            for s in self.sources(e.item):
                for y in self._years(e.years):
                    out.add(_moved(s, y, 0))
            return out
        if isinstance(e, X.AddDays):
            return {_moved(s, 0, e.days) for s in self.sources(e.item)}
        if isinstance(e, X.Latest):
            return set().union(*(self.sources(i) for i in e.items))
        if isinstance(e, (X.Decide, X.FirstTrue)):
            return set().union(*(self.sources(v) for _, v in e.branches), self.sources(e.otherwise))
        if isinstance(e, X.Presumed):
            return set(self.sources(e.item)) | ({("date", e.value)} if isinstance(e.value, date) else set())
        if isinstance(e, X.Readings):
            return set(self.sources(e.item)) if e.mode == "agreed" else set()
        return set()  # a truth value, a number, a place: not a date


def _moved(s: Source, years: int, days: int) -> Source:
    """A source moved by years then days. A fact's shift must stay 'years, then days' (what `shift_date`
    undoes); a fixed day is moved at once."""
    if s[0] == "date":
        return ("date", shift_date(s[1], years, days))
    _, name, y, d = s
    if years and d:
        raise ValueError(f"a date is moved by days and then by years ({name}): the search cannot follow it")
    return ("fact", name, y + years, d + days)


ORDERING = ("<", "<=", ">", ">=", "==", "!=")


def _nodes():
    seen: set[int] = set()
    for r in REGISTRY.values():
        stack = [r.expr]
        while stack:
            node = stack.pop()
            if id(node) in seen or isinstance(node, Rule):
                continue
            seen.add(id(node))
            yield node
            stack.extend(X.children(node))


@lru_cache(maxsize=1)
def _partners() -> dict[str, tuple[tuple[Shift, Source], ...]]:
    flow = _Flow()
    found: dict[str, set[tuple[Shift, Source]]] = {}
    for node in _nodes():
        if not (isinstance(node, X.Cmp) and node.op in ORDERING):
            continue
        left, right = flow.sources(node.left), flow.sources(node.right)
        for mine, theirs in ((left, right), (right, left)):
            for s in mine:
                if s[0] != "fact":
                    continue
                for t in theirs:
                    if t[0] == "fact" and t[1] == s[1]:
                        continue  # the date against itself: the same whatever it is
                    found.setdefault(s[1], set()).add(((s[2], s[3]), t))
    for name in flow.dates:  # the consistency checks: a date against every other date of the case, as it is
        for other in flow.dates:
            if other != name:
                found.setdefault(name, set()).add(((0, 0), ("fact", other, 0, 0)))
    return {k: tuple(sorted(v, key=repr)) for k, v in found.items()}


def partners(fact: str) -> tuple[tuple[Shift, Source], ...]:
    """Each (shift of `fact`, what that shifted date is compared with) that some rule or check makes."""
    return _partners().get(fact, ())


def shift_date(day: date, years: int, days: int) -> date | None:
    """`day` moved by years then days, or (going back) by days then years; None off the calendar."""
    try:
        if years >= 0:
            return add_years(day, years) + timedelta(days=days)
        return add_years(day + timedelta(days=days), years)
    except (ValueError, OverflowError):
        return None


def turning_points(fact: str, facts: dict[str, Any], as_of: date) -> set[date]:
    """The days of `fact` at which some comparison with the case's other dates (as given) meets: where
    `fact + shift = partner`. The answer can change only on or next to these days. (Worked out per
    partner date, each once: the same days for every case that gives that date.)"""
    out = set(_met_by(fact, None, None))  # the dates the rules name
    for name in _partners_by_name(fact):
        if name is None:
            continue
        value = as_of if name == "as_of" else facts.get(name)
        if isinstance(value, date):  # unknown: that comparison is unknown whatever `fact` is
            out |= _met_by(fact, name, value)
    return out


def days_near_turning_points(fact: str, facts: dict[str, Any], as_of: date) -> set[date]:
    """The day before, of and after each of `turning_points` (the days deciding by cases tries); each
    partner date's days worked out once."""
    out = set(_near(fact, None, None))
    for name in _partners_by_name(fact):
        if name is None:
            continue
        value = as_of if name == "as_of" else facts.get(name)
        if isinstance(value, date):
            out |= _near(fact, name, value)
    return out


@lru_cache(maxsize=1 << 16)
def _near(fact: str, name: str | None, value: date | None) -> frozenset[date]:
    out: set[date] = set()
    for day in _met_by(fact, name, value):
        for delta in (-1, 0, 1):
            try:
                out.add(day + timedelta(days=delta))
            except OverflowError:
                pass
    return frozenset(out)


@cache
def _partners_by_name(fact: str) -> dict[str | None, tuple[tuple[Shift, Source], ...]]:
    """`partners(fact)` by the fact each is compared with (None: a date the rules name)."""
    out: dict[str | None, list[tuple[Shift, Source]]] = {}
    for shift, partner in partners(fact):
        out.setdefault(None if partner[0] == "date" else partner[1], []).append((shift, partner))
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=1 << 16)
def _met_by(fact: str, name: str | None, value: date | None) -> frozenset[date]:
    """The days of `fact` that meet the partner `name` at `value` (None: the dates the rules name)."""
    out: set[date] = set()
    for (y, d), partner in _partners_by_name(fact).get(name, ()):
        anchor = partner[1] if partner[0] == "date" else shift_date(value, partner[2], partner[3])
        day = None if anchor is None else shift_date(anchor, -y, -d)
        if day is not None:
            out.add(day)
    return frozenset(out)
