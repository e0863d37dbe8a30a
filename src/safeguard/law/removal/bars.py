"""Bars and holds for a non-citizen: protection as to the destination, no final order, a pending claim.
The arrangement's own terms are in arrangement_terms.py."""

from safeguard.engine.expr import any_of
from safeguard.engine.rules import Citation, rule
from safeguard.law.removal.arrangement_terms import outside_arrangement  # noqa: F401  (re-exported)
from safeguard.law.vocabulary import F

WITHHOLDING = Citation(
    "INA 241(b)(3)(A); 8 CFR 1208.16-1208.17 (CAT)",
    "8 U.S.C. 1231(b)(3)(A): no removal to a country where life or freedom would be threatened; CAT "
    "withholding and deferral; both country-specific (8 CFR 1208.16(f); Johnson v. Guzman Chavez, 2021)",
    "https://www.ecfr.gov/current/title-8/chapter-V/subchapter-B/part-1208/subpart-B/section-1208.16",
)
FINAL_ORDER = Citation(
    "INA 240, 241(a); 8 CFR 1241.1; INA 235(b)(1), 238(b)",
    "removal needs an order that is final (8 CFR 1241.1); expedited removal does not reach a verified LPR, "
    "refugee or asylee (INA 235(b)(1)(C), 8 CFR 235.3(b)(5)); administrative removal only non-LPRs (INA 238(b))",
    "https://www.ecfr.gov/current/title-8/chapter-V/subchapter-B/part-1241/subpart-A/section-1241.1",
)
PENDING_CLAIM = Citation(
    "D.V.D. v. DHS, No. 1:25-cv-10676 (D. Mass.); 8 CFR 1208.31; INA 242(f)",
    "a stay of removal bars removal while in force; a pending fear claim must be decided first (TRO of "
    "2025-03-28; final judgment reported 2026-02-25)",
    "https://clearinghouse.net/case/46279",
)


@rule(WITHHOLDING)
def protected_as_to_destination():
    """Withholding of removal or CAT protection was granted as to the destination country."""
    return any_of(F.withholding_countries.contains(F.destination_country),
                  F.cat_countries.contains(F.destination_country))


@rule(WITHHOLDING)
def barred_protection():
    """Withholding or CAT protection as to the destination bars this transfer (the Abrego Garcia pattern)."""
    return protected_as_to_destination


@rule(FINAL_ORDER)
def no_removal_order():
    """No removal order exists, or proceedings are still pending."""
    return F.removal_order.is_in(("none", "proceedings_pending"))


@rule(FINAL_ORDER)
def order_cannot_reach_lpr():
    """The order is one that cannot apply to this person: an expedited or administrative order against a lawful
    permanent resident (removed only after INA 240 proceedings), or an expedited order against a refugee or
    asylee (INA 235(b)(1)(C), 8 CFR 235.3(b)(5): a verified admission as a refugee or grant of asylum takes
    the person out of expedited removal, as it does an LPR; found by review)."""
    lpr = (F.immigration_status == "lpr") & F.removal_order.is_in(("expedited", "administrative"))
    protected_status = F.immigration_status.is_in(("refugee", "asylee")) & (F.removal_order == "expedited")
    return lpr | protected_status


@rule(FINAL_ORDER)
def barred_no_final_order():
    """No final order of removal that can be executed against this person."""
    return no_removal_order | order_cannot_reach_lpr


@rule(PENDING_CLAIM)
def hold_pending_claim():
    """A stay of removal is in force, a fear claim is pending, or a fear screening came out positive."""
    return any_of(F.stay_of_removal, F.fear_claim_pending, F.fear_screening == "positive")
