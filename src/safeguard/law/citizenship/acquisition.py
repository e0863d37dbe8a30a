"""Acquisition of citizenship (and non-citizen nationality) at birth abroad: the routes status.py lists.

Each route rule is True when the person acquired citizenship at birth abroad by that route, False when
not (including every birth in the United States, a territory or an outlying possession), unknown when
the facts cannot tell. A route says nothing about a later loss: `lost_by_retention` (retention.py)
does, and `citizen_by_birth_abroad` combines the two.

`ACQUISITION_ROUTES` = [(route rule, basis as reported, the date citizenship began)], in the order the
basis is reported. `NATIONAL_ROUTES_ABROAD` = the same for INA 308 non-citizen nationals.
"""

from safeguard.engine.expr import any_of, decide, latest
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
    OTHER,
    PARENT_NAMES,
    UNSETTLED,
    alien,
    born_abroad_to_the_named_parents,
    born_on_or_after_ina,
    calendar_rules_out,
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
    national_abroad_through_birth_parents_of_adoptee,
    national_only,
)
from safeguard.law.citizenship.retention import (
    NO_RETENTION_ROUTES,
    RETENTION_ROUTES,
    lost_by_retention,
    retention_adjusted_since,
)
from safeguard.law.sources import USC_1401, USC_1408
from safeguard.law.vocabulary import F, param

ACQUISITION = Citation("INA 301, 309 and predecessors (R.S. 1993; Act of May 24, 1934; NA 1940 §§201, 205)",
                       "8 U.S.C. 1401, 1409; 8 FAM 301.4-301.7, 307.1; USCIS PM Vol. 12, Part H, Ch. 3", USC_1401)
INA_308_2 = Citation("INA 308(2)", "8 U.S.C. 1408(2): born outside the U.S. and its outlying possessions to two "
                     "non-citizen national parents who had a residence there before the birth", USC_1408)
INA_308_4 = Citation("INA 308(4)", "8 U.S.C. 1408(4): an alien parent and a national parent with 7 years' presence "
                     "in a continuous 10-year period (no absence over a year), 5 after 14", USC_1408)

BIRTH = F.birth_date
# (route, basis as reported, the date citizenship began)
ACQUISITION_ROUTES = [
    (citizen_abroad_ina_301g, "born abroad to a citizen parent with 5 years' U.S. presence (2 after 14) and an "
     "alien parent — INA 301(g)", BIRTH),
    (citizen_abroad_ina_301g_before_1986, "born abroad to a citizen parent with 10 years' U.S. presence (5 after 14) "
     "and an alien parent — former INA 301(a)(7), now INA 301(g)", BIRTH),
    (citizen_abroad_ina_301c, "born abroad to two citizen parents, one with a prior U.S. residence — "
     "INA 301(c)", BIRTH),
    (citizen_abroad_ina_301d, "born abroad to a citizen parent with a continuous year of U.S. presence and a "
     "national parent — INA 301(d)", BIRTH),
    (citizen_abroad_out_of_wedlock_ina_309c, "born abroad out of wedlock to a citizen mother with a continuous "
     "year of U.S. presence — INA 309(c)", BIRTH),
    (citizen_abroad_out_of_wedlock_mother_after_morales_santana, "born abroad out of wedlock to a citizen mother "
     "with 5 years' U.S. presence (2 after 14) — INA 309(c), 301(g) after Sessions v. Morales-Santana", BIRTH),
    (citizen_abroad_out_of_wedlock_father_new_309a, "born abroad out of wedlock to a citizen father, paternity "
     "formalized before 18 — INA 309(a), 301(g)", BIRTH),
    (citizen_abroad_out_of_wedlock_father_old_309a, "born abroad out of wedlock to a citizen father, legitimated "
     "before 21 — former INA 309(a), 301(a)(7)", BIRTH),
    (citizen_abroad_na_201c, "born abroad to two citizen parents, one with a prior U.S. residence — Nationality "
     "Act of 1940 §201(c)", BIRTH),
    (citizen_abroad_na_201d, "born abroad to a citizen parent with a prior U.S. residence and a national parent — "
     "Nationality Act of 1940 §201(d)", BIRTH),
    (citizen_abroad_na_201g, "born abroad to a citizen parent with 10 years' U.S. residence (5 after 16) and an "
     "alien parent — Nationality Act of 1940 §201(g)", retention_adjusted_since),
    (citizen_abroad_out_of_wedlock_father_1941_1952, "born abroad out of wedlock to a citizen father, paternity "
     "established before 21 — INA 309(b), Nationality Act of 1940 §205", retention_adjusted_since),
    (citizen_abroad_out_of_wedlock_mother_1934_1952, "born abroad out of wedlock to a citizen mother with a prior "
     "U.S. residence — Nationality Act of 1940 §205", BIRTH),
    (citizen_abroad_1934_act_both_parents_citizens, "born abroad to two citizen parents, one with a prior U.S. "
     "residence — R.S. 1993 as amended May 24, 1934", BIRTH),
    (citizen_abroad_1934_act_one_citizen_parent, "born abroad to a citizen parent with a prior U.S. residence — "
     "R.S. 1993 as amended May 24, 1934", retention_adjusted_since),
    (citizen_abroad_on_1934_act_day, "born abroad on 1934-05-24 to a citizen parent with a prior U.S. residence — "
     "R.S. 1993 / INA 301(h) before noon, the Act of May 24, 1934 after", retention_adjusted_since),
    (citizen_abroad_out_of_wedlock_father_1934_act, "born abroad out of wedlock to a citizen father with a prior "
     "U.S. residence, legitimated — R.S. 1993 as amended May 24, 1934", retention_adjusted_since),
    (citizen_abroad_rs_1993_through_father, "born abroad to a citizen father with a prior U.S. residence — "
     "R.S. 1993", BIRTH),
    (citizen_abroad_ina_301h, "born abroad before noon 1934-05-24 to a citizen mother with a prior U.S. residence "
     "and an alien father — INA 301(h)", BIRTH),
    (citizen_abroad_out_of_wedlock_father_before_1934, "born abroad out of wedlock to a citizen father with a prior "
     "U.S. residence, legitimated — R.S. 1993", BIRTH),
    (citizen_abroad_out_of_wedlock_ina_301h, "born abroad out of wedlock before noon 1934-05-24 to a citizen "
     "mother with a prior U.S. residence — INA 301(h)", BIRTH),
    (citizen_abroad_out_of_wedlock_before_1934_na_205, "born abroad out of wedlock before 1934 to a citizen mother "
     "with a prior U.S. residence — Nationality Act of 1940 §205 (citizen from 1941-01-13)",
     latest(BIRTH, param("acquisition.nationality_act_1940_effective"))),
    (citizen_abroad_through_birth_parents_of_adoptee, "born abroad and adopted, a citizen at birth through a birth "
     "parent — INA 301, 309 (Colaianni v. INS)", BIRTH),
]

