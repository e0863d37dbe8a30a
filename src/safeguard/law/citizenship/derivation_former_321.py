"""Derivation under former INA 321(a) and former INA 320, in force from 1952-12-24 until the Child
Citizenship Act repealed 321 and rewrote 320 on 2001-02-27 (USCIS PM Vol. 12, Part H, Ch. 7).

All conditions may be met in any order but all before the age limit (Matter of Baires-Larios, 2008;
Matter of Douglas, 2013); the person became a citizen the day the last was met. The age limit was 16
when the last condition was met before 1978-10-05 and 18 afterwards (Chart 3), but Matter of
Fuentes-Martinez (BIA 1997) applied 18 to a person who met them at 16 before 1978: the two readings
are kept (`agreed`), and `former_321_turns_on_age_limit` says when a case turns on them.
LPR status had to be obtained before the age limit (Matter of Nwozuzu, BIA 2008), but the Second Circuit
reads the "begins to reside permanently" clause as met by permanent residence in fact (Nwozuzu v. Holder,
726 F.3d 323 (2013); the fact `began_residing_permanently_before_18`), and divides the birthday of the age
limit into hours (Duarte-Ceri v. Holder, 630 F.3d 83 (2010)): both readings are kept, routes hold only
where every reading agrees, and `former_321_turns_on_*` say when a case is contested.
"""

from safeguard.engine.expr import (
    Expr,
    Fact,
    Presumed,
    agreed,
    all_of,
    any_of,
    decide,
    disputed,
    first_true,
    latest,
)
from safeguard.engine.rules import Citation, rule
from safeguard.law.citizenship.derivation_pre_1952 import (
    UNSETTLED,
    adoption_shown,
    born_outside_the_united_states,
    father_has_legal_custody_after_separation,
    father_may_transmit,
    father_naturalized_after_birth,
    mother_has_legal_custody_after_separation,
    mother_naturalized_after_birth,
    separation_continues_on,
    under_age_limit,
)
from safeguard.law.vocabulary import F, birthday, param

PM_12_H_7 = "https://www.uscis.gov/policy-manual/volume-12-part-h-chapter-7"
FORMER_321 = Citation("Former INA 321(a), 8 U.S.C. 1432(a) (1994) (repealed by Pub. L. 106-395, eff. 2001-02-27)",
                      "USCIS PM Vol. 12, Part H, Ch. 7.A; Matter of Baires-Larios, 24 I&N Dec. 467 (BIA 2008); "
                      "Matter of Nwozuzu, 24 I&N Dec. 609 (BIA 2008)", PM_12_H_7)
FORMER_321_A3 = Citation("Former INA 321(a)(3)", "legal custody after legal separation; Morgan v. Att'y Gen., 432 "
                         "F.3d 226 (3d Cir. 2005); Turner v. U.S. Att'y Gen., No. 22-11207 (11th Cir. 2025)", PM_12_H_7)
FORMER_321_A3_WEDLOCK = Citation("Former INA 321(a)(3), second clause; INA 101(c)(1)", "Matter of Rowe, 23 I&N Dec. "
                                 "962 (BIA 2006); Matter of Hines, 24 I&N Dec. 544 (BIA 2008); Matter of Cross, 26 "
                                 "I&N Dec. 485 (BIA 2015)", PM_12_H_7)
FORMER_320 = Citation("Former INA 320(a), 8 U.S.C. 1431(a) (1994)", "one parent a citizen at the birth, the alien "
                      "parent naturalizing; USCIS PM Vol. 12, Part H, Ch. 7",
                      "https://www.customsmobile.com/uscode/8/1431/notes")
INA_101_C = Citation("INA 101(c)(1)", "8 U.S.C. 1101(c)(1): 'child' is unmarried, under 21, and if born out of wedlock "
                     "a child of the father only if legitimated before 16; Matter of Cross (BIA 2015)",
                     "https://uscode.house.gov/view.xhtml?req=granuleid:USC-prelim-title8-section1101&num=0&edition=prelim")


