"""Citizenship at birth abroad to parents not married to each other (INA 309 and its predecessors).

Through a citizen mother: NA §205 (births before 1934, citizen from 1941-01-13; 1934-1952 births,
prior residence), INA 309(c) (one continuous year, births before 2017-06-12), and the general INA
301(g) rule from 2017-06-12 (Sessions v. Morales-Santana, as USCIS and the State Department apply it).
Through a citizen father: legitimation under R.S. 1993 and the 1934 Act, NA §205 / INA 309(b)
(1941-1952), old INA 309(a) (legitimation before 21) and new INA 309(a) (from 1986-11-14, and for
persons under 18 that day), with the 1986 transition.
"""

from safeguard.engine.expr import Expr, agreed, any_of, decide, disputed
from safeguard.engine.rules import Citation, rule
from safeguard.law.citizenship.acquisition_wedlock import (
    CALENDAR_1952,
    PRESENCE_301G,
    PRESENCE_1986,
    RESIDENCE_NA_1940,
    UNSETTLED,
    alien,
    born_abroad_to_the_named_parents,
    born_before_1934_act,
    born_on_or_after_1986_amendments,
    born_on_or_after_ina,
    born_under_1934_act,
    born_under_ina_before_1986_amendments,
    born_under_nationality_act_1940,
    citizen,
    national_only,
)
from safeguard.law.citizenship.derivation_pre_1952 import under_age_limit
from safeguard.law.vocabulary import F, on_birthday, param

USC_1409 = "https://uscode.house.gov/view.xhtml?req=granuleid:USC-prelim-title8-section1409&num=0&edition=prelim"
CHART_2 = "https://www.uscis.gov/policymanual/HTML/PolicyManual-Appendix-Nationality2.html"
NA_205_URL = "https://www.scribd.com/document/8613186/Nationality-Act-of-1940-Ch3-S301-322"
MORALES_SANTANA_URL = "https://www.supremecourt.gov/opinions/16pdf/15-1191_poq1.pdf"
MILLER_URL = "http://law.onecle.com/ussc/523/523us432.html"

NA_205 = Citation("Nationality Act of 1940 §205", "54 Stat. 1139-40 (now INA 309(a), (c)); USCIS Nationality Chart 2",
                  NA_205_URL)
INA_301H_OOW = Citation("INA 301(h); NA §205", "how INA 301(h) reaches births out of wedlock is UNCONFIRMED "
                        "(REFERENCE §2.6, §7 #15)", CHART_2)
INA_309C = Citation("INA 309(c)", "8 U.S.C. 1409(c): the mother's nationality, with one continuous year of "
                    "presence before the birth", USC_1409)
MORALES_SANTANA = Citation("Sessions v. Morales-Santana, 582 U.S. 47 (2017); INA 301(g), 309(c)", "USCIS PA-2018-01 "
                           "(births on or after 2017-06-12; two-citizen-parent cases referred to USCIS OCC)",
                           MORALES_SANTANA_URL)
LEGITIMATION_OLD = Citation("R.S. 1993; Act of May 24, 1934; USCIS Nationality Chart 2", "legitimation under the law "
                            "of the father's domicile, at any time before 1934 (1934-1941 detail UNCONFIRMED)", CHART_2)
INA_309B = Citation("INA 309(b); NA §205", "8 U.S.C. 1409(b): births 1941-01-13 to 1952-12-23, paternity established "
                    "by legitimation under 21 (NA §205 also by court adjudication during minority)", USC_1409)
OLD_309A = Citation("INA 309(a) (1952-1986)", "legitimation before 21; Lake v. Reno, 226 F.3d 141 (2d Cir. 2000); "
                    "Miller v. Albright, 523 U.S. 420 (1998)", USC_1409)
NEW_309A = Citation("INA 309(a)(1)-(4) (Pub. L. 99-653 §13)", "8 U.S.C. 1409(a); USCIS PA-2018-01 (support "
                    "agreement); Nguyen v. INS, 533 U.S. 53 (2001)", USC_1409)
TRANSITION_1986 = Citation("Pub. L. 99-653 §23(e), as amended by Pub. L. 100-525 §8(r)", "already 18 on 1986-11-14: "
                           "old 309(a); an interim provision lets some younger persons elect it (Miller v. Albright, "
                           "523 U.S. at 432); its bracket is UNCONFIRMED (REFERENCE §8 #3)", MILLER_URL)


def _out_of_wedlock_abroad(regime: Expr) -> Expr:
    return born_abroad_to_the_named_parents & ~F.parents_married_at_birth & regime


def _legitimated_before(age_param: str) -> Expr:
    return ((F.paternity_established_by == "legitimation")
            & (F.paternity_established_date < on_birthday(F.birth_date, age_param)))


# ---- Through a citizen mother ----

