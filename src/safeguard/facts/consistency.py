"""Facts that contradict each other: each check once, for one case (a list of InputErrors naming both facts)
and for a whole manifest (a Polars mask of the rows that fail any check).

A check is a pair of facts that cannot both hold as given: a date given for an event a flag says never
happened, a parent who was a citizen at the person's birth yet naturalized after it, presence after the
parent's 14th (or 16th) birthday longer than the time from that birthday to the birth, service abroad that
would have to overlap the parent's presence in the United States. The message names the fact blamed, its
value, and the fact it contradicts. `parse.parse_case` and `columns.typed_facts` call this module, so a
case and a manifest row are rejected alike (the row's message is then built by `parse_case` itself).

Note on `P_citizen_at_birth` with `P_naturalized`: the vocabulary defines the first at the *person's*
birth, so a parent naturalized before that birth is both (not a contradiction); only a naturalization
date after the birth contradicts it, and a date before the birth contradicts `P_citizen_at_birth: false`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from safeguard.engine.scalar import add_years
from safeguard.facts.schema import PARENTS

OWN_EVENTS = ("lpr_date", "naturalization_date", "denaturalization_date", "expatriation_date", "adoption_date",
              "us_presence_began_date", "removal_order_date", "notice_served_date", "paternity_established_date")


class _Polars:
    """Polars, imported when a batch first builds a mask: checking one case never loads it."""

    def __getattr__(self, name: str) -> Any:
        import polars

        return getattr(polars, name)


pl = _Polars()

# One day's worth of a year: presence years are derived from days (presence.py), so allow the rounding.
TOLERANCE = 1 / 365
DAYS_PER_YEAR = 365


@dataclass(frozen=True)
class Check:
    """`fact` (the one blamed) cannot hold with the others as given. `single` returns the expected-text when
    the check fails on one case's typed facts (else None); `mask` is True on the rows where it fails."""

    fact: str
    single: Callable[[dict[str, Any]], str | None]
    mask: Callable[[], pl.Expr]
    reads: tuple[str, ...] = ()  # every fact the check reads (`fact` among them)


def _iso(d: date) -> str:
    return d.isoformat()


def _flag_forbids_date(flag: str, day: str, what: str) -> Check:
    """A date for an event that the flag says did not happen."""
    def single(f):
        if f.get(flag) is False and f.get(day) is not None:
            return f"no date, since {flag} is false ({what} did not happen)"
        return None
    return Check(day, single, lambda: (pl.col(flag).not_() & pl.col(day).is_not_null()).fill_null(False), (flag, day))


def _both_true(first: str, second: str, why: str) -> Check:
    def single(f):
        return f"false, since {first} is true ({why})" if f.get(first) is True and f.get(second) is True else None
    return Check(second, single, lambda: (pl.col(first) & pl.col(second)).fill_null(False), (first, second))


def _not_before(later: str, earlier: str, why: str = "") -> Check:
    """`later` cannot be a date before `earlier`."""
    def single(f):
        a, b = f.get(later), f.get(earlier)
        if a is not None and b is not None and a < b:
            return f"a date on or after {earlier} ({_iso(b)})" + (f": {why}" if why else "")
        return None
    return Check(later, single, lambda: (pl.col(later) < pl.col(earlier)).fill_null(False), (later, earlier))


def _not_more_than(part: str, whole: str) -> Check:
    """Years of presence in a later part of the parent's life are part of those in a longer one."""
    def single(f):
        if f.get(part) is not None and f.get(whole) is not None and f[part] > f[whole]:
            return f"no more than {whole} ({f[whole]:g})"
        return None
    return Check(part, single, lambda: (pl.col(part) > pl.col(whole)).fill_null(False), (part, whole))


def _citizen_at_birth_vs_naturalization(p: str) -> list[Check]:
    cit, nat = f"{p}_citizen_at_birth", f"{p}_naturalization_date"

    def after_birth(f):
        if f.get(cit) is True and f.get(nat) is not None and f.get("birth_date") is not None \
                and f[nat] > f["birth_date"]:
            return (f"a date on or before birth_date ({_iso(f['birth_date'])}), since {cit} is true: a parent who "
                    "was a citizen when the person was born did not naturalize after the birth")
        return None

    def before_birth(f):
        if f.get(cit) is False and f.get(nat) is not None and f.get("birth_date") is not None \
                and f[nat] < f["birth_date"]:
            return (f"a date on or after birth_date ({_iso(f['birth_date'])}), since {cit} is false: a parent "
                    "naturalized before the person was born was a citizen at the birth")
        return None

    return [
        Check(nat, after_birth, lambda: (pl.col(cit) & (pl.col(nat) > pl.col("birth_date"))).fill_null(False),
              (cit, nat, "birth_date")),
        Check(nat, before_birth,
              lambda: (pl.col(cit).not_() & (pl.col(nat) < pl.col("birth_date"))).fill_null(False),
              (cit, nat, "birth_date")),
    ]


