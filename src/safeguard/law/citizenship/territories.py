"""Citizenship and nationality by birth in U.S. territories and possessions (INA 302-308, Nationality Act
of 1940 §201(e), the Covenant with the Northern Mariana Islands). Each rule covers one place and era; the
coverage table (coverage_table.py) lists which rule decides each place and era, and where none is encoded."""

from safeguard.engine.expr import Expr, Presumed, agreed, any_of, decide, disputed
from safeguard.engine.rules import rule
from safeguard.law.citizenship.acquisition_wedlock import UNSETTLED, named_parents_are_birth_parents
from safeguard.law.citizenship.birth_in_us import diplomat_exception_applies
from safeguard.law.citizenship.birth_place import born_in_trust_territory
from safeguard.law.citizenship.derivation_pre_1952 import adoption_shown
from safeguard.law.sources import (
    CNMI_COVENANT,
    COVENANT_301,
    COVENANT_302,
    INA_301_E,
    INA_302,
    INA_303,
    INA_306_B,
    INA_307,
    INA_308,
    NA_201_E,
    NA_1940_START,
    SABANGAN,
)
from safeguard.law.vocabulary import OUTLYING_POSSESSIONS, F, param

TREATY_OF_PARIS = param("territories.treaty_of_paris")
NA_1940 = param("territories.nationality_act_1940")
NA_1940_BIRTHS = param("territories.nationality_act_1940_births")   # contested: 1941-01-13 or 1941-01-14
INA_EFFECTIVE = param("territories.ina_effective")
VI_ACT = param("territories.virgin_islands_citizenship_act")
CNMI_DAY = param("territories.cnmi_becomes_us")
CNMI_BIRTH_FROM = param("territories.cnmi_birth_citizenship_from")  # contested: Sabangan v. Powell


BIRTH_PARENT_CITIZEN = any_of(F.birth_mother_citizen_at_birth, F.birth_father_citizen_at_birth)


def _adoptee_through_birth_parent() -> Expr:
    """An adoptee transmits nothing through the adoptive parents the mother_/father_ facts then name (Colaianni);
    through a birth parent who was a citizen the route is unknown (that parent's residence, presence or
    employment is not a fact), and with neither birth parent a citizen it is closed."""
    return adoption_shown & decide((BIRTH_PARENT_CITIZEN, UNSETTLED), otherwise=False)


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


@rule(INA_306_B)
def citizen_by_birth_in_virgin_islands():
    """Born in the U.S. Virgin Islands on or after 1917-01-17, subject to U.S. jurisdiction: a citizen at birth
    if born on or after 1927-02-25, else a citizen as of 1927-02-25 (INA 306(b)); from 1941-01-13 the islands
    are also part of the United States for birth (NA 1940 §101(d), INA 101(a)(38))."""
    return ((F.birth_place == "VI") & ~diplomat_exception_applies
            & (F.birth_date >= param("territories.virgin_islands_acquired")))


@rule(CNMI_COVENANT)
def citizen_by_birth_in_cnmi():
    """Born in the Northern Mariana Islands, a citizen at birth: on or after 1986-11-04 (Saipan date) a birth in
    the United States (Covenant §506); from 1978-01-09 also under Sabangan v. Powell (9th Cir. 2004), which the
    Foreign Affairs Manual does not follow: a birth in those years is decided only where both readings agree."""
    return (F.birth_place == "MP") & ~diplomat_exception_applies & agreed(F.birth_date >= CNMI_BIRTH_FROM)


@rule(SABANGAN)
def cnmi_birth_turns_on_sabangan():
    """Born in the Northern Mariana Islands from 1978-01-09 to 1986-11-03: a citizen at birth under Sabangan v.
    Powell (9th Cir. 2004), a birth abroad under 8 FAM 302.6. Contested while no other route decides it."""
    return (F.birth_place == "MP") & ~diplomat_exception_applies & disputed(F.birth_date >= CNMI_BIRTH_FROM)


def _under_age_for_1975() -> Expr:
    """Under the voting age for every election before 1975 (Covenant §301(b) 'unless under age'): decided only
    where both readings of the voting age agree."""
    return agreed(F.birth_date >= param("territories.covenant_301b_under_age_born_from"))