@rule(INA_101_C)
def married_before_18_shown():
    """The person is shown to have married before 18. A 'child' is unmarried (INA 101(c)(1)); a marriage is an
    event that must be recorded, so only a recorded one counts, and without its date it is not known whether
    it came before the conditions were met (derivation already complete is not undone by a later marriage)."""
    return Presumed(F.married_before_18, False, "INA 101(c)(1): a marriage before 18 is an event that must be "
                    "recorded; none is recorded, so the person is taken as unmarried (the result lists this)")


@rule(INA_101_C)
def ina_child_born_abroad():
    """Born outside the United States, and a 'child' who can derive under the INA. A shown adoption (former
    321(b) from 1978 and INA 320(b) add conditions not encoded; former 321 before 1978 is unconfirmed) or a
    shown marriage before 18 (timing not a fact) leaves the route unknown."""
    return born_outside_the_united_states & (~adoption_shown | UNSETTLED) & (~married_before_18_shown | UNSETTLED)


@rule(INA_101_C)
def legitimated_before_16():
    """Legitimated by the father before the 16th birthday (INA 101(c)(1); Gil v. Sessions, 2d Cir. 2017)."""
    return (F.paternity_established_by == "legitimation") & (F.paternity_established_date < birthday(
        "derivation.legitimation_age"))


@rule(INA_101_C)
def father_is_parent_under_101c():
    """The father is a parent under INA 101(c)(1): the person was born in wedlock, was legitimated before 16,
    or was born or lived before 16 where the law abolished all distinctions of birth (Matter of Cross)."""
    return (F.parents_married_at_birth | F.legitimated_by_law_of_residence | legitimated_before_16) & father_may_transmit


@rule(INA_101_C)
def father_is_parent_by_the_marriage_separated():
    """A legal separation needs a marriage: parents divorced or legally separated from each other before the
    person's 16th birthday had married each other by then, and their marriage legitimates a child born before it
    (the parents' marriage legitimates even where nothing else does: Matter of Rowe; Matter of Hines). So the
    father was a parent under INA 101(c)(1) before 16, unless shown a stepfather."""
    return (F.parents_legally_separated & (F.legal_separation_date < birthday("derivation.legitimation_age"))
            & father_may_transmit)


@rule(INA_101_C)
def father_is_parent_since():
    """The day the father became a parent under INA 101(c)(1): the birth, or the legitimation."""
    return decide((F.parents_married_at_birth, F.birth_date), (F.legitimated_by_law_of_residence, F.birth_date),
                  (legitimated_before_16, F.paternity_established_date), otherwise=None)


@rule(FORMER_321)
def lpr_before_18():
    """The person became an LPR before turning 18: required by every post-1952 derivation statute (Matter of
    Nwozuzu, BIA 2008; Gonzalez Gonzalez v. Holder, 5th Cir. 2014), and never met by LPR status at 18 or
    later."""
    return F.lpr & (F.lpr_date < birthday("derivation.age_limit_from_1978"))


def _in_time(days: list[Expr], hours: bool = True) -> Expr:
    """The conditions, met on `days` in any order, were all met before 2001-02-27 and before the age limit, the
    last on or after 1952-12-24, and all by as_of. The age limit is 18 if any was met on or after 1978-10-05,
    and otherwise 16 or 18 (contested): the parameter is read here so that `agreed`/`disputed` vary it."""
    amended = any_of(*(day >= param("derivation.age_18_amendment") for day in days))
    under_limit = decide(
        (amended, all_of(*(under_age_limit(day, birthday("derivation.age_limit_from_1978"), hours) for day in days))),
        otherwise=all_of(*(under_age_limit(day, birthday("derivation.age_limit_before_1978"), hours) for day in days)))
    reach = (F.birth_date < param("derivation.cca_effective")) & (
        birthday("derivation.age_limit_from_1978") > param("derivation.ina_effective"))
    return (reach & all_of(*(day < param("derivation.cca_effective") for day in days))
            & any_of(*(day >= param("derivation.ina_effective") for day in days))
            & under_limit & all_of(*(day <= F.as_of for day in days)))


