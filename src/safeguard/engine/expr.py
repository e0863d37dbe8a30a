"""The rule language: a small expression tree that rules are written in.

Rules are written once, as trees of these nodes, and every way of running them reads the same
tree: `scalar.py` evaluates one case (with explanation), `columnar.py` compiles the tree to Polars
expressions for batch, and `ask.py` searches it for the questions still worth asking.

Values are three-valued: a boolean node is True, False or None (unknown). Unknown propagates
except where Kleene logic decides (unknown AND false = false, unknown OR true = true).
"""

from __future__ import annotations

import operator
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any


class Expr:
    """Base of every node. Python operators build nodes: & | ~ == != < <= > >=."""

    __slots__ = ()

    def __and__(self, other: Any) -> Expr:
        return And(tuple(_flat(And, (self, lift(other)))))

    def __rand__(self, other: Any) -> Expr:
        return lift(other) & self

    def __or__(self, other: Any) -> Expr:
        return Or(tuple(_flat(Or, (self, lift(other)))))

    def __ror__(self, other: Any) -> Expr:
        return lift(other) | self

    def __invert__(self) -> Expr:
        return Not(self)

    def __eq__(self, other: Any) -> Expr:  # type: ignore[override]
        return Cmp("==", self, lift(other))

    def __ne__(self, other: Any) -> Expr:  # type: ignore[override]
        return Cmp("!=", self, lift(other))

    def __lt__(self, other: Any) -> Expr:
        return Cmp("<", self, lift(other))

    def __le__(self, other: Any) -> Expr:
        return Cmp("<=", self, lift(other))

    def __gt__(self, other: Any) -> Expr:
        return Cmp(">", self, lift(other))

    def __ge__(self, other: Any) -> Expr:
        return Cmp(">=", self, lift(other))

    def __add__(self, other: Any) -> Expr:
        return Arith("+", self, lift(other))

    def __sub__(self, other: Any) -> Expr:
        return Arith("-", self, lift(other))

    __hash__ = object.__hash__

    def is_in(self, values: Iterable[Any]) -> Expr:
        """True when the value is one of `values`; unknown when the value is unknown."""
        return IsIn(self, tuple(values))

    def contains(self, item: Any) -> Expr:
        """For a list-valued fact: True when the list holds `item`."""
        return Contains(self, lift(item))

    def plus_years(self, years: int | Expr) -> Expr:
        """The date `years` calendar years later (a 29 February maps to 28 February); `years` may be a
        number or an expression such as `param("derivation.cca_age_limit")`."""
        return AddYears(self, lift(int(years) if isinstance(years, (int, float)) else years))

    def plus_days(self, days: int) -> Expr:
        return AddDays(self, int(days))

    def known(self) -> Expr:
        """True when the value is known, False when unknown. Never unknown itself."""
        return IsKnown(self)

    def established(self) -> Expr:
        """True only when the value is known to be True (unknown counts as 'not established')."""
        return IsTrue(self)


# The comparison and arithmetic operators, shared by both engines: Python's operator functions work the
# same on plain values (scalar engine) and on Polars expressions (columnar engine).
OPERATORS: dict[str, Any] = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
    "+": operator.add, "-": operator.sub,
}


def lift(value: Any) -> Expr:
    return value if isinstance(value, Expr) else Const(value)


def _flat(kind: type, items: Iterable[Expr]) -> Iterable[Expr]:
    for item in items:
        if type(item) is kind:
            yield from item.items  # type: ignore[attr-defined]
        else:
            yield item


@dataclass(frozen=True, eq=False, slots=True)
class Fact(Expr):
    """An input fact, by its name in facts.yaml."""

    name: str


@dataclass(frozen=True, eq=False, slots=True)
class Const(Expr):
    value: Any


@dataclass(frozen=True, eq=False, slots=True)
class Param(Expr):
    """A parameter from the versioned parameter files, looked up at the date the law is taken at."""

    name: str


@dataclass(frozen=True, eq=False, slots=True)
class And(Expr):
    items: tuple[Expr, ...]


@dataclass(frozen=True, eq=False, slots=True)
class Or(Expr):
    items: tuple[Expr, ...]


@dataclass(frozen=True, eq=False, slots=True)
class Not(Expr):
    item: Expr


@dataclass(frozen=True, eq=False, slots=True)
class Cmp(Expr):
    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True, eq=False, slots=True)
class Arith(Expr):
    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True, eq=False, slots=True)
class IsIn(Expr):
    item: Expr
    values: tuple[Any, ...]


@dataclass(frozen=True, eq=False, slots=True)
class Contains(Expr):
    items: Expr
    item: Expr


@dataclass(frozen=True, eq=False, slots=True)
class IsKnown(Expr):
    item: Expr


@dataclass(frozen=True, eq=False, slots=True)
class IsTrue(Expr):
    item: Expr


@dataclass(frozen=True, eq=False, slots=True)
class AddYears(Expr):
    item: Expr
    years: Expr


@dataclass(frozen=True, eq=False, slots=True)
class AddDays(Expr):
    item: Expr
    days: int


