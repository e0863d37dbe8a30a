"""Derivation under former INA 321(a) and former INA 320, in force from 1952-12-24 until the Child
Citizenship Act repealed 321 and rewrote 320 on 2001-02-27 (USCIS PM Vol. 12, Part H, Ch. 7).

All conditions may be met in any order but all before the age limit (Matter of Baires-Larios, 2008;
Matter of Douglas, 2013); the person became a citizen the day the last was met. The age limit was 16
when the last condition was met before 1978-10-05 and 18 afterwards (Chart 3), but Matter of
Fuentes-Martinez (BIA 1997) applied 18 to a person who met them at 16 before 1978: the two readings
are kept (`agreed`), and `former_321_turns_on_age_limit` says when a case turns on them.
LPR status had to be obtained before the age limit (Matter of Nwozuzu, BIA 2008; the Second Circuit
disagreed in Nwozuzu v. Holder, 726 F.3d 323 (2013), but no fact records permanent residence without
LPR status, so the BIA rule is encoded).
"""

from safeguard.engine.expr import Expr, Presumed, agreed, all_of, any_of, decide, disputed, first_true, latest
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


def _in_time(days: list[Expr]) -> Expr:
    """The conditions, met on `days` in any order, were all met before 2001-02-27 and before the age limit, the
    last on or after 1952-12-24, and all by as_of. The age limit is 18 if any was met on or after 1978-10-05,
    and otherwise 16 or 18 (contested): the parameter is read here so that `agreed`/`disputed` vary it."""
    amended = any_of(*(day >= param("derivation.age_18_amendment") for day in days))
    under_limit = decide((amended, all_of(*(day < birthday("derivation.age_limit_from_1978") for day in days))),
                         otherwise=all_of(*(day < birthday("derivation.age_limit_before_1978") for day in days)))
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


_CHILD = ina_child_born_abroad & lpr_before_18
_FATHER = father_naturalized_after_birth & father_is_parent_under_101c
_A1 = _CHILD & mother_naturalized_after_birth & _FATHER & _in_time(_BOTH)
_A2_MOTHER = _CHILD & mother_naturalized_after_birth & F.father_deceased & _in_time(_SURVIVING_MOTHER)
_A2_FATHER = _CHILD & _FATHER & F.mother_deceased & _in_time(_SURVIVING_FATHER)
_A3_MOTHER = (_CHILD & mother_has_legal_custody_after_separation & mother_naturalized_after_birth
              & separation_continues_on(_CUSTODIAL_MOTHER) & _in_time(_CUSTODIAL_MOTHER))
_A3_FATHER = (_CHILD & father_has_legal_custody_after_separation & father_naturalized_after_birth
              & separation_continues_on(_CUSTODIAL_FATHER) & _in_time(_CUSTODIAL_FATHER))
_A3_WEDLOCK = _CHILD & mother_naturalized_after_birth & paternity_not_established_by_legitimation & _in_time(
    _MOTHER_ALONE)
_320_FATHER_CITIZEN = (_CHILD & F.father_citizen_at_birth & father_is_parent_under_101c
                       & mother_naturalized_after_birth & _in_time(_320_MOTHER_NATURALIZED))
_320_MOTHER_CITIZEN = _CHILD & F.mother_citizen_at_birth & _FATHER & _in_time(_320_FATHER_NATURALIZED)


@rule(FORMER_321)
def derived_under_former_321_both_parents():
    """Former 321(a)(1): both parents naturalized and the person became an LPR, all before the age limit and
    between 1952-12-24 and 2001-02-26: a citizen from the day the last was met."""
    return agreed(_A1)


@rule(FORMER_321)
def derived_under_former_321_surviving_parent():
    """Former 321(a)(2): the surviving parent naturalized, the other having died, and the person became an
    LPR, all before the age limit: a citizen from the day the last was met."""
    return agreed(_A2_MOTHER | _A2_FATHER)


@rule(FORMER_321_A3)
def derived_under_former_321_legal_custody():
    """Former 321(a)(3), first clause: after a divorce or legal separation the parent with legal custody
    naturalized and the person became an LPR, all before the age limit, the separation still existing when the
    last was met (custody may come after the naturalization: Baires-Larios; remarriage of the parents before
    then defeats it: Turner; joint custody is unsettled, so unknown)."""
    return agreed(_A3_MOTHER | _A3_FATHER)


@rule(FORMER_321_A3_WEDLOCK)
def derived_under_former_321_mother_of_child_born_out_of_wedlock():
    """Former 321(a)(3), second clause: born out of wedlock, paternity not established by legitimation, the
    mother naturalized and the person became an LPR, all before the age limit."""
    return agreed(_A3_WEDLOCK)


@rule(FORMER_320)
def derived_under_former_320():
    """Former INA 320: one parent a citizen at the birth (and still one), the other naturalized, and the person
    became an LPR, all before the age limit and before 2001-02-27."""
    return agreed(_320_FATHER_CITIZEN | _320_MOTHER_CITIZEN)


@rule(Citation("Former INA 320, 321(a)(4)-(5)", "REFERENCE §7 #18: USCIS Nationality Chart 3 (16) v. Matter of "
               "Fuentes-Martinez, 21 I&N Dec. 893 (BIA 1997) (18)", PM_12_H_7))
def former_321_turns_on_age_limit():
    """Whether the person derived under former 320/321 depends on which age limit (16 or 18) applies to
    conditions met before 1978-10-05: the authorities disagree and the case is contested (unknown while other
    facts leave the outcome open under one of the readings)."""
    return disputed(any_of(_A1, _A2_MOTHER, _A2_FATHER, _A3_MOTHER, _A3_FATHER, _A3_WEDLOCK, _320_FATHER_CITIZEN,
                           _320_MOTHER_CITIZEN))


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
