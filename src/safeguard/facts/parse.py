"""Validating one case: raw values in, typed facts out, or an error naming fact, value and expectation.

Two input forms share these rules: JSON/YAML case documents (native types) and text cells from a
CSV manifest (`text=True`: "" is unknown, booleans as true/false, yes/no, 1/0, lists ';'-separated).
The batch engine validates whole columns at once and calls `parse_case` on the rows it rejects, so
every message a user sees comes from this one module.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import reprlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from safeguard.facts.consistency import checks_reading, contradictions
from safeguard.facts.presence import derive_presence
from safeguard.facts.schema import PARENTS, FactSpec, fact_specs

# One grammar for every reader, single case and batch alike (`columns.py` builds its Polars
# expressions from these same constants): ASCII digits only (never "٥" or "1_000"), no sign,
# exponent or "inf"; blanks are spaces, tabs and line ends only.
BLANKS = " \t\r\n"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
APPROX_PATTERN = r"^[0-9]{4}(-[0-9]{2})?$"  # a date known only to the year, or to the month
NUMBER_PATTERN = r"^[0-9]{1,15}(\.[0-9]{1,15})?$"
COUNTRY_PATTERN = r"^[A-Za-z]{2}$"
ISO_DATE, NUMBER, COUNTRY = re.compile(DATE_PATTERN), re.compile(NUMBER_PATTERN), re.compile(COUNTRY_PATTERN)
APPROX = re.compile(APPROX_PATTERN)
# Dates the law can reach: the first naturalization act (1790) to 2200, so that date arithmetic
# (a parent's 14th birthday, five years after a period) never leaves the calendar.
FIRST_DAY, LAST_DAY = date(1790, 1, 1), date(2200, 12, 31)
YEARS_MAX = 150  # a number of years (presence, service abroad)
NUMBER_MAX = {"arrangement_persons_transferred": 1_000_000_000}  # counts of people, not years
MAX_PERIODS = 1_000
MAX_TEXT = 1_000  # characters in a text fact (an identifier)
NO_COUNTRIES = "none"  # in CSV, an explicit empty list (an empty cell is unknown)
TRUE_WORDS = {"true": True, "yes": True, "1": True, "y": True, "false": False, "no": False, "0": False, "n": False}
SHOWN = 80  # characters of a value repeated in a message

# Person's own events, which cannot come before the person's birth.


class InputError(ValueError):
    """A bad input value: which fact, what value, what was expected."""

    def __init__(self, fact: str, value: Any, expected: str):
        self.fact, self.value, self.expected = fact, value, expected
        super().__init__(f"{shorten(str(fact))} = {_show(value)}: expected {expected}")


class InputErrors(ValueError):
    def __init__(self, errors: list[InputError]):
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))


_REPR = reprlib.Repr()  # a bounded repr: a deep or huge value is shown cut short, never recursed into
_REPR.maxlevel, _REPR.maxlist, _REPR.maxtuple, _REPR.maxdict = 3, 6, 6, 6
_REPR.maxstring, _REPR.maxlong, _REPR.maxother = SHOWN, 40, SHOWN


def shorten(text: str) -> str:
    """A value as a message repeats it: at most SHOWN characters, and printable as UTF-8 (a lone
    surrogate from a JSON escape such as "\\ud800" is shown as that escape)."""
    text = text if len(text) <= SHOWN else text[:SHOWN - 3] + "..."
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _show(value: Any) -> str:
    if isinstance(value, date):
        return f"'{value.isoformat()}'"
    if isinstance(value, str):
        return f"'{shorten(value)}'"
    try:
        return shorten(_REPR.repr(value))
    except ValueError:  # an integer too long to convert to text
        return f"<a number of about {int(value.bit_length() * 0.30103):,} digits>"


@lru_cache(maxsize=1)
def country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes (pycountry), plus PZ (former Canal Zone) and XK (Kosovo); kept on disk by the
    installed pycountry's database (kept_json.py): importing pycountry takes longer than a screen."""
    from importlib.util import find_spec

    from safeguard.kept_json import kept

    def make() -> list[str]:
        import pycountry

        return sorted({c.alpha_2 for c in pycountry.countries})

    spec = find_spec("pycountry")
    try:
        db = Path(spec.origin).parent / "databases" / "iso3166-1.json"  # type: ignore[union-attr, arg-type]
        stat = db.stat()
        key = hashlib.sha256(f"{db}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()[:32]
        codes = kept("countries", key, make)
    except (OSError, TypeError, AttributeError):
        codes = make()
    return frozenset(codes) | {"PZ", "XK"}


@lru_cache(maxsize=1)
def arrangement_ids() -> tuple[str, ...]:
    """The ids of the arrangement catalogue (an `arrangement` fact must be one of them)."""
    from safeguard.arrangements import catalogue_snapshot

    return tuple(sorted(catalogue_snapshot()))


EXPECTED = {
    "bool": "true or false (in CSV also yes/no, 1/0)",
    "date": "a date as YYYY-MM-DD, or only its year (YYYY) or month (YYYY-MM) when that is all that is known",
    "number": f"a number of years from 0 to {YEARS_MAX}, digits 0-9 only",
    "country": "an ISO 3166-1 alpha-2 country code such as US, PR, SV (PZ for the Canal Zone)",
    "countries": "a list of ISO 3166-1 alpha-2 country codes (in CSV separated by ';', or 'none' for no country)",
    "periods": f"a list of at most {MAX_PERIODS} [start, end] date pairs, end null if ongoing, start not after end",
    "string": f"text of at most {MAX_TEXT} characters",
}


def expected_for(spec: FactSpec) -> str:
    if spec.type == "enum":
        return "one of " + ", ".join(spec.values)
    if spec.name in NUMBER_MAX:
        return f"a number from 0 to {NUMBER_MAX[spec.name]:,}, digits 0-9 only"
    if spec.name == "arrangement":
        return "an arrangement id from the catalogue (" + ", ".join(arrangement_ids()) + ")"
    return EXPECTED[spec.type]


def expected_for_value(spec: FactSpec, value: Any) -> str:
    """What was expected, with a did-you-mean where a close known value exists (arrangement ids,
    country codes given as ISO alpha-3 codes or names)."""
    words = expected_for(spec)
    hint = None
    if spec.type == "date" and spec.name == "as_of" and isinstance(value, str) and APPROX.match(value.strip(BLANKS)):
        return "a full date as YYYY-MM-DD (the law is taken at one day)"
    if spec.type == "date" and (_readable_date(value) or _readable_approx(value)):
        return f"a date from {FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()} (the years the law can reach)"
    if spec.name == "arrangement" and isinstance(value, str):
        close = difflib.get_close_matches(value.strip(BLANKS).lower(), arrangement_ids(), n=1, cutoff=0.6)
        hint = close[0] if close else None
    elif spec.type in ("country", "countries") and isinstance(value, str):
        for item in value.split(";") if spec.type == "countries" else [value]:
            hint = hint or _country_hint(item.strip(BLANKS))
    return f"{words} (did you mean {hint}?)" if hint else words


def _readable_date(value: Any) -> bool:
    """A well-formed date (outside the years the law can reach, when `_date` refused it)."""
    if isinstance(value, date):
        return True
    try:
        return isinstance(value, str) and bool(ISO_DATE.match(value.strip(BLANKS))) and \
            bool(date.fromisoformat(value.strip(BLANKS)))
    except ValueError:
        return False


def _readable_approx(value: Any) -> bool:
    """A year, or a year and an existing month (outside the years the law can reach, when refused)."""
    if not isinstance(value, str) or not APPROX.match(value.strip(BLANKS)):
        return False
    text = value.strip(BLANKS)
    return len(text) == 4 or 1 <= int(text[5:]) <= 12


def _country_hint(text: str) -> str | None:
    if not text or len(text) > 60 or COUNTRY.match(text):
        return None
    import pycountry

    try:
        found = pycountry.countries.lookup(text)
    except LookupError:
        return None
    return found.alpha_2


@dataclass(frozen=True)
class ApproxDate:
    """A date known only to the year or the month: the interval of days it may be, as given."""

    given: str  # "1985" or "1985-06"
    low: date
    high: date

    def clipped(self, as_of: date) -> ApproxDate | None:
        """The days that are on or before as_of (no date fact can be after it); None if none is."""
        if self.low > as_of:
            return None
        return ApproxDate(self.given, self.low, min(self.high, as_of))


def approx_date(value: Any) -> ApproxDate | None:
    """"YYYY" or "YYYY-MM" as the interval of its days; None for anything else; ValueError for a month
    that does not exist or a year outside the years the law can reach."""
    if not isinstance(value, str) or not APPROX.match(value.strip(BLANKS)):
        return None
    text = value.strip(BLANKS)
    year, month = int(text[:4]), (int(text[5:]) if len(text) > 4 else None)
    if month is None:
        low, high = date(year, 1, 1), date(year, 12, 31)
    elif 1 <= month <= 12:
        low = date(year, month, 1)
        high = (date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)) - timedelta(days=1)
    else:
        raise ValueError
    if not (FIRST_DAY <= low and high <= LAST_DAY):
        raise ValueError
    return ApproxDate(text, low, high)


