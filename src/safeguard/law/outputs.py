"""What a screening reports, as rules: the roots every engine evaluates, and the reasons and
safeguards the result lists. Importing this module loads the whole law."""

from safeguard.engine.expr import decide
from safeguard.engine.rules import rule
from safeguard.law.citizenship.birth_place import place_of_birth_class
from safeguard.law.citizenship.status import citizenship_basis, citizenship_since, citizenship_status
from safeguard.law.removal.arrangement_terms import ARRANGEMENT_TERMS
from safeguard.law.removal.citizens import HOLD_UNRESOLVED
from safeguard.law.removal.outcome import OUTCOMES, SAFEGUARDS, all_safeguards_met, transfer_outcome
from safeguard.law.vocabulary import F


@rule(HOLD_UNRESOLVED)
def transfer_settled():
    """The transfer outcome can no longer change: a bar or hold applies and every one before it is known
    not to, or none can apply and every safeguard is known; True when no transfer is proposed."""
    settled = decide(*((cond, True) for _, cond in OUTCOMES),
                     otherwise=all_safeguards_met | ~all_safeguards_met)
    return ~F.destination_country.known() | settled


# Reported columns: name -> rule.
OUTPUTS = {
    "citizenship_status": citizenship_status,
    "citizenship_basis": citizenship_basis,
    "citizenship_since": citizenship_since,
    "transfer_outcome": transfer_outcome,
    "place_of_birth_class": place_of_birth_class,
}

# Unknown values of these rules are what `missing_facts` and `ask` work to resolve.
OPEN_ROOTS = [citizenship_status, transfer_settled]

# Every rule the engines evaluate.
ROOTS = list(OUTPUTS.values()) + OPEN_ROOTS + [cond for _, cond in OUTCOMES] + [met for _, met in SAFEGUARDS] + ARRANGEMENT_TERMS
