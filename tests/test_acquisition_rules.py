"""Acquisition of citizenship at birth abroad (INA 301/309 and predecessors), retention and its repeal.

Every value is computed twice, by the row-at-a-time engine and by the columnar engine, and the two must
agree. Cases: REFERENCE §6 (A3, A5-A8, B3, C1, D1-D7, D12) and the day before / on / after each threshold.
"""

from __future__ import annotations

from datetime import date
from functools import cache

import pytest

from safeguard.engine.columnar import ColumnarEngine
from safeguard.engine.expr import first_true
from safeguard.engine.params import get_param, load_params
from safeguard.engine.rules import REGISTRY, Citation, Rule, rule
from safeguard.engine.scalar import ScalarEngine
from safeguard.facts.frame import facts_frame
from safeguard.facts.parse import parse_case
from safeguard.law.citizenship import acquisition as A
from safeguard.law.citizenship import acquisition_out_of_wedlock as O
from safeguard.law.citizenship import acquisition_wedlock as W
from safeguard.law.citizenship import retention as R

D = date.fromisoformat
AS_OF = D("2026-11-23")


@cache
def _engines(rule_id):
    rule = REGISTRY[rule_id]
    return ScalarEngine([rule]), ColumnarEngine([rule])


def value(rule, facts, as_of=AS_OF):
    """The rule's value from both engines, which must agree."""
    scalar, columnar = _engines(rule.id)
    one = scalar.evaluate(facts, as_of).values[rule.id]
    many = columnar.run(facts_frame([facts], [as_of]).lazy()).collect()[f"r.{rule.id}"][0]
    assert one == many, f"{rule.id}: scalar {one!r} != columnar {many!r}"
    return one


TEST_ONLY = Citation("test helper", "status.py's basis and since, over the acquisition routes only",
                     "https://example.invalid")


@rule(TEST_ONLY)
def acq_test_basis():
    """The basis status.py would report from the acquisition routes alone (test helper)."""
    return first_true(*((r, basis) for r, basis, _ in A.ACQUISITION_ROUTES))


@rule(TEST_ONLY)
def acq_test_since():
    """The date status.py would report from the acquisition routes alone (test helper)."""
    return first_true(*((r, since) for r, _, since in A.ACQUISITION_ROUTES))


def citizen_now(facts, as_of=AS_OF):
    return value(A.citizen_by_birth_abroad, facts, as_of)


def alien_parent(p):
    return {f"{p}_citizen_at_birth": False, f"{p}_national_at_birth": False}


def married(birth, place="DE", **more):
    return {"birth_date": D(birth), "birth_place": place, "parents_married_at_birth": True, **more}


# No exemption from a retention requirement: neither parent employed abroad by the U.S. government or an
# American organization at the birth, neither naturalized (a loss is concluded only once each is known).
NO_EXEMPTION = {f"{p}_{fact}": False for p in ("mother", "father")
                for fact in ("us_government_employee_at_birth", "us_organization_employee_at_birth", "naturalized")}


def with_no_exemption(**facts):
    """`facts` with every retention exemption known not to apply (the caller's own values win)."""
    return {**NO_EXEMPTION, **facts}


def citizen_father(years, after_14, service=0, **more):
    return {"father_citizen_at_birth": True, "father_us_presence_years": years,
            "father_us_presence_years_after_14": after_14, "father_qualifying_service_abroad_years": service,
            **alien_parent("mother"), **more}


# ---- Structure ----

def test_every_rule_is_cited_with_a_plain_words_docstring():
    routes = [r for r, _, _ in A.ACQUISITION_ROUTES + A.NATIONAL_ROUTES_ABROAD]
    assert len({r.id for r in routes}) == len(routes)
    mine = {v.id: v for m in (A, O, W, R) for v in vars(m).values() if isinstance(v, Rule)}
    mine |= {r.id: r for table in (W.PRESENCE_1952, W.PRESENCE_1986, W.PRESENCE_301G, W.RESIDENCE_NA_1940)
             for r in table.values()}
    assert {r.id for r in routes} <= set(mine) and len(mine) > 40
    for r in mine.values():
        assert r.doc and r.citation.url.startswith("http") and r.citation.provision and r.citation.pinpoint, r.id