def _in_range(day: date) -> date:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError
    return day


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        return _in_range(value.date())  # a date stored with a time of day: its date
    if isinstance(value, date):
        return _in_range(value)
    if isinstance(value, str) and ISO_DATE.match(value.strip(BLANKS)):
        return _in_range(date.fromisoformat(value.strip(BLANKS)))
    raise ValueError


def _country(value: Any) -> str:
    if not isinstance(value, str) or not COUNTRY.match(value.strip(BLANKS)):
        raise ValueError
    code = value.strip(BLANKS).upper()
    if code not in country_codes():
        raise ValueError
    return code


def _number(spec: FactSpec, value: Any) -> float:
    top = NUMBER_MAX.get(spec.name, YEARS_MAX)
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):  # compared as an integer: float() of a 400-digit number overflows
        if not 0 <= value <= top:
            raise ValueError
        return float(value)
    if isinstance(value, float):
        number = value
    elif isinstance(value, str) and NUMBER.match(value.strip(BLANKS)):
        number = float(value.strip(BLANKS))
    else:
        raise ValueError
    if not 0 <= number <= top:  # also refuses NaN
        raise ValueError
    return number


def _periods(value: Any) -> tuple:
    if not isinstance(value, (list, tuple)) or len(value) > MAX_PERIODS:
        raise ValueError
    out = []
    for pair in value:
        if not isinstance(pair, (list, tuple)) or len(pair) != 2 or pair[0] is None:
            raise ValueError
        start, end = _date(pair[0]), (None if pair[1] is None else _date(pair[1]))
        if end is not None and end < start:
            raise ValueError
        out.append((start, end))
    return tuple(out)