def _presence_after_age(p: str, age: int) -> Check:
    """Presence after the parent's `age`th birthday cannot exceed the time from that birthday to the birth."""
    years, pbirth = f"{p}_us_presence_years_after_{age}", f"{p}_birth_date"

    def bound(f) -> float | None:
        if f.get(pbirth) is None or f.get("birth_date") is None:
            return None
        return max((f["birth_date"] - add_years(f[pbirth], age)).days, 0) / DAYS_PER_YEAR

    def single(f):
        limit = bound(f)
        if limit is not None and f.get(years) is not None and f[years] > limit + TOLERANCE:
            return (f"no more than the years from {p}'s {age}th birthday ({p}_birth_date + {age}) to birth_date "
                    f"({limit:.2f})")
        return None

    def mask():
        birthday = pl.col(pbirth).dt.offset_by(f"{age}y")
        days = (pl.col("birth_date") - birthday).dt.total_days()
        limit = pl.when(days < 0).then(pl.lit(0)).otherwise(days) / DAYS_PER_YEAR  # null stays null
        return (pl.col(years) > limit + TOLERANCE).fill_null(False)

    return Check(years, single, mask, (years, pbirth, "birth_date"))


def _service_fills_only_absence(p: str) -> Check:
    """Service abroad counts only for time the parent was not present: with the presence, it cannot exceed the
    parent's age at the birth."""
    service, total, pbirth = f"{p}_qualifying_service_abroad_years", f"{p}_us_presence_years", f"{p}_birth_date"

    def single(f):
        if None in (f.get(service), f.get(total), f.get(pbirth), f.get("birth_date")):
            return None
        age = (f["birth_date"] - f[pbirth]).days / DAYS_PER_YEAR
        if f[service] + f[total] > age + TOLERANCE:
            return (f"no more than {p}'s age at the birth ({age:.2f}) less {p}_us_presence_years ({f[total]:g}): "
                    "service abroad fills only time the parent was not in the United States")
        return None

    def mask():
        age = (pl.col("birth_date") - pl.col(pbirth)).dt.total_days() / DAYS_PER_YEAR
        return (pl.col(service) + pl.col(total) > age + TOLERANCE).fill_null(False)

    return Check(service, single, mask, (service, total, pbirth, "birth_date"))


def _parent_born_before(p: str) -> Check:
    """A parent was born before the person."""
    pbirth = f"{p}_birth_date"

    def single(f):
        if f.get(pbirth) is not None and f.get("birth_date") is not None and f[pbirth] >= f["birth_date"]:
            return f"a date before birth_date ({_iso(f['birth_date'])})"
        return None
    return Check(pbirth, single, lambda: (pl.col(pbirth) >= pl.col("birth_date")).fill_null(False), (pbirth, "birth_date"))


def _presence_within_age(p: str) -> Check:
    """A parent's years of presence before the birth are no more than the parent's age at it."""
    total, pbirth = f"{p}_us_presence_years", f"{p}_birth_date"

    def single(f):
        if None in (f.get(total), f.get(pbirth), f.get("birth_date")) or f[pbirth] >= f["birth_date"]:
            return None
        age = (f["birth_date"] - f[pbirth]).days / DAYS_PER_YEAR
        return f"no more than {p}'s age at the person's birth ({age:.2f})" if f[total] > age + TOLERANCE else None

    def mask():
        age = (pl.col("birth_date") - pl.col(pbirth)).dt.total_days() / DAYS_PER_YEAR
        return ((pl.col(pbirth) < pl.col("birth_date")) & (pl.col(total) > age + TOLERANCE)).fill_null(False)

    return Check(total, single, mask, (total, pbirth, "birth_date"))


def _basic_checks() -> list[Check]:
    """The plain order of events and parts of wholes (checked first, in this order)."""
    out = [_not_before(name, "birth_date") for name in OWN_EVENTS]
    for p in PARENTS:
        total, a14, a16 = (f"{p}_us_presence_years{s}" for s in ("", "_after_14", "_after_16"))
        out += [_not_more_than(a14, total), _not_more_than(a16, a14),
                *(_not_before(f"{p}_{event}", f"{p}_birth_date") for event in ("naturalization_date", "death_date")),
                _parent_born_before(p), _presence_within_age(p)]
    return out


