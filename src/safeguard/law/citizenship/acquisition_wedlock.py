"""Citizenship at birth abroad to parents married to each other, by birth-date regime: R.S. 1993 and
INA 301(h) (before 12 noon EST 1934-05-24), the 1934 Act (to 1941-01-12), the Nationality Act of 1940
§201 (to 1952-12-23), and INA 301(c), (d), (g) (10 years / 5 after 14 to 1986-11-13; 5 / 2 after 14
from 1986-11-14), with the service-abroad proviso of INA 301(g).

Also holds what the out-of-wedlock and retention files share: the regime of the birth date, the
parents' status, and each parent's presence tests. Retention (a condition subsequent) is in
retention.py; the routes a person's status is read from are listed in acquisition.py.
"""

from safeguard.engine.expr import Const, Expr, any_of, decide
from safeguard.engine.params import get_param
from safeguard.engine.rules import Citation, rule
from safeguard.law.citizenship.birth_place import born_abroad, born_in_canal_zone
from safeguard.law.citizenship.derivation_pre_1952 import adoption_shown
from safeguard.law.sources import USC_1401
from safeguard.law.vocabulary import F, param

FAM_301_4 = "https://fam.state.gov/fam/08fam/08fam030104.html"
FAM_301_5 = "https://fam.state.gov/fam/08fam/08fam030105.html"
FAM_301_6 = "https://fam.state.gov/FAM/08FAM/08FAM030106.html"
FAM_301_7 = "https://fam.state.gov/FAM/08FAM/08FAM030107.html"
NA_1946_URL = "https://mydokument.com/us-code_title-8_chapter-11_nationality.html"

REGIME = Citation("8 FAM 301.4-1(A)(2); USCIS Nationality Chart 1", "the law in force on the date of birth governs "
                  "acquisition at birth abroad; 1934 Act from 12 noon EST 1934-05-24", FAM_301_4)
OUTSIDE_US = Citation("INA 301(c), (d), (g); INA 101(a)(38)", "born outside the United States and its outlying "
                      "possessions (the Canal Zone was never part of the United States)", USC_1401)
PARENTS = Citation("INA 101(a)(3), (22); INA 301", "a parent is a citizen, a national but not a citizen, or an alien",
                   USC_1401)
RS_1993 = Citation("R.S. 1993 (as enacted)", "children born abroad to a citizen father who had resided in the "
                   "U.S.; 8 FAM 301.5", FAM_301_5)
INA_301H = Citation("INA 301(h)", "8 U.S.C. 1401(h) (INTCA 1994, Pub. L. 103-416 §101): born before noon EST "
                    "1934-05-24 to an alien father and a citizen mother who had resided in the U.S.", USC_1401)
ACT_1934 = Citation("R.S. 1993 as amended by the Act of May 24, 1934, §1", "48 Stat. 797; 8 FAM 301.5; USCIS "
                    "Nationality Chart 1 (the citizen parent resided in the U.S. before the birth)", FAM_301_5)
NA_201 = Citation("Nationality Act of 1940 §201(c), (d), (g)", "54 Stat. 1138, as quoted in 8 FAM 301.6-2", FAM_301_6)
NA_1946 = Citation("Act of July 31, 1946, ch. 708, 60 Stat. 721 (amending NA §201)", "World War II service variant: "
                   "10 years, 5 after 12; coverage UNCONFIRMED (REFERENCE §2.2, §8 #2)", NA_1946_URL)
INA_301 = Citation("INA 301(c), (d), (g) (former 301(a)(3), (4), (7))", "8 U.S.C. 1401(c), (d), (g); 8 FAM "
                   "301.7-3(A); Rogers v. Bellei, 401 U.S. 815 (1971)", USC_1401)
