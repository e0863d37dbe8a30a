"""Columnar evaluation: the same rule trees compiled to Polars expressions, for many rows at once.

Polars' boolean operators already follow Kleene logic with null as unknown, which is the rule
language's semantics; the nodes where Polars differs (a `when` whose condition is null, `is_in`
on null, the horizontal maximum that skips nulls) are compiled explicitly below.

Rules are computed in layers, each rule once, into columns named `r.<rule id>`; a rule that reads
another reads its column. Errors from exclusive groups go to the column `engine_error`.

A sub-expression written out in several places (a route's conditions read by its outcome, its `since`
and a contested reading of it; a helper the law files share) is computed once, into a column of its own
(`s.<n>`), and read from there: the same values, and a query plan a fraction of the size (Polars plans
every node of the query each time it runs, so an inlined plan cost most of a batch's time on small
frames). Two nodes are the same when they have the same structure and read the same readings of the
contested parameters in them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import polars as pl

from safeguard.engine import expr as X
from safeguard.engine.folding import Folder
from safeguard.engine.params import load_params
from safeguard.engine.rules import Rule, closure
from safeguard.engine.scalar import branch_name, exclusive_conflict, exclusive_gap, reading_combinations
from safeguard.engine.shapes import Shapes

ERROR_COLUMN = "engine_error"


def rule_column(rule_id: str) -> str:
    return f"r.{rule_id}"


class _Compiler:
    def __init__(self, readings: dict[str, str]):
        self.params = load_params()
        self.readings = readings
        self.checks: list[pl.Expr] = []
        # Every column the plan computes besides the input facts, in the order they are defined (each after
        # the columns it reads): date offsets, shared sub-expressions, rules.
        self.columns: list[pl.Expr] = []
        # Date offsets of input facts (a birth date + 18 years, ...), each computed once as its own column:
        # many rules read the same birthday, and an offset costs a calendar computation per row.
        self.offsets: dict[str, pl.Expr] = {}
        self.shapes = Shapes(self.params)
        self.counts: dict[tuple, int] = {}
        self.shared: dict[tuple, str] = {}

    def __call__(self, e: X.Expr) -> pl.Expr:
        if self.shapes.trivial(e):
            return _DISPATCH[type(e)](e, self)
        key = self.shapes.key(e, self.readings)
        name = self.shared.get(key)
        if name is not None:
            return pl.col(name)
        out = _DISPATCH[type(e)](e, self)
        if self.counts.get(key, 0) > 1:
            name = self.shared[key] = f"s.{len(self.shared)}"
            self.columns.append(out.alias(name))
            return pl.col(name)
        return out

    def count(self, e: X.Expr) -> None:
        """Count how often each sub-expression is written out (what `__call__` will meet), a node's inside
        only the first time: what is met twice becomes a column of its own."""
        if isinstance(e, Rule) or self.shapes.trivial(e):
            return
        key = self.shapes.key(e, self.readings)
        self.counts[key] = self.counts.get(key, 0) + 1
        if self.counts[key] > 1:
            return
        if isinstance(e, X.Readings):
            saved = self.readings
            for combo in reading_combinations(e, self.params):
                self.readings = {**saved, **combo}
                self.count(e.item)
            self.readings = saved
            return
        for child in X.children(e):
            self.count(child)

    def offset(self, name: str, expr: pl.Expr) -> pl.Expr:
        if name not in self.offsets:
            self.offsets[name] = expr.alias(name)
            self.columns.append(self.offsets[name])
        return pl.col(name)


def _null() -> pl.Expr:
    return pl.lit(None)


def _param(e: X.Param, c: _Compiler) -> pl.Expr:
    p = c.params[e.name]
    if p.readings:
        return pl.lit(p.at(None, c.readings.get(e.name)))
    fixed = [v for v in p.versions if v.effective is None]
    dated = sorted((v for v in p.versions if v.effective is not None), key=lambda v: v.effective)
    out: Any = pl.lit(fixed[-1].value) if fixed else _null()
    for v in dated:  # later versions override earlier ones from their effective date on
        out = pl.when(pl.col("as_of") >= pl.lit(v.effective)).then(pl.lit(v.value)).otherwise(out)
    return out


def _guard(value: pl.Expr, *inputs: pl.Expr) -> pl.Expr:
    """`value`, but unknown whenever any of `inputs` is unknown."""
    cond = inputs[0].is_null()
    for i in inputs[1:]:
        cond = cond | i.is_null()
    return pl.when(cond).then(_null()).otherwise(value)


def _boolean(e: X.Expr, c: _Compiler) -> pl.Expr:
    """An item of and/or: an unknown constant (left by engine/folding.py) as a boolean null, so that Polars'
    rewrites of the expression (not (a and b) into (not a) or (not b)) never negate an untyped null."""
    return pl.lit(None, pl.Boolean) if isinstance(e, X.Const) and e.value is None else c(e)


def _and(e: X.And, c: _Compiler) -> pl.Expr:
    out = _boolean(e.items[0], c)
    for item in e.items[1:]:
        out = out & _boolean(item, c)
    return out


def _or(e: X.Or, c: _Compiler) -> pl.Expr:
    out = _boolean(e.items[0], c)
    for item in e.items[1:]:
        out = out | _boolean(item, c)
    return out


def _binary(e: X.Cmp | X.Arith, c: _Compiler) -> pl.Expr:
    """Polars propagates null through comparisons and arithmetic, as the rule language does."""
    return X.OPERATORS[e.op](c(e.left), c(e.right))


def _is_in(e: X.IsIn, c: _Compiler) -> pl.Expr:
    v = c(e.item)
    return _guard(v.is_in(pl.lit(list(e.values))), v)


def _contains(e: X.Contains, c: _Compiler) -> pl.Expr:
    items, item = c(e.items), c(e.item)
    return _guard(items.list.contains(item), items, item)


def _fixed_value(e: X.Expr, c: _Compiler) -> Any:
    """The value of a constant, or of a parameter that does not vary with as_of (None otherwise)."""
    if isinstance(e, X.Const):
        return e.value
    if isinstance(e, X.Param):
        p = c.params[e.name]
        if p.readings:
            return p.at(None, c.readings.get(e.name))
        if all(v.effective is None for v in p.versions):
            return p.versions[-1].value
    return None


def _add_years(e: X.AddYears, c: _Compiler) -> pl.Expr:
    years = _fixed_value(e.years, c)
    if years is not None and isinstance(e.item, X.Fact):
        name = f"o.{e.item.name}+{int(years)}y"
        return c.offset(name, pl.col(e.item.name).dt.offset_by(f"{int(years)}y"))
    if years is not None:
        return c(e.item).dt.offset_by(f"{int(years)}y")
    return c(e.item).dt.offset_by(pl.format("{}y", c(e.years).cast(pl.Int64)))


def _latest(e: X.Latest, c: _Compiler) -> pl.Expr:
    items = [c(i) for i in e.items]
    return _guard(pl.max_horizontal(items), *items)


def _decide(e: X.Decide, c: _Compiler) -> pl.Expr:
    out: Any = pl
    for cond, value in e.branches:
        cc = c(cond)
        out = out.when(cc.is_null()).then(_null()).when(cc).then(c(value))
    return out.otherwise(c(e.otherwise))


def _first_true(e: X.FirstTrue, c: _Compiler) -> pl.Expr:
    out: Any = pl
    for cond, value in e.branches:
        out = out.when(c(cond)).then(c(value))
    return out.otherwise(c(e.otherwise))


def _exclusive(e: X.Exclusive, c: _Compiler) -> pl.Expr:
    conds = [c(cond) for _, cond in e.branches]
    names = [branch_name(label, cond) for label, cond in e.branches]
    held = pl.sum_horizontal([x.fill_null(False).cast(pl.UInt8) for x in conds])
    unknown = pl.any_horizontal([x.is_null() for x in conds])
    conflict = pl.concat_str(
        [pl.when(x.fill_null(False)).then(pl.lit(n)) for x, n in zip(conds, names)],
        separator=", ", ignore_nulls=True,
    )
    c.checks.append(
        pl.when(held > 1).then(pl.lit(exclusive_conflict([])) + conflict)
        .when((held == 0) & ~unknown).then(pl.lit(exclusive_gap(names)))
    )
    out: Any = pl.when(held != 1).then(_null())
    for (label, _), x in zip(e.branches, conds):
        out = out.when(x).then(pl.lit(label))
    return out.otherwise(_null())


def _readings(e: X.Readings, c: _Compiler) -> pl.Expr:
    saved = c.readings
    values = []
    for combo in reading_combinations(e, c.params):
        c.readings = {**saved, **combo}
        values.append(c(e.item))
    c.readings = saved
    if e.mode == "disputed":
        differs = pl.lit(False)
        for v in values[1:]:
            differs = differs | (v != values[0])
        return differs
    same = pl.lit(True)
    for v in values[1:]:
        same = same & (v == values[0])
    return pl.when(same).then(values[0]).otherwise(_null())


_DISPATCH: dict[type, Callable[[Any, _Compiler], pl.Expr]] = {
    X.Fact: lambda e, c: pl.col(e.name),
    X.Const: lambda e, c: pl.lit(e.value),
    X.Param: _param,
    X.And: _and,
    X.Or: _or,
    X.Not: lambda e, c: ~c(e.item),
    X.Cmp: _binary,
    X.Arith: _binary,
    X.IsIn: _is_in,
    X.Contains: _contains,
    X.IsKnown: lambda e, c: c(e.item).is_not_null(),
    X.IsTrue: lambda e, c: c(e.item).fill_null(False),
    X.AddYears: _add_years,
    X.AddDays: lambda e, c: c(e.item) + pl.duration(days=e.days),
    X.Latest: _latest,
    X.Decide: _decide,
    X.FirstTrue: _first_true,
    X.Exclusive: _exclusive,
    X.Presumed: lambda e, c: c(e.item).fill_null(pl.lit(e.value)),
    X.Readings: _readings,
    Rule: lambda e, c: pl.col(rule_column(e.id)),
}


class ColumnarEngine:
    """Compiles the roots and everything they read into layers of Polars column expressions. With
    `unknown`, the rules are first folded for those facts, unknown in every row of the frames it runs on
    (engine/folding.py, `for_frame`), and each rule column is cast to the type the unfolded engine gives it
    (`dtypes`), so that chunks folded differently concatenate."""

    SPECIALISED_KEPT = 32  # folded engines kept per engine, one per set of facts a frame leaves empty

    def __init__(self, roots: list[Rule], readings: dict[str, str] | None = None,
                 unknown: frozenset[str] = frozenset(), dtypes: dict[str, pl.DataType] | None = None):
        self.roots, self.readings, self.unknown = roots, readings, unknown
        self.order = closure(roots)
        exprs: dict[str, X.Expr] = {r.id: r.expr for r in self.order}
        if unknown:
            self._folder = Folder(unknown)  # kept: the compiled plan was built from its nodes
            exprs = self._folder.fold_rules(self.order)
        compiler = _Compiler(readings or {})
        for r in self.order:
            compiler.count(exprs[r.id])
        for r in self.order:
            column = compiler(exprs[r.id])
            if dtypes is not None:
                column = column.cast(dtypes[rule_column(r.id)])
            compiler.columns.append(column.alias(rule_column(r.id)))
        self.layers = _layers(compiler.columns)
        self.shared = [*compiler.shared.values(), *compiler.offsets]  # working columns, dropped from the output
        checks = compiler.checks
        self.error = (
            pl.concat_str(checks, separator="; ", ignore_nulls=True) if checks else pl.lit(None, pl.Utf8)
        )
        self.facts = sorted({f for r in self.order for f in r.facts} - {"as_of"})
        self._specialised: dict[frozenset[str], ColumnarEngine] = {}
        self._seen: dict[frozenset[str], int] = {}
        self._lock = threading.Lock()
        self._dtypes = dtypes

    def run(self, lf: pl.LazyFrame) -> pl.LazyFrame:
        """Add a column per rule (`r.<id>`) and the `engine_error` column."""
        for layer in self.layers:
            lf = lf.with_columns(layer)
        ruled = [rule_column(r.id) for r in self.order]
        return lf.select(  # the rules in their order, whatever the layers (a folded plan has other layers)
            pl.all().exclude([*ruled, *self.shared]), *ruled,
            pl.when(self.error == "").then(None).otherwise(self.error).alias(ERROR_COLUMN))

    def run_frame(self, frame: pl.DataFrame) -> pl.LazyFrame:
        """`run` on a frame, by the engine folded for the facts it leaves unknown in every row."""
        return self.for_frame(frame).run(frame.lazy())

    def for_frame(self, frame: pl.DataFrame) -> ColumnarEngine:
        """This engine folded for the facts `frame` leaves unknown in every row: the same values from a
        smaller plan (Polars plans every node each time a query runs, ~0.2 s for the whole law). Built the
        second time frames leave the same facts unknown (building costs about what one query saves), then
        kept."""
        if self.unknown or frame.height == 0:
            return self
        present = [f for f in self.facts if f in frame.columns]
        counts = frame.select(present).null_count().row(0) if present else ()
        unknown = frozenset(f for f, n in zip(present, counts) if n == frame.height)
        if not unknown:
            return self
        with self._lock:  # a batch screens two chunks at once, in two threads
            found = self._specialised.get(unknown)
            if found is None:
                if len(self._seen) > 4096:  # a manifest of ever new patterns: count afresh
                    self._seen.clear()
                self._seen[unknown] = seen = self._seen.get(unknown, 0) + 1
                if seen < 2:
                    return self
                if len(self._specialised) >= self.SPECIALISED_KEPT:
                    self._specialised.pop(next(iter(self._specialised)))
                found = self._specialised[unknown] = ColumnarEngine(self.roots, self.readings, unknown,
                                                                    self.dtypes())
        return found

    def dtypes(self) -> dict[str, pl.DataType]:
        """The type of every rule column, as the unfolded engine gives it for the batch's typed facts."""
        if self._dtypes is None:
            from safeguard.facts.frame import engine_columns

            empty = pl.DataFrame(schema=engine_columns())
            schema = self.run(empty.lazy()).collect_schema()
            self._dtypes = {rule_column(r.id): schema[rule_column(r.id)] for r in self.order}
        return self._dtypes


def _layers(columns: list[pl.Expr]) -> list[list[pl.Expr]]:
    """The columns grouped into layers, each column one layer above the deepest column it reads (the input
    facts are below the first layer); `columns` come each after what it reads."""
    level: dict[str, int] = {}
    layers: list[list[pl.Expr]] = []
    for col in columns:
        d = 1 + max((level[n] for n in col.meta.root_names() if n in level), default=-1)
        level[col.meta.output_name()] = d
        while len(layers) <= d:
            layers.append([])
        layers[d].append(col)
    return layers
