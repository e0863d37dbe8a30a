"""What a screening reports, as rules: the roots every engine evaluates, and the reasons and
safeguards the result lists. Importing this module loads the whole law."""

from safeguard.engine.expr import any_of, decide
from safeguard.engine.rules import rule
from safeguard.law.citizenship.at_least_national import national_citizenship_still_open
from safeguard.law.citizenship.birth_place import place_of_birth_class
from safeguard.law.citizenship.status import (
    citizenship_basis,
    citizenship_contested,
    citizenship_law_not_encoded,
    citizenship_lost_date,
    citizenship_lost_how,
    citizenship_since,
    citizenship_status,
    us_citizen,
)
from safeguard.law.removal.arrangement_terms import (
    ARRANGEMENT_TERMS,
    arrangement_claims_to_cover_citizens,
    arrangement_in_force_contested,
)
from safeguard.law.removal.outcome import (
    OUTCOMES,
    REMOVAL_ONLY_WHEN_NOTHING_BARS,
    SAFEGUARDS,
    all_safeguards_met,
    third_country_safeguards_outstanding,
    transfer_outcome,
    transfer_outcome_provisional,
)
from safeguard.law.vocabulary import F


@rule(REMOVAL_ONLY_WHEN_NOTHING_BARS)
def bars_settled():
    """No unknown bar or hold could still take precedence: the first that applies is preceded only by bars
    known not to apply (True when no transfer is proposed)."""
    return ~F.destination_country.known() | decide(*((cond, True) for _, cond in OUTCOMES), otherwise=True)


@rule(REMOVAL_ONLY_WHEN_NOTHING_BARS)
def safeguards_settled():
    """The safeguards no longer matter (a bar or hold applies) or each is known met or unmet."""
    return any_of(~F.destination_country.known(), *(cond.established() for _, cond in OUTCOMES),
                  all_safeguards_met | ~all_safeguards_met)


# Reported columns: name -> rule.
OUTPUTS = {
    "citizenship_status": citizenship_status,
    "citizenship_basis": citizenship_basis,
    "citizenship_since": citizenship_since,
    "citizenship_lost_how": citizenship_lost_how,
    "citizenship_lost_date": citizenship_lost_date,
    "citizenship_contested": citizenship_contested,
    "citizenship_law_not_encoded": citizenship_law_not_encoded,
    "transfer_outcome": transfer_outcome,
    "transfer_contested": arrangement_in_force_contested,
    "place_of_birth_class": place_of_birth_class,
}

# Unknown values of these rules are what `missing_facts` and `ask` work to resolve.
# `us_citizen` is open only while the person is at least a national and citizenship is still unknown.
OPEN_ROOTS = [citizenship_status, us_citizen, bars_settled, safeguards_settled]

# Every rule the engines evaluate.
ROOTS = list(OUTPUTS.values()) + OPEN_ROOTS + [third_country_safeguards_outstanding, transfer_outcome_provisional,
                                               national_citizenship_still_open] + [cond for _, cond in OUTCOMES] + [met for _, met in SAFEGUARDS] + ARRANGEMENT_TERMS + [arrangement_claims_to_cover_citizens]
ROOTS = list(dict.fromkeys(ROOTS))