def test_parameters_are_sourced_and_the_cutoff_is_contested():
    for name, p in load_params().items():
        if name.startswith("acquisition."):
            assert p.description and p.url.startswith("http") and p.citation
    cutoff = get_param("acquisition.retention_exempt_births_from")
    assert cutoff.readings == {"uscis_pm_12_h_3": D("1952-10-11"), "fam_307_1_1": D("1952-10-10")}
    assert cutoff.default_reading in cutoff.readings
    assert "Policy Manual" in cutoff.discrepancy and "8 FAM 307.1" in cutoff.discrepancy


@pytest.mark.parametrize("place", ["US", "PR", "GU", "VI", "MP", "AS"])
def test_routes_are_false_for_births_in_the_united_states_territories_and_possessions(place):
    facts = {"birth_date": D("1990-03-01"), "birth_place": place}  # everything else unknown
    for route, _, _ in A.ACQUISITION_ROUTES + A.NATIONAL_ROUTES_ABROAD:
        assert value(route, facts) is False, route.id
    assert citizen_now(facts) is False
    assert value(R.lost_by_retention, facts) is False


def test_unknown_birth_place_leaves_acquisition_unknown_never_false():
    facts = married("1990-03-01", **citizen_father(17, 3))
    del facts["birth_place"]
    assert citizen_now(facts) is None


def test_canal_zone_birth_counts_as_abroad_for_301g():
    assert value(W.citizen_abroad_ina_301g, married("1990-03-01", "PZ", **citizen_father(17, 3))) is True


# ---- REFERENCE §6.D illustrative checks ----

def test_d1_citizen_under_5_2_rule_from_periods():
    case = parse_case({"birth_date": "1990-03-01", "birth_place": "DE", "parents_married_at_birth": True,
                       **alien_parent("mother"), "father_citizen_at_birth": True, "father_birth_date": "1968-01-01",
                       "father_us_presence_periods": [["1968-01-01", "1985-01-01"]]}, as_of=AS_OF)
    assert value(W.citizen_abroad_ina_301g, case.facts) is True
    assert citizen_now(case.facts) is True
    assert value(acq_test_basis, case.facts).endswith("INA 301(g)")
    assert value(acq_test_since, case.facts) == D("1990-03-01")


def test_d2_same_father_fails_10_5_rule_in_1984():
    facts = married("1984-03-01", **citizen_father(16.17, 2.17))
    assert value(W.citizen_abroad_ina_301g_before_1986, facts) is False
    assert citizen_now(facts) is False


def test_d3_morales_santana_pattern_five_years_less_twenty_days():
    case = parse_case({"birth_date": "1962-07-01", "birth_place": "DO", "parents_married_at_birth": True,
                       **alien_parent("mother"), "father_citizen_at_birth": True, "father_birth_date": "1930-03-19",
                       "father_us_presence_periods": [["1930-03-19", "1949-02-27"]],
                       "father_qualifying_service_abroad_years": 0}, as_of=AS_OF)
    assert case.facts["father_us_presence_years_after_14"] < 5
    assert citizen_now(case.facts) is False


def unwed_mother(birth, **more):
    return {"birth_date": D(birth), "birth_place": "MX", "parents_married_at_birth": False,
            "mother_citizen_at_birth": True, "mother_us_continuous_presence_year": True, "mother_us_presence_years": 3,
            "mother_us_presence_years_after_14": 3, "mother_qualifying_service_abroad_years": 0,
            **alien_parent("father"), **more}


@pytest.mark.parametrize("birth, expected", [("2017-06-11", True), ("2017-06-12", False), ("2017-06-13", False)])
def test_d4_d5_morales_santana_cutoff_for_unwed_citizen_mothers(birth, expected):
    facts = unwed_mother(birth)
    assert citizen_now(facts) is expected
    assert (value(acq_test_basis, facts) or "").endswith("INA 309(c)") is expected
    assert value(O.citizen_abroad_out_of_wedlock_ina_309c, facts) is (birth == "2017-06-11")


