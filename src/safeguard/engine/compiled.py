"""Rules compiled once to Python functions: the scalar engine's fast path for one case.

Each rule's expression is turned into the source of one Python function, with the same three-valued
semantics as the reference evaluation in `scalar.py` (`_eval`, one dispatch per node), the same order of
evaluation and the same short-circuits (so a rule raises the same errors): an And stops at its first
False, an Or at its first True, a comparison whose left side is unknown does not read its right side.
The case-file test checks the two give the same value for every rule of every case.

The generated module holds only source-level constants, so its code object can be kept on disk
(rule_cache.py) and loaded by the next process instead of compiled again.

A compiled rule is called as `fn(F, V, P, A, E)`: F the case's facts, V the values of the rules it reads,
P the parameter values (`ParamValues`) at the date the law is taken at, A that date, E the list of
errors to add to.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from types import CodeType
from typing import Any

from safeguard.engine import expr as X
from safeguard.engine.params import Parameter
from safeguard.engine.rule_cache import cached_code
from safeguard.engine.rules import REGISTRY, Rule
from safeguard.engine.shapes import Shapes

CompiledRule = Callable[[dict[str, Any], dict[str, Any], "ParamValues", date, list[str]], Any]


class ParamValues(dict):
    """Every parameter's value on one date under one set of readings (name -> value); `under(combos)` gives
    the same with each combination of readings of a `Readings` node laid over it."""

    def __init__(self, params: dict[str, Parameter], as_of: date, readings: dict[str, str]):
        super().__init__((name, p.at(as_of, readings.get(name))) for name, p in params.items())
        self.params, self.as_of, self.readings = params, as_of, readings
        self._under: dict[tuple[tuple[tuple[str, str], ...], ...], list[ParamValues]] = {}

    def under(self, combos: tuple[tuple[tuple[str, str], ...], ...]) -> list[ParamValues]:
        found = self._under.get(combos)
        if found is None:
            found = self._under[combos] = [ParamValues(self.params, self.as_of, {**self.readings, **dict(c)})
                                           for c in combos]
        return found


def _latest(values: tuple[Any, ...]) -> Any:
    return None if any(v is None for v in values) else max(values)


def _agreed(values: list[Any]) -> Any:
    return values[0] if all(v == values[0] for v in values) else None


def _disputed(values: list[Any]) -> Any:
    return None if any(v is None for v in values) else len(set(values)) > 1


def _exclusive(errors: list[str], labels: tuple[str, ...], names: tuple[str, ...], held: tuple[Any, ...]) -> Any:
    """As scalar.py's `_exclusive` (not tracing): the label of the one branch that holds, else None, and an
    error naming the branches when two hold or none can."""
    from safeguard.engine.scalar import exclusive_conflict, exclusive_gap

    holding = [i for i, c in enumerate(held) if c is True]
    if len(holding) > 1:
        errors.append(exclusive_conflict([names[i] for i in holding]))
        return None
    if holding:
        return labels[holding[0]]
    if not any(c is None for c in held):
        errors.append(exclusive_gap(list(names)))
    return None


HELPERS = {"_latest": _latest, "_agreed": _agreed, "_disputed": _disputed, "_exclusive": _exclusive,
           "date": date, "timedelta": timedelta, "_UNSET": object()}
MEMO_SIZE = 4  # nodes a sub-expression of a Readings item has at least, to be kept for the other readings
_INLINE = (str, bool, int, float, type(None))


def literal(value: Any) -> str:
    """Python source that evaluates to `value` (the compiled module carries no objects, only its source's
    constants, so that it can be kept on disk)."""
    if isinstance(value, _INLINE):
        return repr(value)
    if type(value) is date:
        return f"date({value.year}, {value.month}, {value.day})"
    if type(value) is timedelta:
        return f"timedelta({value.days})"
    if type(value) is tuple:
        return "(" + "".join(literal(v) + ", " for v in value) + ")"
    raise TypeError(f"a rule uses a value the compiled rules cannot write down: {value!r}")


class _Source:
    """The source of one module of compiled functions: its constants, then one function per rule."""

    def __init__(self, combos: Callable[[X.Readings], list[dict[str, str]]]):
        self.combos = combos
        self.constants: dict[str, str] = {}  # source -> name
        self.functions: list[str] = []
        self._temps = 0
        # Inside the item of a `Readings` node: the contested parameters it is read under (None outside).
        self._contested: frozenset[str] | None = None
        self._memos = 0
        self._readings_fns = 0
        self._reads: dict[int, tuple[frozenset[str], bool, int]] = {}
        self.shapes = Shapes({})  # structural keys only (no parameter is looked up)
        self._shared: set[tuple] = set()  # in the function being written: the sub-expressions kept in S
        self._kept: dict[tuple, int] = {}
        self._uses_s = False

    def ref(self, value: Any) -> str:
        """A name for a constant (numbers, strings, True/False/None written in place)."""
        if isinstance(value, _INLINE):
            return repr(value)
        text = literal(value)
        return self.constants.setdefault(text, f"K{len(self.constants)}")

    def temp(self) -> str:
        self._temps += 1
        return f"t{self._temps}"

    def function(self, name: str, e: X.Expr, args: str = "F, V, P, A, E") -> str:
        self._temps = 0
        saved = self._shared, self._kept, self._uses_s
        self._shared, self._kept, self._uses_s = self._count(e), {}, False
        try:
            body = self.expr(e)
            head = "    S = {}\n" if self._uses_s else ""
        finally:
            self._shared, self._kept, self._uses_s = saved
        self.functions.append(f"def {name}({args}):\n{head}    return {body}\n")
        return name

    def _count(self, e: X.Expr) -> set[tuple]:
        """The sub-expressions of one function written out more than once (by structure: engine/shapes.py),
        sizeable and pure (no exclusive, which reports errors, no Readings, which is a function of its own):
        each is computed at its first use and kept in S for the rest of the call."""
        counts: dict[tuple, int] = {}
        stack = [e]
        while stack:
            node = stack.pop()
            if isinstance(node, (Rule, X.Readings)):
                continue
            if self._pure(node):
                key = self.shapes.shape(node)
                counts[key] = counts.get(key, 0) + 1
                if counts[key] > 1:
                    continue  # its inside is computed once, with it
            stack.extend(X.children(node))
        return {k for k, n in counts.items() if n > 1}

    def _pure(self, e: X.Expr) -> bool:
        _, must_run, size = self._params_read(e)
        return size >= MEMO_SIZE and not must_run

    def _params_read(self, e: X.Expr) -> tuple[frozenset[str], bool, int]:
        """The parameters a sub-expression reads (not through other rules), whether it holds a node that
        must run each time (an exclusive, which reports errors, or a nested Readings), and its size."""
        key = id(e)
        if key not in self._reads:
            if isinstance(e, X.Param):
                found = (frozenset((e.name,)), False, 1)
            elif isinstance(e, Rule):
                found = (frozenset(), False, 1)
            else:
                parts = [self._params_read(c) for c in X.children(e)]
                found = (frozenset().union(*(p[0] for p in parts)),
                         isinstance(e, (X.Exclusive, X.Readings)) or any(p[1] for p in parts),
                         1 + sum(p[2] for p in parts))
            self._reads[key] = found
        return self._reads[key]

    def expr(self, e: X.Expr) -> str:
        """The source of a node. Inside a Readings item, a sizeable sub-expression that reads none of the
        contested parameters has the same value under every reading: it is computed at its first use
        and kept in M (one dict per evaluation of the Readings node) for the other readings."""
        contested = self._contested
        if contested is not None:
            params, must_run, size = self._params_read(e)
            if size >= MEMO_SIZE and not must_run and contested.isdisjoint(params):
                self._contested = None  # inside, nothing more to keep
                try:
                    inner = self._node(e)
                finally:
                    self._contested = contested
                self._memos += 1
                m = self.temp()
                return (f"({m} if ({m} := M.get({self._memos}, _UNSET)) is not _UNSET "
                        f"else M.setdefault({self._memos}, {inner}))")
        if self._shared and self._pure(e) and (key := self.shapes.shape(e)) in self._shared:
            slot = self._kept.setdefault(key, len(self._kept))
            self._uses_s = True
            m = self.temp()
            return f"({m} if ({m} := S.get({slot}, _UNSET)) is not _UNSET else S.setdefault({slot}, {self._node(e)}))"
        return self._node(e)

    def module(self) -> str:
        consts = "".join(f"{name} = {text}\n" for text, name in self.constants.items())
        return consts + "\n" + "\n".join(self.functions)

    def _known_then(self, e: X.Expr, then: Callable[[str], str], bare: bool = False) -> str:
        """Unknown when `e` is unknown, else `then` of its value (`bare`: without the outer brackets)."""
        t = self.temp()
        text = f"({t} := {self.expr(e)}) is None else {then(t)}"
        return text if bare else f"(None if {text})"

    def _both_known(self, x: X.Expr, y: X.Expr, then: Callable[[str, str], str]) -> str:
        """Both evaluated, in order; unknown when either is unknown, else `then` of their values."""
        a, b = self.temp(), self.temp()
        both = f"(({a} := {self.expr(x)}), ({b} := {self.expr(y)}))"
        return f"(None if {both} and ({a} is None or {b} is None) else {then(a, b)})"

    def _known(self, e: X.Expr) -> str | None:
        """The source of a constant that is never unknown (its None check can go), else None."""
        return self.ref(e.value) if isinstance(e, X.Const) and e.value is not None else None

    def _node(self, e: X.Expr) -> str:  # noqa: PLR0911, PLR0912 - one branch per kind of node
        if isinstance(e, Rule):
            return f"V[{e.id!r}]"
        if isinstance(e, X.Fact):
            return "A" if e.name == "as_of" else f"F.get({e.name!r})"
        if isinstance(e, X.Const):
            return self.ref(e.value)
        if isinstance(e, X.Param):
            return f"P[{e.name!r}]"
        if isinstance(e, (X.And, X.Or)):
            stop, otherwise = ("False", "True") if isinstance(e, X.And) else ("True", "False")
            temps = [self.temp() for _ in e.items]
            tried = " or ".join(f"({t} := {self.expr(i)}) is {stop}" for t, i in zip(temps, e.items))
            unknown = " or ".join(f"{t} is None" for t in temps)
            return f"({stop} if {tried} else None if {unknown} else {otherwise})"
        if isinstance(e, X.Not):
            return self._known_then(e.item, lambda t: f"not {t}")
        if isinstance(e, (X.Cmp, X.Arith)):
            left, right = self._known(e.left), self._known(e.right)
            if right is not None:
                return self._known_then(e.left, lambda a: f"{a} {e.op} {right}")
            if left is not None:
                return self._known_then(e.right, lambda b: f"{left} {e.op} {b}")
            return self._known_then(e.left, lambda a: "None if " + self._known_then(
                e.right, lambda b: f"{a} {e.op} {b}", bare=True))
        if isinstance(e, X.IsIn):
            return self._known_then(e.item, lambda t: f"{t} in {self.ref(tuple(e.values))}")
        if isinstance(e, X.Contains):
            return self._both_known(e.items, e.item, lambda a, b: f"{b} in {a}")
        if isinstance(e, X.IsKnown):
            return f"({self.expr(e.item)} is not None)"
        if isinstance(e, X.IsTrue):
            return f"({self.expr(e.item)} is True)"
        if isinstance(e, X.AddYears):
            if self._known(e.years) is not None and isinstance(e.years.value, (int, float)):  # type: ignore[attr-defined]
                years = int(e.years.value)  # type: ignore[attr-defined]
                return self._known_then(e.item, lambda d: f"add_years({d}, {years})")
            return self._both_known(e.item, e.years, lambda d, y: f"add_years({d}, int({y}))")
        if isinstance(e, X.AddDays):
            return self._known_then(e.item, lambda t: f"{t} + {self.ref(timedelta(days=e.days))}")
        if isinstance(e, X.Latest):
            return f"_latest(({''.join(self.expr(i) + ', ' for i in e.items)}))"
        if isinstance(e, X.Decide):
            parts = []
            for cond, value in e.branches:
                c = self.temp()
                parts.append(f"None if ({c} := {self.expr(cond)}) is None else {self.expr(value)} if {c} else ")
            return "(" + "".join(parts) + self.expr(e.otherwise) + ")"
        if isinstance(e, X.FirstTrue):
            parts = [f"{self.expr(value)} if {self.expr(cond)} is True else " for cond, value in e.branches]
            return "(" + "".join(parts) + self.expr(e.otherwise) + ")"
        if isinstance(e, X.Exclusive):
            from safeguard.engine.scalar import branch_name

            labels = self.ref(tuple(label for label, _ in e.branches))
            names = self.ref(tuple(branch_name(label, cond) for label, cond in e.branches))
            return f"_exclusive(E, {labels}, {names}, ({''.join(self.expr(c) + ', ' for _, c in e.branches)}))"
        if isinstance(e, X.Presumed):
            t = self.temp()
            return f"({self.ref(e.value)} if ({t} := {self.expr(e.item)}) is None else {t})"
        if isinstance(e, X.Readings):
            combos = self.combos(e)
            saved, outer = self._temps, self._contested
            self._contested = frozenset(name for c in combos for name in c)
            try:
                self._readings_fns += 1  # named before its body is written: a Readings inside it gets its own
                item = self.function(f"readings_{self._readings_fns}", e.item, "F, V, P, A, E, M")
            finally:
                self._temps, self._contested = saved, outer
            written = self.ref(tuple(tuple(sorted(c.items())) for c in combos))
            mode = "_disputed" if e.mode == "disputed" else "_agreed"
            return f"{mode}([{item}(F, V, p, A, E, M) for M in ({{}},) for p in P.under({written})])"
        raise TypeError(f"no compiled form for {type(e).__name__}")


def rules_source(rules: list[Rule], combos: Callable[[X.Readings], list[dict[str, str]]]) -> str:
    """The source of a module defining one function per rule, and RULE_IDS: the rule of each."""
    src = _Source(combos)
    for i, r in enumerate(rules):
        src.function(f"rule_{i}", r.expr)
    return src.module() + f"\nRULE_IDS = {literal(tuple(r.id for r in rules))}\n"


def compile_source(source: str) -> CodeType:
    return compile(source, "<safeguard compiled rules>", "exec")


def load_rules(code: CodeType) -> dict[str, CompiledRule]:
    """The functions of a compiled module (`rules_source`, compiled), by rule id."""
    from safeguard.engine.scalar import add_years

    namespace: dict[str, Any] = {**HELPERS, "add_years": add_years}
    exec(code, namespace)  # noqa: S102 - our own generated source
    return {rid: namespace[f"rule_{i}"] for i, rid in enumerate(namespace["RULE_IDS"])}


_COMPILED: dict[int, tuple[Rule, CompiledRule]] = {}


def compiled_rules(rules: list[Rule], combos: Callable[[X.Readings], list[dict[str, str]]]) -> list[CompiledRule]:
    """The compiled function of each rule. The registered rules (the law) are compiled together, once,
    and kept on disk (rule_cache.py); other rules (a test's) are compiled as they come."""
    new = [r for r in rules if id(r) not in _COMPILED]
    registered = [r for r in new if REGISTRY.get(r.id) is r]
    if registered:
        from safeguard.version import law_digest

        batch = [r for r in REGISTRY.values() if id(r) not in _COMPILED]
        _add(batch, cached_code(law_digest(batch), lambda: compile_source(rules_source(batch, combos))))
    others = [r for r in new if REGISTRY.get(r.id) is not r]
    if others:
        _add(others, compile_source(rules_source(others, combos)))
    return [_COMPILED[id(r)][1] for r in rules]


def _add(rules: list[Rule], code: CodeType) -> None:
    fns = load_rules(code)
    for r in rules:
        _COMPILED[id(r)] = (r, fns[r.id])  # the rule is kept with its function: its id is never reused
