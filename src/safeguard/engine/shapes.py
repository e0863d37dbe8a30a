"""Structural keys of rule expressions: two nodes built apart with the same structure share a key.

The law's files build the same sub-expression in several places (a route's conditions read by its outcome,
its `since` and a contested reading of it). Both engines compute such a sub-expression once: the columnar
one as a column of its own, the compiled scalar one kept for the rest of the rule's evaluation.
"""

from __future__ import annotations

from typing import Any

from safeguard.engine import expr as X
from safeguard.engine.rules import Rule


class Shapes:
    """Structural keys of expression nodes (two nodes built apart with the same structure share a key), the
    contested parameters each reads, and which nodes are too small to be worth a column of their own."""

    def __init__(self, params: dict):
        self.params = params
        self._keys: dict[int, tuple] = {}
        self._contested: dict[int, tuple[str, ...]] = {}
        self._sizes: dict[int, int] = {}

    def trivial(self, e: X.Expr) -> bool:
        return isinstance(e, (X.Fact, X.Const, X.Param, Rule)) or self.size(e) < 4

    def size(self, e: X.Expr) -> int:
        if isinstance(e, Rule):
            return 1
        n = self._sizes.get(id(e))
        if n is None:
            n = self._sizes[id(e)] = 1 + sum(self.size(c) for c in X.children(e))
        return n

    def key(self, e: X.Expr, readings: dict[str, str]) -> tuple:
        """The node's structure, with the reading of each contested parameter it reads."""
        chosen = tuple((p, readings.get(p) or self.params[p].default_reading) for p in self.contested(e))
        return (self.shape(e), chosen)

    def contested(self, e: X.Expr) -> tuple[str, ...]:
        if isinstance(e, Rule):
            return ()
        found = self._contested.get(id(e))
        if found is None:
            names = {e.name} if isinstance(e, X.Param) and self.params[e.name].readings else set()
            for c in X.children(e):
                names.update(self.contested(c))
            found = self._contested[id(e)] = tuple(sorted(names))
        return found

    def shape(self, e: X.Expr) -> tuple:
        found = self._keys.get(id(e))
        if found is None:
            found = self._keys[id(e)] = self._shape(e)
        return found

    def _shape(self, e: X.Expr) -> tuple:
        kind = type(e).__name__
        if isinstance(e, Rule):
            return (kind, e.id)
        if isinstance(e, (X.Fact, X.Param)):
            return (kind, e.name)
        if isinstance(e, X.Const):
            return (kind, _value_key(e.value))
        if isinstance(e, (X.Cmp, X.Arith)):
            return (kind, e.op, self.shape(e.left), self.shape(e.right))
        if isinstance(e, X.IsIn):
            return (kind, self.shape(e.item), tuple(_value_key(v) for v in e.values))
        if isinstance(e, X.AddDays):
            return (kind, self.shape(e.item), e.days)
        if isinstance(e, X.Presumed):
            return (kind, self.shape(e.item), _value_key(e.value))
        if isinstance(e, X.Readings):
            return (kind, e.mode, self.shape(e.item))
        if isinstance(e, X.Exclusive):
            return (kind, tuple((label, self.shape(c)) for label, c in e.branches))
        if isinstance(e, (X.Decide, X.FirstTrue)):
            return (kind, tuple((self.shape(c), self.shape(v)) for c, v in e.branches), self.shape(e.otherwise))
        return (kind, tuple(self.shape(c) for c in X.children(e)))


def _value_key(v: Any) -> tuple:
    """A constant as a key: its type too (True and 1 are different constants)."""
    return (type(v).__name__, tuple(_value_key(x) for x in v) if isinstance(v, (list, tuple)) else v)
