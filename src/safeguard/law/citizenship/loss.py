"""Loss of citizenship: only by a federal court's judgment revoking a naturalization (INA 340), or by
a voluntary expatriating act done with the intent to give up citizenship (INA 349; Afroyim v. Rusk;
Vance v. Terrazas). Nothing else ends citizenship; in particular a criminal conviction does not.

Citizenship continues until its loss is shown: the party claiming loss bears the burden (INA 349(b);
Vance v. Terrazas), and only a court can revoke a naturalization (INA 340(a); Gorbach v. Reno), so an
unrecorded judgment or finding of loss is presumed absent. Loss of a parent's naturalization and
retention (INA 301(b), repealed 1978) are not encoded here.
"""

from safeguard.engine.expr import Presumed, lift
from safeguard.engine.rules import Citation, rule
from safeguard.law.vocabulary import F

USC_1451 = "https://uscode.house.gov/view.xhtml?req=granuleid:USC-prelim-title8-section1451&num=0&edition=prelim"
USC_1481 = "https://uscode.house.gov/view.xhtml?req=granuleid:USC-prelim-title8-section1481&num=0&edition=prelim"
INA_340 = Citation("INA 340(a), (e), 8 U.S.C. 1451", "revocation only by a federal court's judgment, effective as of "
                   "the original naturalization; Gorbach v. Reno, 219 F.3d 1087 (9th Cir. 2000) (en banc); Costello "
                   "v. United States, 365 U.S. 265 (1961); Maslenjak v. United States, 582 U.S. 335 (2017)", USC_1451)
INA_349 = Citation("INA 349(a)-(b), 8 U.S.C. 1481", "a voluntary act with intent to relinquish, proved by a "
                   "preponderance by the party claiming loss; Afroyim v. Rusk, 387 U.S. 253 (1967); Vance v. "
                   "Terrazas, 444 U.S. 252 (1980)", USC_1481)
NO_LOSS_BY_CONVICTION = Citation(
    "INA 349(a); U.S. Const. amend. XIV, §1", "no statute takes citizenship as punishment for crime; even INA "
    "349(a)(7) needs a voluntary act with intent (Afroyim v. Rusk, 387 U.S. 253 (1967); Vance v. Terrazas, 444 "
    "U.S. 252 (1980))", USC_1481)


@rule(INA_340)
def naturalization_revoked_by_court():
    """A federal court entered a final judgment revoking the person's naturalization. None is presumed unless
    recorded: only a court can revoke, on clear, unequivocal and convincing evidence."""
    return Presumed(F.denaturalized, False, "INA 340(a); Gorbach v. Reno (9th Cir. 2000): naturalization is revoked "
                    "only by a federal court's judgment; none is presumed")


@rule(INA_340)
def lost_by_denaturalization():
    """A naturalized citizen whose naturalization a federal court revoked: the revocation takes effect as of the
    naturalization. It reaches only a naturalization; citizenship from birth or derivation is untouched."""
    return naturalization_revoked_by_court & F.naturalized


@rule(INA_340)
def denaturalization_date():
    """Revocation dates back to the naturalization itself (INA 340(a)): the naturalization date."""
    return F.naturalization_date


@rule(INA_349)
def lost_by_expatriation():
    """Loss of nationality was found for a voluntary expatriating act done with the intent to give up U.S.
    citizenship (e.g. an approved certificate of loss of nationality). Without such a finding none is
    presumed."""
    return Presumed(F.expatriated, False, "INA 349(b); Vance v. Terrazas, 444 U.S. 252 (1980): the party claiming "
                    "loss must prove it; citizenship continues until then")


@rule(INA_349)
def expatriation_loss_date():
    """The date of the expatriating act."""
    return F.expatriation_date


@rule(NO_LOSS_BY_CONVICTION)
def conviction_does_not_end_citizenship():
    """A criminal conviction, of any class, never ends citizenship: no rule of loss reads `convicted` or
    `conviction_class`. A citizen who is convicted stays a citizen (REFERENCE §4.3; §6.D D13)."""
    return lift(True)
