"""The arrangement's own terms, from the catalogue: in force on the date, the destination it serves,
the nationalities and convictions it covers, and its cap on persons. Built from the catalogue's data
when the law is loaded; a person outside these terms is OUTSIDE_ARRANGEMENT."""

from __future__ import annotations

from typing import TYPE_CHECKING

from safeguard.arrangements.snapshot import catalogue_snapshot
from safeguard.engine.expr import Const, Expr, Presumed, any_of, first_true
from safeguard.engine.rules import Citation, rule
from safeguard.law.vocabulary import F

if TYPE_CHECKING:
    from safeguard.arrangements.model import Arrangement

CATALOGUE_TERMS = Citation(
    "the arrangement's own terms (safeguard arrangement catalogue)",
    "dates in force, destination, nationalities, 'convicted only', cap on persons; each with its source "
    "in src/safeguard/arrangements/catalogue/",
    "https://democracyforward.org/updates/us-sv-gulag-docrelease",
)


def receiving_country(arr: Arrangement) -> str | None:
    """The country people are sent to: the facility's country, else the first party that is not the U.S.
    (None for an operation run by the U.S. alone, such as Guantanamo)."""
    if arr.facility is not None:
        return arr.facility.country
    return next((p.country for p in arr.parties if p.country != "US"), None)


# Neither true nor false: the sources do not settle it.
UNSETTLED = Const(None)


def _in_force(arr: Arrangement) -> Expr:
    """In force from its start to its suspension or end; unknown while an unconfirmed start or end date is
    only bounded by the sources (between `earliest` and the date, or between the date and `latest`)."""
    entry = arr.dates.in_force
    if entry.date is None:
        return Const(False)
    out = F.as_of >= entry.date
    if entry.earliest is not None:
        out = out | ((F.as_of >= entry.earliest) & UNSETTLED)
    for stop in (arr.dates.suspended, arr.dates.ended):
        if stop.date is not None:
            before = F.as_of < stop.date
            if stop.latest is not None:
                before = before | ((F.as_of < stop.latest) & UNSETTLED)
            out = out & before
    return out


def _date_dispute(arr: Arrangement) -> Expr:
    """The text of the dispute over the arrangement's dates, on the days the sources leave open (else null)."""
    d = arr.dates
    windows = []
    if d.in_force.date is not None and d.in_force.earliest is not None:
        windows.append((d.in_force.earliest, d.in_force.date, f"its entry into force ({d.in_force.note})"))
    for stop in (d.suspended, d.ended):
        if stop.date is not None and stop.latest is not None:
            windows.append((stop.date, stop.latest, f"its end ({stop.note})"))
    if not windows:
        return UNSETTLED
    return first_true(*(((F.as_of >= lo) & (F.as_of < hi),
                         f"Whether {arr.id} was in force on this date: the sources do not fix {what}")
                        for lo, hi, what in windows), otherwise=None)


def _per_arrangement(build) -> Expr:
    """One branch per catalogued arrangement, chosen by the `arrangement` fact."""
    return first_true(*((F.arrangement == arr_id, build(arr)) for arr_id, arr in sorted(catalogue_snapshot().items())))


@rule(CATALOGUE_TERMS)
def arrangement_in_force():
    """The arrangement is in force on the date the law is taken at (or assumed so for a what-if)."""
    assumed = Presumed(F.arrangement_assumed_in_force, False,
                       "a what-if switch of the analysis, not a fact about the person: unless it is set, the "
                       "arrangement's actual status in the catalogue governs")
    return _per_arrangement(_in_force) | assumed


@rule(CATALOGUE_TERMS)
def arrangement_in_force_contested():
    """Whether the arrangement was in force on the date is open because its sources give only a range for
    its start or end: the dispute, in words (null when settled, or when a what-if assumes it in force)."""
    return first_true((arrangement_in_force.known(), None), otherwise=_per_arrangement(_date_dispute))


@rule(CATALOGUE_TERMS)
def destination_outside_arrangement():
    """The destination is not the country the arrangement sends people to."""
    def outside(arr: Arrangement) -> Expr:
        country = receiving_country(arr)
        return Const(False) if country is None else F.destination_country != country
    return _per_arrangement(outside)


def _nationality_covered(arr: Arrangement) -> Expr:
    covered = arr.coverage.nationalities
    if covered == "any":
        return Const(True)
    return any_of(*(F.nationalities.contains(code) for code in covered))


@rule(CATALOGUE_TERMS)
def nationality_outside_arrangement():
    """None of the person's nationalities is one the arrangement covers."""
    return ~_per_arrangement(_nationality_covered)


@rule(CATALOGUE_TERMS)
def not_convicted_under_convicted_only_terms():
    """The arrangement covers only convicted people, and the person has no final conviction."""
    return _per_arrangement(lambda arr: Const(bool(arr.coverage.convicted_only)) & ~F.convicted)


@rule(CATALOGUE_TERMS)
def arrangement_cap_reached():
    """The arrangement's cap on persons has already been reached."""
    def cap(arr: Arrangement) -> Expr:
        limit = arr.coverage.max_persons
        return Const(False) if limit is None else F.arrangement_persons_transferred >= limit
    return _per_arrangement(cap)


@rule(CATALOGUE_TERMS)
def arrangement_not_in_force():
    """The arrangement is not in force on this date."""
    return ~arrangement_in_force


# Each term whose breach puts a person outside the arrangement.
ARRANGEMENT_TERMS = [
    arrangement_not_in_force,
    destination_outside_arrangement,
    nationality_outside_arrangement,
    not_convicted_under_convicted_only_terms,
    arrangement_cap_reached,
]


@rule(CATALOGUE_TERMS)
def outside_arrangement():
    """A transfer under a named arrangement falls outside its terms (dates, destination, nationality,
    convictions, cap); a transfer under no arrangement is not judged by this rule."""
    named = Presumed(F.arrangement.is_in(sorted(catalogue_snapshot())), False,
                     "no arrangement is named: the transfer is judged as an ordinary removal under INA 241, and "
                     "naming the arrangement it would be made under can put the person outside its terms")
    return named & any_of(*ARRANGEMENT_TERMS)


NO_POWER_OVER_CITIZENS = Citation(
    "INA 101(a)(3), 240(a)(1); 18 U.S.C. 4100(b), 4102",
    "removal power reaches only aliens; the prisoner-transfer statute sends only foreign nationals, to their own "
    "country, with consent, under a treaty; no statute lets the Bureau of Prisons send a citizen abroad to serve "
    "a sentence (REFERENCE §5.2)",
    "https://www.law.cornell.edu/uscode/text/18/4100",
)


@rule(NO_POWER_OVER_CITIZENS)
def arrangement_claims_to_cover_citizens():
    """The named arrangement says it covers U.S. citizens, which no U.S. law allows."""
    return _per_arrangement(lambda arr: Const(bool(arr.coverage.claims_to_cover_us_citizens)))
