"""INA 320 as rewritten by the Child Citizenship Act of 2000 (in force 2001-02-27) and extended by
INA 320(c) (2020-03-26): a child born abroad becomes a citizen automatically once, at one moment on or
after 2001-02-27 and before 18, it is the child of a citizen parent (by birth or naturalization), an
LPR, and residing in the U.S. in that parent's legal and physical custody (USCIS PM Vol. 12, Part H,
Ch. 4.A). The Act is not retroactive (Matter of Rodriguez-Tejedor, BIA 2001): it reaches only persons
under 18 on 2001-02-27, a cohort whose first day is contested (REFERENCE §7 #2): the routes hold where
every reading agrees (a person born 1983-02-27 is unknown), and `ina_320_turns_on_cohort_dispute` says
when a case turns on it. The parameter's default (the State Department's 1983-02-28) is the reading
REFERENCE recommends, for any use that needs a single answer.
"""

from safeguard.engine.expr import Expr, agreed, all_of, any_of, decide, disputed, first_true, latest
from safeguard.engine.rules import Citation, rule
from safeguard.law.citizenship.derivation_former_321 import (
    father_is_parent_since,
    father_is_parent_under_101c,
    ina_child_born_abroad,
)
from safeguard.law.citizenship.derivation_pre_1952 import under_age_limit
from safeguard.law.vocabulary import F, birthday, param

PM_12_H_4 = "https://www.uscis.gov/policy-manual/volume-12-part-h-chapter-4"
USC_1431 = "https://uscode.house.gov/view.xhtml?req=granuleid:USC-prelim-title8-section1431&num=0&edition=prelim"
INA_320 = Citation("INA 320(a)-(b), 8 U.S.C. 1431 (Child Citizenship Act of 2000, Pub. L. 106-395)",
                   "USCIS PM Vol. 12, Part H, Ch. 4.A; Matter of Rodriguez-Tejedor, 23 I&N Dec. 153 (BIA 2001); "
                   "Matter of Cross, 26 I&N Dec. 485 (BIA 2015)", PM_12_H_4)
INA_320_C = Citation("INA 320(c), 8 U.S.C. 1431(c)", "Pub. L. 116-133, 134 Stat. 274 (2020-03-26)", USC_1431)
INA_320_HOURS = Citation("INA 320(a)(2), 8 U.S.C. 1431(a)(2) ('under the age of eighteen years')",
                         "Duarte-Ceri v. Holder, 630 F.3d 83 (2d Cir. 2010) (the same words in former INA 321(a))",
                         "https://law.justia.com/cases/federal/appellate-courts/ca2/08-6128/08-6128_opn-2011-03-27.html")
CCA_COHORT = Citation("Child Citizenship Act of 2000, §104", "REFERENCE §7 #2: 8 FAM 301.10-1(A) (born on or after "
                      "1983-02-28) v. 8 FAM 301.9-1(c) and USCIS PM Vol. 12, Part H, Ch. 7.A",
                      "https://fam.state.gov/fam/08fam/08fam030110.html")


@rule(INA_320_C)
def ina_320_residence_condition():
    """Residing in the U.S. in the legal and physical custody of the citizen parent, or an LPR child in the
    custody of a citizen parent stationed abroad in the armed forces or government service (INA 320(c))."""
    return F.in_citizen_parent_custody_in_us | F.citizen_parent_stationed_abroad


@rule(INA_320_C)
def ina_320_residence_date():
    """The first day the residence condition could count: 2001-02-27 for residence in the U.S.; 2020-03-26
    for a child abroad with a parent stationed there (INA 320(c) did not exist before)."""
    return decide((F.in_citizen_parent_custody_in_us, param("derivation.cca_effective")),
                  (F.citizen_parent_stationed_abroad, param("derivation.military_children_act")), otherwise=None)


_MOTHER_BY_BIRTH_DAYS = [F.lpr_date, ina_320_residence_date]
_MOTHER_NATURALIZED_DAYS = [F.lpr_date, ina_320_residence_date, F.mother_naturalization_date]
_FATHER_BY_BIRTH_DAYS = [F.lpr_date, ina_320_residence_date, father_is_parent_since]
_FATHER_NATURALIZED_DAYS = [F.lpr_date, ina_320_residence_date, F.father_naturalization_date, father_is_parent_since]


@rule(INA_320)
def ina_320_date_mother_citizen_at_birth():
    """The later of the start of LPR status and the residence condition (the mother a citizen throughout)."""
    return latest(*_MOTHER_BY_BIRTH_DAYS)


@rule(INA_320)
def ina_320_date_naturalized_mother():
    """The latest of the start of LPR status, the residence condition and the mother's naturalization."""
    return latest(*_MOTHER_NATURALIZED_DAYS)


@rule(INA_320)
def ina_320_date_father_citizen_at_birth():
    """The latest of the start of LPR status, the residence condition and the father's becoming a parent under
    INA 101(c)(1) (birth in wedlock or legitimation)."""
    return latest(*_FATHER_BY_BIRTH_DAYS)


@rule(INA_320)
def ina_320_date_naturalized_father():
    """The latest of the start of LPR status, the residence condition, the father's naturalization and his
    becoming a parent under INA 101(c)(1)."""
    return latest(*_FATHER_NATURALIZED_DAYS)