def test_after_morales_santana_a_mother_meeting_5_2_transmits_and_two_citizen_parents_are_unsettled():
    assert citizen_now(unwed_mother("2017-06-12", mother_us_presence_years=6)) is True
    two_citizens = unwed_mother("2017-06-12", father_citizen_at_birth=True)
    assert value(O.citizen_abroad_out_of_wedlock_mother_after_morales_santana, two_citizens) is None


def retention_case(birth, **more):
    """A citizen mother (NA 1940 §201(g) met), an alien father, in wedlock, never met retention."""
    return married(birth, "IT", **with_no_exemption(
        mother_citizen_at_birth=True, mother_us_residence_before_birth=True, mother_us_presence_years=25,
        mother_us_presence_years_after_16=9, **alien_parent("father"), retention_presence_met=False, **more))


def test_d6_born_before_the_cutoff_lost_citizenship_and_may_regain_it_by_oath():
    facts = retention_case("1952-09-01", citizenship_restored_by_oath=False)
    assert value(R.lost_by_retention, facts) is True
    assert value(R.retention_cutoff_in_dispute, facts) is False
    assert value(R.retention_loss_date, facts) is None  # 1972 rule: the exact day is unconfirmed
    assert citizen_now(facts) is False
    assert citizen_now({**facts, "citizenship_restored_by_oath": True}) is True
    assert citizen_now(retention_case("1952-09-01")) is None  # oath unknown


def test_d7_born_on_1952_10_10_turns_on_the_pm_fam_discrepancy():
    facts = retention_case("1952-10-10", citizenship_restored_by_oath=False)
    assert value(R.retention_requirement_failed, facts) is None
    assert value(R.retention_cutoff_in_dispute, facts) is True
    assert citizen_now(facts) is None
    met = {**facts, "retention_presence_met": True}
    assert value(R.retention_cutoff_in_dispute, met) is False and citizen_now(met) is True


@pytest.mark.parametrize("birth, lost, in_dispute", [
    ("1952-10-09", True, False), ("1952-10-10", None, True), ("1952-10-11", False, False)])
def test_retention_cutoff_day_before_on_after(birth, lost, in_dispute):
    facts = retention_case(birth, citizenship_restored_by_oath=False)
    assert value(R.lost_by_retention, facts) is lost
    assert value(R.retention_cutoff_in_dispute, facts) is in_dispute


def test_d12_acknowledgment_under_oath_after_18_fails_309a4():
    facts = {"birth_date": D("1990-12-01"), "birth_place": "PH", "parents_married_at_birth": False,
             **alien_parent("mother"), "father_citizen_at_birth": True, "father_us_presence_years": 5,
             "father_us_presence_years_after_14": 2, "blood_relationship_established": True,
             "father_support_agreement": True, "paternity_established_by": "acknowledgment_under_oath",
             "paternity_established_date": D("2009-03-01"), "legitimated_by_law_of_residence": False}
    assert value(O.paternity_formalized_before_18, facts) is False
    assert citizen_now(facts) is False
    assert citizen_now({**facts, "paternity_established_date": D("2008-11-30")}) is True


# ---- Supreme Court, BIA and circuit cases ----

def bellei(**more):
    """Rogers v. Bellei: born in Italy 1939-12-22, native-born citizen mother, Italian father."""
    return married("1939-12-22", "IT", **with_no_exemption(
        mother_citizen_at_birth=True, mother_us_residence_before_birth=True, **alien_parent("father"),
        retention_presence_met=False, **more))


def test_a3_rogers_v_bellei_lost_citizenship_under_301b():
    assert value(W.citizen_abroad_1934_act_one_citizen_parent, bellei()) is True
    assert value(R.lost_by_retention, bellei(), D("1971-04-05")) is True  # no oath existed in 1971
    assert citizen_now(bellei(), D("1971-04-05")) is False
    assert citizen_now(bellei()) is None  # 2026: the INA 324(d) oath is now possible, and unknown
    assert citizen_now(bellei(citizenship_restored_by_oath=True)) is True
    assert value(R.retention_adjusted_since, bellei(citizenship_restored_by_oath=True)) is None