def _covenant_301b(registered_or_excused: Expr) -> Expr:
    """Covenant §301(b): a Trust Territory citizen domiciled in the NMI on 1986-11-03 and for the five years
    before, who registered to vote there before 1975 or was excused as under age (`registered_or_excused`)."""
    five_years = F.birth_date.plus_years(param("territories.covenant_301b_domicile_years")) < CNMI_DAY
    return (F.ttpi_citizen_on_1986_11_03 & (F.nmi_domicile_on_1986_11_03 == "nmi") & five_years
            & F.nmi_domiciled_five_years_before_1986_11_04 & registered_or_excused)


@rule(COVENANT_301)
def covenant_301b_turns_on_voting_age():
    """A Trust Territory citizen with five years' NMI domicile before 1986-11-04 who did not register to vote
    before 1975, born 1954-1956: under age (excused) if the voting age was 21, not if it was 18. Contested."""
    return _covenant_301b(~F.registered_to_vote_nmi_before_1975
                          & disputed(F.birth_date >= param("territories.covenant_301b_under_age_born_from")))


@rule(COVENANT_301)
def covenant_301_class():
    """Alive on 1986-11-03 and in a Covenant §301 class that day: (a) born in the Northern Mariana Islands, a
    Trust Territory citizen domiciled in the NMI or the U.S. or a U.S. territory or possession; (b) a Trust
    Territory citizen, wherever born, domiciled in the NMI for the five years before, who registered to vote
    there before 1975 unless under age; or (c) not a Trust Territory citizen, wherever born, domiciled in the
    NMI continuously since before 1974-01-01. A person born elsewhere is in (b) or (c) only with NMI domicile on
    1986-11-03: where that is unknown, so is the class."""
    ttpi, domicile = F.ttpi_citizen_on_1986_11_03, F.nmi_domicile_on_1986_11_03
    class_a = born_in_trust_territory & ttpi & domicile.is_in(("nmi", "us_or_territory"))
    class_b = _covenant_301b(F.registered_to_vote_nmi_before_1975 | _under_age_for_1975())
    before_1974 = F.birth_date < param("territories.covenant_301_domicile_cutoff")
    class_c = ~ttpi & (domicile == "nmi") & before_1974 & F.nmi_domiciled_continuously_since_before_1974
    return (F.birth_date < CNMI_DAY) & (class_a | class_b | class_c)


@rule(COVENANT_301)
def citizen_by_covenant_301():
    """In a Covenant §301 class and not having declared, under §302, to be a national instead: a citizen as of
    1986-11-04."""
    return covenant_301_class & ~F.covenant_302_national_declaration


@rule(COVENANT_302)
def national_by_covenant_302():
    """In a Covenant §301 class and having declared under §302 to be a national but not a citizen."""
    return covenant_301_class & F.covenant_302_national_declaration


@rule(INA_303)
def citizen_by_birth_in_canal_zone():
    """Born in the Canal Zone from 1904-02-26 until the Zone ended (1979-10-01) to a U.S.-citizen father
    or mother (INA 303(a)); or in Panama to a citizen parent employed by the U.S. government or the Panama
    Railroad Company (INA 303(b)). For an adoptee, the parents at the birth are the birth parents (Colaianni)."""
    in_period = (F.birth_date >= param("territories.canal_zone_start")) & (F.birth_date < param("territories.canal_zone_end"))
    zone = (F.birth_place == "PZ") & in_period & any_of(
        named_parents_are_birth_parents & any_of(F.mother_citizen_at_birth, F.father_citizen_at_birth),
        adoption_shown & BIRTH_PARENT_CITIZEN)  # 303(a) asks nothing more of the parent than citizenship
    panama = (F.birth_place == "PA") & (F.birth_date >= param("territories.canal_zone_start")) & any_of(
        named_parents_are_birth_parents & any_of(F.mother_citizen_at_birth & F.mother_us_government_employee_at_birth,
                                                 F.father_citizen_at_birth & F.father_us_government_employee_at_birth),
        _adoptee_through_birth_parent())
    return zone | panama


