"""Retention: conditions subsequent that once ended citizenship acquired at birth abroad through one
citizen parent and one alien parent, their repeal, and restoration by oath.

Succession (8 FAM 307.1; REFERENCE §2.3): the 1934 Act's own rule (5 years before 18, oath after 21)
was replaced by NA 1940 §201(g)-(h) before anyone could fail it: residence taken up by 16, 5 years
between 13 and 21. From 1952-12-24 former INA 301(b): come before 23, then 5 years' continuous presence
between 14 and 28 - open also to those who had failed NA 201(g) at 16 (Matter of M-, 1958; Matter of S-,
BIA 1958). From 1972-10-27: 2 years' continuous presence between 14 and 28. Pub. L. 95-432 repealed all
of it on 1978-10-10, not retroactively; which births it freed is contested by one day (REFERENCE §7 #1).
From 1995-03-01 a person who lost citizenship this way may regain it by oath (INA 324(d)).

Whether the requirement was met in time is one fact (`retention_presence_met`); the rules place the
loss in time. Loss by expatriation or denaturalization is not here.
"""

from safeguard.engine.expr import Expr, agreed, any_of, decide, disputed
from safeguard.engine.rules import Citation, rule
from safeguard.law.citizenship.acquisition_out_of_wedlock import (
    citizen_abroad_out_of_wedlock_before_1934_na_205,
    citizen_abroad_out_of_wedlock_father_1934_act,
    citizen_abroad_out_of_wedlock_father_1941_1952,
    citizen_abroad_out_of_wedlock_father_before_1934,
    citizen_abroad_out_of_wedlock_father_new_309a,
    citizen_abroad_out_of_wedlock_father_old_309a,
    citizen_abroad_out_of_wedlock_ina_301h,
    citizen_abroad_out_of_wedlock_ina_309c,
    citizen_abroad_out_of_wedlock_mother_1934_1952,
    citizen_abroad_out_of_wedlock_mother_after_morales_santana,
)
from safeguard.law.citizenship.acquisition_wedlock import (
    PARENT_NAMES,
    UNSETTLED,
    alien,
    citizen,
    citizen_abroad_1934_act_both_parents_citizens,
    citizen_abroad_1934_act_one_citizen_parent,
    citizen_abroad_ina_301c,
    citizen_abroad_ina_301d,
    citizen_abroad_ina_301g,
    citizen_abroad_ina_301g_before_1986,
    citizen_abroad_ina_301h,
    citizen_abroad_na_201c,
    citizen_abroad_na_201d,
    citizen_abroad_na_201g,
    citizen_abroad_on_1934_act_day,
    citizen_abroad_rs_1993_through_father,
    citizen_abroad_through_birth_parents_of_adoptee,
    one_parent_citizen_other_alien,
)
from safeguard.law.citizenship.territories import citizen_by_birth_in_canal_zone
from safeguard.law.vocabulary import F, on_birthday, param

FAM_307_1 = "https://fam.state.gov/fam/08fam/08fam030701.html"
USC_1435 = "https://uscode.house.gov/view.xhtml?req=granuleid:USC-prelim-title8-section1435&num=0&edition=prelim"

RETENTION = Citation("NA 1940 §201(g)-(h); former INA 301(b)-(c) (1952, as amended 1957 and Oct 27, 1972)",
                     "8 FAM 307.1; Rogers v. Bellei, 401 U.S. 815 (1971); Matter of M-, 7 I&N Dec. 646 (1958); "
                     "Matter of S-, 8 I&N Dec. 221 (BIA 1958)", FAM_307_1)
REPEAL = Citation("Pub. L. 95-432 (Oct 10, 1978)", "not retroactive; births freed: after 1952-10-10 (USCIS PM 12 H 3) "
                  "or on or after 1952-10-10 (8 FAM 307.1-1(b)) - REFERENCE §7 #1", FAM_307_1)
RESTORATION = Citation("INA 324(d) (8 U.S.C. 1435(d), Pub. L. 103-416)", "oath of allegiance from 1995-03-01; 8 FAM "
                       "307.1-1(c), 307.1-8; 22 CFR 50.20(d) (losses under NA §201(g) too); retroactivity "
                       "UNCONFIRMED", USC_1435)