def test_a8_morales_santana_father_short_of_5_years_after_14():
    case = parse_case({"birth_date": "1962-07-01", "birth_place": "DO", "parents_married_at_birth": False,
                       "paternity_established_by": "legitimation", "paternity_established_date": "1970-07-01",
                       **alien_parent("mother"), "father_citizen_at_birth": True, "father_birth_date": "1900-03-19",
                       "father_us_presence_periods": [["1900-03-19", "1919-02-27"]],
                       "father_qualifying_service_abroad_years": 0, "father_deceased": True}, as_of=AS_OF)
    assert value(O.already_18_on_1986_amendments, case.facts) is True
    assert value(O.citizen_abroad_out_of_wedlock_father_old_309a, case.facts) is False
    assert citizen_now(case.facts) is False
    # With the 5 years after 14 met, old 309(a) (legitimated at 8) would have transmitted.
    assert citizen_now({**case.facts, "father_us_presence_years_after_14": 5.0}) is True


def test_a7_flores_villar_sixteen_year_old_father_cannot_meet_5_after_14():
    facts = {"birth_date": D("1974-10-07"), "birth_place": "MX", "parents_married_at_birth": False,
             **alien_parent("mother"), "father_citizen_at_birth": True, "father_us_presence_years_after_14": 2,
             "father_qualifying_service_abroad_years": 0, "paternity_established_date": D("1985-06-02")}
    assert citizen_now(facts) is False


def test_a6_nguyen_parentage_order_at_28_is_too_late_under_old_and_new_309a():
    facts = {"birth_date": D("1969-09-11"), "birth_place": "VN", "parents_married_at_birth": False,
             "mother_citizen_at_birth": False, "father_citizen_at_birth": True,
             "paternity_established_by": "court_order", "paternity_established_date": D("1998-07-01"),
             "blood_relationship_established": True, "legitimated_by_law_of_residence": False}
    assert value(O.already_18_on_1986_amendments, facts) is False  # 17 on 1986-11-14
    assert citizen_now(facts) is False


def test_a5_miller_v_albright_decree_after_21():
    facts = {"birth_date": D("1970-06-20"), "birth_place": "PH", "parents_married_at_birth": False,
             "mother_citizen_at_birth": False, "father_citizen_at_birth": True,
             "paternity_established_by": "court_order", "paternity_established_date": D("1992-07-15"),
             "legitimated_by_law_of_residence": False}
    assert citizen_now(facts) is False


def matter_of_m(**more):
    return married("1935-04-17", "IT", **with_no_exemption(
        father_citizen_at_birth=True, father_us_residence_before_birth=True, **alien_parent("mother"),
        **{"us_presence_began_date": D("1952-05-10"), **more}))


def test_b3_matter_of_m_came_after_16_but_met_301b_by_1957():
    facts = matter_of_m(retention_presence_met=True)
    assert value(R.retention_first_governed_by_na_1940, facts) is True
    assert value(R.lost_by_retention, facts) is False
    assert citizen_now(facts) is True
    assert value(R.retention_adjusted_since, facts) == D("1935-04-17")


def test_b3_variant_never_met_lost_on_the_16th_birthday():
    facts = matter_of_m(retention_presence_met=False, citizenship_restored_by_oath=False)
    assert value(R.lost_by_retention, facts) is True
    assert value(R.retention_loss_date, facts) == D("1951-04-17")


def test_b3_as_reported_without_place_or_parents_is_unknown():
    facts = {"birth_date": D("1935-04-17"), "retention_presence_met": True, "us_presence_began_date": D("1952-05-10")}
    assert citizen_now(facts) is None


def test_c1_ramos_hernandez_came_at_33_lost_on_the_23rd_birthday():
    facts = married("1939-07-01", "MX", **with_no_exemption(
        mother_citizen_at_birth=True, mother_us_residence_before_birth=True, **alien_parent("father"),
        retention_presence_met=False, us_presence_began_date=D("1972-06-01")))
    assert value(R.retention_governed_by_ina_1952_rule, facts) is True
    assert value(R.lost_by_retention, facts, D("1977-12-23")) is True
    assert value(R.retention_loss_date, facts, D("1977-12-23")) == D("1962-07-01")


# ---- Regime thresholds: the day before, on, and after ----