@rule(NA_205)
def citizen_abroad_out_of_wedlock_before_1934_na_205():
    """Born abroad out of wedlock before noon 1934-05-24 to a citizen mother who had resided in the U.S., and
    not legitimated by an alien father before 1941-01-13: a citizen from 1941-01-13, retroactive to birth."""
    na_1940 = param("acquisition.nationality_act_1940_effective")
    legitimated_by_alien_father = (~citizen("father") & (F.paternity_established_by == "legitimation")
                                   & (F.paternity_established_date < na_1940))
    return (_out_of_wedlock_abroad(born_before_1934_act) & citizen("mother") & F.mother_us_residence_before_birth
            & ~legitimated_by_alien_father)


@rule(INA_301H_OOW)
def citizen_abroad_out_of_wedlock_ina_301h():
    """Born abroad out of wedlock before noon 1934-05-24 to a citizen mother who had resided in the U.S. and a
    non-citizen father: whether INA 301(h) reaches the birth is unsettled, so never more than unknown."""
    return (_out_of_wedlock_abroad(born_before_1934_act) & citizen("mother") & alien("father")
            & F.mother_us_residence_before_birth & UNSETTLED)


@rule(NA_205)
def citizen_abroad_out_of_wedlock_mother_1934_1952():
    """Born abroad out of wedlock from noon 1934-05-24 to 1952-12-23 to a citizen mother who had resided in the
    U.S. or an outlying possession before the birth (NA §205; no retention condition)."""
    return (_out_of_wedlock_abroad(born_under_1934_act | born_under_nationality_act_1940) & citizen("mother")
            & F.mother_us_residence_before_birth)


@rule(INA_309C)
def citizen_abroad_out_of_wedlock_ina_309c():
    """Born abroad out of wedlock 1952-12-24 to 2017-06-11 to a citizen mother with one continuous year of
    presence in the U.S. or an outlying possession before the birth (INA 309(c))."""
    before_ms = F.birth_date < param("acquisition.morales_santana_decided")
    return (_out_of_wedlock_abroad(born_on_or_after_ina & before_ms) & citizen("mother")
            & F.mother_us_continuous_presence_year)


@rule(MORALES_SANTANA)
def citizen_abroad_out_of_wedlock_mother_after_morales_santana():
    """Born abroad out of wedlock on or after 2017-06-12 to a citizen mother and a non-citizen father, the
    mother having 5 years' presence, 2 after 14 (the general INA 301(g) rule). Where the father was a
    citizen or national the mother's standard is unsettled (USCIS OCC): unknown unless another route holds."""
    from_ms = F.birth_date >= param("acquisition.morales_santana_decided")
    standard = decide((citizen("father"), UNSETTLED), (F.father_national_at_birth, UNSETTLED),
                      otherwise=PRESENCE_1986["mother"])
    return _out_of_wedlock_abroad(from_ms) & citizen("mother") & standard


# ---- Through a citizen father: before the INA ----

@rule(LEGITIMATION_OLD)
def citizen_abroad_out_of_wedlock_father_before_1934():
    """Born abroad out of wedlock before noon 1934-05-24 to a citizen father who had resided in the U.S., and
    legitimated (at any time) under the law of his domicile. A legitimation known only from the child's
    place of residence leaves it unknown."""
    legitimated = decide((F.paternity_established_by == "legitimation", True),
                         (F.legitimated_by_law_of_residence, UNSETTLED), otherwise=False)
    return (_out_of_wedlock_abroad(born_before_1934_act) & citizen("father") & F.father_us_residence_before_birth
            & legitimated)


@rule(LEGITIMATION_OLD)
def citizen_abroad_out_of_wedlock_father_1934_act():
    """Born abroad out of wedlock from noon 1934-05-24 to 1941-01-12 to a citizen father who had resided in the
    U.S., legitimated before 21 (later legitimation, or one known only from the child's residence, is
    unknown: the chart is unconfirmed). Retention applied if the mother was an alien."""
    legitimated = decide((_legitimated_before("acquisition.old_309a_legitimation_age"), True),
                         (F.paternity_established_by == "legitimation", UNSETTLED),
                         (F.legitimated_by_law_of_residence, UNSETTLED), otherwise=False)
    return (_out_of_wedlock_abroad(born_under_1934_act) & citizen("father") & F.father_us_residence_before_birth
            & legitimated)


@rule(INA_309B)
def father_presence_met_ina_309b():
    """The father had 10 years' physical presence before the birth, 5 after 14 (INA 301(g) as INA 309(b)
    applies it to 1941-1952 births; the service proviso reaches only births from 1952-12-24)."""
    return ((F.father_us_presence_years >= param("acquisition.ina_presence_years_1952"))
            & (F.father_us_presence_years_after_14 >= param("acquisition.ina_presence_years_after_14_1952"))
            & ~CALENDAR_1952["father"].established())