# --- the days the conditions were met, route by route (the latest of them is the day of citizenship) -------

_BOTH = [F.mother_naturalization_date, F.father_naturalization_date, F.lpr_date, father_is_parent_since]
_SURVIVING_MOTHER = [F.mother_naturalization_date, F.father_death_date, F.lpr_date]
_SURVIVING_FATHER = [F.father_naturalization_date, F.mother_death_date, F.lpr_date, father_is_parent_since]
_CUSTODIAL_MOTHER = [F.legal_separation_date, F.mother_naturalization_date, F.lpr_date]
_CUSTODIAL_FATHER = [F.legal_separation_date, F.father_naturalization_date, F.lpr_date]
_MOTHER_ALONE = [F.mother_naturalization_date, F.lpr_date]
_320_MOTHER_NATURALIZED = [F.mother_naturalization_date, F.lpr_date, father_is_parent_since]
_320_FATHER_NATURALIZED = [F.father_naturalization_date, F.lpr_date, father_is_parent_since]


@rule(FORMER_321)
def former_321_both_parents_date():
    """The latest of both parents' naturalizations, the start of LPR status and the father's becoming a parent.
    """
    return latest(*_BOTH)


@rule(FORMER_321)
def former_321_surviving_mother_date():
    """The latest of the mother's naturalization, the father's death and the start of LPR status."""
    return latest(*_SURVIVING_MOTHER)


@rule(FORMER_321)
def former_321_surviving_father_date():
    """The latest of the father's naturalization, the mother's death, the start of LPR status and the father's
    becoming a parent."""
    return latest(*_SURVIVING_FATHER)


@rule(FORMER_321_A3)
def former_321_custodial_mother_date():
    """The latest of the legal separation, the mother's naturalization and the start of LPR status (the day
    custody passed is not a fact; it is taken to be no later)."""
    return latest(*_CUSTODIAL_MOTHER)


@rule(FORMER_321_A3)
def former_321_custodial_father_date():
    """The latest of the legal separation, the father's naturalization and the start of LPR status."""
    return latest(*_CUSTODIAL_FATHER)


@rule(FORMER_321_A3_WEDLOCK)
def former_321_mother_date():
    """The later of the mother's naturalization and the start of LPR status."""
    return latest(*_MOTHER_ALONE)


@rule(FORMER_320)
def former_320_mother_naturalized_date():
    """The latest of the (alien) mother's naturalization, the start of LPR status and the (citizen) father's
    becoming a parent."""
    return latest(*_320_MOTHER_NATURALIZED)


@rule(FORMER_320)
def former_320_father_naturalized_date():
    """The latest of the (alien) father's naturalization, the start of LPR status and his becoming a parent.
    """
    return latest(*_320_FATHER_NATURALIZED)


# --- the routes: conditions, each read under every reading of the age limit -------------------------------

@rule(FORMER_321_A3_WEDLOCK)
def paternity_not_established_by_legitimation():
    """Born out of wedlock, and the father had not legitimated the person before the mother's route was complete
    (by the law of residence, Matter of Cross, the person counts as legitimated from birth)."""
    legitimated_in_time = legitimated_before_16 & any_of(*(F.paternity_established_date <= day
                                                            for day in _MOTHER_ALONE))
    return ~F.parents_married_at_birth & ~F.legitimated_by_law_of_residence & ~legitimated_in_time


_FATHER = father_naturalized_after_birth & father_is_parent_under_101c


def _resides(days: list[Expr], hours: bool, nwozuzu: bool) -> Expr:
    """The person is a child born abroad who became an LPR before the age limit, every condition (the LPR date
    with the `days`) in time (Matter of Nwozuzu, BIA 2008: LPR status at 18 or later never counts). With `nwozuzu`, also the Second Circuit's reading of former 321(a)(5) (Nwozuzu v. Holder,
    2013): permanent residence begun before 18 short of LPR status (a fact), the other conditions in time."""
    lpr = F.lpr & _in_time([*days, F.lpr_date], hours)  # LPR before the age limit (its birthday: by the hours)
    if nwozuzu:
        in_fact = param("derivation.begins_to_reside_permanently") == "permanent_residence_in_fact"
        lpr = lpr | (in_fact & F.began_residing_permanently_before_18 & _in_time(days, hours))
    return ina_child_born_abroad & lpr