def mother_1934(birth, **more):
    return married(birth, "GB", **with_no_exemption(mother_citizen_at_birth=True, mother_us_residence_before_birth=True,
                                                     **alien_parent("father"), **more))


def test_1934_05_24_noon_boundary():
    before, on, after = (mother_1934(d, retention_presence_met=False, citizenship_restored_by_oath=False)
                         for d in ("1934-05-23", "1934-05-24", "1934-05-25"))
    assert value(W.born_before_1934_act, on) is None and value(W.born_under_1934_act, on) is None
    assert value(W.citizen_abroad_ina_301h, before) is True and citizen_now(before) is True
    assert value(acq_test_basis, before).endswith("INA 301(h)")
    assert value(acq_test_since, {**on, "retention_presence_met": True}) == D("1934-05-24")
    assert value(W.citizen_abroad_ina_301h, on) is None
    assert value(W.citizen_abroad_on_1934_act_day, on) is True
    assert citizen_now(on) is None  # a morning birth kept citizenship, an afternoon one lost it
    assert citizen_now({**on, "retention_presence_met": True}) is True
    assert value(W.citizen_abroad_1934_act_one_citizen_parent, after) is True and citizen_now(after) is False


def test_1934_day_with_a_father_who_never_resided_is_unknown_not_false():
    both = married("1934-05-24", "GB", mother_citizen_at_birth=True, mother_us_residence_before_birth=True,
                   father_citizen_at_birth=True, father_us_residence_before_birth=False)
    assert citizen_now(both) is None  # citizen under the 1934 Act, not under R.S. 1993 / 301(h)


@pytest.mark.parametrize("birth, expected", [("1941-01-12", True), ("1941-01-13", False), ("1941-01-14", False)])
def test_1941_01_13_nationality_act(birth, expected):
    # NA 1940 §201(g) counts residence: 8 years of it, as of presence, fall short
    facts = married(birth, "IT", **citizen_father(8, 4, father_us_residence_before_birth=True,
                                                  father_us_presence_years_after_16=3, father_us_residence_years=8),
                    retention_presence_met=True)
    assert citizen_now(facts) is expected


@pytest.mark.parametrize("birth, expected", [("1952-12-23", False), ("1952-12-24", True), ("1952-12-25", True)])
def test_1952_12_24_ina(birth, expected):
    facts = married(birth, "IT", **citizen_father(20.5, 6.5, father_us_presence_years_after_16=4.5,
                                                  father_birth_date=D("1932-01-01")))
    assert citizen_now(facts) is expected


@pytest.mark.parametrize("birth, expected", [("1986-11-13", False), ("1986-11-14", True), ("1986-11-15", True)])
def test_1986_11_14_five_two_rule(birth, expected):
    assert citizen_now(married(birth, **citizen_father(7, 3))) is expected


def test_presence_exactly_at_the_threshold_is_enough():
    assert value(W.PRESENCE_1986["father"], citizen_father(5.0, 2.0)) is True
    assert value(W.PRESENCE_1986["father"], citizen_father(4.99, 2.0)) is False
    assert value(W.PRESENCE_1986["father"], citizen_father(5.0, 1.99)) is False


def test_service_abroad_counts_toward_presence_but_its_timing_after_14_is_not_a_fact():
    p = W.PRESENCE_1986["father"]
    assert value(p, citizen_father(4, 2, service=1)) is True
    assert value(p, citizen_father(6, 1.5, service=1)) is None  # could close the after-14 gap, or not
    assert value(p, citizen_father(6, 1.5, service=0.25)) is False
    facts = citizen_father(4, 2)
    del facts["father_qualifying_service_abroad_years"]
    assert value(p, facts) is None  # a missing fact is never read as zero


def test_missing_presence_fact_leaves_the_route_unknown():
    facts = married("1990-03-01", **citizen_father(17, 3))
    del facts["father_us_presence_years_after_14"]
    assert value(W.citizen_abroad_ina_301g, facts) is None


@pytest.mark.parametrize("father_birth, expected", [("1929-12-31", None), ("1930-01-01", False)])
def test_na_1940_wwii_variant_only_for_a_parent_old_enough_to_serve(father_birth, expected):
    facts = married("1950-06-01", "IT", **citizen_father(12, 6, father_us_presence_years_after_16=3,
                                                        father_birth_date=D(father_birth)))
    assert value(W.RESIDENCE_NA_1940["father"], facts) is expected
    assert value(W.citizen_abroad_na_201g, facts) is expected


