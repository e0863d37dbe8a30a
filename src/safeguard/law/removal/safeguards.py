"""Safeguards for a removal to a third country, each met, unmet or unknown, with its authority.

A third country, here, is a destination other than the country the removal order designates (the
D.V.D. class definition). For a removal to the designated country these safeguards are not required.
"""

from safeguard.engine.expr import any_of
from safeguard.engine.rules import Citation, rule
from safeguard.law.vocabulary import F

DVD = ("D.V.D. v. DHS, No. 1:25-cv-10676 (D. Mass.): TRO 2025-03-28 and preliminary injunction 2025-04-18 "
       "required written notice and a meaningful opportunity to seek protection; the Supreme Court stayed the "
       "injunction 2025-06-23 (No. 24A1153); a final judgment setting aside the third-country policy is "
       "reported for about 2026-02-25 (secondary source), appeal status unknown. CONTESTED authority.")
DVD_URL = "https://clearinghouse.net/case/46279"

ORDER_OF_COUNTRIES = Citation(
    "INA 241(b)(2)(A)-(E)", "8 U.S.C. 1231(b)(2): designated country, then nationality, then (E)(i)-(vi), and "
    "only then (E)(vii) another country that will accept; Jama v. ICE, 543 U.S. 335 (2005)",
    "https://supreme.justia.com/cases/federal/us/543/03-674/")
ACCEPTANCE = Citation(
    "INA 241(b)(2)(E)(vii)", "8 U.S.C. 1231(b)(2)(E)(vii): a third country must be one 'whose government will "
    "accept'; Jama v. ICE (acceptance needed only under clause (vii))",
    "https://supreme.justia.com/cases/federal/us/543/03-674/")
NOTICE = Citation("Due process; D.V.D. v. DHS", "written notice naming the country, in a language the person "
                  "understands; A.A.R.P. v. Trump, 605 U.S. ___ (2025-05-16): 24 hours' notice does not suffice. "
                  + DVD, DVD_URL)
FEAR = Citation("INA 241(b)(3); 8 CFR 1208.16-1208.18; D.V.D. v. DHS",
                "a meaningful opportunity to raise a fear claim about the country, with an individual screening. "
                + DVD, DVD_URL)
COUNSEL = Citation("INA 292; 8 CFR 1240.10(a)(1); 18 U.S.C. 4109 (prisoner transfers)",
                   "access to counsel (at no expense to the government) before a transfer",
                   "https://uscode.house.gov/view.xhtml?req=granuleid:USC-prelim-title8-section1362&num=0&edition=prelim")


@rule(ORDER_OF_COUNTRIES)
def destination_is_third_country():
    """The destination is not the country designated in the removal order."""
    return F.destination_country != F.order_designated_country


@rule(ORDER_OF_COUNTRIES)
def order_of_countries_followed():
    """Not a third country; or a country of nationality or of birth (INA 241(b)(2)(D), (E)(iv)); or every
    earlier country was found impracticable, inadvisable or impossible before turning to (E)(vii)."""
    return any_of(~destination_is_third_country, F.nationalities.contains(F.destination_country),
                  F.birth_place == F.destination_country, F.earlier_removal_countries_impracticable)


@rule(ACCEPTANCE)
def receiving_government_accepts():
    """Not a third country, or the destination's government has agreed to accept the person."""
    return ~destination_is_third_country | F.receiving_country_accepts


@rule(NOTICE)
def written_notice_given():
    """Not a third country, or written notice naming the country was served in a language the person understands."""
    return ~destination_is_third_country | ((F.notice_served_date <= F.as_of) & F.notice_in_understood_language)


@rule(FEAR)
def fear_screening_done():
    """Not a third country, or an individual fear screening about that country was done."""
    return ~destination_is_third_country | F.fear_screening.is_in(("negative", "positive"))


@rule(COUNSEL)
def counsel_access_given():
    """Not a third country, or the person had access to counsel before the transfer."""
    return ~destination_is_third_country | F.counsel_access


# (name in the result, rule that says the safeguard is met)
SAFEGUARDS = [
    ("order_of_countries", order_of_countries_followed),
    ("receiving_government_acceptance", receiving_government_accepts),
    ("written_notice", written_notice_given),
    ("fear_screening", fear_screening_done),
    ("counsel_access", counsel_access_given),
]