_classified = {r.id for r, _ in RETENTION_ROUTES} | {r.id for r in NO_RETENTION_ROUTES}
_listed = {r.id for r, _, _ in ACQUISITION_ROUTES}
if _classified != _listed:
    raise ValueError(f"acquisition routes and retention.py disagree: {sorted(_classified ^ _listed)}")


@rule(ACQUISITION)
def citizen_by_birth_abroad():
    """A citizen by a route of acquisition at birth abroad, and that citizenship not lost under a retention
    requirement."""
    return any_of(*(route for route, _, _ in ACQUISITION_ROUTES)) & ~lost_by_retention


@rule(INA_308_2)
def national_abroad_ina_308_2():
    """Born abroad in wedlock on or after 1952-12-24 to two non-citizen national parents with a prior U.S. or
    outlying-possession residence: a national, not a citizen. Whether one parent's residence is enough, and
    earlier or out-of-wedlock births, are not settled here (unknown)."""
    res_f, res_m = F.father_us_residence_before_birth, F.mother_us_residence_before_birth
    residence = decide((res_f & res_m, True), (~res_f & ~res_m, False), otherwise=UNSETTLED)
    covered = decide((born_on_or_after_ina & F.parents_married_at_birth, True), otherwise=UNSETTLED)
    return (born_abroad_to_the_named_parents & national_only("father") & national_only("mother") & residence
            & covered)


@rule(INA_308_4)
def national_abroad_ina_308_4():
    """Born abroad to an alien parent and a national parent: false where the national parent plainly lacks 7
    years' presence or 5 after 14; otherwise unknown (the 10-year window and absences are not facts)."""
    def parent_test(p):
        years, a14 = F.parent(p, "us_presence_years"), F.parent(p, "us_presence_years_after_14")
        short = (years < param("acquisition.ina_308_4_presence_years")) | (
            a14 < param("acquisition.ina_308_4_presence_years_after_14")) | calendar_rules_out(
            p, "acquisition.ina_308_4_presence_years", "acquisition.ina_308_4_presence_years_after_14",
            "acquisition.presence_counted_from_age").established()
        return national_only(p) & alien(OTHER[p]) & decide((short, False), otherwise=UNSETTLED)
    return born_abroad_to_the_named_parents & any_of(*(parent_test(p) for p in PARENT_NAMES))


NATIONAL_ROUTES_ABROAD = [
    (national_abroad_ina_308_2, "born abroad to two national parents with a prior U.S. residence — INA 308(2)", BIRTH),
    (national_abroad_ina_308_4, "born abroad to a national parent with 7 years' U.S. presence and an alien "
     "parent — INA 308(4)", BIRTH),
    (national_abroad_through_birth_parents_of_adoptee, "born abroad and adopted, a national at birth through a birth "
     "parent — INA 308(2), (4)", BIRTH),
]
