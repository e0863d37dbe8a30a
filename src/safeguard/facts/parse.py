"""Validating one case: raw values in, typed facts out, or an error naming fact, value and expectation.

Two input forms share these rules: JSON/YAML case documents (native types) and text cells from a
CSV manifest (`text=True`: "" is unknown, booleans as true/false, yes/no, 1/0, lists ';'-separated).
The batch engine validates whole columns at once and calls `parse_case` on the rows it rejects, so
every message a user sees comes from this one module.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

import pycountry

from safeguard.facts.consistency import contradictions
from safeguard.facts.presence import derive_presence
from safeguard.facts.schema import PARENTS, FactSpec, fact_specs

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
NO_COUNTRIES = "none"  # in CSV, an explicit empty list (an empty cell is unknown)
TRUE_WORDS = {"true": True, "yes": True, "1": True, "y": True, "false": False, "no": False, "0": False, "n": False}

# Person's own events, which cannot come before the person's birth.
OWN_EVENTS = ("lpr_date", "naturalization_date", "denaturalization_date", "expatriation_date", "adoption_date",
              "us_presence_began_date", "removal_order_date", "notice_served_date", "paternity_established_date")


class InputError(ValueError):
    """A bad input value: which fact, what value, what was expected."""

    def __init__(self, fact: str, value: Any, expected: str):
        self.fact, self.value, self.expected = fact, value, expected
        super().__init__(f"{fact} = {_show(value)}: expected {expected}")


class InputErrors(ValueError):
    def __init__(self, errors: list[InputError]):
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))


def _show(value: Any) -> str:
    if isinstance(value, date):
        return f"'{value.isoformat()}'"
    return f"'{value}'" if isinstance(value, str) else repr(value)


@lru_cache(maxsize=1)
def country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes (pycountry), plus PZ (former Canal Zone) and XK (Kosovo)."""
    return frozenset({c.alpha_2 for c in pycountry.countries} | {"PZ", "XK"})


EXPECTED = {
    "bool": "true or false (in CSV also yes/no, 1/0)",
    "date": "a date as YYYY-MM-DD",
    "number": "a number of years, 0 or more",
    "country": "an ISO 3166-1 alpha-2 country code such as US, PR, SV (PZ for the Canal Zone)",
    "countries": "a list of ISO 3166-1 alpha-2 country codes (in CSV separated by ';', or 'none' for no country)",
    "periods": "a list of [start, end] date pairs, end null if ongoing, start not after end",
    "string": "text",
}


def expected_for(spec: FactSpec) -> str:
    if spec.type == "enum":
        return "one of " + ", ".join(spec.values)
    return EXPECTED[spec.type]


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()  # a date stored with a time of day: its date
    if isinstance(value, date):
        return value
    if isinstance(value, str) and ISO_DATE.match(value.strip()):
        return date.fromisoformat(value.strip())
    raise ValueError


def _country(value: Any) -> str:
    code = value.strip().upper() if isinstance(value, str) else None
    if code not in country_codes():
        raise ValueError
    return code


def coerce(spec: FactSpec, value: Any, text: bool) -> Any:
    """The typed value of one fact, None for unknown; raises InputError."""
    if value is None or (text and isinstance(value, str) and value.strip() == ""):
        return None
    try:
        t = spec.type
        if t == "bool":
            if isinstance(value, bool):
                return value
            if isinstance(value, str) and value.strip().lower() in TRUE_WORDS:
                return TRUE_WORDS[value.strip().lower()]
            if isinstance(value, int) and value in (0, 1):
                return bool(value)
            raise ValueError
        if t == "date":
            return _date(value)
        if t == "number":
            if isinstance(value, bool):
                raise ValueError
            number = float(value.strip()) if isinstance(value, str) else float(value)
            if not number >= 0 or number == float("inf"):
                raise ValueError
            return number
        if t == "country":
            return _country(value)
        if t == "countries":
            if isinstance(value, str) and value.strip().lower() == NO_COUNTRIES:
                return ()
            items = value.split(";") if isinstance(value, str) else value
            if not isinstance(items, (list, tuple)):
                raise ValueError
            return tuple(_country(i) for i in items if not (isinstance(i, str) and i.strip() == ""))
        if t == "enum":
            if isinstance(value, str) and value.strip() in spec.values:
                return value.strip()
            raise ValueError
        if t == "periods":
            out = []
            for pair in value:
                start, end = _date(pair[0]), (None if pair[1] is None else _date(pair[1]))
                if len(pair) != 2 or (end is not None and end < start):
                    raise ValueError
                out.append((start, end))
            return tuple(out)
        return str(value)
    except (ValueError, TypeError, IndexError, AttributeError):
        raise InputError(spec.name, value, expected_for(spec)) from None