COLAIANNI_URL = "https://law.justia.com/cases/federal/appellate-courts/ca2/05-3384/05-3384_opn-2011-03-27.html"
ADOPTEE = Citation("INA 301, 309; Colaianni v. INS, 490 F.3d 185 (2d Cir. 2007)", "citizenship 'at birth' passes only "
                   "through the parents at the birth: an adoptive parent transmits none at birth (an adoption may bring "
                   "derivation instead: INA 320, former INA 320(b), 321(b))", COLAIANNI_URL)
INA_301G_PROVISO = Citation("INA 301(g), proviso", "honorable U.S. armed forces service, U.S. government or "
                            "qualifying international organization employment abroad (or as such a person's "
                            "dependent) counts as physical presence; births on or after 1952-12-24", USC_1401)

# Where the law is not settled in the sources read: unknown, never a guess.
UNSETTLED = Const(None)
PARENT_NAMES = ("father", "mother")
OTHER = {"father": "mother", "mother": "father"}


def citizen(p: str) -> Expr:
    return F.parent(p, "citizen_at_birth")


def national_only(p: str) -> Expr:
    """A U.S. national but not a citizen at the birth."""
    return ~citizen(p) & F.parent(p, "national_at_birth")


def alien(p: str) -> Expr:
    """Neither a citizen nor a national at the birth (INA 101(a)(3))."""
    return ~citizen(p) & ~F.parent(p, "national_at_birth")


def per_parent(citation: Citation, name: str, doc: str, build) -> dict:
    """One rule for each parent, named and documented with `{parent}` filled in."""
    made = {}
    for p in PARENT_NAMES:
        def fn(p=p):
            return build(p)
        fn.__name__, fn.__doc__ = name.format(parent=p), doc.format(parent=p)
        made[p] = rule(citation)(fn)
    return made


# ---- Where and when ----

@rule(OUTSIDE_US)
def born_outside_us_for_acquisition():
    """Born in a foreign country or in the former Canal Zone: the births INA 301 and 309 (and the earlier
    statutes) reach. A birth in the states, a territory or an outlying possession is not one."""
    return born_abroad | born_in_canal_zone


@rule(ADOPTEE)
def named_parents_are_birth_parents():
    """The mother_/father_ facts describe the parents at the birth. With an adoption recorded they describe the
    adoptive parents, who transmit nothing at birth (Colaianni), and acquisition runs through the birth parents
    instead (`birth_mother_...`, `birth_father_...`). An adoption not recorded either way is taken as none under
    the listed presumption of `adoption_shown`: this one rule is where that choice is made."""
    return ~adoption_shown


@rule(ADOPTEE)
def born_abroad_to_the_named_parents():
    """Born outside the United States (as INA 301 and 309 mean it), to the parents the facts name."""
    return born_outside_us_for_acquisition & named_parents_are_birth_parents


@rule(ADOPTEE)
def citizen_abroad_through_birth_parents_of_adoptee():
    """Born abroad and adopted: a citizen at birth only through a birth parent. Neither birth parent a citizen at
    the birth closes every acquisition route; one a citizen leaves it unknown, since that parent's residence or
    presence and the birth parents' marriage are not facts (the routes for named parents do not reach them)."""
    any_citizen = F.birth_mother_citizen_at_birth | F.birth_father_citizen_at_birth
    return born_outside_us_for_acquisition & adoption_shown & decide((any_citizen, UNSETTLED), otherwise=False)


@rule(ADOPTEE)
def national_abroad_through_birth_parents_of_adoptee():
    """Born abroad and adopted: a non-citizen national at birth (INA 308(2), (4)) only through a birth parent who
    was a national; with one, unknown (the presence and residence tests are not facts about birth parents)."""
    any_national = F.birth_mother_national_at_birth | F.birth_father_national_at_birth
    return born_outside_us_for_acquisition & adoption_shown & decide((any_national, UNSETTLED), otherwise=False)


@rule(REGIME)
def born_on_1934_act_day():
    """Born on 1934-05-24, the day the 1934 Act took effect at noon: which law governs turns on the hour."""
    return F.birth_date == param("acquisition.act_1934_effective")


