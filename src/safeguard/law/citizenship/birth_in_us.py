"""Citizenship by birth in the United States: the Citizenship Clause, INA 301(a) and (f), and the
narrow exception for children of accredited foreign diplomats. Parents' immigration status never
matters (Trump v. Barbara, 2026: Executive Order 14160 never took effect for any birth)."""

from safeguard.engine.expr import Presumed, any_of
from safeguard.engine.rules import rule
from safeguard.law.citizenship.birth_place import born_in_states_or_dc, born_in_trust_territory
from safeguard.law.sources import CITIZENSHIP_CLAUSE, DIPLOMAT_EXCEPTION, INA_301_F
from safeguard.law.vocabulary import US_TERRITORIES_IN_US, F


@rule(DIPLOMAT_EXCEPTION)
def parent_citizen_or_national_at_birth():
    """At the birth, the mother or the father was a U.S. citizen or national."""
    return any_of(F.mother_citizen_at_birth, F.father_citizen_at_birth,
                  F.mother_national_at_birth, F.father_national_at_birth)


@rule(DIPLOMAT_EXCEPTION)
def diplomat_exception_applies():
    """Born to a foreign diplomat accredited to the U.S., with no U.S.-citizen or national parent: not
    born subject to U.S. jurisdiction. The exception must be shown; a U.S. birth stands until it is."""
    shown = Presumed(F.born_to_foreign_diplomat, False,
                     "8 CFR 101.3: the diplomat exception applies only where shown; a U.S. birth is proof of "
                     "citizenship until then")
    return shown & ~parent_citizen_or_national_at_birth


@rule(CITIZENSHIP_CLAUSE)
def citizen_by_birth_in_states():
    """Born in the 50 states or DC, subject to U.S. jurisdiction: a citizen at birth, whatever the
    parents' immigration status."""
    return born_in_states_or_dc & ~diplomat_exception_applies


@rule(INA_301_F)
def parentage_known():
    """Something is known about the person's parents at birth, so the person is not 'of unknown parentage'."""
    parent_facts = [F.parent(p, n) for p in ("mother", "father")
                    for n in ("citizen_at_birth", "national_at_birth", "birth_date", "naturalized")]
    return any_of(*(f.known() for f in parent_facts), F.parents_married_at_birth.known(),
                  F.born_to_foreign_diplomat.established())


@rule(INA_301_F)
def citizen_as_foundling():
    """Of unknown parentage and found in the U.S. while under 5, not shown to have been born abroad:
    a citizen at birth (INA 301(f)). An unknown birth place is presumed to be in the United States, and the
    result lists the presumption."""
    place = Presumed(F.birth_place, "US",
                     "INA 301(f): a person of unknown parentage found in the United States while under the age of "
                     "five years is a citizen 'until shown, prior to his attaining the age of twenty-one years, not "
                     "to have been born in the United States'")
    in_us = (place == "US") | (place.is_in(US_TERRITORIES_IN_US) & ~born_in_trust_territory)
    return F.foundling & ~parentage_known & in_us
