"""Derivation, naturalization and loss, rule by rule, through both engines (which must agree).

Facts are those the sources give (REFERENCE §6); where a source gives only a year, or a test closes a route
the source leaves open, the value used is said in a comment. adopted / married_before_18 matter only when
shown (True); they are given as False here only to show the routes do not depend on them.
"""

from datetime import date, timedelta

import pytest

from safeguard.engine.columnar import ColumnarEngine
from safeguard.engine.rules import closure
from safeguard.engine.scalar import ScalarEngine
from safeguard.facts.frame import facts_frame
from safeguard.law.citizenship import derivation as D
from safeguard.law.citizenship import derivation_cca as cca
from safeguard.law.citizenship import derivation_former_321 as f321
from safeguard.law.citizenship import derivation_pre_1952 as pre
from safeguard.law.citizenship import loss

TODAY = date(2026, 11, 23)
ROUTES = [r for r, _, _ in D.DERIVATION_ROUTES]
SINCES = [s for _, _, s in D.DERIVATION_ROUTES]
ALL = (ROUTES + [s for s in SINCES if hasattr(s, "citation")] + [r for r, _ in D.CONTESTED]
       + [r for r, _, _ in D.NATURALIZATION_ROUTES + D.LOSS] + [d for _, _, d in D.NATURALIZATION_ROUTES + D.LOSS]
       + [D.NO_LOSS_BY_CONVICTION])
AGE_FUENTES = {"derivation.age_limit_before_1978": "fuentes_martinez"}
AGE_CHART = {"derivation.age_limit_before_1978": "chart_3"}
COHORT_PM = {"derivation.cca_first_covered_birth_date": "fam_pm_wording"}


def d(iso: str) -> date:
    return date.fromisoformat(iso)


def run(facts: dict, as_of: date = TODAY, readings: dict | None = None, roots=None) -> dict:
    """Every rule's value for one case, from the scalar engine; the columnar engine must give the same."""
    roots = roots or ALL
    scalar = ScalarEngine(roots).evaluate(facts, as_of, readings).values
    frame = ColumnarEngine(roots, readings).run(facts_frame([facts], [as_of]).lazy()).collect()
    for r in closure(roots):
        col = frame[f"r.{r.id}"][0]
        assert scalar[r.id] == col, f"{r.id}: scalar {scalar[r.id]!r} != columnar {col!r}"
    return scalar


def derived(values: dict) -> dict:
    """The derivation routes that hold (True) and those left open (None)."""
    return {r.id: values[r.id] for r in ROUTES if values[r.id] is not False}


def since(values: dict, route) -> date:
    return values[dict((r.id, s) for r, _, s in D.DERIVATION_ROUTES)[route.id].id]


INA_CHILD = {"adopted": False, "married_before_18": False}   # birth parents; not married (see module note)
NO_OTHER_ROUTE = {"father_naturalized": False, "father_citizen_at_birth": False, "mother_citizen_at_birth": False,
                  "father_deceased": False, "mother_deceased": False}   # illustrative: closes the other routes


# --- REFERENCE §6.B / §6.C decisions ----------------------------------------------------------------------

BAIRES_LARIOS = {  # §6.B B7
    "birth_date": d("1976-11-13"), "birth_place": "SV", "parents_legally_separated": True,
    "legal_separation_date": d("1978-02-08"), "custody_parent": "father", "parents_reunited_after_separation": False,
    "father_naturalized": True, "father_naturalization_date": d("1989-01-13"), "lpr": True,
    "lpr_date": d("1990-11-14"), **INA_CHILD,
}


def test_baires_larios_citizen_since_lpr_date():
    v = run(BAIRES_LARIOS)
    assert v["derived_under_former_321_legal_custody"] is True
    assert v["former_321_custodial_since"] == d("1990-11-14")
    assert v["derived_under_ina_320"] is False and v["former_321_turns_on_age_limit"] is False


def test_baires_larios_joint_custody_is_unsettled():
    v = run({**BAIRES_LARIOS, "custody_parent": "joint"})
    assert v["derived_under_former_321_legal_custody"] is None
    v = run({**BAIRES_LARIOS, "custody_parent": "mother", "mother_naturalized": False})
    assert v["derived_under_former_321_legal_custody"] is False


