"""Plain words, in the reader's language, beside the engine's codes (the codes stay on the page too)."""

from django.utils.translation import gettext_lazy as _

STATUS = {
    "citizen": _("U.S. citizen"),
    "national": _("U.S. national (not a citizen)"),
    "not_citizen": _("not a U.S. citizen or national"),
    "unknown": _("not decided on these facts"),
}
OUTCOME = {
    "BARRED_US_CITIZEN": _("may not be sent: a U.S. citizen"),
    "BARRED_US_NATIONAL": _("may not be sent: a U.S. national"),
    "HOLD_CITIZENSHIP_UNRESOLVED": _("hold: citizenship not resolved"),
    "BARRED_PROTECTION": _("may not be sent there: protection granted as to that country"),
    "BARRED_NO_FINAL_ORDER": _("may not be sent: no final removal order"),
    "HOLD_PENDING_CLAIM": _("hold: a claim or stay is pending"),
    "OUTSIDE_ARRANGEMENT": _("outside the arrangement's terms"),
    "SAFEGUARDS_REQUIRED": _("no bar found, but safeguards are unmet or unknown"),
    "NO_BAR_FOUND": _("no bar found and every listed safeguard met"),
}
SAFEGUARD = {
    "order_of_countries": _("order of countries (INA 241(b))"),
    "receiving_government_acceptance": _("the receiving government accepts the person"),
    "written_notice": _("written notice in a language the person understands"),
    "fear_screening": _("individual fear screening"),
    "counsel_access": _("access to counsel"),
}