# Routes whose citizenship carried a retention condition, with the condition under which it did.
RETENTION_ROUTES = [
    (citizen_abroad_1934_act_one_citizen_parent, one_parent_citizen_other_alien),
    (citizen_abroad_on_1934_act_day, one_parent_citizen_other_alien & UNSETTLED),  # only if born after noon
    (citizen_abroad_na_201g, True),
    (citizen_abroad_out_of_wedlock_father_1934_act, alien("mother")),
    (citizen_abroad_out_of_wedlock_father_1941_1952, alien("mother")),
    (citizen_abroad_through_birth_parents_of_adoptee, UNSETTLED),  # never more than unknown itself
]
# Routes that never carried one (or only on paper: INA births came after the repeal cutoff).
NO_RETENTION_ROUTES = [
    citizen_abroad_rs_1993_through_father, citizen_abroad_ina_301h, citizen_abroad_1934_act_both_parents_citizens,
    citizen_abroad_na_201c, citizen_abroad_na_201d, citizen_abroad_ina_301c, citizen_abroad_ina_301d,
    citizen_abroad_ina_301g_before_1986, citizen_abroad_ina_301g,
    citizen_abroad_out_of_wedlock_before_1934_na_205, citizen_abroad_out_of_wedlock_ina_301h,
    citizen_abroad_out_of_wedlock_mother_1934_1952, citizen_abroad_out_of_wedlock_ina_309c,
    citizen_abroad_out_of_wedlock_mother_after_morales_santana, citizen_abroad_out_of_wedlock_father_before_1934,
    citizen_abroad_out_of_wedlock_father_old_309a, citizen_abroad_out_of_wedlock_father_new_309a,
]


def _birthday(age_param: str) -> Expr:
    return on_birthday(F.birth_date, f"acquisition.{age_param}")


def _exemption():
    """Some retention provisions exempted the child: the citizen parent resided abroad at the birth employed by
    the U.S. government, or by an American organization or international agency NA 1940 §201(g) names; or the
    alien parent naturalized before the child turned 18."""
    d18 = _birthday("retention_exemption_naturalization_age")
    employed = any_of(*(citizen(p) & any_of(F.parent(p, "us_government_employee_at_birth"),
                                            F.parent(p, "us_organization_employee_at_birth")) for p in PARENT_NAMES))
    naturalized = any_of(*(alien(p) & F.parent(p, "naturalized") & (F.parent(p, "naturalization_date") < d18)
                           for p in PARENT_NAMES))
    return employed | naturalized


@rule(RETENTION)
def retention_exemption_shown():
    """A fact shown that some retention provisions exempted (`_exemption`): whether it applied to the
    person's own requirement is not settled here."""
    return _exemption().established()


@rule(RETENTION)
def retention_exemption_ruled_out():
    """No exemption applies: no citizen parent employed abroad by the U.S. government or an American
    organization, and no alien parent naturalized before 18 (unknown until each is known). Until it is known
    true a loss under the retention requirement is not concluded (found by review: the organizations'
    exemption could not be shown at all)."""
    return ~_exemption()


@rule(RETENTION)
def subject_to_retention_requirement():
    """Citizenship at birth abroad rests only on a route that carried a retention condition (one citizen
    and one alien parent, born 1934-1952); a route without one, or INA 303, keeps it whatever happens.
    Where an exemption is shown, whether it applied is not settled here: unknown; so too until every
    exemption is ruled out."""
    bearing = any_of(*(route & condition for route, condition in RETENTION_ROUTES))
    exemption = decide((retention_exemption_shown, UNSETTLED), (retention_exemption_ruled_out, True),
                       otherwise=UNSETTLED)
    return bearing & ~any_of(*NO_RETENTION_ROUTES, citizen_by_birth_in_canal_zone) & exemption


@rule(RETENTION)
def retention_first_governed_by_na_1940():
    """The person turned 16 before 1952-12-24, so NA 1940 §201(g) applied first (residence by 16)."""
    return _birthday("retention_na_1940_residence_age") < param("acquisition.ina_effective")