def test_na_205_pre_1934_child_of_citizen_mother_citizen_from_1941():
    facts = {"birth_date": D("1925-03-01"), "birth_place": "FR", "parents_married_at_birth": False,
             "mother_citizen_at_birth": True, "mother_us_residence_before_birth": True,
             "father_citizen_at_birth": False, "paternity_established_by": "none"}
    assert value(O.citizen_abroad_out_of_wedlock_before_1934_na_205, facts) is True
    assert value(O.citizen_abroad_out_of_wedlock_ina_301h, {**facts, "father_national_at_birth": False}) is None
    assert value(acq_test_since, facts) == D("1941-01-13")
    assert "§205" in value(acq_test_basis, facts)
    legit = {**facts, "paternity_established_by": "legitimation"}
    assert value(O.citizen_abroad_out_of_wedlock_before_1934_na_205,
                 {**legit, "paternity_established_date": D("1941-01-12")}) is False
    assert value(O.citizen_abroad_out_of_wedlock_before_1934_na_205,
                 {**legit, "paternity_established_date": D("1941-01-13")}) is True


def unwed_father(birth, paternity_by, paternity_date, **more):
    return {"birth_date": D(birth), "birth_place": "PH", "parents_married_at_birth": False, **alien_parent("mother"),
            "father_citizen_at_birth": True, "father_us_presence_years": 20, "father_us_presence_years_after_14": 8,
            "father_qualifying_service_abroad_years": 0, "paternity_established_by": paternity_by,
            "paternity_established_date": D(paternity_date), "blood_relationship_established": True,
            "father_support_agreement": True, "legitimated_by_law_of_residence": False, **more}


@pytest.mark.parametrize("legitimated, expected", [("1980-12-31", True), ("1981-01-01", False)])
def test_old_309a_legitimation_before_21(legitimated, expected):
    assert citizen_now(unwed_father("1960-01-01", "legitimation", legitimated)) is expected


# On the 18th birthday: contested (USCIS PA-2024-21 and Duarte-Ceri count it, the whole-day rule does not).
@pytest.mark.parametrize("acknowledged, expected", [("2007-12-31", True), ("2008-01-01", None), ("2008-01-02", False)])
def test_new_309a_acknowledgment_before_18(acknowledged, expected):
    assert citizen_now(unwed_father("1990-01-01", "acknowledgment_under_oath", acknowledged)) is expected


def test_new_309a_support_agreement_excused_only_by_death():
    facts = unwed_father("1990-01-01", "court_order", "2000-01-01", father_support_agreement=False)
    assert citizen_now({**facts, "father_deceased": False}) is False
    assert citizen_now({**facts, "father_deceased": True}) is True


@pytest.mark.parametrize("birth, old_only, new_met", [
    ("1968-11-14", True, False),    # 18 on 1986-11-14: old 309(a) governs
    ("1968-11-15", None, False),    # under 18: new law; the old-law election is unconfirmed
    ("1968-11-15", True, True)])    # under 18 and new 309(a) met
def test_1986_transition(birth, old_only, new_met):
    # legitimated at 20: old 309(a) is met, new 309(a)(4) (before 18) only if acknowledged in time.
    by, when = ("legitimation", "1988-06-01") if not new_met else ("legitimation", "1985-06-01")
    facts = unwed_father(birth, by, when)
    assert citizen_now(facts) is old_only


# ---- Retention: cohorts, loss dates, repeal, restoration ----

@pytest.mark.parametrize("birth, na_first", [("1936-12-23", True), ("1936-12-24", False)])
def test_na_1940_governs_those_who_turned_16_before_the_ina(birth, na_first):
    assert value(R.retention_first_governed_by_na_1940, retention_case(birth)) is na_first


@pytest.mark.parametrize("began, loss", [("1951-04-17", None), ("1951-04-18", D("1951-04-17"))])
def test_residence_taken_up_on_the_16th_birthday_was_in_time(began, loss):
    facts = matter_of_m(retention_presence_met=False, us_presence_began_date=D(began))
    assert value(R.retention_loss_date, facts) == loss


