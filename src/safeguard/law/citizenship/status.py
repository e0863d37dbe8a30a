"""The person's status: citizen, national, not a citizen, or unknown, from every route the law knows.

Each route is a rule elsewhere in this folder; this file only lists them, in the order their basis
is reported, with the date each makes the person a citizen (`since`). A citizen is also a national
(INA 101(a)(22)), so a person shown to be at least a national is reported as one while citizenship
stays open, with the facts that could still make them a citizen.
"""

from safeguard.engine.expr import any_of, first_true, latest
from safeguard.engine.params import get_param
from safeguard.engine.rules import rule
from safeguard.law.citizenship.acquisition import ACQUISITION_ROUTES, NATIONAL_ROUTES_ABROAD
from safeguard.law.citizenship.birth_in_us import citizen_as_foundling, citizen_by_birth_in_states
from safeguard.law.citizenship.coverage import birth_law_not_encoded, birth_law_not_encoded_reason
from safeguard.law.citizenship.derivation import CONTESTED, DERIVATION_ROUTES, LOSS, NATURALIZATION_ROUTES
from safeguard.law.citizenship.loss import lost_by_denaturalization, lost_by_expatriation
from safeguard.law.citizenship.retention import (
    lost_by_retention,
    retention_cutoff_in_dispute,
    retention_loss_date,
)
from safeguard.law.citizenship.territories import (
    CNMI_DAY,
    NA_1940,
    VI_ACT,
    birth_turns_on_1941_start_dispute,
    citizen_by_birth_in_canal_zone,
    citizen_by_birth_in_cnmi,
    citizen_by_birth_in_guam,
    citizen_by_birth_in_outlying_possession,
    citizen_by_birth_in_outlying_possession_na_1940,
    citizen_by_birth_in_puerto_rico,
    citizen_by_birth_in_virgin_islands,
    citizen_by_covenant_301,
    cnmi_birth_turns_on_sabangan,
    covenant_301b_turns_on_voting_age,
    national_by_birth_in_outlying_possession,
    national_by_covenant_302,
)
from safeguard.law.sources import INA_101_A_3, INA_101_A_22
from safeguard.law.vocabulary import F, param

# (route rule, basis as reported, the date citizenship began)
CITIZEN_ROUTES = [
    (citizen_by_birth_in_states, "born in the United States — 14th Amendment, INA 301(a)", F.birth_date),
    (citizen_by_birth_in_puerto_rico, "born in Puerto Rico — INA 302", latest(F.birth_date, NA_1940)),
    (citizen_by_birth_in_outlying_possession_na_1940,
     "born in an outlying possession to a citizen parent who had resided in the U.S. — Nationality Act of 1940 "
     "§201(e)", F.birth_date),
    (citizen_by_birth_in_guam, "born in Guam — INA 307",
     latest(F.birth_date, param("territories.guam_organic_act"))),
    (citizen_by_birth_in_virgin_islands, "born in the U.S. Virgin Islands — INA 306(b), 301(a)",
     latest(F.birth_date, VI_ACT)),
    (citizen_by_birth_in_cnmi, "born in the Northern Mariana Islands — Covenant §506, INA 301(a)", F.birth_date),
    (citizen_by_covenant_301, "in a Covenant §301 class on 1986-11-03 (Northern Mariana Islands) — Covenant §301",
     CNMI_DAY),
    (citizen_by_birth_in_canal_zone, "born in the Canal Zone or Panama to a citizen parent — INA 303", F.birth_date),
    (citizen_as_foundling, "found in the United States under age 5, parents unknown — INA 301(f)", F.birth_date),
    (citizen_by_birth_in_outlying_possession,
     "born in an outlying possession to a citizen parent with a year's presence — INA 301(e)", F.birth_date),
] + [
    # Citizenship acquired at birth abroad counts only while not lost under a retention requirement.
    (route & ~lost_by_retention, basis, since) for route, basis, since in ACQUISITION_ROUTES
] + list(DERIVATION_ROUTES) + [
    # Naturalization counts unless a federal court revoked it (INA 340); revocation reaches only this route.
    (route & ~lost_by_denaturalization, basis, since) for route, basis, since in NATURALIZATION_ROUTES
]