@rule(RETENTION)
def retention_governed_by_ina_1952_rule():
    """NA 1940 did not apply first and the person turned 23 before 1972-10-27: former INA 301(b) as enacted
    (come before 23, then 5 continuous years) decided."""
    return (~retention_first_governed_by_na_1940
            & (_birthday("retention_ina_arrival_age") < param("acquisition.retention_1972_amendment")))


@rule(RETENTION)
def retention_earliest_loss_date():
    """The first day a loss could have happened: the 16th birthday (NA 1940), the 23rd (INA 1952 rule) or
    about the 26th (1972 rule: 2 continuous years had to begin in time to end before 28)."""
    return decide((retention_first_governed_by_na_1940, _birthday("retention_na_1940_residence_age")),
                  (retention_governed_by_ina_1952_rule, _birthday("retention_ina_arrival_age")),
                  otherwise=_birthday("retention_1972_latest_start_age"))


@rule(REPEAL)
def retention_latest_loss_date():
    """The day by which any loss had happened: the 28th birthday, or the 1978-10-10 repeal if earlier."""
    d28, repeal = _birthday("retention_final_age"), param("acquisition.retention_repeal")
    return decide((d28 < repeal, d28), otherwise=repeal)


@rule(RETENTION)
def retention_failure_settled_by_as_of():
    """On the date the law is taken at, a failure to meet the requirement has already ended citizenship:
    true after the latest possible loss, false before the earliest, unknown in between."""
    return decide((F.as_of >= retention_latest_loss_date, True), (F.as_of < retention_earliest_loss_date, False),
                  otherwise=UNSETTLED)


def _failed() -> Expr:
    # Reads the contested cutoff directly, so agreed()/disputed() evaluate it under every reading.
    exempt_from = param("acquisition.retention_exempt_births_from")
    return (subject_to_retention_requirement & (F.birth_date < exempt_from) & ~F.retention_presence_met
            & retention_failure_settled_by_as_of)


@rule(REPEAL)
def retention_requirement_failed():
    """Citizenship acquired at birth abroad ended, before the repeal, for failure to meet a retention
    requirement; unknown where the PM and the FAM disagree on whether the birth was freed (1952-10-10)."""
    return agreed(_failed())


@rule(REPEAL)
def retention_cutoff_in_dispute():
    """Whether citizenship was lost by retention turns on the PM / FAM disagreement over the repeal cutoff."""
    return disputed(_failed())


def _oath_taken() -> Expr:
    return F.citizenship_restored_by_oath & (F.as_of >= param("acquisition.retention_restoration_oath_available"))


@rule(RESTORATION)
def citizenship_restored_under_ina_324d():
    """Citizenship lost under a retention requirement was regained by the oath of allegiance (from 1995-03-01)."""
    return retention_requirement_failed & _oath_taken()


@rule(RESTORATION)
def lost_by_retention():
    """Citizenship acquired at birth abroad was lost under a retention requirement and has not been regained
    by the INA 324(d) oath."""
    return retention_requirement_failed & ~_oath_taken()


@rule(RETENTION)
def retention_loss_date():
    """The day citizenship ceased under a retention requirement, where the law and the facts fix it: the 16th
    birthday (no residence taken up by then, NA 1940) or the 23rd (no arrival before it, INA 1952 rule).
    Unknown otherwise - after a broken stay, or under the 1972 rule (26th birthday or the day after)."""
    began = F.us_presence_began_date
    d16, d23 = _birthday("retention_na_1940_residence_age"), _birthday("retention_ina_arrival_age")
    day = decide((retention_first_governed_by_na_1940, decide((began > d16, d16), otherwise=None)),
                 (retention_governed_by_ina_1952_rule, decide((began >= d23, d23), otherwise=None)),
                 otherwise=None)
    return decide((retention_requirement_failed, day), otherwise=None)


@rule(RESTORATION)
def retention_adjusted_since():
    """When citizenship from a route that carried retention runs from: the birth, unless it was lost and
    regained by oath - then from the oath (not a fact here) or the birth if restoration is retroactive
    (unconfirmed): unknown."""
    return decide((citizenship_restored_under_ina_324d, UNSETTLED), otherwise=F.birth_date)