def test_nwozuzu_lpr_after_18_not_citizen():  # §6.B B9; Dec 1998 taken as 1998-12-01
    v = run({"birth_date": d("1977-03-08"), "birth_place": "NG", "father_naturalized": True,
             "father_naturalization_date": d("1994-10-04"), "mother_naturalized": True,
             "mother_naturalization_date": d("1994-11-15"), "lpr": True, "lpr_date": d("1998-12-01"),
             "began_residing_permanently_before_18": False, **INA_CHILD})
    assert derived(v) == {}


NWOZUZU_2D_CIR = {  # Nwozuzu v. Holder (2d Cir. 2013): adjustment applied for at 17; parents married: illustrative
    "birth_date": d("1977-03-08"), "birth_place": "NG", "parents_married_at_birth": True, "father_naturalized": True,
    "father_naturalization_date": d("1994-10-04"), "mother_naturalized": True,
    "mother_naturalization_date": d("1994-11-15"), "lpr": True, "lpr_date": d("1998-12-01"), **INA_CHILD,
}


def test_nwozuzu_second_circuit_permanent_residence_in_fact_is_contested():
    v = run({**NWOZUZU_2D_CIR, "began_residing_permanently_before_18": True})
    assert v["derived_under_former_321_both_parents"] is None           # BIA: no; Second Circuit: yes
    assert v["former_321_turns_on_permanent_residence"] is True
    assert v["former_321_turns_on_age_limit"] is False and v["former_321_turns_on_birthday_hours"] is False
    assert run(NWOZUZU_2D_CIR)["derived_under_former_321_both_parents"] is None  # the fact is still open
    closed = run({**NWOZUZU_2D_CIR, "began_residing_permanently_before_18": False})
    assert closed["derived_under_former_321_both_parents"] is False
    assert closed["former_321_turns_on_permanent_residence"] is False


DOUGLAS = {  # §6.B B11; custody with the mother (inferred by the BIA)
    "birth_date": d("1976-01-29"), "birth_place": "JM", "parents_married_at_birth": True, "lpr": True,
    "lpr_date": d("1981-12-14"), "mother_naturalized": True, "mother_naturalization_date": d("1988-04-13"),
    "parents_legally_separated": True, "legal_separation_date": d("1990-07-25"), "custody_parent": "mother",
    "parents_reunited_after_separation": False, **INA_CHILD,
}


def test_douglas_citizen_when_divorce_completes_the_conditions():
    v = run(DOUGLAS)
    assert v["derived_under_former_321_legal_custody"] is True
    assert v["former_321_custodial_since"] == d("1990-07-25")


def test_morgan_no_legal_separation_not_citizen():  # §6.C C4; 1968 and 1981 taken as 1 June
    v = run({"birth_date": d("1968-06-01"), "birth_place": "JM", "parents_married_at_birth": False,
             "paternity_established_by": "legitimation", "paternity_established_date": d("1974-06-01"),
             "lpr": True, "lpr_date": d("1981-06-01"), "mother_naturalized": True,
             "mother_naturalization_date": d("1984-07-25"), "parents_legally_separated": False,
             "father_naturalized": False, "father_citizen_at_birth": False, "father_deceased": False,
             "mother_deceased": False, **INA_CHILD})
    assert derived(v) == {}


TURNER = {  # §6.C C8; years only in the source, taken as 1 June (naturalization 1 March 1999, at 17)
    "birth_date": d("1981-06-01"), "birth_place": "JM", "parents_married_at_birth": True,
    "parents_legally_separated": True, "legal_separation_date": d("1987-06-01"), "custody_parent": "mother",
    "parents_reunited_after_separation": True, "parents_reunited_date": d("1994-06-01"), "lpr": True,
    "lpr_date": d("1990-06-01"), "mother_naturalized": True, "mother_naturalization_date": d("1999-03-01"),
    "father_naturalized": False, "father_citizen_at_birth": False, "mother_citizen_at_birth": False,
    "father_deceased": False, "mother_deceased": False, **INA_CHILD,
}


def test_turner_reunited_parents_defeat_derivation():
    assert derived(run(TURNER)) == {}