def _checks() -> list[Check]:
    out: list[Check] = []
    for p in PARENTS:
        out += [
            _both_true(f"{p}_citizen_at_birth", f"{p}_national_at_birth",
                       "a national at the birth is one who was not a citizen"),
            *_citizen_at_birth_vs_naturalization(p),
            _flag_forbids_date(f"{p}_naturalized", f"{p}_naturalization_date", f"{p}'s naturalization"),
            _flag_forbids_date(f"{p}_deceased", f"{p}_death_date", f"{p}'s death"),
            _not_before(f"{p}_death_date", f"{p}_naturalization_date", "nobody naturalizes after death"),
            _not_more_than(f"{p}_us_presence_years_after_12", f"{p}_us_presence_years"),
            _not_more_than(f"{p}_us_presence_years_after_14", f"{p}_us_presence_years_after_12"),
            _presence_after_age(p, 12),
            _presence_after_age(p, 14),
            _presence_after_age(p, 16),
            _service_fills_only_absence(p),
            _both_true(f"birth_{p}_citizen_at_birth", f"birth_{p}_national_at_birth",
                       "a national at the birth is one who was not a citizen"),
        ]
    out += [
        _flag_forbids_date("naturalized", "naturalization_date", "the person's naturalization"),
        _flag_forbids_date("denaturalized", "denaturalization_date", "a revocation of naturalization"),
        _flag_forbids_date("expatriated", "expatriation_date", "a loss of nationality"),
        _flag_forbids_date("adopted", "adoption_date", "an adoption"),
        _flag_forbids_date("lpr", "lpr_date", "an admission for permanent residence"),
        _flag_forbids_date("parents_legally_separated", "legal_separation_date", "a legal separation"),
        _flag_forbids_date("parents_reunited_after_separation", "parents_reunited_date", "a reunion"),
        _not_before("parents_reunited_date", "legal_separation_date", "a separation ends only after it began"),
        _not_before("denaturalization_date", "naturalization_date", "only a naturalization can be revoked"),
        Check("parents_reunited_after_separation",
              lambda f: ("false, since parents_legally_separated is false (no separation to end)"
                         if f.get("parents_reunited_after_separation") is True
                         and f.get("parents_legally_separated") is False else None),
              lambda: (pl.col("parents_reunited_after_separation")
                       & pl.col("parents_legally_separated").not_()).fill_null(False),
              ("parents_reunited_after_separation", "parents_legally_separated")),
        Check("denaturalized",
              lambda f: ("false, since naturalized is false (only a naturalization can be revoked)"
                         if f.get("denaturalized") is True and f.get("naturalized") is False else None),
              lambda: (pl.col("denaturalized") & pl.col("naturalized").not_()).fill_null(False),
              ("denaturalized", "naturalized")),
        Check("paternity_established_date",
              lambda f: ("no date, since paternity_established_by is none"
                         if f.get("paternity_established_by") == "none"
                         and f.get("paternity_established_date") is not None else None),
              lambda: ((pl.col("paternity_established_by") == "none")
                       & pl.col("paternity_established_date").is_not_null()).fill_null(False),
              ("paternity_established_by", "paternity_established_date")),
    ]
    return out


CHECKS = _basic_checks() + _checks()
READING: dict[str, tuple[Check, ...]] = {}  # per fact, the checks that read it, in order
for _check in CHECKS:
    for _name in _check.reads:
        READING[_name] = (*READING.get(_name, ()), _check)


def checks_reading(fact: str) -> tuple[Check, ...]:
    """The checks that read `fact`, in order."""
    return READING.get(fact, ())


def contradictions(facts: dict[str, Any]) -> list[tuple[str, Any, str]]:
    """(fact, value, expected) for every check the typed facts of one case fail, in the checks' order."""
    found = []
    for check in CHECKS:
        expected = check.single(facts)
        if expected is not None:
            found.append((check.fact, facts.get(check.fact), expected))
    return found


def contradiction_mask(cols: set[str] | None = None) -> pl.Expr:
    """True on the rows of a typed fact frame that fail any check (those of its columns `cols`, when given)."""
    return pl.any_horizontal([pl.lit(False), *(c.mask() for c in CHECKS if cols is None or set(c.reads) <= cols)])