NATIONAL_ROUTES = [
    (national_by_birth_in_outlying_possession, "born in American Samoa or Swains Island — INA 308(1)", F.birth_date),
    (national_by_covenant_302, "declared a national under Covenant §302", CNMI_DAY),
] + list(NATIONAL_ROUTES_ABROAD)


@rule(INA_101_A_22)
def us_citizen():
    """A U.S. citizen by at least one route the law provides, and not since expatriated (INA 349: only a
    voluntary act done with intent to give up citizenship; a criminal conviction never ends it)."""
    return any_of(*(route for route, _, _ in CITIZEN_ROUTES)) & ~lost_by_expatriation


@rule(INA_101_A_22)
def us_national():
    """A U.S. national by a route that makes nationals who are not citizens."""
    return any_of(*(route for route, _, _ in NATIONAL_ROUTES))


@rule(INA_101_A_3)
def neither_citizen_nor_national():
    """No route makes the person a U.S. citizen or national: an alien in the law's word. Concluded only where
    the coverage table encodes the law of the person's place and date of birth, and no dispute between
    authorities on the Nationality Act's first day could make the person a citizen."""
    return ~us_citizen & ~us_national & ~birth_law_not_encoded & ~birth_turns_on_1941_start_dispute


@rule(INA_101_A_22)
def citizenship_status():
    """Citizen if any citizen route holds; else national if a national route holds; else not a citizen
    when every route fails; otherwise unknown."""
    return first_true((us_citizen, "citizen"), (us_national, "national"), (neither_citizen_nor_national, "not_citizen"))


@rule(INA_101_A_22)
def citizenship_basis():
    """The first route, in the order listed, that makes the person a citizen (or else a national)."""
    return first_true(*((route, basis) for route, basis, _ in CITIZEN_ROUTES + NATIONAL_ROUTES))


@rule(INA_101_A_22)
def citizenship_since():
    """The date that route made the person a citizen or national."""
    return first_true(*((route, since) for route, _, since in CITIZEN_ROUTES + NATIONAL_ROUTES))


@rule(INA_101_A_22)
def citizenship_lost_how():
    """How citizenship once held was lost, where it was: retention, expatriation or denaturalization."""
    return first_true((lost_by_retention, "retention"), *((rule_, how) for rule_, how, _ in LOSS))


@rule(INA_101_A_22)
def citizenship_lost_date():
    """The date citizenship was lost, where the law fixes it."""
    return first_true((lost_by_retention, retention_loss_date), *((rule_, when) for rule_, _, when in LOSS))


RETENTION_DISPUTE = get_param("acquisition.retention_exempt_births_from")


@rule(INA_101_A_22)
def citizenship_contested():
    """The status is unknown because authorities disagree on the rule that decides it (REFERENCE §7)."""
    disputes = ([(retention_cutoff_in_dispute, RETENTION_DISPUTE)] + [(r, get_param(name)) for r, name in CONTESTED]
                + [(birth_turns_on_1941_start_dispute, get_param("territories.nationality_act_1940_births")),
                   (cnmi_birth_turns_on_sabangan, get_param("territories.cnmi_birth_citizenship_from")),
                   (covenant_301b_turns_on_voting_age, get_param("territories.covenant_301b_under_age_born_from"))])
    return first_true(*((r & ~citizenship_status.known(), " ".join(str(p.discrepancy).split())) for r, p in disputes))


@rule(INA_101_A_3)
def citizenship_law_not_encoded():
    """While the status is unknown: the law the coverage table marks as not encoded for the person's place
    and date of birth, which keeps `not_citizen` from being concluded."""
    return first_true((citizenship_status.known(), None), otherwise=birth_law_not_encoded_reason)