@rule(REGIME)
def born_before_1934_act():
    """Born before 12 noon EST 1934-05-24 (R.S. 1993 as enacted); unknown for a birth on that day."""
    act = param("acquisition.act_1934_effective")
    return decide((F.birth_date == act, None), otherwise=F.birth_date < act)


@rule(REGIME)
def born_under_1934_act():
    """Born from 12 noon EST 1934-05-24 to 1941-01-12; unknown for a birth on 1934-05-24."""
    act = param("acquisition.act_1934_effective")
    return decide((F.birth_date == act, None),
                  otherwise=(F.birth_date > act) & (F.birth_date < param("acquisition.nationality_act_1940_effective")))


@rule(REGIME)
def born_under_nationality_act_1940():
    """Born from 1941-01-13 to 1952-12-23, under the Nationality Act of 1940."""
    return ((F.birth_date >= param("acquisition.nationality_act_1940_effective"))
            & (F.birth_date < param("acquisition.ina_effective")))


@rule(REGIME)
def born_on_or_after_ina():
    """Born on or after 1952-12-24, under the Immigration and Nationality Act."""
    return F.birth_date >= param("acquisition.ina_effective")


@rule(REGIME)
def born_under_ina_before_1986_amendments():
    """Born from 1952-12-24 to 1986-11-13: the INA before Pub. L. 99-653."""
    return born_on_or_after_ina & (F.birth_date < param("acquisition.ina_1986_amendments"))


@rule(REGIME)
def born_on_or_after_1986_amendments():
    """Born on or after 1986-11-14: the INA as amended by Pub. L. 99-653."""
    return F.birth_date >= param("acquisition.ina_1986_amendments")


# ---- The parents ----

@rule(PARENTS)
def both_parents_citizens_at_birth():
    """Both parents were U.S. citizens when the person was born."""
    return citizen("father") & citizen("mother")


@rule(PARENTS)
def one_parent_citizen_other_national():
    """One parent was a U.S. citizen and the other a U.S. national but not a citizen at the birth."""
    return any_of(*(citizen(p) & national_only(OTHER[p]) for p in PARENT_NAMES))


@rule(PARENTS)
def one_parent_citizen_other_alien():
    """One parent was a U.S. citizen and the other an alien (neither citizen nor national) at the birth."""
    return any_of(*(citizen(p) & alien(OTHER[p]) for p in PARENT_NAMES))


# ---- Each parent's residence or presence before the birth ----

CALENDAR = Citation("INA 301(g); NA 1940 §201(g); 8 FAM 301.7-3(A)", "presence (or residence) is counted before the "
                    "birth, and the part after 14 (16, 12) only from that birthday: the calendar bounds it, whatever "
                    "the years given", FAM_301_7)


def _days_for(years_param: str) -> int:
    """The fewest days that count as the parameter's number of years (presence.days_per_year each, as periods
    are counted): the calendar rules a test out only when fewer days than these were available. Both
    parameters hold one value for every date (checked here), so the number is fixed when the rules are built."""
    per_year, years = get_param("presence.days_per_year"), get_param(years_param)
    if any(v.effective is not None for v in per_year.versions + years.versions):
        raise ValueError(f"{years_param}: a dated version needs the calendar bound read at the date")
    return int(per_year.at(None) * years.at(None))


def calendar_rules_out(p: str, total_years: str, after_years: str, from_age: str) -> Expr:
    """True when the parent's age at the birth leaves too few days for `total_years` of presence, or the time
    from the parent's `from_age` birthday to the birth too few for `after_years`: the test cannot be met
    whatever else is unknown. Unknown while either birth date is unknown (read with `established`)."""
    born = F.parent(p, "birth_date")
    too_young = F.birth_date < born.plus_days(_days_for(total_years))
    too_little_after = F.birth_date < born.plus_years(param(from_age)).plus_days(_days_for(after_years))
    return too_young | too_little_after


