"""At least a national: a person shown to be a U.S. national while a route to citizenship is still open.

A citizen is also a national (INA 101(a)(22)), so such a person is reported as a national (neither may be
removed), but the answer is "at least a national", not "a national": the result says so, and the facts
that could still make the person a citizen stay among the missing facts.
"""

from safeguard.engine.rules import rule
from safeguard.law.citizenship.status import citizenship_status, us_citizen
from safeguard.law.sources import INA_101_A_22


@rule(INA_101_A_22)
def national_citizenship_still_open():
    """Shown to be at least a U.S. national, while whether the person is also a citizen is still unknown."""
    return (citizenship_status == "national") & ~us_citizen.known()