def test_turner_separation_ending_after_the_last_condition_does_not():
    v = run({**TURNER, "parents_reunited_date": d("1999-03-02")})
    assert v["derived_under_former_321_legal_custody"] is True
    assert v["former_321_custodial_since"] == d("1999-03-01")
    v = run({**TURNER, "parents_reunited_date": d("1999-03-01")})     # reunited that very day: the hours decide
    assert v["derived_under_former_321_legal_custody"] is None
    v = run({**TURNER, "parents_reunited_date": d("1999-02-28")})     # the day before: the separation had ended
    assert v["derived_under_former_321_legal_custody"] is False
    assert run({**TURNER, "parents_reunited_after_separation": None})["derived_under_former_321_legal_custody"] is None


def test_guzman_gomez_stepfather_transmits_nothing():  # §6.B B10; the stepfather recorded as "father"
    v = run({"birth_date": d("1986-07-15"), "birth_place": "MX", "mother_citizen_at_birth": False,
             "mother_naturalized": False, "father_citizen_at_birth": True, "father_naturalized": False,
             "blood_relationship_established": False, "lpr": True, "lpr_date": d("2000-02-15"),
             "parents_married_at_birth": False,  # he married the mother in 1994, eight years after the birth
             "in_citizen_parent_custody_in_us": True, **INA_CHILD})
    assert derived(v) == {}
    assert v["derived_under_ina_320"] is False


def test_unknown_blood_relationship_is_presumed_and_listed_never_silently_met():
    """Property-check finding: born in Mexico 2021, married parents, father naturalized 2025, LPR in his custody.
    With the blood relationship unknown the father counts only under a listed presumption (USCIS PM 12 H 2.A);
    shown absent, a husband at the birth is unsettled (PM 12 H 2 since 2021: unknown), never not a citizen."""
    from safeguard.api import screen
    base = {"birth_date": "2021-03-01", "birth_place": "MX", "parents_married_at_birth": True,
            "father_naturalized": True, "father_naturalization_date": "2025-01-10", "lpr": True,
            "lpr_date": "2022-01-01", "in_citizen_parent_custody_in_us": True}
    r = screen(base, as_of="2026-11-23", rank=False)
    assert r["citizenship"]["status"] == "citizen"
    assert "blood_relationship_established" in {p["fact"] for p in r["presumptions"]}
    shown_absent = screen({**base, "blood_relationship_established": False, "adopted": False}, as_of="2026-11-23",
                          rank=False)
    assert shown_absent["citizenship"]["status"] == "unknown"
    stepfather = screen({**base, "parents_married_at_birth": False, "blood_relationship_established": False,
                         "adopted": False, "mother_naturalized": False}, as_of="2026-11-23", rank=False)
    assert stepfather["citizenship"]["status"] != "citizen"


CROSS = {  # §6.B B12; the father had custody; Jamaica abolished distinctions of birth in 1976
    "birth_date": d("1988-07-03"), "birth_place": "JM", "parents_married_at_birth": False,
    "legitimated_by_law_of_residence": True, "lpr": True, "lpr_date": d("2000-09-02"), "father_naturalized": True,
    "father_naturalization_date": d("2001-08-03"), "in_citizen_parent_custody_in_us": True, **INA_CHILD,
}


def test_cross_citizen_under_ina_320():
    v = run(CROSS)
    assert v["derived_under_ina_320"] is True and v["ina_320_since"] == d("2001-08-03")
    assert v["derived_under_ina_320_through_naturalized_father"] is True
    assert v["ina_320_turns_on_cohort_dispute"] is False
    assert v["derived_under_former_321_both_parents"] is False


def test_cross_without_legitimation_father_is_no_parent():
    v = run({**CROSS, "legitimated_by_law_of_residence": False, "paternity_established_by": "none"})
    assert v["derived_under_ina_320_through_naturalized_father"] is False


HINES = {  # §6.B B8; "1991" taken as 1991-06-01; not legitimated, as the BIA then found (pre-Cross)
    "birth_date": d("1980-10-05"), "birth_place": "JM", "parents_married_at_birth": False,
    "paternity_established_by": "none", "legitimated_by_law_of_residence": False, "lpr": True,
    "lpr_date": d("1988-08-04"), "mother_naturalized": True, "mother_naturalization_date": d("1991-06-01"),
    "father_citizen_at_birth": False, "father_naturalized": False, **INA_CHILD,
}