def _routes(hours: bool = True, nwozuzu: bool = True) -> dict[str, Expr]:
    """Every former 320/321 route, its conditions read under the contested readings asked for (the age limit
    before 1978 always; the birthday's hours and the Second Circuit's permanent residence when asked)."""
    def child(days):
        return _resides([d for d in days if not (isinstance(d, Fact) and d.name == "lpr_date")], hours, nwozuzu)
    return {
        "a1": child(_BOTH) & mother_naturalized_after_birth & _FATHER,
        "a2_mother": child(_SURVIVING_MOTHER) & mother_naturalized_after_birth & F.father_deceased,
        "a2_father": child(_SURVIVING_FATHER) & _FATHER & F.mother_deceased,
        "a3_mother": (child(_CUSTODIAL_MOTHER) & mother_has_legal_custody_after_separation
                      & mother_naturalized_after_birth & separation_continues_on(_CUSTODIAL_MOTHER)),
        "a3_father": (child(_CUSTODIAL_FATHER) & father_has_legal_custody_after_separation
                      & father_naturalized_after_birth & separation_continues_on(_CUSTODIAL_FATHER)
                      & (father_is_parent_under_101c | father_is_parent_by_the_marriage_separated)),
        "a3_wedlock": child(_MOTHER_ALONE) & mother_naturalized_after_birth & paternity_not_established_by_legitimation,
        "320_father_citizen": (child(_320_MOTHER_NATURALIZED) & F.father_citizen_at_birth & father_is_parent_under_101c
                               & mother_naturalized_after_birth),
        "320_mother_citizen": child(_320_FATHER_NATURALIZED) & F.mother_citizen_at_birth & _FATHER,
    }


_ALL = _routes()  # every contested reading: a route holds (or fails) only where all of them agree (`agreed`)
# Which parent a route ran through, for its date: read under the evaluation's readings (the defaults), as the
# date is reported only once the route holds under every reading.
_A2_MOTHER, _A2_FATHER = _ALL["a2_mother"], _ALL["a2_father"]
_A3_MOTHER, _A3_FATHER = _ALL["a3_mother"], _ALL["a3_father"]
_320_FATHER_CITIZEN, _320_MOTHER_CITIZEN = _ALL["320_father_citizen"], _ALL["320_mother_citizen"]


@rule(FORMER_321)
def derived_under_former_321_both_parents():
    """Former 321(a)(1): both parents naturalized and the person became an LPR, all before the age limit and
    between 1952-12-24 and 2001-02-26: a citizen from the day the last was met."""
    return agreed(_ALL["a1"])


@rule(FORMER_321)
def derived_under_former_321_surviving_parent():
    """Former 321(a)(2): the surviving parent naturalized, the other having died, and the person became an
    LPR, all before the age limit: a citizen from the day the last was met."""
    return agreed(_ALL["a2_mother"] | _ALL["a2_father"])


@rule(FORMER_321_A3)
def derived_under_former_321_legal_custody():
    """Former 321(a)(3), first clause: after a divorce or legal separation (which needs a marriage) the parent
    with legal custody naturalized and the person became an LPR, all before the age limit, the separation still
    existing when the last was met (custody may come after the naturalization: Baires-Larios; a reunion of the
    parents before then defeats it, one after it undoes nothing: Turner; joint custody is unsettled). Through
    the father only if he is a parent under INA 101(c)(1) by then."""
    return agreed(_ALL["a3_mother"] | _ALL["a3_father"])


