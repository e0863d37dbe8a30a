"""Derivation of citizenship through a parent's naturalization before the INA: the Act of March 2,
1907 §5 (1907-03-02 to 1934-05-23), the same section as amended on May 24, 1934 (to 1941-01-12), and
the Nationality Act of 1940 §§313-314 (1941-01-13 to 1952-12-23).

The regime is the one in force when the last condition was met (USCIS Nationality Chart 3); the
conditions may be met in any order. Every derivation statute required that the child begin to reside
permanently in the United States (8 FAM 301.9-2(c)); `lpr` / `lpr_date` stand for that.

This file also holds what every derivation regime shares (birth outside the United States, the
parents' naturalization after the birth, stepparents, custody after a legal separation, and the
date a person reaches an age read from the parameters); the later regimes import them.
"""

from safeguard.engine.expr import (
    Const,
    Expr,
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
from safeguard.law.citizenship.birth_place import born_abroad, born_in_canal_zone
from safeguard.law.vocabulary import F, birthday, param

FAM_301_9 = "https://fam.state.gov/fam/08fam/08fam030109.html"
NA_1940_TEXT = "https://en.wikisource.org/wiki/Page:United_States_Statutes_at_Large_Volume_54_Part_1.djvu/1180"
USC_1101 = "https://uscode.house.gov/view.xhtml?req=granuleid:USC-prelim-title8-section1101&num=0&edition=prelim"

ACT_1907 = Citation("Act of Mar. 2, 1907, §5", "34 Stat. 1228, 1229; 8 FAM 301.9-3; Matter of L-, 3 I&N Dec. 225 "
                    "(C.O. 1948)", FAM_301_9)
ACT_1934 = Citation("Act of Mar. 2, 1907, §5, as amended by Act of May 24, 1934, §2", "48 Stat. 797; R.S. 2172 "
                    "(both parents); USCIS Nationality Chart 3", FAM_301_9)
NA_314 = Citation("Nationality Act of 1940, §314", "54 Stat. 1145, §314(a)-(e)", NA_1940_TEXT)
NA_313 = Citation("Nationality Act of 1940, §313", "54 Stat. 1145 (text not confirmed; ILRC Chart C, REFERENCE §3.1)",
                  NA_1940_TEXT)
DERIVATION_GENERAL = Citation("INA 101(a)(38), 101(c)(1); 8 FAM 301.9-2", "child born outside the United States; "
                              "lawful admission for permanent residence required by every derivation statute",
                              FAM_301_9)
# The law on this point is not settled in the sources read: the value is unknown, never a guess.
UNSETTLED = Const(None)


@rule(DERIVATION_GENERAL)
def born_outside_the_united_states():
    """Born in a foreign country or the former Canal Zone: the persons derivation statutes reach. Not a birth in
    the United States or a territory, nor in an outlying possession: a person born there is a U.S. national at
    birth (INA 308(1)) and so cannot hold the lawful permanent residence every derivation statute requires
    (INA 101(a)(20) is an alien's status)."""
    return born_abroad | born_in_canal_zone


@rule(DERIVATION_GENERAL)
def mother_naturalized_after_birth():
    """The mother, an alien at the person's birth, naturalized after it. A mother who naturalized before the
    birth, or is shown to have been a citizen at it, makes this acquisition or former INA 320, not derivation
    through her naturalization (8 FAM 301.9-2(a); the statutes speak of a child "of alien parents")."""
    return (~F.mother_citizen_at_birth.established() & F.mother_naturalized
            & (F.mother_naturalization_date > F.birth_date))


@rule(DERIVATION_GENERAL)
def father_naturalized_after_birth():
    """The father, an alien at the person's birth, naturalized after it (8 FAM 301.9-2(a))."""
    return (~F.father_citizen_at_birth.established() & F.father_naturalized
            & (F.father_naturalization_date > F.birth_date))


@rule(DERIVATION_GENERAL)
def adoption_shown():
    """The person is shown to have been adopted. The facts name the person's parents, and the relationship they
    record is the one by birth unless an adoption decree is shown; an adoption changes the route (it bars
    derivation before 1941 and brings conditions not encoded after), so only a recorded adoption counts."""
    return Presumed(F.adopted, False, "facts.yaml: the parents named are the parents by birth unless an adoption "
                    "is recorded; none is, so the person is taken as not adopted (the result lists this)")


PM_12_H_2 = "https://www.uscis.gov/policy-manual/volume-12-part-h-chapter-2"
PARENT_IN_LAW = Citation("INA 101(c)(1); USCIS PM Vol. 12, Part H, Ch. 2.A", "'child' for citizenship: the genetic, "
                         "legitimated or adopted son or daughter, or born in wedlock (legal parents married at the birth, "
                         "one of them a genetic or gestational parent: PA-2021-13); a stepchild not adopted is no child "
                         "(Matter of Guzman-Gomez, 24 I&N Dec. 824 (BIA 2009))", PM_12_H_2)
GENETIC_FATHER_PRESUMED = ("USCIS PM Vol. 12, Part H, Ch. 2.A: absent other evidence, a birth certificate recorded by a "
                           "proper authority is sufficient evidence of the parent-child relationship; the man the facts "
                           "name as father is taken as the genetic father until a blood relationship is shown absent "
                           "(the result lists this)")


@rule(PARENT_IN_LAW)
def father_may_transmit():
    """The man the facts name as father is the person's parent in law: his adoptive child, his genetic child
    (presumed, and listed, while the blood relationship is not shown either way), or, shown not to be his genetic
    child, born to him in wedlock, which counts only where the mother is the genetic or gestational parent and
    both are legal parents (not facts: unknown). Shown not his genetic child, not adopted by him and not born in
    wedlock to him, he is a stepfather and transmits nothing (Matter of Guzman-Gomez). An unknown blood
    relationship is never read as met without the presumption being listed."""
    genetic = Presumed(F.blood_relationship_established, True, GENETIC_FATHER_PRESUMED)
    return decide((adoption_shown, True), (genetic, True), (F.parents_married_at_birth, UNSETTLED), otherwise=False)


@rule(ACT_1907)
def father_recognised_before_1952():
    """Before the INA a child derived through the father only if born in wedlock or legitimated under the law
    of the father's domicile; legitimation relates back to the birth, even after age 21 (Matter of L-)."""
    return F.parents_married_at_birth | (F.paternity_established_by == "legitimation")


@rule(ACT_1907)
def born_out_of_wedlock_not_legitimated():
    """Born out of wedlock and never legitimated: before the INA such a child derived through the mother."""
    return ~F.parents_married_at_birth & (F.paternity_established_by != "legitimation")


@rule(Citation("Nationality Act of 1940, §314(c); former INA 321(a)(3)", "legal custody after a legal separation; "
               "Bustamante-Barrera v. Gonzales, 447 F.3d 388 (5th Cir. 2006); Kamara v. Lynch, 786 F.3d 420 "
               "(5th Cir. 2015)", NA_1940_TEXT))
def joint_custody_unsettled():
    """Joint legal custody after the separation: whether it is the 'legal custody' the statute needs is
    unsettled (the Fifth Circuit requires sole custody under a joint-custody order), so unknown."""
    return decide((F.custody_parent == "joint", UNSETTLED), otherwise=False)


@rule(Citation("Nationality Act of 1940, §314(c); former INA 321(a)(3)", "legal custody after a legal separation",
               NA_1940_TEXT))
def mother_has_legal_custody_after_separation():
    """The parents were divorced or legally separated and the mother had legal custody of the person."""
    return F.parents_legally_separated & ((F.custody_parent == "mother") | joint_custody_unsettled)


@rule(Citation("Nationality Act of 1940, §314(c); former INA 321(a)(3)", "legal custody after a legal separation",
               NA_1940_TEXT))
def father_has_legal_custody_after_separation():
    """The parents were divorced or legally separated and the father had legal custody of the person."""
    return F.parents_legally_separated & ((F.custody_parent == "father") | joint_custody_unsettled)


def separation_continues_on(days: list[Expr]) -> Expr:
    """The legal separation still existed when the last of `days` came: the parents had not reunited
    (remarried each other or otherwise ended it) before it (Turner v. U.S. Att'y Gen., 11th Cir. 2025;
    Morgan v. Att'y Gen., 3d Cir. 2005). A reunion after it undoes nothing: citizenship vested that day. A
    reunion on that very day leaves it unknown (the hours decide)."""
    after_every_day = all_of(*(F.parents_reunited_date > day for day in days))
    # Reunited on the very day the last condition was met: which came first is a matter of hours, not facts.
    same_day = all_of(*(F.parents_reunited_date >= day for day in days)) & ~after_every_day
    return ~F.parents_reunited_after_separation | after_every_day | (same_day & UNSETTLED)


def under_age_limit(day: Expr, limit: Expr, hours: bool) -> Expr:
    """`day` came while the person was under the age whose birthday is `limit`. With `hours`, the day of the
    birthday itself is read under both readings of `derivation.under_age_on_the_birthday` (Duarte-Ceri v.
    Holder, 2d Cir. 2010, and USCIS PA-2024-21: the last condition met on the 18th birthday counts; the
    whole-day rule: too late); the rules that use it hold only where both readings agree."""
    if not hours:
        return day < limit
    second_circuit = param("derivation.under_age_on_the_birthday") == "under_age_until_the_hour_of_birth"
    return decide((second_circuit, day <= limit), otherwise=day < limit)


def in_time(days: list[Expr], start: str, end: str, age_param: str, hours: bool = False) -> Expr:
    """The conditions, met on `days` (in any order), were all met before the regime's period ended and before the
    age limit, the last on or after the period began, and all by as_of. Written condition by condition (and
    with the birth date's bounds, which the rest implies) so that one date already too late, or a birth
    outside the regime's reach, decides the case even when another date is unknown. `hours`: a condition met
    on the birthday of the age limit is contested (`under_age_limit`)."""
    return ((F.birth_date < param(end)) & (birthday(age_param) > param(start))
            & all_of(*(day < param(end) for day in days)) & any_of(*(day >= param(start) for day in days))
            & all_of(*(under_age_limit(day, birthday(age_param), hours) for day in days))
            & all_of(*(day <= F.as_of for day in days)))


# --- Act of March 2, 1907, §5: last condition 1907-03-02 to 1934-05-23, under 21 ---------------------------

_THROUGH_FATHER = [F.father_naturalization_date, F.lpr_date]
_THROUGH_MOTHER = [F.mother_naturalization_date, F.lpr_date]
_BOTH_PARENTS = [F.mother_naturalization_date, F.father_naturalization_date, F.lpr_date]
_SURVIVING_MOTHER = [F.mother_naturalization_date, F.father_death_date, F.lpr_date]
_SURVIVING_FATHER = [F.father_naturalization_date, F.mother_death_date, F.lpr_date]
_CUSTODIAL_MOTHER = [F.legal_separation_date, F.mother_naturalization_date, F.lpr_date]
_CUSTODIAL_FATHER = [F.legal_separation_date, F.father_naturalization_date, F.lpr_date]


def _pre_1941_child():
    """Adopted children and stepchildren could not derive before 1941 (8 FAM 301.9-3; Chart 3)."""
    return born_outside_the_united_states & ~adoption_shown & F.lpr


def _1907(days):
    return in_time(days, "derivation.act_1907", "derivation.act_1934", "derivation.minority_age_1907")


def _1934(days):
    return in_time(days, "derivation.act_1934", "derivation.nationality_act_1940", "derivation.minority_age_1907")


@rule(ACT_1907)
def last_condition_1907_through_father():
    """The later of the father's naturalization and the day the person began to reside permanently in the U.S.
    """
    return latest(*_THROUGH_FATHER)


@rule(ACT_1907)
def last_condition_1907_through_mother():
    """The later of the mother's naturalization and the day the person began to reside permanently in the U.S.
    """
    return latest(*_THROUGH_MOTHER)


@rule(ACT_1907)
def derived_under_1907_act_through_father():
    """The father naturalized while the person was under 21, and the person began to reside permanently in
    the U.S. while under 21, the later of the two falling between 1907-03-02 and 1934-05-23: a citizen from
    that day. Adopted children and stepchildren could not derive (8 FAM 301.9-3; Chart 3)."""
    return (_pre_1941_child() & father_naturalized_after_birth & father_recognised_before_1952 & father_may_transmit
            & _1907(_THROUGH_FATHER))


@rule(ACT_1907)
def derived_under_1907_act_through_mother():
    """As through the father, by the mother's naturalization. Settled for a child born out of wedlock and never
    legitimated; whether the mother's naturalization alone carried a child born in wedlock is unsettled
    (REFERENCE §3.1 UNCONFIRMED: "in practice the father"; ILRC Chart C: "either one"), so unknown there."""
    return (_pre_1941_child() & mother_naturalized_after_birth & (born_out_of_wedlock_not_legitimated | UNSETTLED)
            & _1907(_THROUGH_MOTHER))


# --- 1907 Act §5 as amended May 24, 1934: last condition 1934-05-24 to 1941-01-12, under 21 ---------------

@rule(ACT_1934)
def last_condition_1934_both_parents():
    """The latest of both parents' naturalizations and the start of the person's permanent residence."""
    return latest(*_BOTH_PARENTS)


@rule(ACT_1934)
def derived_under_1934_act_both_parents():
    """Both parents naturalized, and the person began to reside permanently in the U.S., while under 21, the
    last of these between 1934-05-24 and 1941-01-12: a citizen from that day (R.S. 2172; Chart 3)."""
    return (_pre_1941_child() & mother_naturalized_after_birth & father_naturalized_after_birth
            & father_recognised_before_1952 & father_may_transmit & _1934(_BOTH_PARENTS))


@rule(ACT_1934)
def citizen_five_years_after_permanent_residence_1934():
    """One parent naturalized: citizenship begins five years after the person began to reside permanently in
    the U.S. (1907 Act §5 as amended 1934). The five years need not end before 21 (ILRC Chart C)."""
    return F.lpr_date.plus_years(param("derivation.one_parent_residence_years_1934"))


@rule(ACT_1934)
def derived_under_1934_act_through_mother():
    """The mother naturalized, and the person began to reside permanently in the U.S., while under 21, the later
    between 1934-05-24 and 1941-01-12; a citizen five years after permanent residence began (a child born out
    of wedlock derives through the mother only)."""
    return (_pre_1941_child() & mother_naturalized_after_birth & _1934(_THROUGH_MOTHER)
            & (citizen_five_years_after_permanent_residence_1934 <= F.as_of))


@rule(ACT_1934)
def derived_under_1934_act_through_father():
    """The father naturalized, and the person (born in wedlock or legitimated) began to reside permanently in the
    U.S., while under 21, the later between 1934-05-24 and 1941-01-12; a citizen five years after permanent
    residence began."""
    return (_pre_1941_child() & father_naturalized_after_birth & father_recognised_before_1952 & father_may_transmit
            & _1934(_THROUGH_FATHER) & (citizen_five_years_after_permanent_residence_1934 <= F.as_of))


# --- Nationality Act of 1940 §§313-314: last condition 1941-01-13 to 1952-12-23, under 18 -------------------

def _na_1940(days):
    """NA §314 ('while under the age of eighteen years'): a condition met on the 18th birthday is contested."""
    return in_time(days, "derivation.nationality_act_1940", "derivation.ina_effective", "derivation.age_limit_1940",
                   hours=True)


def _na_1940_child():
    """Adopted children: whether §314 reached them is not confirmed (§316 gave them a petition instead)."""
    return born_outside_the_united_states & (~adoption_shown | UNSETTLED) & F.lpr


@rule(NA_314)
def last_condition_na_1940_surviving_mother():
    """The latest of the mother's naturalization, the father's death and the start of permanent residence."""
    return latest(*_SURVIVING_MOTHER)


@rule(NA_314)
def last_condition_na_1940_surviving_father():
    """The latest of the father's naturalization, the mother's death and the start of permanent residence."""
    return latest(*_SURVIVING_FATHER)


@rule(NA_314)
def last_condition_na_1940_custodial_mother():
    """The latest of the legal separation, the mother's naturalization and the start of permanent residence.
    """
    return latest(*_CUSTODIAL_MOTHER)


@rule(NA_314)
def last_condition_na_1940_custodial_father():
    """The latest of the legal separation, the father's naturalization and the start of permanent residence.
    """
    return latest(*_CUSTODIAL_FATHER)


_NA_1940_BOTH = (_na_1940_child() & mother_naturalized_after_birth & father_naturalized_after_birth
                 & father_recognised_before_1952 & father_may_transmit & _na_1940(_BOTH_PARENTS))
_NA_1940_SURVIVING_MOTHER = mother_naturalized_after_birth & F.father_deceased & _na_1940(_SURVIVING_MOTHER)
_NA_1940_SURVIVING_FATHER = (father_naturalized_after_birth & father_recognised_before_1952 & father_may_transmit
                             & F.mother_deceased & _na_1940(_SURVIVING_FATHER))
_NA_1940_CUSTODIAL_MOTHER = (mother_has_legal_custody_after_separation & mother_naturalized_after_birth
                             & separation_continues_on(_CUSTODIAL_MOTHER) & _na_1940(_CUSTODIAL_MOTHER))
_NA_1940_CUSTODIAL_FATHER = (father_has_legal_custody_after_separation & father_naturalized_after_birth
                             & separation_continues_on(_CUSTODIAL_FATHER) & _na_1940(_CUSTODIAL_FATHER))


@rule(NA_314)
def derived_under_na_1940_both_parents():
    """NA §314(a),(d),(e): both parents naturalized while the person was under 18, and the person resided in the
    U.S. then or began to reside permanently while under 18, the last between 1941-01-13 and 1952-12-23."""
    return agreed(_NA_1940_BOTH)


@rule(NA_314)
def derived_under_na_1940_surviving_parent():
    """NA §314(b): the surviving parent naturalized, the other having died, all before the person turned 18 and
    between 1941-01-13 and 1952-12-23, with permanent residence begun under 18."""
    return agreed(_na_1940_child() & (_NA_1940_SURVIVING_MOTHER | _NA_1940_SURVIVING_FATHER))


@rule(NA_314)
def na_1940_surviving_parent_since():
    """The day the surviving-parent route was complete, through whichever parent it holds."""
    return first_true((_NA_1940_SURVIVING_MOTHER, last_condition_na_1940_surviving_mother),
                      (_NA_1940_SURVIVING_FATHER, last_condition_na_1940_surviving_father))


@rule(NA_314)
def derived_under_na_1940_legal_custody():
    """NA §314(c): the parent with legal custody after a legal separation naturalized, the separation still
    existing when the last condition was met, all before 18 and between 1941-01-13 and 1952-12-23."""
    return agreed(_na_1940_child() & (_NA_1940_CUSTODIAL_MOTHER | _NA_1940_CUSTODIAL_FATHER))


@rule(NA_314)
def na_1940_custodial_parent_since():
    """The day the legal-custody route was complete, through whichever parent it holds."""
    return first_true((_NA_1940_CUSTODIAL_MOTHER, last_condition_na_1940_custodial_mother),
                      (_NA_1940_CUSTODIAL_FATHER, last_condition_na_1940_custodial_father))


@rule(NA_313)
def na_1940_one_citizen_parent_unsettled():
    """NA §313 (a citizen parent at the birth, the alien parent naturalizing while the person was under 18) and
    the 1941-52 rules for a child born out of wedlock are known only from secondary summaries: where their
    conditions hold the result is unknown, never a guess (REFERENCE §3.1, §8 #6)."""
    citizen_parent_other_naturalized = (
        (F.mother_citizen_at_birth & father_naturalized_after_birth & _na_1940(_THROUGH_FATHER))
        | (F.father_citizen_at_birth & mother_naturalized_after_birth & _na_1940(_THROUGH_MOTHER)))
    out_of_wedlock_mother = born_out_of_wedlock_not_legitimated & mother_naturalized_after_birth & _na_1940(
        _THROUGH_MOTHER)
    return agreed(_na_1940_child() & (citizen_parent_other_naturalized | out_of_wedlock_mother)) & UNSETTLED


@rule(NA_314)
def na_1940_turns_on_birthday_hours():
    """A Nationality Act §314 condition was met on the 18th birthday, and the person derived if and only if that
    day still counts as under 18 (Duarte-Ceri; USCIS PA-2024-21) and not under the whole-day rule. Contested."""
    return disputed(_na_1940_child() & any_of(_NA_1940_BOTH, _NA_1940_SURVIVING_MOTHER, _NA_1940_SURVIVING_FATHER,
                                              _NA_1940_CUSTODIAL_MOTHER, _NA_1940_CUSTODIAL_FATHER))
