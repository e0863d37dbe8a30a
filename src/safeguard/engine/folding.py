"""Partial evaluation: the rules rewritten for facts known to be unknown in every row of a frame.

A batch chunk often leaves whole columns empty (a manifest without transfer facts, a file of U.S.-born
people): every rule is still compiled and planned for them. Folding those facts in as unknown, with the
rule language's own semantics (`scalar.py`), turns many sub-expressions and whole rules into constants;
the columnar engine then plans only what the chunk can reach (engine/columnar.py `for_frame`).

Folding never changes a value: each node is rewritten only where the reference semantics give the same
value for every row whatever the facts not folded (Kleene logic: unknown AND false is false; a decision
list stops at its first unknown condition). A node that can report an error (`exclusive`) is kept unless
its value is constant and it reports none. `tests/test_folding.py` checks every case file, rule by rule,
against the unfolded rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from safeguard.engine import expr as X
from safeguard.engine.rules import Rule
from safeguard.engine.scalar import add_years, register_combinations

UNKNOWN = X.Const(None)
TRUE, FALSE = X.Const(True), X.Const(False)


def _const(e: X.Expr) -> bool:
    return isinstance(e, X.Const)


class Folder:
    """Folds the rules of `order` (each after what it reads) with `unknown` facts made unknown. Its memo is
    keyed by node identity: the nodes folded are the rules' own, alive as long as the rules are; the nodes it
    builds are held by the memo and `rules` while the folded rules are in use."""

    def __init__(self, unknown: Iterable[str]):
        self.unknown = frozenset(unknown)
        self.rules: dict[str, X.Expr] = {}  # rule id -> its folded expression
        self._memo: dict[int, X.Expr] = {}

    def fold_rules(self, order: list[Rule]) -> dict[str, X.Expr]:
        for r in order:
            self.rules[r.id] = self(r.expr)
        return self.rules

    def constant(self, rule_id: str) -> X.Const | None:
        e = self.rules.get(rule_id)
        return e if isinstance(e, X.Const) else None

    def __call__(self, e: X.Expr) -> X.Expr:
        found = self._memo.get(id(e))
        if found is None:
            found = self._memo[id(e)] = _FOLD[type(e)](e, self)
        return found


def _fact(e: X.Fact, f: Folder) -> X.Expr:
    return UNKNOWN if e.name in f.unknown else e


def _rule(e: Rule, f: Folder) -> X.Expr:
    c = f.constant(e.id)
    return c if c is not None else e


def _and(e: X.And, f: Folder) -> X.Expr:
    return _kleene(e, f, X.And, stop=False)


def _or(e: X.Or, f: Folder) -> X.Expr:
    return _kleene(e, f, X.Or, stop=True)


def _kleene(e: X.And | X.Or, f: Folder, kind: type, stop: bool) -> X.Expr:
    """And (stop=False) or Or (stop=True): one item equal to `stop` decides; items equal to `not stop`
    drop out; an unknown item stays (it decides the value when every other item is `not stop`)."""
    items, unknown = [], False
    for item in e.items:
        v = f(item)
        if _const(v):
            if v.value is stop:
                return X.Const(stop)
            if v.value is None:
                unknown = True
            continue
        items.append(v)
    if not items:
        return UNKNOWN if unknown else X.Const(not stop)
    if unknown:
        items.append(UNKNOWN)
    if len(items) == 1:
        return items[0]
    if len(items) == len(e.items) and all(a is b for a, b in zip(items, e.items)):
        return e
    return kind(tuple(items))


def _not(e: X.Not, f: Folder) -> X.Expr:
    v = f(e.item)
    if _const(v):
        return UNKNOWN if v.value is None else X.Const(not v.value)
    return e if v is e.item else X.Not(v)


def _binary(e: X.Cmp | X.Arith, f: Folder) -> X.Expr:
    a, b = f(e.left), f(e.right)
    if (_const(a) and a.value is None) or (_const(b) and b.value is None):
        return UNKNOWN
    if _const(a) and _const(b) and (isinstance(e, X.Cmp) or _plain_number(a.value, b.value)):
        return X.Const(X.OPERATORS[e.op](a.value, b.value))
    if a is e.left and b is e.right:
        return e
    return type(e)(e.op, a, b)


def _plain_number(*values: Any) -> bool:
    return all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)


def _is_in(e: X.IsIn, f: Folder) -> X.Expr:
    v = f(e.item)
    if _const(v):
        return UNKNOWN if v.value is None else X.Const(v.value in e.values)
    return e if v is e.item else X.IsIn(v, e.values)


def _contains(e: X.Contains, f: Folder) -> X.Expr:
    items, item = f(e.items), f(e.item)
    if (_const(items) and items.value is None) or (_const(item) and item.value is None):
        return UNKNOWN
    if _const(items) and _const(item):
        return X.Const(item.value in items.value)
    return e if items is e.items and item is e.item else X.Contains(items, item)


def _is_known(e: X.IsKnown, f: Folder) -> X.Expr:
    v = f(e.item)
    if _const(v):
        return X.Const(v.value is not None)
    return e if v is e.item else X.IsKnown(v)


def _is_true(e: X.IsTrue, f: Folder) -> X.Expr:
    v = f(e.item)
    if _const(v):
        return X.Const(v.value is True)
    return e if v is e.item else X.IsTrue(v)


def _add_years(e: X.AddYears, f: Folder) -> X.Expr:
    d, years = f(e.item), f(e.years)
    if (_const(d) and d.value is None) or (_const(years) and years.value is None):
        return UNKNOWN
    if _const(d) and _const(years) and isinstance(d.value, date):
        return X.Const(add_years(d.value, int(years.value)))
    return e if d is e.item and years is e.years else X.AddYears(d, years)


def _add_days(e: X.AddDays, f: Folder) -> X.Expr:
    d = f(e.item)
    if _const(d):
        return UNKNOWN if d.value is None else X.Const(d.value + timedelta(days=e.days))
    return e if d is e.item else X.AddDays(d, e.days)


def _latest(e: X.Latest, f: Folder) -> X.Expr:
    items = [f(i) for i in e.items]
    if any(_const(v) and v.value is None for v in items):
        return UNKNOWN
    if all(_const(v) for v in items):
        return X.Const(max(v.value for v in items))
    return e if all(a is b for a, b in zip(items, e.items)) else X.Latest(tuple(items))


def _decide(e: X.Decide, f: Folder) -> X.Expr:
    """Branches known false drop out; a branch known unknown ends the list (unknown from there, as a decision
    list stops at an unknown condition); one known true ends it with its value."""
    kept, otherwise, same = _branches(e, f, unknown_ends=True)
    if kept and _const(otherwise) and otherwise.value is None and all(_const(v) and v.value is None for _, v in kept):
        return UNKNOWN  # every way through gives unknown
    return _rebuilt(e, kept, otherwise, same)


def _first_true(e: X.FirstTrue, f: Folder) -> X.Expr:
    """Branches known not true (false or unknown) drop out; one known true ends the list with its value."""
    kept, otherwise, same = _branches(e, f, unknown_ends=False)
    if kept and _const(otherwise) and all(_const(v) and _same_value(v.value, otherwise.value) for _, v in kept):
        return otherwise  # every way through gives the same value
    return _rebuilt(e, kept, otherwise, same)


def _branches(e: X.Decide | X.FirstTrue, f: Folder, unknown_ends: bool,
              ) -> tuple[list[tuple[X.Expr, X.Expr]], X.Expr, bool]:
    """A decision list's branches whose condition is not constant (folded, in order), what the list gives
    after them, and whether nothing changed. A condition known true ends the list with its branch's value;
    with `unknown_ends`, one known unknown ends it with unknown; any other constant condition drops out."""
    kept, same = [], True
    for cond, value in e.branches:
        c = f(cond)
        if _const(c):
            if c.value is True:
                return kept, f(value), False
            if c.value is None and unknown_ends:
                return kept, UNKNOWN, False
            same = False
            continue
        v = f(value)
        same = same and c is cond and v is value
        kept.append((c, v))
    otherwise = f(e.otherwise)
    return kept, otherwise, same and otherwise is e.otherwise


def _rebuilt(e: X.Decide | X.FirstTrue, kept: list[tuple[X.Expr, X.Expr]], otherwise: X.Expr,
             same: bool) -> X.Expr:
    if not kept:
        return otherwise
    return e if same else type(e)(tuple(kept), otherwise)


def _same_value(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


def _exclusive(e: X.Exclusive, f: Folder) -> X.Expr:
    """Constant only when no error can come of it: one branch known to hold, or none holding and one
    unknown. Otherwise kept, with each condition folded (a rule read as a condition stays a reference,
    as the error names it)."""
    conds = [f(c) for _, c in e.branches]
    if all(_const(c) for c in conds):
        held = [label for (label, _), c in zip(e.branches, conds) if c.value is True]
        if len(held) == 1:
            return X.Const(held[0])
        if not held and any(c.value is None for c in conds):
            return UNKNOWN
        return e
    branches = tuple((label, old if isinstance(old, Rule) else c) for (label, old), c in zip(e.branches, conds))
    return e if all(a[1] is b[1] for a, b in zip(branches, e.branches)) else X.Exclusive(branches)


def _presumed(e: X.Presumed, f: Folder) -> X.Expr:
    v = f(e.item)
    if _const(v):
        return X.Const(e.value if v.value is None else v.value)
    return e if v is e.item else X.Presumed(v, e.value, e.authority)


def _readings(e: X.Readings, f: Folder) -> X.Expr:
    """Facts and other rules read the same under every reading: the item is folded inside; a constant item
    agrees with itself (and is not disputed)."""
    v = f(e.item)
    if _const(v):
        if e.mode == "disputed":
            return UNKNOWN if v.value is None else FALSE
        return v
    if v is e.item:
        return e
    out = X.Readings(v, e.mode)
    register_combinations(out, e)
    return out


_FOLD = {
    X.Fact: _fact,
    X.Const: lambda e, f: e,
    X.Param: lambda e, f: e,
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
    Rule: _rule,
}