CALENDAR_1952 = per_parent(
    CALENDAR, "{parent}_calendar_rules_out_presence_ina_1952",
    "The {parent}'s age at the birth rules out 10 years' presence, or the time from the {parent}'s 14th birthday "
    "to the birth rules out 5 after 14 (with service abroad too, which fills only time not present).",
    lambda p: calendar_rules_out(p, "acquisition.ina_presence_years_1952", "acquisition.ina_presence_years_after_14_1952",
                                 "acquisition.presence_counted_from_age"))

CALENDAR_1986 = per_parent(
    CALENDAR, "{parent}_calendar_rules_out_presence_ina_1986",
    "The {parent}'s age at the birth rules out 5 years' presence, or the time from the {parent}'s 14th birthday "
    "to the birth rules out 2 after 14 (with service abroad too).",
    lambda p: calendar_rules_out(p, "acquisition.ina_presence_years_1986", "acquisition.ina_presence_years_after_14_1986",
                                 "acquisition.presence_counted_from_age"))

def _presence_with_service(p: str, years: str, after_14: str, calendar: dict) -> Expr:
    """Physical presence (with the INA 301(g) service proviso) of `years`, `after_14` of them after 14.
    Service years count toward the total; toward the after-14 part they count only where they fell
    after 14, which the facts do not say, so a shortfall they could close leaves the test unknown.
    Presence and service together can never exceed the calendar (`calendar[p]`): where it rules the test
    out, the test fails even with the years unknown."""
    total, a14 = F.parent(p, "us_presence_years"), F.parent(p, "us_presence_years_after_14")
    service = F.parent(p, "qualifying_service_abroad_years")
    total_met = (total >= param(years)) | (total + service >= param(years))
    after_14_met = decide((a14 >= param(after_14), True), (a14 + service < param(after_14), False), otherwise=None)
    return total_met & after_14_met & ~calendar[p].established()


PRESENCE_1952 = per_parent(
    INA_301G_PROVISO, "{parent}_physical_presence_met_ina_1952",
    "The {parent} had 10 years' physical presence in the U.S. or an outlying possession before the birth, "
    "5 after age 14, counting qualifying service abroad (INA 301(a)(7), births 1952-12-24 to 1986-11-13).",
    lambda p: _presence_with_service(p, "acquisition.ina_presence_years_1952",
                                     "acquisition.ina_presence_years_after_14_1952", CALENDAR_1952))

PRESENCE_1986 = per_parent(
    INA_301G_PROVISO, "{parent}_physical_presence_met_ina_1986",
    "The {parent} had 5 years' physical presence in the U.S. or an outlying possession before the birth, "
    "2 after age 14, counting qualifying service abroad (INA 301(g), births from 1986-11-14).",
    lambda p: _presence_with_service(p, "acquisition.ina_presence_years_1986",
                                     "acquisition.ina_presence_years_after_14_1986", CALENDAR_1986))

PRESENCE_301G = per_parent(
    INA_301, "{parent}_physical_presence_met_ina_301g",
    "The {parent} met the INA 301(g) physical-presence rule in force on the birth date (10/5 after 14 "
    "before 1986-11-14, 5/2 after 14 from then).",
    lambda p: decide((born_on_or_after_1986_amendments, PRESENCE_1986[p]), otherwise=PRESENCE_1952[p]))


