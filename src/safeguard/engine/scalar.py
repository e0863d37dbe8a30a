"""Row-at-a-time evaluation: one case, every rule, with the values kept for the explanation.

This is the reference semantics of the rule language. The columnar engine must agree with it
on every case (the case-file runner checks that), so keep the two in step.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from safeguard.engine import expr as X
from safeguard.engine.compiled import CompiledRule, ParamValues, compiled_rules
from safeguard.engine.expr import describe
from safeguard.engine.params import load_params
from safeguard.engine.rules import Rule, closure


def add_years(d: date, years: int) -> date:
    """Same day `years` later; 29 February becomes 28 February in a common year."""
    y = d.year + years
    if d.month == 2 and d.day == 29 and not calendar.isleap(y):
        return date(y, 2, 28)
    return d.replace(year=y)


@dataclass
class Evaluation:
    """The values of every rule for one case, and what was presumed or went wrong on the way."""

    facts: dict[str, Any]
    as_of: date
    readings: dict[str, str]
    values: dict[str, Any] = field(default_factory=dict)
    presumptions: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # Filled by `trace`: for each rule on the path to the roots, the rules and facts it read.
    trace: dict[str, dict[str, Any]] = field(default_factory=dict)
    _tracing: list[str] = field(default_factory=list)

    def __getitem__(self, rule_id: str) -> Any:
        return self.values[rule_id]


class ScalarEngine:
    """Evaluates a fixed set of root rules (and all they depend on) for one case at a time.

    `evaluate` and `evaluate_changed` run the rules compiled to Python functions (compiled.py);
    `evaluate_reference` and `trace` interpret the expression tree node by node (`_eval` below), the
    reference semantics the compiled functions must reproduce."""

    def __init__(self, roots: list[Rule]):
        self.order = closure(roots)
        self.params = load_params()
        self._downstream: dict[str, list[Rule]] = {}
        self._downstream_at: dict[tuple[str, tuple[str, ...] | None], tuple[int, ...]] = {}
        self._needed: dict[tuple[str, ...], frozenset[int]] = {}
        # What each rule reads: fact names, and the positions in `order` of the rules it reads (numbers,
        # so that a fact and a rule of the same name stay apart).
        at = {r.id: i for i, r in enumerate(self.order)}
        self._inputs = [frozenset(r.facts) | {at[c.id] for c in r.rules} for r in self.order]
        self._compiled: list[CompiledRule] | None = None
        self._param_values: dict[tuple[date, tuple[tuple[str, str], ...]], ParamValues] = {}

    def compiled(self) -> list[CompiledRule]:
        """The rules of `order`, compiled (once per rule, whichever engine asks first)."""
        if self._compiled is None:
            self._compiled = compiled_rules(self.order, lambda e: reading_combinations(e, self.params))
        return self._compiled

    def param_values(self, as_of: date, readings: dict[str, str]) -> ParamValues:
        key = (as_of, tuple(sorted(readings.items())))
        found = self._param_values.get(key)
        if found is None:
            if len(self._param_values) >= 256:
                self._param_values.clear()
            found = self._param_values[key] = ParamValues(self.params, as_of, readings)
        return found

    def downstream(self, fact: str) -> list[Rule]:
        """The rules whose value can depend on `fact`: those that read it and every rule above them, in
        evaluation order (a fact feeds a few rules; re-evaluating only these answers "what if")."""
        if fact not in self._downstream:
            hit: set[str] = set()
            for r in self.order:  # children come before parents
                if fact in r.facts or any(c.id in hit for c in r.rules):
                    hit.add(r.id)
            self._downstream[fact] = [r for r in self.order if r.id in hit]
        return self._downstream[fact]

    def evaluate_changed(self, ev: Evaluation, changes: dict[str, Any]) -> Evaluation:
        """The evaluation of the same case with some facts changed (None: made unknown), from the case's own
        rule values: a rule is re-evaluated only when a fact it reads changed or a rule it reads changed
        value, so an answer that changes nothing upstream costs nothing more. Not traced."""
        return self._rerun(ev, changes, None)

    def answers_changed(self, ev: Evaluation, changes: dict[str, Any], roots: list[Rule],
                        ) -> tuple[tuple[Any, ...], list[str]]:
        """The values of `roots` and the errors that `evaluate_changed` gives, re-evaluating only the rules
        the roots read and those that can report an error (the rest keep the case's own values)."""
        out = self.changed_within(ev, changes, roots)
        return tuple(out.values[r.id] for r in roots), out.errors

    def changed_within(self, ev: Evaluation, changes: dict[str, Any], roots: list[Rule]) -> Evaluation:
        """`evaluate_changed`, re-evaluating only the rules `roots` read and those that can report an error:
        these get the values it gives, and the errors are the same; every other rule keeps `ev`'s value,
        which may be out of date, so only what reads these roots alone may be asked of the result."""
        key = tuple(r.id for r in roots)
        if key not in self._needed:
            raising = [r for r in self.order if can_report_error(r.expr)]
            at = {r.id: i for i, r in enumerate(self.order)}
            self._needed[key] = frozenset(at[r.id] for r in closure(list(roots) + raising))
        return self._rerun(ev, changes, key)

    def _rerun(self, ev: Evaluation, changes: dict[str, Any], only: tuple[str, ...] | None) -> Evaluation:
        facts = {k: v for k, v in {**ev.facts, **changes}.items() if v is not None}
        changed: set[str | int] = {k for k, v in changes.items() if ev.facts.get(k) != v}
        values = dict(ev.values)
        out = Evaluation(facts, ev.as_of, ev.readings, values)
        if not changed:
            return out
        todo = sorted({i for n in changed for i in self._downstream_of(n, only)})  # type: ignore[arg-type]
        fns, order, inputs = self.compiled(), self.order, self._inputs
        params, as_of, errors = self.param_values(ev.as_of, ev.readings), ev.as_of, out.errors
        before = ev.values
        for i in todo:
            if changed.isdisjoint(inputs[i]):
                continue
            rid = order[i].id
            value = fns[i](facts, values, params, as_of, errors)
            old = before[rid]
            if value != old or type(value) is not type(old):
                values[rid] = value
                changed.add(i)
        return out

    def _downstream_of(self, fact: str, only: tuple[str, ...] | None) -> tuple[int, ...]:
        """Positions in `order` of the rules downstream of `fact` (of those `changed_within` needs for the
        roots `only`)."""
        found = self._downstream_at.get((fact, only))
        if found is None:
            hit = {r.id for r in self.downstream(fact)}
            needed = self._needed[only] if only is not None else range(len(self.order))
            found = self._downstream_at[(fact, only)] = tuple(
                i for i, r in enumerate(self.order) if r.id in hit and i in needed)
        return found

    def evaluate(self, facts: dict[str, Any], as_of: date, readings: dict[str, str] | None = None,
                 ) -> Evaluation:
        ev = Evaluation(facts, as_of, readings or {})
        params, values, errors = self.param_values(as_of, ev.readings), ev.values, ev.errors
        for r, fn in zip(self.order, self.compiled()):
            values[r.id] = fn(facts, values, params, as_of, errors)
        return ev

    def evaluate_reference(self, facts: dict[str, Any], as_of: date, readings: dict[str, str] | None = None,
                           ) -> Evaluation:
        """`evaluate` by interpreting the expression trees (the reference the compiled rules are tested on)."""
        ev = Evaluation(facts, as_of, readings or {})
        for r in self.order:
            ev.values[r.id] = _eval(r.expr, ev, self)
        return ev

    def trace(self, ev: Evaluation, roots: list[Rule]) -> None:
        """Walk from the roots the way a reader would: each rule's expression evaluated lazily (Kleene
        short-circuits), recording the rules and facts it actually needed and any presumption used."""
        for root in roots:
            if root.id not in ev.trace:
                self._trace_rule(root, ev)

    def _trace_rule(self, r: Rule, ev: Evaluation) -> None:
        ev.trace[r.id] = {"children": [], "inputs": {}}
        ev._tracing.append(r.id)
        _eval(r.expr, ev, self)
        ev._tracing.pop()


def can_report_error(e: X.Expr) -> bool:
    """Whether evaluating the expression can add an error (an `exclusive` reads no other rule's errors)."""
    return isinstance(e, X.Exclusive) or (not isinstance(e, Rule) and any(can_report_error(c) for c in X.children(e)))


def _eval(e: X.Expr, ev: Evaluation, eng: ScalarEngine) -> Any:
    return _DISPATCH[type(e)](e, ev, eng)


def _fact(e: X.Fact, ev: Evaluation, eng: ScalarEngine) -> Any:
    value = ev.as_of if e.name == "as_of" else ev.facts.get(e.name)
    if ev._tracing:
        ev.trace[ev._tracing[-1]]["inputs"][e.name] = value
    return value


def _param(e: X.Param, ev: Evaluation, eng: ScalarEngine) -> Any:
    return eng.params[e.name].at(ev.as_of, ev.readings.get(e.name))


def _and(e: X.And, ev: Evaluation, eng: ScalarEngine) -> Any:
    unknown = False
    for item in e.items:
        v = _eval(item, ev, eng)
        if v is False:
            return False
        if v is None:
            unknown = True
    return None if unknown else True


def _or(e: X.Or, ev: Evaluation, eng: ScalarEngine) -> Any:
    unknown = False
    for item in e.items:
        v = _eval(item, ev, eng)
        if v is True:
            return True
        if v is None:
            unknown = True
    return None if unknown else False


def _not(e: X.Not, ev: Evaluation, eng: ScalarEngine) -> Any:
    v = _eval(e.item, ev, eng)
    return None if v is None else not v




def _binary(e: X.Cmp | X.Arith, ev: Evaluation, eng: ScalarEngine) -> Any:
    """A comparison or arithmetic: unknown if either side is unknown."""
    a = _eval(e.left, ev, eng)
    if a is None:
        return None
    b = _eval(e.right, ev, eng)
    return None if b is None else X.OPERATORS[e.op](a, b)


def _is_in(e: X.IsIn, ev: Evaluation, eng: ScalarEngine) -> Any:
    v = _eval(e.item, ev, eng)
    return None if v is None else v in e.values


def _contains(e: X.Contains, ev: Evaluation, eng: ScalarEngine) -> Any:
    items = _eval(e.items, ev, eng)
    item = _eval(e.item, ev, eng)
    if items is None or item is None:
        return None
    return item in items


def _is_known(e: X.IsKnown, ev: Evaluation, eng: ScalarEngine) -> Any:
    return _eval(e.item, ev, eng) is not None


def _is_true(e: X.IsTrue, ev: Evaluation, eng: ScalarEngine) -> Any:
    return _eval(e.item, ev, eng) is True


def _add_years(e: X.AddYears, ev: Evaluation, eng: ScalarEngine) -> Any:
    d = _eval(e.item, ev, eng)
    years = _eval(e.years, ev, eng)
    return None if d is None or years is None else add_years(d, int(years))


def _add_days(e: X.AddDays, ev: Evaluation, eng: ScalarEngine) -> Any:
    d = _eval(e.item, ev, eng)
    return None if d is None else d + timedelta(days=e.days)


def _latest(e: X.Latest, ev: Evaluation, eng: ScalarEngine) -> Any:
    values = [_eval(i, ev, eng) for i in e.items]
    return None if any(v is None for v in values) else max(values)


def _decide(e: X.Decide, ev: Evaluation, eng: ScalarEngine) -> Any:
    for cond, value in e.branches:
        c = _eval(cond, ev, eng)
        if c is None:
            return None
        if c:
            return _eval(value, ev, eng)
    return _eval(e.otherwise, ev, eng)


def _first_true(e: X.FirstTrue, ev: Evaluation, eng: ScalarEngine) -> Any:
    for cond, value in e.branches:
        if _eval(cond, ev, eng) is True:
            return _eval(value, ev, eng)
    return _eval(e.otherwise, ev, eng)


def branch_name(label: str, cond: X.Expr) -> str:
    return f"{label} ({cond.id})" if isinstance(cond, Rule) else label


def _exclusive(e: X.Exclusive, ev: Evaluation, eng: ScalarEngine) -> Any:
    held, unknown = [], False
    for label, cond in e.branches:
        c = _eval(cond, ev, eng)
        if c is True:
            held.append((label, cond))
        elif c is None:
            unknown = True
    if len(held) > 1:
        if not ev._tracing:
                ev.errors.append(exclusive_conflict([branch_name(lb, c) for lb, c in held]))
        return None
    if held:
        return held[0][0]
    if not unknown and not ev._tracing:
        ev.errors.append(exclusive_gap([branch_name(lb, c) for lb, c in e.branches]))
    return None


def exclusive_conflict(names: list[str]) -> str:
    return "rules that exclude each other both apply: " + ", ".join(names)


def exclusive_gap(names: list[str]) -> str:
    return "no rule decides (all known, none applies): " + ", ".join(names)


def _presumed(e: X.Presumed, ev: Evaluation, eng: ScalarEngine) -> Any:
    v = _eval(e.item, ev, eng)
    if v is not None or not ev._tracing:
        return e.value if v is None else v
    fact = e.item.name if isinstance(e.item, X.Fact) else describe(e.item)
    note = {"fact": fact, "presumed": e.value, "authority": e.authority}
    if note not in ev.presumptions:
        ev.presumptions.append(note)
    return e.value


_COMBINATIONS: dict[int, list[dict[str, str]]] = {}


def reading_combinations(e: X.Readings, params: dict) -> list[dict[str, str]]:
    """Every combination of readings of the contested parameters the expression reads (computed once per node)."""
    if id(e) in _COMBINATIONS:
        return _COMBINATIONS[id(e)]
    combos: list[dict[str, str]] = [{}]
    for name in X.contested_param_names(e.item):
        keys = sorted(params[name].readings)
        combos = [{**c, name: k} for c in combos for k in keys] if keys else combos
    _COMBINATIONS[id(e)] = combos
    return combos


def register_combinations(new: X.Readings, like: X.Readings) -> None:
    """A node rewritten from another (engine/folding.py) is read under the same combinations: registered
    when it is built, so that a node id freed and reused never finds another node's combinations."""
    _COMBINATIONS[id(new)] = reading_combinations(like, load_params())


def _readings(e: X.Readings, ev: Evaluation, eng: ScalarEngine) -> Any:
    saved = ev.readings
    values = []
    for combo in reading_combinations(e, eng.params):
        ev.readings = {**saved, **combo}
        values.append(_eval(e.item, ev, eng))
    ev.readings = saved
    if e.mode == "disputed":
        return None if any(v is None for v in values) else len(set(values)) > 1
    return values[0] if all(v == values[0] for v in values) else None


def _rule_ref(e: Rule, ev: Evaluation, eng: ScalarEngine) -> Any:
    if ev._tracing:
        children = ev.trace[ev._tracing[-1]]["children"]
        if e.id not in children:
            children.append(e.id)
        if e.id not in ev.trace:
            eng._trace_rule(e, ev)
    return ev.values[e.id]


_DISPATCH: dict[type, Callable[[Any, Evaluation, ScalarEngine], Any]] = {
    X.Fact: _fact,
    X.Const: lambda e, ev, eng: e.value,
    X.Param: _param,
    X.And: _and,
    X.Or: _or,
    X.Not: _not,
    X.Cmp: _binary,
    X.Arith: _binary,
    X.IsIn: _is_in,
    X.Contains: _contains,
    X.IsKnown: _is_known,
    X.IsTrue: _is_true,
    X.AddYears: _add_years,
    X.AddDays: _add_days,
    X.Latest: _latest,
    X.Decide: _decide,
    X.FirstTrue: _first_true,
    X.Exclusive: _exclusive,
    X.Presumed: _presumed,
    X.Readings: _readings,
    Rule: _rule_ref,
}
