"""The person's own naturalization (INA 310-337): a citizen from the day of naturalization.

Whether the naturalization was later revoked is loss (loss.py, INA 340), not part of this route; a
naturalization stands until a federal court's final judgment revokes it.
"""

from safeguard.engine.rules import Citation, rule
from safeguard.law.vocabulary import F

INA_310 = Citation("INA 310(b), 337; INA 101(a)(23)", "8 U.S.C. 1421(b), 1448: naturalization is complete on the "
                   "oath; 'naturalization' is the conferring of nationality after birth",
                   "https://uscode.house.gov/view.xhtml?req=granuleid:USC-prelim-title8-section1421&num=0&edition=prelim")


@rule(INA_310)
def citizen_by_naturalization():
    """The person was naturalized as a U.S. citizen. A naturalization dated after the date the law is taken at
    had not yet happened then; an unknown date leaves the naturalization standing."""
    return F.naturalized & ~(F.naturalization_date > F.as_of).established()


@rule(INA_310)
def naturalization_since():
    """The date of the person's naturalization."""
    return F.naturalization_date
