"""Citizenship after birth: derivation through a parent (every regime since 1907), the person's own
naturalization, and loss, as the lists status.py reads.

Each entry is (route rule, basis as reported, the date the route made the person a citizen). Routes
are listed oldest regime first; a person meets the conditions of at most one regime (the one in force
when the last condition was met), so the order only matters for the 1934 Act, where both parents'
naturalization (citizen at once) is listed before one parent's (citizen five years after residence).
Every derivation route is False for a person born in the United States (born_outside_the_united_states).
"""

from safeguard.law.citizenship import acquisition_out_of_wedlock as wedlock
from safeguard.law.citizenship import derivation_cca as cca
from safeguard.law.citizenship import derivation_former_321 as f321
from safeguard.law.citizenship import derivation_pre_1952 as pre
from safeguard.law.citizenship.loss import (
    conviction_does_not_end_citizenship,
    denaturalization_date,
    expatriation_loss_date,
    lost_by_denaturalization,
    lost_by_expatriation,
)
from safeguard.law.citizenship.naturalization import citizen_by_naturalization, naturalization_since

# (route rule, basis as reported, the date citizenship began)
DERIVATION_ROUTES = [
    (pre.derived_under_1907_act_through_father,
     "derived through the father's naturalization — Act of Mar. 2, 1907, §5", pre.last_condition_1907_through_father),
    (pre.derived_under_1907_act_through_mother,
     "derived through the mother's naturalization — Act of Mar. 2, 1907, §5", pre.last_condition_1907_through_mother),
    (pre.derived_under_1934_act_both_parents,
     "derived through both parents' naturalization — 1907 Act §5 as amended 1934; R.S. 2172",
     pre.last_condition_1934_both_parents),
    (pre.derived_under_1934_act_through_mother,
     "derived through the mother's naturalization, 5 years after permanent residence — 1907 Act §5 as amended 1934",
     pre.citizen_five_years_after_permanent_residence_1934),
    (pre.derived_under_1934_act_through_father,
     "derived through the father's naturalization, 5 years after permanent residence — 1907 Act §5 as amended 1934",
     pre.citizen_five_years_after_permanent_residence_1934),
    (pre.derived_under_na_1940_both_parents,
     "derived through both parents' naturalization — Nationality Act of 1940 §314(a)", pre.last_condition_1934_both_parents),
    (pre.derived_under_na_1940_surviving_parent,
     "derived through the surviving parent's naturalization — Nationality Act of 1940 §314(b)",
     pre.na_1940_surviving_parent_since),
    (pre.derived_under_na_1940_legal_custody,
     "derived through the naturalization of the parent with legal custody after a legal separation — "
     "Nationality Act of 1940 §314(c)", pre.na_1940_custodial_parent_since),
    (pre.na_1940_one_citizen_parent_unsettled,
     "derived through a parent's naturalization — Nationality Act of 1940 §313 (unsettled: never reported)",
     pre.last_condition_1907_through_mother),
    (f321.derived_under_former_321_both_parents,
     "derived through both parents' naturalization — former INA 321(a)(1)", f321.former_321_both_parents_date),
    (f321.derived_under_former_321_surviving_parent,
     "derived through the surviving parent's naturalization — former INA 321(a)(2)", f321.former_321_surviving_since),
    (f321.derived_under_former_321_legal_custody,
     "derived through the naturalization of the parent with legal custody after a legal separation — "
     "former INA 321(a)(3)", f321.former_321_custodial_since),
    (f321.derived_under_former_321_mother_of_child_born_out_of_wedlock,
     "derived through the mother's naturalization, born out of wedlock and not legitimated — former INA 321(a)(3)",
     f321.former_321_mother_date),
    (f321.derived_under_former_320,
     "derived through the naturalization of the alien parent, the other a citizen — former INA 320",
     f321.former_320_since),
    (cca.derived_under_ina_320,
     "became a citizen automatically through a citizen parent — INA 320 (Child Citizenship Act of 2000)",
     cca.ina_320_since),
]

NATURALIZATION_ROUTES = [
    (citizen_by_naturalization, "naturalized — INA 310, 337", naturalization_since),
]

# (loss rule, how, date of loss)
LOSS = [
    (lost_by_denaturalization, "denaturalization", denaturalization_date),
    (lost_by_expatriation, "expatriation", expatriation_loss_date),
]

# Rules that are True when a case turns on a discrepancy between authorities (REFERENCE §7), with the
# contested parameter whose `discrepancy` text explains it.
CONTESTED = [
    (f321.former_321_turns_on_birthday_hours, "derivation.under_age_on_the_birthday"),
    (f321.former_321_turns_on_permanent_residence, "derivation.begins_to_reside_permanently"),
    (f321.former_321_turns_on_age_limit, "derivation.age_limit_before_1978"),
    (cca.ina_320_turns_on_cohort_dispute, "derivation.cca_first_covered_birth_date"),
    (cca.ina_320_turns_on_birthday_hours, "derivation.under_age_on_the_birthday"),
    (pre.na_1940_turns_on_birthday_hours, "derivation.under_age_on_the_birthday"),
    (wedlock.paternity_turns_on_birthday_hours, "derivation.under_age_on_the_birthday"),
]

# Documents, as a rule, that no conviction enters loss (always True; nothing reads `convicted`).
NO_LOSS_BY_CONVICTION = conviction_does_not_end_citizenship