def _na_1940_residence(p: str) -> Expr:
    years = param("acquisition.na_1940_residence_years")
    after_16 = param("acquisition.na_1940_residence_years_after_16")
    total, a16 = F.parent(p, "us_presence_years"), F.parent(p, "us_presence_years_after_16")
    a12 = F.parent(p, "us_presence_years_after_12")
    standard = (total >= years) & (a16 >= after_16)
    # The 1946 variant (5 after 12) needs wartime service, impossible for a parent below the lawful enlistment
    # age when the window closed. Its years after 12 are the fact (derived from periods when given); only
    # where that is unknown are they bounded by the years after 16 plus the four years between 12 and 16.
    gap = param("acquisition.na_1940_parent_age") - param("acquisition.wwii_variant_parent_age")
    could_serve = (F.parent(p, "birth_date").plus_years(param("acquisition.wwii_minimum_service_age"))
                   <= param("acquisition.wwii_service_window_end"))
    standard_out = calendar_rules_out(p, "acquisition.na_1940_residence_years",
                                      "acquisition.na_1940_residence_years_after_16", "acquisition.na_1940_parent_age")
    variant_out = calendar_rules_out(p, "acquisition.na_1940_residence_years",
                                     "acquisition.na_1940_residence_years_after_16",
                                     "acquisition.wwii_variant_parent_age") | ~could_serve
    after_12_met = decide((a12.known(), a12 >= after_16), otherwise=(a16 + gap >= after_16))
    variant_possible = (total >= years) & after_12_met & could_serve & ~variant_out.established()
    # §201(g) counts residence (the place of general abode, NA §104), not physical presence: years of presence
    # that fall short do not show residence did (8 FAM 301.6-2; found by review). Residence years given decide;
    # enough presence is taken as enough residence (only ever a citizen where the law may say so).
    resided = F.parent(p, "us_residence_years"), F.parent(p, "us_residence_years_after_16")
    by_residence = (resided[0] >= years) & (resided[1] >= after_16)
    return decide((standard_out.established() & variant_out.established(), False),
                  ((standard | by_residence).established() & ~standard_out.established(), True),
                  (variant_possible.established(), UNSETTLED), ((~by_residence).established(), False),
                  otherwise=UNSETTLED)


RESIDENCE_NA_1940 = per_parent(
    NA_1946, "{parent}_residence_met_na_1940",
    "The {parent} had 10 years' residence in the U.S. or an outlying possession before the birth, 5 after "
    "age 16 (NA 1940 §201(g)): met by the years of residence given, or by as many years of presence; not met "
    "where the residence years given fall short or the calendar rules out both tests; unknown where only "
    "presence falls short (residence is not presence) or only the unconfirmed WWII-service variant (5 after "
    "12) could still be met.",
    _na_1940_residence)


def _in_wedlock_abroad(regime: Expr) -> Expr:
    return born_abroad_to_the_named_parents & F.parents_married_at_birth & regime


def _resided(p: str) -> Expr:
    return F.parent(p, "us_residence_before_birth")


# ---- Before 12 noon EST 1934-05-24 ----

def _rs_1993_test() -> Expr:
    return citizen("father") & _resided("father")


def _ina_301h_test() -> Expr:
    return citizen("mother") & alien("father") & _resided("mother")


@rule(RS_1993)
def citizen_abroad_rs_1993_through_father():
    """Born abroad in wedlock before noon 1934-05-24 to a citizen father who had resided in the U.S."""
    return _in_wedlock_abroad(born_before_1934_act) & _rs_1993_test()


@rule(INA_301H)
def citizen_abroad_ina_301h():
    """Born abroad in wedlock before noon 1934-05-24 to an alien father and a citizen mother who had resided
    in the U.S. before the birth: a citizen at birth, retroactively (INA 301(h), 1994)."""
    return _in_wedlock_abroad(born_before_1934_act) & _ina_301h_test()


# ---- 1934-05-24 (noon) to 1941-01-12 ----

def _act_1934_both_test() -> Expr:
    return both_parents_citizens_at_birth & (_resided("father") | _resided("mother"))


def _act_1934_one_test() -> Expr:
    return any_of(*(citizen(p) & ~citizen(OTHER[p]) & _resided(p) for p in PARENT_NAMES))


@rule(ACT_1934)
def citizen_abroad_1934_act_both_parents_citizens():
    """Born abroad in wedlock 1934-05-24 (noon) to 1941-01-12 to two citizen parents, one of whom had resided
    in the U.S.: no retention condition."""
    return _in_wedlock_abroad(born_under_1934_act) & _act_1934_both_test()


