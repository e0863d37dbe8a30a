"""U.S. citizens and nationals cannot be removed, nor sent abroad to serve a sentence."""

from safeguard.engine.rules import Citation, rule
from safeguard.law.citizenship.status import citizenship_status

NO_REMOVAL_OF_CITIZENS = Citation(
    "INA 101(a)(3), 240(a)(1)",
    "8 U.S.C. 1101(a)(3), 1229a(a)(1): removal acts only on aliens; Rivera v. Ashcroft, 394 F.3d 1129, 1136 "
    "(9th Cir. 2005); 18 U.S.C. 4100(b): a prisoner may be transferred out only to a country of which the "
    "prisoner is a citizen or national, with consent, under a treaty",
    "https://uscode.house.gov/view.xhtml?req=granuleid:USC-prelim-title8-section1229a&num=0&edition=prelim",
)
NO_REMOVAL_OF_NATIONALS = Citation(
    "INA 101(a)(3), 101(a)(22)", "8 U.S.C. 1101(a)(3): a national is not an alien and is not removable",
    "https://uscode.house.gov/view.xhtml?req=granuleid:USC-prelim-title8-section1101&num=0&edition=prelim",
)
HOLD_UNRESOLVED = Citation(
    "ICE Directive 16001.2 (Nov 10, 2015)",
    "ICE may not use civil immigration powers against a U.S. citizen; citizenship indicators must be "
    "investigated first; INA 242(b)(5)",
    "https://assets.documentcloud.org/documents/7280779/2015-ICE-Memo-Investigating-the-Potential-U-S.txt",
)


@rule(NO_REMOVAL_OF_CITIZENS)
def barred_us_citizen():
    """The person is a U.S. citizen: no removal, and no authority to send a citizen abroad to serve a sentence."""
    return citizenship_status == "citizen"


@rule(NO_REMOVAL_OF_NATIONALS)
def barred_us_national():
    """The person is a U.S. national: not an alien, so not removable."""
    return citizenship_status == "national"


@rule(HOLD_UNRESOLVED)
def hold_citizenship_unresolved():
    """A route to U.S. citizenship is still open on the known facts: nothing may proceed until resolved."""
    return ~citizenship_status.known()