def _met(parent: Expr, days: list[Expr], *, fix_hours: bool = False, fix_cohort: bool = False) -> Expr:
    """Every INA 320 condition through `parent`, met on `days`: all on or after 2001-02-27 (the residence day is
    never earlier), all under 18, and all by as_of. The person must be in the cohort the Act reaches (under 18
    on 2001-02-27; not retroactive: Matter of Rodriguez-Tejedor); on the Act's first day that cohort, not the
    birthday, decides, as the authorities disagree whether a person born 1983-02-27 was then under 18. A
    condition met on the 18th birthday is under 18 by the hour under Duarte-Ceri (2d Cir. 2010, the same words
    'under the age of eighteen years' in former 321 and INA 320(a)(2)), not under the whole-day rule. Both
    contested parameters are read here directly so that `agreed`/`disputed` see them; `fix_hours` and
    `fix_cohort` settle one of them (where its readings agree) so that a dispute rule varies only the other."""
    cohort = F.birth_date >= param("derivation.cca_first_covered_birth_date")
    cohort = agreed(cohort) if fix_cohort else cohort

    def under(day: Expr) -> Expr:
        limit = under_age_limit(day, birthday("derivation.cca_age_limit"), hours=True)
        return agreed(limit) if fix_hours else limit

    under_18 = all_of(*(under(day) for day in days)) | (
        all_of(*(day <= param("derivation.cca_effective") for day in days)) & cohort)
    # LPR status counts as one of `days` (its date under 18, by the hour where that reading holds).
    return (ina_child_born_abroad & cohort & F.lpr & ina_320_residence_condition & parent & under_18
            & all_of(*(day <= F.as_of for day in days)))


_PARENTS = [
    (F.mother_citizen_at_birth, _MOTHER_BY_BIRTH_DAYS),
    (F.mother_naturalized, _MOTHER_NATURALIZED_DAYS),
    (F.father_citizen_at_birth & father_is_parent_under_101c, _FATHER_BY_BIRTH_DAYS),
    (F.father_naturalized & father_is_parent_under_101c, _FATHER_NATURALIZED_DAYS),
]
_MOTHER_BY_BIRTH, _MOTHER_NATURALIZED, _FATHER_BY_BIRTH, _FATHER_NATURALIZED = (_met(p, d) for p, d in _PARENTS)


@rule(INA_320)
def derived_under_ina_320_through_mother_citizen_at_birth():
    """The mother was a citizen when the person was born; on or after 2001-02-27 and before 18 the person was an
    LPR residing in the U.S. in her custody (or with her stationed abroad, INA 320(c))."""
    return agreed(_MOTHER_BY_BIRTH)


@rule(INA_320)
def derived_under_ina_320_through_naturalized_mother():
    """The mother naturalized, and on or after 2001-02-27 and before 18 (her naturalization included) the
    person was an LPR residing in the U.S. in her custody; a child born out of wedlock derives through the
    mother (OLC, 2003)."""
    return agreed(_MOTHER_NATURALIZED)


@rule(INA_320)
def derived_under_ina_320_through_father_citizen_at_birth():
    """The father, a parent under INA 101(c)(1), was a citizen at the birth; on or after 2001-02-27 and
    before 18 the person was an LPR residing in the U.S. in his custody. A stepfather who has not adopted the
    person is no parent (Matter of Guzman-Gomez)."""
    return agreed(_FATHER_BY_BIRTH)


@rule(INA_320)
def derived_under_ina_320_through_naturalized_father():
    """The father, a parent under INA 101(c)(1) (legitimated by the law of the place of birth or residence
    counts: Matter of Cross), naturalized, and on or after 2001-02-27 and before 18 the person was an LPR
    residing in the U.S. in his custody."""
    return agreed(_FATHER_NATURALIZED)


_BRANCHES = [
    (derived_under_ina_320_through_mother_citizen_at_birth, ina_320_date_mother_citizen_at_birth),
    (derived_under_ina_320_through_father_citizen_at_birth, ina_320_date_father_citizen_at_birth),
    (derived_under_ina_320_through_naturalized_mother, ina_320_date_naturalized_mother),
    (derived_under_ina_320_through_naturalized_father, ina_320_date_naturalized_father),
]


@rule(INA_320)
def derived_under_ina_320():
    """INA 320: the person became a citizen automatically through a citizen parent (by birth or naturalization)
    while under 18, an LPR in that parent's custody, on or after 2001-02-27."""
    return any_of(*(route for route, _ in _BRANCHES))


@rule(INA_320)
def ina_320_since():
    """The earliest day on which every INA 320 condition held through some citizen parent."""
    return first_true(*(
        (route & all_of(*((~other.established() | (day <= other_day)) for other, other_day in _BRANCHES
                          if other is not route)), day)
        for route, day in _BRANCHES))


@rule(CCA_COHORT)
def ina_320_turns_on_cohort_dispute():
    """Whether INA 320 reaches the person depends on whether a person born on 1983-02-27 was under 18 when the
    Act took effect: the State Department says no, the FAM/PM wording leaves it open; the case is contested.
    """
    return disputed(any_of(*(_met(p, d, fix_hours=True) for p, d in _PARENTS)))


@rule(INA_320_HOURS)
def ina_320_turns_on_birthday_hours():
    """An INA 320 condition was met on the 18th birthday, and the person became a citizen if and only if that day
    still counts as under 18: by the hour under Duarte-Ceri (2d Cir. 2010), not under the whole-day rule.
    Contested; never decided by one side."""
    return disputed(any_of(*(_met(p, d, fix_cohort=True) for p, d in _PARENTS)))