def _text(spec: FactSpec, value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) < 10 ** 30:
        value = str(value)  # a numeric identifier (person_id 12345); never an object or a list
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        raise ValueError
    if spec.name == "arrangement":
        if value.strip(BLANKS) not in arrangement_ids():
            raise ValueError
        return value.strip(BLANKS)
    return value


def coerce(spec: FactSpec, value: Any, text: bool) -> Any:
    """The typed value of one fact, None for unknown; raises InputError. A value of the wrong kind
    (an object, a list where one value is expected, a number where text is) is an error, never
    turned into text."""
    if value is None or (text and isinstance(value, str) and value.strip(BLANKS) == ""):
        return None
    try:
        if isinstance(value, str):
            value.encode("utf-8")  # a lone surrogate ("\\ud800" in JSON) is no character: refused
        t = spec.type
        if t == "bool":
            if isinstance(value, bool):
                return value
            if isinstance(value, str) and value.strip(BLANKS).lower() in TRUE_WORDS:
                return TRUE_WORDS[value.strip(BLANKS).lower()]
            if isinstance(value, int) and value in (0, 1):
                return bool(value)
            raise ValueError
        if t == "date":
            approx = approx_date(value) if spec.name != "as_of" else None
            return approx if approx is not None else _date(value)
        if t == "number":
            return _number(spec, value)
        if t == "country":
            return _country(value)
        if t == "countries":
            if isinstance(value, str) and value.strip(BLANKS).lower() == NO_COUNTRIES:
                return ()
            items = value.split(";") if isinstance(value, str) else value
            if not isinstance(items, (list, tuple)) or len(items) > 300:
                raise ValueError
            return tuple(_country(i) for i in items if not (isinstance(i, str) and i.strip(BLANKS) == ""))
        if t == "enum":
            if isinstance(value, str) and value.strip(BLANKS) in spec.values:
                return value.strip(BLANKS)
            raise ValueError
        if t == "periods":
            return _periods(value)
        return _text(spec, value)
    except (ValueError, TypeError, IndexError, AttributeError, KeyError, OverflowError):
        raise InputError(spec.name, value, expected_for_value(spec, value)) from None


