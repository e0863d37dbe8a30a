"""How rules name their inputs: `F.birth_place` is the fact, `param("territories.cnmi_becomes_us")` the
parameter. Both are checked against the vocabulary and the parameter files when a rule is declared,
so a misspelt name fails at import, not silently at run time."""

from __future__ import annotations

from safeguard.engine.expr import Expr, Fact, Param
from safeguard.engine.params import get_param
from safeguard.facts.schema import fact_specs

US_TERRITORIES_IN_US = ("PR", "GU", "VI", "MP")   # part of the "United States" for birth, from their dates
OUTLYING_POSSESSIONS = ("AS", "UM")              # INA 101(a)(29): American Samoa, Swains Island
US_PLACES = ("US",) + US_TERRITORIES_IN_US + OUTLYING_POSSESSIONS + ("PZ",)


class _Facts:
    def __getattr__(self, name: str) -> Fact:
        if name != "as_of" and name not in fact_specs():
            raise AttributeError(f"no fact named {name!r} in facts.yaml")
        return Fact(name)

    def parent(self, parent: str, name: str) -> Fact:
        return getattr(self, f"{parent}_{name}")


F = _Facts()


def param(name: str) -> Param:
    get_param(name)  # raises on an unknown name
    return Param(name)


def on_birthday(day: Expr, age_param: str) -> Expr:
    """The date a parameter's number of years after `day` (e.g. a parent's 14th birthday)."""
    return day.plus_years(param(age_param))


def birthday(age_param: str) -> Expr:
    """The day the person reaches the age a parameter gives ("under 18 on d" is d < birthday(...))."""
    return on_birthday(F.birth_date, age_param)