@dataclass(frozen=True, eq=False, slots=True)
class Latest(Expr):
    """The latest of several dates; unknown if any of them is unknown."""

    items: tuple[Expr, ...]


@dataclass(frozen=True, eq=False, slots=True)
class Decide(Expr):
    """An ordered decision list: the first branch whose condition is True gives the value.

    Strict: a branch whose condition is unknown makes the whole result unknown, because it might
    have been the one to apply. Used where the law picks one regime by a condition.
    """

    branches: tuple[tuple[Expr, Expr], ...]
    otherwise: Expr


@dataclass(frozen=True, eq=False, slots=True)
class FirstTrue(Expr):
    """The value of the first branch whose condition is known to be True; skips unknown ones.

    Used to name *which* route applies once the outcome is known (the basis, the date since),
    never to decide the outcome itself.
    """

    branches: tuple[tuple[Expr, Expr], ...]
    otherwise: Expr


@dataclass(frozen=True, eq=False, slots=True)
class Exclusive(Expr):
    """Branches that the law makes mutually exclusive; the value is the label of the one that holds.

    Two branches True at once, or none True with none unknown, is an error that names the rules:
    the encoding is wrong, and no default may hide it.
    """

    branches: tuple[tuple[str, Expr], ...]


@dataclass(frozen=True, eq=False, slots=True)
class Presumed(Expr):
    """A fact with a legal presumption: when unknown, the presumed value stands, and the result
    says that it was presumed and on what authority. Only for presumptions the law itself makes."""

    item: Expr
    value: Any
    authority: str


def decide(*branches: tuple[Any, Any], otherwise: Any = None) -> Decide:
    return Decide(tuple((lift(c), lift(v)) for c, v in branches), lift(otherwise))


def first_true(*branches: tuple[Any, Any], otherwise: Any = None) -> FirstTrue:
    return FirstTrue(tuple((lift(c), lift(v)) for c, v in branches), lift(otherwise))


def exclusive(**branches: Any) -> Exclusive:
    return Exclusive(tuple((label, lift(cond)) for label, cond in branches.items()))


def latest(*items: Any) -> Latest:
    return Latest(tuple(lift(i) for i in items))


def any_of(*items: Any) -> Expr:
    return Or(tuple(_flat(Or, [lift(i) for i in items]))) if len(items) > 1 else lift(items[0])


def all_of(*items: Any) -> Expr:
    return And(tuple(_flat(And, [lift(i) for i in items]))) if len(items) > 1 else lift(items[0])


def day(iso: str) -> Const:
    return Const(date.fromisoformat(iso))


def children(e: Expr) -> tuple[Expr, ...]:
    """The direct sub-expressions of a node (rules referenced are leaves here, see rules.py)."""
    if isinstance(e, (And, Or, Latest)):
        return e.items
    if isinstance(e, AddYears):
        return (e.item, e.years)
    if isinstance(e, (Not, IsKnown, IsTrue, AddDays, Presumed, IsIn)):
        return (e.item,)
    if isinstance(e, (Cmp, Arith)):
        return (e.left, e.right)
    if isinstance(e, Contains):
        return (e.items, e.item)
    if isinstance(e, (Decide, FirstTrue)):
        return tuple(x for pair in e.branches for x in pair) + (e.otherwise,)
    if isinstance(e, Exclusive):
        return tuple(c for _, c in e.branches)
    if isinstance(e, Readings):
        return (e.item,)
    return ()


def describe(e: Expr) -> str:
    """A short readable rendering of an expression, for explanations and notes."""
    if isinstance(e, Fact):
        return e.name
    if isinstance(e, Param):
        return e.name
    if isinstance(e, Const):
        return e.value.isoformat() if isinstance(e.value, date) else repr(e.value)
    if isinstance(e, Cmp):
        return f"{describe(e.left)} {e.op} {describe(e.right)}"
    if isinstance(e, Not):
        return f"not ({describe(e.item)})"
    if isinstance(e, (And, Or)):
        word = " and " if isinstance(e, And) else " or "
        return "(" + word.join(describe(i) for i in e.items) + ")"
    if isinstance(e, AddYears):
        return f"{describe(e.item)} + {describe(e.years)} years"
    if isinstance(e, IsIn):
        return f"{describe(e.item)} in {list(e.values)}"
    name = getattr(e, "id", None)
    return name if name else type(e).__name__


@dataclass(frozen=True, eq=False, slots=True)
class Readings(Expr):
    """An expression read under every reading of the contested parameters it uses (authorities that
    disagree). mode "agreed": its value where all readings agree, unknown where they differ.
    mode "disputed": True where the readings give different known values (the case turns on the dispute)."""

    item: Expr
    mode: str


def agreed(e: Any) -> Readings:
    return Readings(lift(e), "agreed")


def disputed(e: Any) -> Readings:
    return Readings(lift(e), "disputed")


def contested_param_names(e: Expr) -> list[str]:
    """Parameters read directly (not through other rules) by an expression."""
    found, stack = [], [e]
    while stack:
        node = stack.pop()
        if isinstance(node, Param) and node.name not in found:
            found.append(node.name)
        if not hasattr(node, "citation"):  # stop at rules
            stack.extend(children(node))
    return sorted(found)