@rule(ACT_1934)
def citizen_abroad_1934_act_one_citizen_parent():
    """Born abroad in wedlock 1934-05-24 (noon) to 1941-01-12 to one citizen parent who had resided in the
    U.S. and one non-citizen parent (if that parent was an alien, retention applied: retention.py)."""
    return _in_wedlock_abroad(born_under_1934_act) & _act_1934_one_test()


@rule(REGIME)
def citizen_abroad_on_1934_act_day():
    """Born abroad in wedlock on 1934-05-24 and a citizen at birth whichever side of noon: the old law (R.S.
    1993 / INA 301(h)) and the 1934 Act both make the person a citizen."""
    old = _rs_1993_test() | _ina_301h_test()
    new = _act_1934_both_test() | _act_1934_one_test()
    return _in_wedlock_abroad(born_on_1934_act_day) & old & new


# ---- 1941-01-13 to 1952-12-23: Nationality Act of 1940 §201 ----

@rule(NA_201)
def citizen_abroad_na_201c():
    """Born abroad in wedlock 1941-01-13 to 1952-12-23 to two citizen parents, one of whom had resided in the
    U.S. or an outlying possession (NA §201(c))."""
    return _in_wedlock_abroad(born_under_nationality_act_1940) & _act_1934_both_test()


@rule(NA_201)
def citizen_abroad_na_201d():
    """Born abroad in wedlock 1941-01-13 to 1952-12-23 to a citizen parent who had resided in the U.S. and a
    national parent (NA §201(d))."""
    return _in_wedlock_abroad(born_under_nationality_act_1940) & any_of(
        *(citizen(p) & national_only(OTHER[p]) & _resided(p) for p in PARENT_NAMES))


@rule(NA_201)
def citizen_abroad_na_201g():
    """Born abroad in wedlock 1941-01-13 to 1952-12-23 to a citizen parent with 10 years' residence (5 after
    16) and an alien parent (NA §201(g); retention applied: retention.py)."""
    return _in_wedlock_abroad(born_under_nationality_act_1940) & any_of(
        *(citizen(p) & alien(OTHER[p]) & RESIDENCE_NA_1940[p] for p in PARENT_NAMES))


# ---- From 1952-12-24: INA 301(c), (d), (g) ----

@rule(INA_301)
def citizen_abroad_ina_301c():
    """Born abroad in wedlock on or after 1952-12-24 to two citizen parents, one of whom had a residence in
    the U.S. or an outlying possession before the birth (INA 301(c))."""
    return _in_wedlock_abroad(born_on_or_after_ina) & _act_1934_both_test()


@rule(INA_301)
def citizen_abroad_ina_301d():
    """Born abroad in wedlock on or after 1952-12-24 to a citizen parent with a continuous year of presence
    in the U.S. or an outlying possession before the birth and a national parent (INA 301(d))."""
    return _in_wedlock_abroad(born_on_or_after_ina) & any_of(
        *(citizen(p) & national_only(OTHER[p]) & F.parent(p, "us_continuous_presence_year") for p in PARENT_NAMES))


@rule(INA_301)
def citizen_abroad_ina_301g_before_1986():
    """Born abroad in wedlock 1952-12-24 to 1986-11-13 to an alien parent and a citizen parent with 10 years'
    physical presence, 5 after 14 (former INA 301(a)(7))."""
    return _in_wedlock_abroad(born_under_ina_before_1986_amendments) & any_of(
        *(citizen(p) & alien(OTHER[p]) & PRESENCE_1952[p] for p in PARENT_NAMES))


@rule(INA_301)
def citizen_abroad_ina_301g():
    """Born abroad in wedlock on or after 1986-11-14 to an alien parent and a citizen parent with 5 years'
    physical presence, 2 after 14 (INA 301(g))."""
    return _in_wedlock_abroad(born_on_or_after_1986_amendments) & any_of(
        *(citizen(p) & alien(OTHER[p]) & PRESENCE_1986[p] for p in PARENT_NAMES))
