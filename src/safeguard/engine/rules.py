"""Rules: a named expression with its plain-words docstring and its legal citation.

A rule is declared once, with the `rule` decorator:

    @rule(INA_301_A)
    def born_in_the_united_states():
        \"\"\"Born in one of the 50 states or the District of Columbia.\"\"\"
        return Fact("birth_place") == "US"

The function's name is the rule's id, its docstring the plain-words meaning, and the expression
it returns the rule itself. Using a rule inside another rule's expression refers to it, so the
explanation tree shows it as a child. The facts, parameters and rules a rule reads are derived
from its expression, never declared by hand.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from safeguard.engine.expr import Expr, Fact, Param, children, lift


@dataclass(frozen=True)
class Citation:
    """Where a rule comes from: the provision, the pinpoint, and a source a reader can open."""

    provision: str
    pinpoint: str
    url: str

    def __str__(self) -> str:
        return f"{self.provision} ({self.pinpoint})" if self.pinpoint else self.provision

    def as_dict(self) -> dict[str, str]:
        return {"provision": self.provision, "pinpoint": self.pinpoint, "url": self.url}


class Rule(Expr):
    """A named, cited expression. As an expression node it stands for its own value."""

    __slots__ = ("id", "doc", "citation", "expr", "facts", "params", "rules")

    def __init__(self, id: str, doc: str, citation: Citation, expr: Expr):
        if not doc or not doc.strip():
            raise ValueError(f"rule {id} has no docstring")
        if not citation.url:
            raise ValueError(f"rule {id} has no source URL")
        self.id = id
        self.doc = " ".join(doc.split())
        self.citation = citation
        self.expr = expr
        facts: set[str] = set()
        params: set[str] = set()
        rules: dict[str, Rule] = {}
        for node in _walk(expr):
            if isinstance(node, Fact):
                facts.add(node.name)
            elif isinstance(node, Param):
                params.add(node.name)
            elif isinstance(node, Rule):
                rules[node.id] = node
        self.facts = tuple(sorted(facts))
        self.params = tuple(sorted(params))
        self.rules = tuple(rules.values())

    def __repr__(self) -> str:
        return f"Rule({self.id})"


def _walk(e: Expr) -> Iterator[Expr]:
    """Every node of an expression, stopping at references to other rules."""
    stack = [e]
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, Rule):
            stack.extend(children(node))


REGISTRY: dict[str, Rule] = {}


def rule(citation: Citation) -> Callable[[Callable[[], Any]], Rule]:
    """Declare a rule from a function: name = id, docstring = meaning, return value = expression."""

    def register(fn: Callable[[], Any]) -> Rule:
        r = Rule(fn.__name__, fn.__doc__ or "", citation, lift(fn()))
        if r.id in REGISTRY:
            raise ValueError(f"two rules are named {r.id}")
        REGISTRY[r.id] = r
        return r

    return register


def closure(roots: list[Rule]) -> list[Rule]:
    """Every rule the roots depend on, in an order where each rule comes after what it reads."""
    order: list[Rule] = []
    seen: set[str] = set()
    active: set[str] = set()

    def visit(r: Rule) -> None:
        if r.id in seen:
            return
        if r.id in active:
            raise ValueError(f"rule {r.id} depends on itself")
        active.add(r.id)
        for child in r.rules:
            visit(child)
        active.discard(r.id)
        seen.add(r.id)
        order.append(r)

    for root in roots:
        visit(root)
    return order
