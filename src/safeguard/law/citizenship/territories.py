"""Citizenship and nationality by birth in U.S. territories and possessions (INA 302-308)."""

from safeguard.engine.expr import Presumed, any_of
from safeguard.engine.rules import rule
from safeguard.law.citizenship.birth_in_us import diplomat_exception_applies
from safeguard.law.sources import CNMI_COVENANT, INA_301_E, INA_302, INA_303, INA_306, INA_307, INA_308
from safeguard.law.vocabulary import F, param

TREATY_OF_PARIS = param("territories.treaty_of_paris")
NA_1940 = param("territories.nationality_act_1940")


@rule(INA_302)
def citizen_by_birth_in_puerto_rico():
    """Born in Puerto Rico on or after 1941-01-13 (citizen at birth), or between 1899-04-11 and
    1941-01-12 and residing in Puerto Rico or other U.S. territory on 1941-01-13 (citizen from that day)."""
    in_pr = (F.birth_place == "PR") & ~diplomat_exception_applies
    return in_pr & (
        (F.birth_date >= NA_1940)
        | ((F.birth_date >= TREATY_OF_PARIS) & F.resided_in_us_territory_on_1941_01_13)
    )


@rule(INA_307)
def citizen_by_birth_in_guam():
    """Born in Guam on or after 1899-04-11, subject to U.S. jurisdiction; if born before 1950-08-01,
    without having taken steps to keep or acquire another nationality (citizen from 1950-08-01)."""
    in_guam = (F.birth_place == "GU") & ~diplomat_exception_applies & (F.birth_date >= TREATY_OF_PARIS)
    return in_guam & ((F.birth_date >= param("territories.guam_organic_act"))
                      | ~F.kept_foreign_nationality_before_1950_08_01)


@rule(INA_306)
def citizen_by_birth_in_virgin_islands():
    """Born in the U.S. Virgin Islands on or after 1952-12-24, when INA 101(a)(38) made them part of the
    United States: a citizen at birth. (Earlier births fall under INA 306's classes, not encoded.)"""
    return (F.birth_place == "VI") & ~diplomat_exception_applies & (F.birth_date >= param("territories.ina_effective"))


@rule(CNMI_COVENANT)
def citizen_by_birth_in_cnmi():
    """Born in the Northern Mariana Islands on or after 1986-11-04 (Saipan date): a birth in the United
    States. (Earlier births: Covenant §301 classes, not encoded.)"""
    return (F.birth_place == "MP") & ~diplomat_exception_applies & (F.birth_date >= param("territories.cnmi_becomes_us"))


@rule(INA_303)
def citizen_by_birth_in_canal_zone():
    """Born in the Canal Zone from 1904-02-26 until the Zone ended (1979-10-01) to a U.S.-citizen father
    or mother (INA 303(a)); or in Panama to a citizen parent employed by the U.S. government or the Panama
    Railroad Company (INA 303(b))."""
    in_period = (F.birth_date >= param("territories.canal_zone_start")) & (F.birth_date < param("territories.canal_zone_end"))
    zone = (F.birth_place == "PZ") & in_period & any_of(F.mother_citizen_at_birth, F.father_citizen_at_birth)
    panama = (F.birth_place == "PA") & (F.birth_date >= param("territories.canal_zone_start")) & any_of(
        F.mother_citizen_at_birth & F.mother_us_government_employee_at_birth,
        F.father_citizen_at_birth & F.father_us_government_employee_at_birth)
    return zone | panama


@rule(INA_301_E)
def citizen_by_birth_in_outlying_possession():
    """Born in an outlying possession to a U.S.-citizen parent who, before the birth, had been physically
    present in the U.S. or an outlying possession for a continuous year (INA 301(e))."""
    return F.birth_place.is_in(("AS", "UM")) & any_of(
        F.mother_citizen_at_birth & F.mother_us_continuous_presence_year,
        F.father_citizen_at_birth & F.father_us_continuous_presence_year)


@rule(INA_308)
def national_by_birth_in_outlying_possession():
    """Born in American Samoa (from 1900-02-16) or Swains Island (from 1925-03-04): a U.S. national at
    birth, not a citizen (INA 308(1); Fitisemanu, 10th Cir. 2021)."""
    lifetime = ("no person born before the possession was acquired (1900, 1925) is alive on any date this "
                "screening speaks for, so an unknown birth date is taken to be after it")
    return (
        ((F.birth_place == "AS") & Presumed(F.birth_date >= param("territories.american_samoa_acquired"), True, lifetime))
        | ((F.birth_place == "UM") & Presumed(F.birth_date >= param("territories.swains_island_acquired"), True, lifetime))
    )