def test_hines_citizen_in_1991_through_the_mother():
    v = run(HINES)
    assert v["derived_under_former_321_mother_of_child_born_out_of_wedlock"] is True
    assert v["former_321_mother_date"] == d("1991-06-01")


def test_hines_under_cross_counts_as_legitimated():
    v = run({**HINES, "legitimated_by_law_of_residence": True})
    assert v["derived_under_former_321_mother_of_child_born_out_of_wedlock"] is False


ROWE = {  # §6.B B6; the mother's naturalization date is not in the excerpt
    "birth_date": d("1975-09-19"), "birth_place": "GY", "parents_married_at_birth": False,
    "paternity_established_by": "none", "legitimated_by_law_of_residence": False, "lpr": True,
    "lpr_date": d("1986-08-16"), "mother_naturalized": True, **INA_CHILD,
}


def test_rowe_open_until_the_naturalization_date_is_known():
    assert run(ROWE)["derived_under_former_321_mother_of_child_born_out_of_wedlock"] is None
    v = run({**ROWE, "mother_naturalization_date": d("1990-01-10")})  # illustrative date
    assert v["derived_under_former_321_mother_of_child_born_out_of_wedlock"] is True
    assert v["former_321_mother_date"] == d("1990-01-10")


FUENTES = {  # §6.B B4, illustrative dates: mother naturalized at 16 years 4 months, before 1978-10-05
    **NO_OTHER_ROUTE, "birth_date": d("1959-05-01"), "birth_place": "MX", "parents_married_at_birth": True,
    "father_deceased": True, "father_death_date": d("1965-01-01"), "mother_naturalized": True,
    "mother_naturalization_date": d("1975-09-01"), "lpr": True, "lpr_date": d("1970-01-01"),
    "parents_legally_separated": False, **INA_CHILD,
}


def test_fuentes_martinez_turns_on_the_age_limit():
    v = run(FUENTES)
    assert v["derived_under_former_321_surviving_parent"] is None       # the readings disagree
    assert v["former_321_turns_on_age_limit"] is True
    assert run(FUENTES, readings=AGE_FUENTES)["derived_under_former_321_surviving_parent"] is None  # agreed() still
    only_fuentes = ScalarEngine([f321.former_321_surviving_since]).evaluate(FUENTES, TODAY, AGE_FUENTES)
    assert only_fuentes.values["former_321_surviving_since"] == d("1975-09-01")


def test_fuentes_martinez_at_15_both_readings_agree():
    v = run({**FUENTES, "mother_naturalization_date": d("1974-09-01")})
    assert v["derived_under_former_321_surviving_parent"] is True
    assert v["former_321_turns_on_age_limit"] is False
    assert v["former_321_surviving_since"] == d("1974-09-01")


def test_rodriguez_tejedor_cca_not_retroactive():  # §6.B B5; adopted by his grandparents
    v = run({"birth_date": d("1960-12-25"), "birth_place": "MX", "adopted": True, "adoption_date": d("1968-04-15"),
             "father_citizen_at_birth": True, "father_naturalized": False, "mother_citizen_at_birth": False,
             "mother_naturalized": False, "mother_deceased": True, "mother_death_date": d("1994-06-01"),
             "lpr": True, "lpr_date": d("1972-07-27"), "in_citizen_parent_custody_in_us": True,
             "married_before_18": False})
    assert derived(v) == {}


def test_gonzalez_gonzalez_lpr_at_23_not_citizen():  # §6.C C5; "about 1985", divorce before 1992: illustrative
    v = run({"birth_date": d("1985-06-01"), "birth_place": "MX", "parents_legally_separated": True,
             "legal_separation_date": d("1991-06-01"), "father_naturalized": True,
             "father_naturalization_date": d("1999-06-01"), "lpr": True, "lpr_date": d("2008-07-24"),
             "began_residing_permanently_before_18": False, **INA_CHILD})
    assert derived(v) == {}


MATTER_OF_L = {  # §6.B B1, the elder child; the younger (1916-02-15) below
    "birth_date": d("1913-07-20"), "birth_place": "CA", "parents_married_at_birth": False,
    "paternity_established_by": "legitimation", "paternity_established_date": d("1947-01-18"), "lpr": True,
    "lpr_date": d("1925-10-02"), "father_naturalized": True, "father_naturalization_date": d("1931-09-30"),
    "adopted": False,
}


