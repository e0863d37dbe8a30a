"""The transfer outcome: the first applicable code of the contract's table, every applicable reason
listed, and the safeguards a third-country removal needs, each met, unmet or unknown."""

from safeguard.engine.expr import all_of, any_of, first_true
from safeguard.engine.rules import Citation, rule
from safeguard.law.removal.bars import (
    barred_no_final_order,
    barred_protection,
    hold_pending_claim,
    outside_arrangement,
)
from safeguard.law.removal.citizens import (
    barred_us_citizen,
    barred_us_national,
    hold_citizenship_unresolved,
)
from safeguard.law.removal.safeguards import SAFEGUARDS, destination_is_third_country
from safeguard.law.vocabulary import F

REMOVAL_ONLY_WHEN_NOTHING_BARS = Citation(
    "INA 241(a)(1), 241(b) (8 U.S.C. 1231(a)(1), (b))",
    "removal carries out a final order, to a country the statute allows; each bar and hold above comes first, "
    "and a third-country removal needs the safeguards listed (INA 241(b)(2)(E)(vii), 241(b)(3); D.V.D. v. DHS)",
    "https://uscode.house.gov/view.xhtml?req=granuleid:USC-prelim-title8-section1231&num=0&edition=prelim",
)

# The contract's table, in priority order: the first that holds is the outcome.
OUTCOMES = [
    ("BARRED_US_CITIZEN", barred_us_citizen),
    ("BARRED_US_NATIONAL", barred_us_national),
    ("HOLD_CITIZENSHIP_UNRESOLVED", hold_citizenship_unresolved),
    ("BARRED_PROTECTION", barred_protection),
    ("BARRED_NO_FINAL_ORDER", barred_no_final_order),
    ("HOLD_PENDING_CLAIM", hold_pending_claim),
    ("OUTSIDE_ARRANGEMENT", outside_arrangement),
]


@rule(REMOVAL_ONLY_WHEN_NOTHING_BARS)
def no_bar_applies():
    """Every bar and hold is known not to apply (an unknown one may still apply)."""
    return all_of(*(~cond for _, cond in OUTCOMES))


@rule(REMOVAL_ONLY_WHEN_NOTHING_BARS)
def all_safeguards_met():
    """Every safeguard the transfer needs is recorded as met."""
    return all_of(*(met for _, met in SAFEGUARDS))


@rule(REMOVAL_ONLY_WHEN_NOTHING_BARS)
def transfer_outcome():
    """With a destination given: the first bar or hold that applies; else NO_BAR_FOUND when no bar can
    apply and every safeguard is met; else SAFEGUARDS_REQUIRED."""
    inner = first_true(
        *((cond, code) for code, cond in OUTCOMES),
        (no_bar_applies & all_safeguards_met, "NO_BAR_FOUND"),
        otherwise="SAFEGUARDS_REQUIRED",
    )
    return first_true((F.destination_country.known(), inner), otherwise=None)


@rule(REMOVAL_ONLY_WHEN_NOTHING_BARS)
def third_country_safeguards_outstanding():
    """A transfer to a country other than the one the order names (or one not shown to be it) still lacks a
    safeguard, unmet or unknown, whichever bar or hold comes first: listed among the reasons, since it must
    be met before any such transfer (a citizen or national, who may not be sent at all, excepted)."""
    return all_of(F.destination_country.known(), ~(~destination_is_third_country).established(),
                  ~all_safeguards_met.established(), ~barred_us_citizen.established(),
                  ~barred_us_national.established())


@rule(REMOVAL_ONLY_WHEN_NOTHING_BARS)
def transfer_outcome_provisional():
    """The outcome was chosen while a bar or hold that comes before it in the table is still unknown: an
    answer to the open facts may replace it with that bar."""
    earlier = []
    branches = []
    for code, cond in OUTCOMES:
        branches.append((transfer_outcome == code, any_of(*earlier) if earlier else False))
        earlier.append(~cond.known())
    branches.append((transfer_outcome.is_in(("SAFEGUARDS_REQUIRED", "NO_BAR_FOUND")), any_of(*earlier)))
    return first_true(*branches, otherwise=False)
