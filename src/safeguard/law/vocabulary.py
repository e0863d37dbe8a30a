"""How rules name their inputs: `F.birth_place` is the fact, `param("territories.cnmi_becomes_us")` the
parameter. Both are checked against the vocabulary and the parameter files when a rule is declared,
so a misspelt name fails at import, not silently at run time."""

from __future__ import annotations

from safeguard.engine.expr import Expr, Fact, Param
from safeguard.engine.params import get_param
from safeguard.facts.schema import fact_specs

US_TERRITORIES_IN_US = ("PR", "GU", "VI", "MP")   # part of the "United States" for birth, from their dates
# INA 101(a)(29): American Samoa and Swains Island, the only outlying possessions (8 FAM 302.5-1(a)). ISO 3166
# counts Swains Island in AS, so a Swains birth is entered as AS.
OUTLYING_POSSESSIONS = ("AS",)
# ISO 3166 UM, the U.S. Minor Outlying Islands (Baker, Howland, Jarvis, Johnston, Kingman, Midway, Navassa, Palmyra,
# Wake): U.S. territory, yet neither part of the "United States" (INA 101(a)(38)) nor an outlying possession
# (INA 101(a)(29)). The law of a birth there is not encoded (coverage table); for the statutes' birth-abroad
# routes through a parent ("born outside the United States and its outlying possessions") it is a birth abroad.
MINOR_OUTLYING_ISLANDS = ("UM",)
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