@pytest.mark.parametrize("born", ["1913-07-20", "1916-02-15"])
@pytest.mark.parametrize("as_of", [d("1948-05-03"), TODAY])
def test_matter_of_l_citizens_as_of_1931_09_30(born, as_of):
    v = run({**MATTER_OF_L, "birth_date": d(born)}, as_of=as_of)
    assert v["derived_under_1907_act_through_father"] is True
    assert v["last_condition_1907_through_father"] == d("1931-09-30")


# --- REFERENCE §6.D illustrative checks --------------------------------------------------------------------

D8 = {"birth_date": d("1983-02-27"), "birth_place": "PH", "lpr": True, "lpr_date": d("1995-06-01"),
      "mother_naturalized": True, "mother_naturalization_date": d("1998-06-01"), "parents_married_at_birth": True,
      "father_naturalized": False, "father_citizen_at_birth": False, "mother_citizen_at_birth": False,
      "father_deceased": False, "mother_deceased": False, "parents_legally_separated": False,
      "in_citizen_parent_custody_in_us": True, **INA_CHILD}


def test_d8_born_1983_02_27_turns_on_the_cohort_dispute():
    v = run(D8)   # the State Department excludes him, the FAM/PM wording would admit him: unknown, contested
    assert derived(v) == {"derived_under_ina_320": None}
    assert v["ina_320_turns_on_cohort_dispute"] is True and v["ina_320_since"] is None
    assert run(D8, readings=COHORT_PM)["ina_320_turns_on_cohort_dispute"] is True


def test_d8_father_also_naturalized_before_2001_derives_under_former_321():
    v = run({**D8, "father_naturalized": True, "father_naturalization_date": d("2000-01-10")})
    assert v["derived_under_former_321_both_parents"] is True
    assert v["former_321_both_parents_date"] == d("2000-01-10")


def test_d9_born_1983_02_28_citizen_on_2001_02_27():
    v = run({**D8, "birth_date": d("1983-02-28")})
    assert v["derived_under_ina_320"] is True and v["ina_320_since"] == d("2001-02-27")
    assert v["ina_320_turns_on_cohort_dispute"] is False


def test_cohort_day_before_is_outside_and_undisputed():
    v = run({**D8, "birth_date": d("1983-02-26")})
    assert v["derived_under_ina_320"] is False and v["ina_320_turns_on_cohort_dispute"] is False


D10 = {**NO_OTHER_ROUTE, "birth_date": d("1976-03-01"), "birth_place": "HT", "parents_married_at_birth": True,
       "parents_legally_separated": True, "legal_separation_date": d("1980-06-01"), "custody_parent": "mother",
       "parents_reunited_after_separation": False, "mother_naturalized": True,
       "mother_naturalization_date": d("1990-06-01"), "lpr": True, "lpr_date": d("1993-06-01"), **INA_CHILD}


def test_d10_citizen_when_lpr_at_17():
    v = run(D10)
    assert v["derived_under_former_321_legal_custody"] is True
    assert v["former_321_custodial_since"] == d("1993-06-01")


@pytest.mark.parametrize("lpr,expected", [("1994-02-28", True), ("1994-03-01", None), ("1994-03-02", False)])
def test_d11_lpr_day_before_on_and_after_18th_birthday(lpr, expected):
    """On the 18th birthday itself the hours decide in the Second Circuit (Duarte-Ceri): contested, unknown."""
    v = run({**D10, "lpr_date": d(lpr), "began_residing_permanently_before_18": False})
    assert v["derived_under_former_321_legal_custody"] is expected
    assert v["former_321_turns_on_birthday_hours"] is (expected is None)
    if expected is False:
        assert derived(v) == {}


def test_d13_us_born_convicted_citizen_keeps_citizenship():
    v = run({"birth_date": d("1980-01-01"), "birth_place": "US", "convicted": True,
             "conviction_class": "aggravated_felony"})
    assert derived(v) == {}                          # every derivation route is False, not unknown
    assert v["lost_by_expatriation"] is False and v["lost_by_denaturalization"] is False
    assert v["conviction_does_not_end_citizenship"] is True