@pytest.mark.parametrize("began, loss", [("1962-06-30", None), ("1962-07-01", D("1962-07-01"))])
def test_arrival_on_the_23rd_birthday_was_too_late(began, loss):
    facts = retention_case("1939-07-01", us_presence_began_date=D(began))
    assert value(R.retention_loss_date, facts) == loss


@pytest.mark.parametrize("birth, rule_1952", [("1949-10-26", True), ("1949-10-27", False)])
def test_1972_amendment_governs_those_not_23_by_1972_10_27(birth, rule_1952):
    facts = retention_case(birth, us_presence_began_date=D("1980-01-01"))
    assert value(R.retention_governed_by_ina_1952_rule, facts) is rule_1952
    assert (value(R.retention_loss_date, facts) is None) is (not rule_1952)


@pytest.mark.parametrize("as_of, lost", [("1978-08-31", False), ("1978-10-09", None), ("1978-10-10", True)])
def test_loss_is_settled_only_once_it_could_no_longer_be_avoided(as_of, lost):
    assert value(R.lost_by_retention, retention_case("1952-09-01"), D(as_of)) is lost


@pytest.mark.parametrize("as_of, lost, restored", [("1995-02-28", True, False), ("1995-03-01", False, True)])
def test_oath_restores_from_1995_03_01(as_of, lost, restored):
    facts = bellei(citizenship_restored_by_oath=True)
    assert value(R.lost_by_retention, facts, D(as_of)) is lost
    assert value(R.citizenship_restored_under_ina_324d, facts, D(as_of)) is restored


def test_a_route_without_retention_keeps_citizenship_whatever_the_retention_fact():
    assert value(R.lost_by_retention, married("1990-03-01", **citizen_father(17, 3),
                                              retention_presence_met=False)) is False
    both = married("1940-01-01", "IT", mother_citizen_at_birth=True, father_citizen_at_birth=True,
                   mother_us_residence_before_birth=True, retention_presence_met=False)
    assert value(W.citizen_abroad_1934_act_both_parents_citizens, both) is True
    assert citizen_now(both) is True


def test_national_parent_routes():
    nationals = married("1960-01-01", "WS", mother_citizen_at_birth=False, mother_national_at_birth=True,
                        father_citizen_at_birth=False, father_national_at_birth=True,
                        mother_us_residence_before_birth=True, father_us_residence_before_birth=True)
    assert value(A.national_abroad_ina_308_2, nationals) is True
    one = {**nationals, "father_us_residence_before_birth": False}
    assert value(A.national_abroad_ina_308_2, one) is None
    short = married("1990-01-01", "WS", mother_citizen_at_birth=False, mother_national_at_birth=True,
                    mother_us_presence_years=6, mother_us_presence_years_after_14=6, **alien_parent("father"))
    assert value(A.national_abroad_ina_308_4, short) is False
    assert value(A.national_abroad_ina_308_4, {**short, "mother_us_presence_years": 8}) is None


def test_a_shown_exemption_leaves_the_loss_unknown_and_so_does_an_unknown_one():
    assert value(R.lost_by_retention, bellei(), D("1971-04-05")) is True
    unknown_employer = bellei(mother_us_organization_employee_at_birth=None)
    assert value(R.lost_by_retention, unknown_employer, D("1971-04-05")) is None
    organization = bellei(mother_us_organization_employee_at_birth=True)
    assert value(R.retention_exemption_shown, organization) is True
    assert value(R.lost_by_retention, organization, D("1971-04-05")) is None
    government = bellei(mother_us_government_employee_at_birth=True)
    assert value(R.retention_exemption_shown, government) is True
    assert value(R.lost_by_retention, government, D("1971-04-05")) is None
    father_naturalized = bellei(father_naturalized=True, father_naturalization_date=D("1950-01-01"))
    assert value(R.lost_by_retention, father_naturalized, D("1971-04-05")) is None
    too_late = bellei(father_naturalized=True, father_naturalization_date=D("1957-12-22"))
    assert value(R.lost_by_retention, too_late, D("1971-04-05")) is True
