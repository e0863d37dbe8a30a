"""Which parts of an unknown rule could still change its value: the edges from a node to its children.

A fact is worth asking only if answering it could change a result. Reading that off the rules: an
unknown result is *open*; inside an open expression, a child is open when it is itself unknown and
the node could still take its value from it. For Kleene `and`/`or`, comparisons, arithmetic and dates
that is every unknown child (an `and` that is unknown has no false child, an `or` none true). For a
decision list (`decide`, `first_true`) a branch counts only while it can still be chosen: its
condition while no earlier condition is true, its value while, besides, its own condition is not false.
`known()`, `established()` and a presumption are never unknown, so nothing below them is open: a
presumed fact is listed among the presumptions, not asked.

Both engines follow these edges (the scalar walk for one case, the columnar masks for a batch), so
they name the same facts. A guard is ("not_true", cond) or ("not_false", cond).
"""

from __future__ import annotations

from collections.abc import Iterator

from safeguard.engine import expr as X

Guard = tuple[str, X.Expr]

_OPAQUE = (X.IsKnown, X.IsTrue, X.Presumed, X.Const, X.Param, X.Fact)


def edges(node: X.Expr) -> Iterator[tuple[X.Expr, tuple[Guard, ...]]]:
    """The children through which an unknown `node` could still change, each with the guards under which
    it can (besides being unknown itself). Rules referenced are leaves here: their own expression is
    walked from the rule."""
    if isinstance(node, _OPAQUE) or hasattr(node, "citation"):
        return
    if isinstance(node, (X.Decide, X.FirstTrue)):
        earlier: tuple[Guard, ...] = ()
        for cond, value in node.branches:
            yield cond, earlier
            yield value, earlier + (("not_false", cond),)
            earlier = earlier + (("not_true", cond),)
        yield node.otherwise, earlier
        return
    for child in X.children(node):
        yield child, ()