def test_no_loss_rule_reads_a_conviction():
    for r in closure([loss_rule for loss_rule, _, _ in D.LOSS]):
        assert not {"convicted", "conviction_class", "serving_sentence"} & set(r.facts), r.id


def test_derivation_is_false_for_every_place_in_the_united_states():
    for place in ("US", "PR", "GU", "VI", "AS"):
        assert derived(run({"birth_place": place})) == {}, place
    # The Northern Mariana Islands are in the United States only from 1986-11-04 (Covenant §506(b)).
    assert derived(run({"birth_place": "MP", "birth_date": d("1986-11-04")})) == {}


def test_a_trust_territory_birth_is_a_birth_abroad_for_derivation():
    """Born on Saipan in 1976 (Trust Territory, not the U.S.: 8 FAM 302.6-1(d)): derives as case D10 born in Haiti."""
    assert run({**D10, "birth_place": "MP"})["derived_under_former_321_legal_custody"] is True


def test_unknown_birth_place_leaves_derivation_open():
    assert run({**D10, "birth_place": None})["derived_under_former_321_legal_custody"] is None


# --- thresholds: the day before, on and after ---------------------------------------------------------------

def _custody_case(lpr: str, born: str = "1961-01-01") -> dict:
    return {**D10, "birth_date": d(born), "legal_separation_date": d("1965-01-01"),
            "mother_naturalization_date": d("1966-01-01"), "lpr_date": d(lpr)}


def test_age_limit_before_and_from_1978_10_05():
    # born 1961-01-01: 16 on 1977-01-01, 18 on 1979-01-01
    before = run(_custody_case("1978-10-04"))           # aged 17, last condition before the amendment
    assert before["derived_under_former_321_legal_custody"] is None and before["former_321_turns_on_age_limit"]
    on = run(_custody_case("1978-10-05"))
    assert on["derived_under_former_321_legal_custody"] is True and on["former_321_turns_on_age_limit"] is False
    young = run(_custody_case("1976-12-31"))             # aged 15: both readings agree
    assert young["derived_under_former_321_legal_custody"] is True
    assert young["former_321_turns_on_age_limit"] is False


def test_16th_birthday_under_chart_3_reading():
    v = ScalarEngine([f321.derived_under_former_321_legal_custody, f321.former_321_turns_on_age_limit])
    facts = _custody_case("1977-01-01")                   # the 16th birthday itself
    assert v.evaluate(facts, TODAY, AGE_CHART).values["former_321_turns_on_age_limit"] is True
    facts = _custody_case("1976-12-31")
    assert v.evaluate(facts, TODAY).values["former_321_turns_on_age_limit"] is False


@pytest.mark.parametrize("last,former", [("2001-02-26", True), ("2001-02-27", False)])
def test_former_321_ends_when_the_cca_begins(last, former):
    facts = {**D10, "birth_date": d("1984-01-01"), "legal_separation_date": d("1990-01-01"),
             "mother_naturalization_date": d(last), "lpr_date": d("1995-01-01"), "in_citizen_parent_custody_in_us": True}
    v = run(facts)
    assert v["derived_under_former_321_legal_custody"] is former
    assert v["derived_under_ina_320_through_naturalized_mother"] is True    # under 18 on 2001-02-27 either way
    assert v["ina_320_since"] == d("2001-02-27")
    if former:
        assert v["former_321_custodial_since"] == d("2001-02-26")           # listed first: the earlier day


def _both_parents(last: str) -> dict:
    """Born ten years before `last`; the mother naturalized and residence began early; the father's
    naturalization on `last` completes every route."""
    born = date(int(last[:4]) - 10, 1, 1)
    return {"birth_date": born, "birth_place": "IT", "parents_married_at_birth": True, "adopted": False,
            "married_before_18": False, "mother_naturalized": True,
            "mother_naturalization_date": born + timedelta(days=400), "father_naturalized": True,
            "father_naturalization_date": d(last), "lpr": True, "lpr_date": born + timedelta(days=300)}