@dataclass
class Case:
    """A validated case: who, the date the law is taken at, and the known facts (unknown = absent)."""

    person_id: str | None
    as_of: date
    facts: dict[str, Any] = field(default_factory=dict)
    # Date facts known only to the year or month (absent from `facts`: unknown within the interval).
    approx: dict[str, ApproxDate] = field(default_factory=dict)


def parse_case(raw: dict[str, Any], *, as_of: date | None = None, text: bool = False) -> Case:
    """Validate a case; raise InputErrors listing every bad fact (unknown names included)."""
    specs = fact_specs()
    errors: list[InputError] = []
    facts: dict[str, Any] = {}
    approx: dict[str, ApproxDate] = {}
    if as_of is not None and not FIRST_DAY <= as_of <= LAST_DAY:
        errors.append(InputError("as_of", as_of, expected_for_value(specs["as_of"], as_of)))
    for name, value in raw.items():
        spec = specs.get(name) if isinstance(name, str) else None
        if spec is None:
            close = difflib.get_close_matches(name, list(specs), n=1) if isinstance(name, str) and len(name) < 100 else []
            hint = f" (did you mean {close[0]}?)" if close else ""
            errors.append(InputError(name, value, "a fact name from the vocabulary" + hint))
            continue
        try:
            typed = coerce(spec, value, text)
        except InputError as e:
            errors.append(e)
            continue
        if isinstance(typed, ApproxDate):
            approx[name] = typed
        elif typed is not None:
            facts[name] = typed
    person_id = facts.pop("person_id", None)
    case_as_of = as_of or facts.pop("as_of", None) or date.today()
    facts.pop("as_of", None)
    if not errors:
        errors.extend(_derive_periods(facts, case_as_of))
    if not errors:
        errors.extend(check_consistency(facts, case_as_of))
    if not errors:
        approx, found = _check_approx(approx, facts, case_as_of)
        errors.extend(found)
    if errors:
        raise InputErrors(errors)
    return Case(person_id, case_as_of, facts, approx)


def _check_approx(approx: dict[str, ApproxDate], facts: dict[str, Any],
                  as_of: date) -> tuple[dict[str, ApproxDate], list[InputError]]:
    """Each approximate date clipped to as_of, and refused when no day of it is possible with the exact
    facts. The days tried are its ends and the days around every other date of the case: the checks
    compare dates with one another, so if any day of the interval is possible, one of these is."""
    out, errors = {}, []
    others = [v for v in facts.values() if isinstance(v, date)]
    for name, given in approx.items():
        clipped = given.clipped(as_of)
        if clipped is None:
            errors.append(InputError(name, given.given, f"a date on or before as_of ({as_of.isoformat()})"))
            continue
        days = {clipped.low, clipped.high} | {d + timedelta(days=k) for d in others for k in (-1, 0, 1)
                                              if clipped.low <= d + timedelta(days=k) <= clipped.high}
        found = [check_consistency({**facts, name: day}, as_of) for day in sorted(days)]
        if all(found):
            first = found[0][0]
            errors.append(InputError(name, given.given, f"a date possible with the other facts (no day of "
                                     f"{given.given} is: {first.fact} = {_show(first.value)}: {first.expected})"))
            continue
        out[name] = clipped
    return out, errors


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


def _after_as_of(name: str, value: Any, as_of: date) -> bool:
    return value is not None and fact_specs()[name].type == "date" and value > as_of


def possible(facts: dict[str, Any], as_of: date, changed: str) -> bool:
    """A case tried at another value of one fact (`changed`), the others known to hold together, is possible:
    only the checks that read that fact are run, up to the first that fails (no message is built)."""
    if _after_as_of(changed, facts.get(changed), as_of):
        return False
    return not any(check.single(facts) is not None for check in checks_reading(changed))


def check_consistency(facts: dict[str, Any], as_of: date) -> list[InputError]:
    """Impossible combinations: dates after as_of, parts greater than wholes, events before births, facts
    that contradict each other (facts/consistency.py)."""
    errors = [InputError(name, value, f"a date on or before as_of ({as_of.isoformat()})")
              for name, value in facts.items() if _after_as_of(name, value, as_of)]
    errors.extend(InputError(*found) for found in contradictions(facts))
    return errors