@rule(FORMER_321_A3_WEDLOCK)
def derived_under_former_321_mother_of_child_born_out_of_wedlock():
    """Former 321(a)(3), second clause: born out of wedlock, paternity not established by legitimation, the
    mother naturalized and the person became an LPR, all before the age limit."""
    return agreed(_ALL["a3_wedlock"])


@rule(FORMER_320)
def derived_under_former_320():
    """Former INA 320: one parent a citizen at the birth (and still one), the other naturalized, and the person
    became an LPR, all before the age limit and before 2001-02-27."""
    return agreed(_ALL["320_father_citizen"] | _ALL["320_mother_citizen"])


@rule(Citation("Former INA 320, 321(a)(4)-(5)", "REFERENCE §7 #18: USCIS Nationality Chart 3 (16) v. Matter of "
               "Fuentes-Martinez, 21 I&N Dec. 893 (BIA 1997) (18)", PM_12_H_7))
def former_321_turns_on_age_limit():
    """Whether the person derived under former 320/321 depends on which age limit (16 or 18) applies to
    conditions met before 1978-10-05: the authorities disagree and the case is contested (unknown while other
    facts leave the outcome open under one of the readings)."""
    return disputed(any_of(*_routes(hours=False, nwozuzu=False).values()))


_BIRTHDAYS = (birthday("derivation.age_limit_before_1978"), birthday("derivation.age_limit_from_1978"))
_CONDITION_DAYS = [F.mother_naturalization_date, F.father_naturalization_date, F.lpr_date, F.legal_separation_date,
                   F.father_death_date, F.mother_death_date, father_is_parent_since]


@rule(Citation("Former INA 320, 321(a)(4)-(5); INA 320(a)(2)", "Duarte-Ceri v. Holder, 630 F.3d 83 (2d Cir. 2010) "
               "(under 18 until the hour of birth) v. the whole-day rule of the Board and the dissent",
               "https://law.justia.com/cases/federal/appellate-courts/ca2/08-6128/08-6128_opn-2011-03-27.html"))
def former_321_turns_on_birthday_hours():
    """A condition was met on the birthday of the age limit and the person derived under former 320/321 if and
    only if that day still counts as under the age: the Second Circuit (Duarte-Ceri) says it may, by the hours
    (not facts), the whole-day rule says no. Contested; never decided by one side."""
    on_birthday = any_of(*(day == limit for day in _CONDITION_DAYS for limit in _BIRTHDAYS))
    return disputed(any_of(*_routes(hours=True, nwozuzu=False).values())) & on_birthday


@rule(Citation("Former INA 321(a)(5), second clause", "Matter of Nwozuzu, 24 I&N Dec. 609 (BIA 2008) (LPR status "
               "before 18) v. Nwozuzu v. Holder, 726 F.3d 323 (2d Cir. 2013) (permanent residence in fact)",
               "http://casetext.com/case/nwozuzu-v-holder"))
def former_321_turns_on_permanent_residence():
    """The person was not an LPR before 18 but began to reside permanently before 18, and derived under former
    321 if and only if that is enough: the Second Circuit says it is (Nwozuzu v. Holder), the Board, USCIS and
    other circuits require LPR status. Contested; never decided by one side."""
    return disputed(any_of(*_routes(hours=False, nwozuzu=True).values())) & ~lpr_before_18


@rule(FORMER_321)
def former_321_surviving_since():
    """The day the surviving-parent route was complete, through whichever parent it holds."""
    return first_true((_A2_MOTHER, former_321_surviving_mother_date), (_A2_FATHER, former_321_surviving_father_date))


@rule(FORMER_321_A3)
def former_321_custodial_since():
    """The day the legal-custody route was complete, through whichever parent had custody."""
    return first_true((_A3_MOTHER, former_321_custodial_mother_date), (_A3_FATHER, former_321_custodial_father_date))


@rule(FORMER_320)
def former_320_since():
    """The day the former-320 route was complete, whichever parent was the citizen."""
    return first_true((_320_FATHER_CITIZEN, former_320_mother_naturalized_date),
                      (_320_MOTHER_CITIZEN, former_320_father_naturalized_date))