@pytest.mark.parametrize("last,route", [
    ("1907-03-01", None), ("1907-03-02", "derived_under_1907_act_through_father"),
    ("1934-05-23", "derived_under_1907_act_through_father"), ("1934-05-24", "derived_under_1934_act_both_parents"),
    ("1941-01-12", "derived_under_1934_act_both_parents"), ("1941-01-13", "derived_under_na_1940_both_parents"),
    ("1952-12-23", "derived_under_na_1940_both_parents"), ("1952-12-24", "derived_under_former_321_both_parents"),
])
def test_regime_boundaries(last, route):
    v = run(_both_parents(last))
    holding = {k for k, x in derived(v).items() if x is True}
    if route is None:
        assert not holding
    else:
        assert route in holding, holding


def test_1907_act_age_21():
    facts = {**MATTER_OF_L, "father_naturalization_date": d("1934-07-19")}   # day before the 21st birthday
    assert run(facts)["derived_under_1907_act_through_father"] is False        # 1934-07-19 is in the 1934 regime
    facts = {**MATTER_OF_L, "birth_date": d("1910-09-30"), "father_naturalization_date": d("1931-09-29")}
    assert run(facts)["derived_under_1907_act_through_father"] is True
    facts = {**MATTER_OF_L, "birth_date": d("1910-09-30"), "father_naturalization_date": d("1931-09-30")}
    assert run(facts)["derived_under_1907_act_through_father"] is False


def test_1934_one_parent_citizen_five_years_after_residence():
    facts = {"birth_date": d("1925-01-01"), "birth_place": "DE", "adopted": False, "mother_naturalized": True,
             "mother_naturalization_date": d("1936-01-01"), "lpr": True, "lpr_date": d("1935-01-01")}
    v = run(facts)
    assert v["derived_under_1934_act_through_mother"] is True
    assert v["citizen_five_years_after_permanent_residence_1934"] == d("1940-01-01")
    assert run(facts, as_of=d("1939-12-31"))["derived_under_1934_act_through_mother"] is False
    assert run(facts, as_of=d("1940-01-01"))["derived_under_1934_act_through_mother"] is True


def test_1907_mother_alone_for_child_born_in_wedlock_is_unsettled():
    facts = {"birth_date": d("1910-01-01"), "birth_place": "DE", "adopted": False, "parents_married_at_birth": True,
             "mother_naturalized": True, "mother_naturalization_date": d("1925-01-01"), "lpr": True,
             "lpr_date": d("1924-01-01"), "father_naturalized": False}
    assert run(facts)["derived_under_1907_act_through_mother"] is None
    v = run({**facts, "parents_married_at_birth": False, "paternity_established_by": "none"})
    assert v["derived_under_1907_act_through_mother"] is True


def test_na_1940_one_citizen_parent_is_unknown_not_false():
    facts = {"birth_date": d("1940-01-01"), "birth_place": "DE", "adopted": False, "mother_citizen_at_birth": True,
             "father_naturalized": True, "father_naturalization_date": d("1945-01-01"), "lpr": True,
             "lpr_date": d("1944-01-01")}
    assert run(facts)["na_1940_one_citizen_parent_unsettled"] is None


@pytest.mark.parametrize("legitimated,expected", [("1991-06-04", False), ("1991-06-05", True)])
def test_legitimation_before_16th_birthday(legitimated, expected):
    facts = {**HINES, "birth_date": d("1975-06-05"), "lpr_date": d("1985-01-01"),
             "mother_naturalization_date": d("1992-01-01"), "paternity_established_by": "legitimation",
             "paternity_established_date": d(legitimated)}
    assert run(facts)["derived_under_former_321_mother_of_child_born_out_of_wedlock"] is expected


def test_legitimation_after_the_route_was_complete_does_not_undo_it():
    facts = {**HINES, "paternity_established_by": "legitimation", "paternity_established_date": d("1992-01-01")}
    assert run(facts)["derived_under_former_321_mother_of_child_born_out_of_wedlock"] is True


@pytest.mark.parametrize("lpr,expected", [("2020-03-25", True), ("2020-03-26", True)])
def test_ina_320c_parent_stationed_abroad_from_2020_03_26(lpr, expected):
    facts = {"birth_date": d("2010-01-01"), "birth_place": "DE", "mother_citizen_at_birth": True, "lpr": True,
             "lpr_date": d(lpr), "in_citizen_parent_custody_in_us": False, "citizen_parent_stationed_abroad": True,
             **INA_CHILD}
    v = run(facts)
    assert v["derived_under_ina_320"] is expected and v["ina_320_since"] == d("2020-03-26")
    assert run(facts, as_of=d("2020-03-25"))["derived_under_ina_320"] is False


