"""Coverage by construction: the coverage table's cells as rules.

`COVERAGE_CELLS` expands coverage_table.CELLS (abroad-type spans split by the eras of acquisition at birth
abroad) into concrete cells with dates. `birth_law_not_encoded` is True when the person's place and date of
birth fall in a cell whose law is not encoded (unknown when the place or date is unknown and some possible
value falls in one); status.py concludes `not_citizen` only when it is False.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from safeguard.engine.expr import Const, Expr, any_of, first_true
from safeguard.engine.params import get_param
from safeguard.engine.rules import rule
from safeguard.law.citizenship import coverage_table as T
from safeguard.law.citizenship.derivation import DERIVATION_ROUTES, NATURALIZATION_ROUTES
from safeguard.law.sources import COVERAGE
from safeguard.law.vocabulary import F, param

_CITIZEN_PARENT_POSSIBLE = any_of(F.mother_citizen_at_birth, F.father_citizen_at_birth)

# Conditions under which a cell that has rules is still not encoded (coverage_table `gap`).
GAPS: dict[str, Expr] = {
    "pr_residence_not_shown": ~F.resided_in_us_territory_on_1941_01_13,
    "guam_kept_nationality_citizen_parent": F.kept_foreign_nationality_before_1950_08_01 & _CITIZEN_PARENT_POSSIBLE,
    "citizen_parent_possible": _CITIZEN_PARENT_POSSIBLE,
}

DERIVATION_RULES = tuple(r.id for r, _, _ in DERIVATION_ROUTES)
NATURALIZATION_RULES = tuple(r.id for r, _, _ in NATURALIZATION_ROUTES)


def boundary_date(name: str) -> date:
    """The date a boundary names: a parameter, or `name@reading` for one reading of a contested one."""
    base, _, reading = name.partition("@")
    return get_param(base).at(None, reading or None)


def _boundary_expr(name: str) -> Expr:
    return Const(boundary_date(name)) if "@" in name else param(name)


@dataclass(frozen=True)
class Cell:
    place: str
    start: str | None          # boundary name, inclusive; None: open
    end: str | None            # boundary name, exclusive; None: open
    rules: tuple[str, ...]     # the rules that decide the cell (rule ids)
    law: str | None            # the law not encoded, where some or all of the cell is not encoded
    gap: str | None            # key in GAPS: the cell is not encoded only under that condition
    abroad: bool
    note: str
    label: str                 # the chart's short label
    contested: str | None = None  # the dispute rule: with every other route closed, the cell is contested

    @property
    def not_encoded(self) -> bool:
        return self.law is not None

    @property
    def first_day(self) -> date | None:
        return boundary_date(self.start) if self.start else None

    @property
    def last_day(self) -> date | None:
        return date.fromordinal(boundary_date(self.end).toordinal() - 1) if self.end else None

    def condition(self) -> Expr:
        """True when the person's place and date of birth fall in this cell (and its gap holds, if any)."""
        codes = T.PLACES[self.place][1]
        listed = tuple(c for _, cs in T.PLACES.values() for c in cs)
        cond = F.birth_place.is_in(codes) if codes else ~F.birth_place.is_in(listed)
        if self.start:
            cond = cond & (F.birth_date >= _boundary_expr(self.start))
        if self.end:
            cond = cond & (F.birth_date < _boundary_expr(self.end))
        return cond & GAPS[self.gap] if self.gap else cond


def _clip(start: str | None, end: str | None, a: str | None, b: str | None) -> tuple[str | None, str | None] | None:
    """The intersection of two spans [start, end) and [a, b), or None if empty."""
    lo = max((x for x in (start, a) if x), key=boundary_date, default=None)
    hi = min((x for x in (end, b) if x), key=boundary_date, default=None)
    if lo and hi and boundary_date(lo) >= boundary_date(hi):
        return None
    return lo, hi


def _covenant_rules(start: str | None) -> tuple[str, ...]:
    """The Covenant §301 routes open to anyone born before 1986-11-04, for a cell that starts before then."""
    if start and boundary_date(start) >= boundary_date(T.T_CNMI):
        return ()
    return T.COVENANT_ANYWHERE


def _expand(raw: dict[str, Any]) -> list[Cell]:
    common = dict(place=raw["place"], law=raw.get("law"), gap=raw.get("gap"), note=raw.get("note", ""),
                  contested=raw.get("contested"))
    own, label = tuple(raw["rules"]), raw.get("label", "")
    covenant = _covenant_rules(raw["start"])
    if not raw.get("abroad"):
        return [Cell(start=raw["start"], end=raw["end"], rules=own + covenant + NATURALIZATION_RULES, abroad=False,
                     label=label, **common)]
    cells = []
    for a, b, abroad_label, abroad_rules in T.ABROAD_RULES:
        span = _clip(raw["start"], raw["end"], a, b)
        if span:
            cells.append(Cell(start=span[0], end=span[1], abroad=True,
                              rules=(own + abroad_rules + _covenant_rules(span[0]) + DERIVATION_RULES
                                     + NATURALIZATION_RULES),
                              label="; ".join(x for x in (label, abroad_label) if x), **common))
    return cells


COVERAGE_CELLS: list[Cell] = [c for raw in T.CELLS for c in _expand(raw)]
NOT_ENCODED = [c for c in COVERAGE_CELLS if c.not_encoded]


def cells_for(place: str) -> list[Cell]:
    return [c for c in COVERAGE_CELLS if c.place == place]


@rule(COVERAGE)
def birth_law_not_encoded():
    """The person's place and date of birth fall in a cell of the coverage table whose law is not encoded:
    no rule can close every route, so `not_citizen` may not be concluded (unknown when the place or date is
    unknown and a possible value falls in such a cell)."""
    return any_of(*(c.condition() for c in NOT_ENCODED))


@rule(COVERAGE)
def birth_law_not_encoded_reason():
    """Which law is missing for the person's place and date of birth (coverage table)."""
    generic = ("a fact the law of the birth turns on is unknown (the place or date of birth, or a fact an era's "
               "law needs, such as residence on 1941-01-13), and for some of its possible values the law is not "
               "encoded (coverage table: docs/coverage.md)")
    return first_true(*((c.condition(), "not encoded: " + c.law) for c in NOT_ENCODED),
                      (~birth_law_not_encoded.known(), generic))