@rule(INA_309B)
def citizen_abroad_out_of_wedlock_father_1941_1952():
    """Born abroad out of wedlock 1941-01-13 to 1952-12-23 to a citizen father whose paternity was established
    before 21 by legitimation (INA 309(b), or NA §205 also by a court), who met the transmission rule for the
    mother's status. Retention applied if the mother was an alien."""
    age = "acquisition.old_309a_legitimation_age"
    legitimated = _legitimated_before(age) | (F.legitimated_by_law_of_residence & UNSETTLED)
    by_court = ((F.paternity_established_by == "court_order")
                & (F.paternity_established_date < on_birthday(F.birth_date, age)))
    paternity_205 = legitimated | by_court
    mother_alien = alien("mother") & ((paternity_205 & RESIDENCE_NA_1940["father"])
                                      | (legitimated & father_presence_met_ina_309b))
    mother_citizen = citizen("mother") & paternity_205 & (F.father_us_residence_before_birth
                                                           | F.mother_us_residence_before_birth)
    mother_national = national_only("mother") & paternity_205 & F.father_us_residence_before_birth
    return (_out_of_wedlock_abroad(born_under_nationality_act_1940) & citizen("father")
            & any_of(mother_alien, mother_citizen, mother_national))


# ---- Through a citizen father: INA 309(a), old and new ----

@rule(TRANSITION_1986)
def already_18_on_1986_amendments():
    """The person had turned 18 by 1986-11-14, so old INA 309(a) governs a birth before that day."""
    return (on_birthday(F.birth_date, "acquisition.transition_1986_age")
            <= param("acquisition.ina_1986_amendments"))


def _father_transmits_under_ina(presence_rule: Expr) -> Expr:
    """INA 301(c), (d) or (g) applied through the father (as 309(a) directs), by the mother's status."""
    return any_of(
        citizen("mother") & (F.father_us_residence_before_birth | F.mother_us_residence_before_birth),
        national_only("mother") & F.father_us_continuous_presence_year,
        alien("mother") & presence_rule,
    )


@rule(OLD_309A)
def old_309a_conditions_met():
    """Paternity established by legitimation before 21 and the father met INA 301 as applied by old 309(a)."""
    legitimated = (_legitimated_before("acquisition.old_309a_legitimation_age")
                   | F.legitimated_by_law_of_residence)
    return citizen("father") & legitimated & _father_transmits_under_ina(PRESENCE_301G["father"])


_FORMALIZED_UNDER_18 = (F.paternity_established_by.is_in(("legitimation", "acknowledgment_under_oath", "court_order"))
                        & under_age_limit(F.paternity_established_date,
                                          on_birthday(F.birth_date, "acquisition.new_309a_age"), hours=True))


@rule(NEW_309A)
def paternity_formalized_before_18():
    """Before the person turned 18: legitimation under the law of the person's residence or domicile, an
    acknowledgment of paternity in writing under oath, or a court adjudication (INA 309(a)(4))."""
    return agreed(_FORMALIZED_UNDER_18) | F.legitimated_by_law_of_residence


@rule(NEW_309A)
def paternity_turns_on_birthday_hours():
    """Paternity was formalized on the 18th birthday: under 18 that day by the hour (Duarte-Ceri) and under USCIS
    PA-2024-21 (the last condition met on the 18th birthday counts), not under the whole-day rule. Contested."""
    return disputed(_FORMALIZED_UNDER_18) & ~F.legitimated_by_law_of_residence



@rule(NEW_309A)
def new_309a_conditions_met():
    """Blood relationship by clear and convincing evidence, father a citizen at the birth, a written support
    agreement to 18 (unless the father has died), paternity formalized before 18, and the father met INA 301."""
    support = F.father_support_agreement | F.father_deceased
    return (F.blood_relationship_established & citizen("father") & support & paternity_formalized_before_18
            & _father_transmits_under_ina(PRESENCE_301G["father"]))


@rule(OLD_309A)
def citizen_abroad_out_of_wedlock_father_old_309a():
    """Born abroad out of wedlock 1952-12-24 to 1986-11-13 to a citizen father under old 309(a): governs if the
    person was 18 on 1986-11-14; for a younger person the election of the old law is unsettled (unknown)."""
    governs = decide((already_18_on_1986_amendments, True), otherwise=UNSETTLED)
    return _out_of_wedlock_abroad(born_under_ina_before_1986_amendments) & old_309a_conditions_met & governs


@rule(NEW_309A)
def citizen_abroad_out_of_wedlock_father_new_309a():
    """Born abroad out of wedlock to a citizen father under new INA 309(a): births from 1986-11-14, and earlier
    INA births of persons not yet 18 on 1986-11-14."""
    applies = born_on_or_after_1986_amendments | (born_under_ina_before_1986_amendments
                                                  & ~already_18_on_1986_amendments)
    return _out_of_wedlock_abroad(applies) & new_309a_conditions_met