def test_ina_320_adopted_child_is_unsettled_and_married_child_unknown():
    base = {**D8, "birth_date": d("1990-01-01")}
    assert run(base)["derived_under_ina_320"] is True
    assert run({**base, "adopted": True})["derived_under_ina_320"] is None
    assert run({**base, "married_before_18": True})["derived_under_ina_320"] is None
    assert run({**base, "married_before_18": None, "adopted": None})["derived_under_ina_320"] is True  # only shown


def test_former_321_adopted_child_unsettled_pre_1941_adopted_child_barred():
    assert run({**D10, "adopted": True})["derived_under_former_321_legal_custody"] is None
    assert run({**BAIRES_LARIOS, "adopted": None, "married_before_18": None})[
        "derived_under_former_321_legal_custody"] is True
    assert run({**MATTER_OF_L, "adopted": True})["derived_under_1907_act_through_father"] is False


def test_ina_320_since_is_the_earliest_route():
    facts = {**D8, "birth_date": d("1990-01-01"), "father_naturalized": True,
             "father_naturalization_date": d("1999-01-01")}
    v = run(facts)
    assert v["derived_under_ina_320_through_naturalized_mother"] is True
    assert v["derived_under_ina_320_through_naturalized_father"] is True
    assert v["ina_320_since"] == d("2001-02-27")
    v = run({**facts, "birth_date": d("1995-01-01"), "lpr_date": d("2003-01-01"),
             "mother_naturalization_date": d("2005-01-01")})
    assert v["ina_320_since"] == d("2003-01-01")        # the father's route completes first


# --- naturalization and loss --------------------------------------------------------------------------------

def test_naturalization_route():
    v = run({"naturalized": True, "naturalization_date": d("2005-05-05")})
    assert v["citizen_by_naturalization"] is True and v["naturalization_since"] == d("2005-05-05")
    assert run({"naturalized": True, "naturalization_date": d("2030-01-01")})["citizen_by_naturalization"] is False
    assert run({"naturalized": True})["citizen_by_naturalization"] is True
    assert run({})["citizen_by_naturalization"] is None
    assert run({"naturalized": False})["citizen_by_naturalization"] is False


def test_denaturalization_only_of_a_naturalization_and_dates_back():  # A9 Maslenjak pattern
    v = run({"naturalized": True, "naturalization_date": d("2007-08-01"), "denaturalized": True,
             "denaturalization_date": d("2018-01-01")})
    assert v["lost_by_denaturalization"] is True and v["denaturalization_date"] == d("2007-08-01")
    assert run({"naturalized": False, "denaturalized": True})["lost_by_denaturalization"] is False
    assert run({"naturalized": True})["lost_by_denaturalization"] is False      # no judgment is presumed


def test_expatriation_needs_a_finding():  # A2 Afroyim, A4 Terrazas
    afroyim = {"birth_place": "PL", "naturalized": True, "naturalization_date": d("1926-06-14")}
    assert run(afroyim)["lost_by_expatriation"] is False         # voting abroad is no loss; none found
    v = run({"birth_place": "US", "expatriated": True, "expatriation_date": d("1971-01-01")})
    assert v["lost_by_expatriation"] is True and v["expatriation_loss_date"] == d("1971-01-01")


def test_presumptions_are_reported_when_traced():
    eng = ScalarEngine([loss.lost_by_expatriation])
    ev = eng.evaluate({"birth_place": "US"}, TODAY)
    eng.trace(ev, [loss.lost_by_expatriation])
    assert any(p["fact"] == "expatriated" for p in ev.presumptions)


def test_lists_are_well_formed():
    for entries in (D.DERIVATION_ROUTES, D.NATURALIZATION_ROUTES):
        for route, basis, when in entries:
            assert route.citation.url and route.doc and basis and when is not None
    assert [how for _, how, _ in D.LOSS] == ["denaturalization", "expatriation"]
    assert all(r.id.endswith(("dispute", "age_limit", "hours", "permanent_residence")) for r, _ in D.CONTESTED)
    assert pre.born_outside_the_united_states.citation.url and cca.INA_320.url