@dataclass
class Case:
    """A validated case: who, the date the law is taken at, and the known facts (unknown = absent)."""

    person_id: str | None
    as_of: date
    facts: dict[str, Any] = field(default_factory=dict)


def parse_case(raw: dict[str, Any], *, as_of: date | None = None, text: bool = False) -> Case:
    """Validate a case; raise InputErrors listing every bad fact (unknown names included)."""
    specs = fact_specs()
    errors: list[InputError] = []
    facts: dict[str, Any] = {}
    for name, value in raw.items():
        spec = specs.get(name)
        if spec is None:
            close = difflib.get_close_matches(name, list(specs), n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            errors.append(InputError(name, value, "a fact name from the vocabulary" + hint))
            continue
        try:
            typed = coerce(spec, value, text)
        except InputError as e:
            errors.append(e)
            continue
        if typed is not None:
            facts[name] = typed
    person_id = facts.pop("person_id", None)
    case_as_of = as_of or facts.pop("as_of", None) or date.today()
    facts.pop("as_of", None)
    if not errors:
        errors.extend(_derive_periods(facts, case_as_of))
    if not errors:
        errors.extend(check_consistency(facts, case_as_of))
    if errors:
        raise InputErrors(errors)
    return Case(person_id, case_as_of, facts)


def _derive_periods(facts: dict[str, Any], as_of: date) -> list[InputError]:
    """Fill the presence facts from P_us_presence_periods where the needed birth dates are known."""
    errors = []
    for parent in PARENTS:
        periods = facts.get(f"{parent}_us_presence_periods")
        pbirth, birth = facts.get(f"{parent}_birth_date"), facts.get("birth_date")
        if periods is None or pbirth is None or birth is None:
            continue
        for key, value in derive_presence(list(periods), pbirth, birth, as_of).items():
            name = f"{parent}_{key}"
            given = facts.get(name)
            if given is None:
                facts[name] = value
            elif (given != value) if isinstance(value, bool) else abs(given - value) > 1 / 365:
                errors.append(InputError(name, given, f"the value its periods give ({value})"))
    return errors


def check_consistency(facts: dict[str, Any], as_of: date) -> list[InputError]:
    """Impossible combinations: dates after as_of, parts greater than wholes, events before births."""
    specs = fact_specs()
    errors = []
    for name, value in facts.items():
        if specs[name].type == "date" and value > as_of:
            errors.append(InputError(name, value, f"a date on or before as_of ({as_of.isoformat()})"))
    birth = facts.get("birth_date")
    for name in OWN_EVENTS:
        if birth is not None and facts.get(name) is not None and facts[name] < birth:
            errors.append(InputError(name, facts[name], f"a date on or after birth_date ({birth.isoformat()})"))
    for p in PARENTS:
        total, after_14, after_16 = (facts.get(f"{p}_us_presence_years{s}") for s in ("", "_after_14", "_after_16"))
        if total is not None and after_14 is not None and after_14 > total:
            errors.append(InputError(f"{p}_us_presence_years_after_14", after_14,
                                     f"no more than {p}_us_presence_years ({total:g})"))
        if after_14 is not None and after_16 is not None and after_16 > after_14:
            errors.append(InputError(f"{p}_us_presence_years_after_16", after_16,
                                     f"no more than {p}_us_presence_years_after_14 ({after_14:g})"))
        pbirth = facts.get(f"{p}_birth_date")
        if pbirth is None:
            continue
        for event in ("naturalization_date", "death_date"):
            d = facts.get(f"{p}_{event}")
            if d is not None and d < pbirth:
                errors.append(InputError(f"{p}_{event}", d, f"a date on or after {p}_birth_date ({pbirth.isoformat()})"))
        if birth is not None and pbirth >= birth:
            errors.append(InputError(f"{p}_birth_date", pbirth, f"a date before birth_date ({birth.isoformat()})"))
        elif birth is not None and total is not None and total > (birth - pbirth).days / 365 + 1 / 365:
            errors.append(InputError(f"{p}_us_presence_years", total,
                                     f"no more than {p}'s age at the person's birth ({(birth - pbirth).days / 365:.2f})"))
    errors.extend(InputError(*found) for found in contradictions(facts))
    return errors