def _father_counts_na_1940():
    """NA 1940 §205: through the father only if born in wedlock, or paternity established during minority
    by legitimation or a court."""
    in_minority = F.paternity_established_date < F.birth_date.plus_years(param("territories.na_1940_minority_age"))
    return F.parents_married_at_birth | (F.paternity_established_by.is_in(("legitimation", "court_order"))
                                         & in_minority)


def _born_in_na_1940_outlying_possession():
    """Guam, American Samoa (Swains Island entered as AS), the Philippines before independence. Whether the
    Act's wider "outlying possessions" (§101(e)) reach the minor outlying islands (UM) is not encoded: the
    coverage table marks those births."""
    philippines = (F.birth_place == "PH") & (F.birth_date < param("territories.philippine_independence"))
    return F.birth_place.is_in(("GU", "AS")) | philippines


@rule(NA_201_E)
def citizen_by_birth_in_outlying_possession_na_1940():
    """Born 1941-01-13 to 1952-12-23 in an outlying possession of the Nationality Act of 1940 (Guam, American
    Samoa with Swains Island; the Philippines until 1946-07-03) to a citizen parent who had resided in the U.S. or
    an outlying possession before the birth (NA 1940 §201(e)): a citizen at birth. A birth on 1941-01-13 is
    decided only where both readings of the Act's first day agree (REFERENCE §7 #3)."""
    in_era = agreed(F.birth_date >= NA_1940_BIRTHS) & (F.birth_date < INA_EFFECTIVE)
    parent = any_of(named_parents_are_birth_parents & any_of(
        F.mother_citizen_at_birth & F.mother_us_residence_before_birth,
        F.father_citizen_at_birth & F.father_us_residence_before_birth & _father_counts_na_1940()),
        _adoptee_through_birth_parent())
    return _born_in_na_1940_outlying_possession() & in_era & parent


@rule(NA_1940_START)
def birth_turns_on_1941_start_dispute():
    """Born on 1941-01-13 outside the states, to a U.S.-citizen parent who may have resided in the U.S. before the
    birth (both regimes require it), so that parent may transmit: one chart puts the
    birth under the Nationality Act of 1940, another under the 1934 Act, and the routes differ (REFERENCE §7 #3).
    The acquisition rules apply the Act from 1941-01-13; the case is contested while no route decides it."""
    outside = ~F.birth_place.is_in(("US", "PR", "VI"))
    citizen_parent = any_of(named_parents_are_birth_parents & any_of(
        F.mother_citizen_at_birth & F.mother_us_residence_before_birth,
        F.father_citizen_at_birth & F.father_us_residence_before_birth), adoption_shown & BIRTH_PARENT_CITIZEN)
    return disputed(F.birth_date >= NA_1940_BIRTHS) & outside & citizen_parent


@rule(INA_301_E)
def citizen_by_birth_in_outlying_possession():
    """Born in an outlying possession on or after 1952-12-24 to a U.S.-citizen parent who, before the birth, had
    been physically present in the U.S. or an outlying possession for a continuous year (INA 301(e))."""
    return F.birth_place.is_in(OUTLYING_POSSESSIONS) & (F.birth_date >= INA_EFFECTIVE) & any_of(
        named_parents_are_birth_parents & any_of(F.mother_citizen_at_birth & F.mother_us_continuous_presence_year,
                                                 F.father_citizen_at_birth & F.father_us_continuous_presence_year),
        _adoptee_through_birth_parent())


@rule(INA_308)
def national_by_birth_in_outlying_possession():
    """Born in American Samoa, Swains Island included, from 1900-02-16: a U.S. national at birth, not a citizen
    (INA 308(1); 8 FAM 302.5-1(d)-(e); Fitisemanu, 10th Cir. 2021). ISO 3166 has no code for Swains Island (it is
    in AS), so a Swains birth from 1900-02-16 to 1925-03-03, before U.S. sovereignty there, is read as an American
    Samoa birth: a national, which only bars a transfer that the unencoded law of that birth might allow
    (coverage table)."""
    lifetime = ("no person born before the possession was acquired (1900) is alive on any date this "
                "screening speaks for, so an unknown birth date is taken to be after it")
    return (F.birth_place.is_in(OUTLYING_POSSESSIONS)
            & Presumed(F.birth_date >= param("territories.american_samoa_acquired"), True, lifetime))
