"""Deterministic synthetic manifests of people proposed for transfer out of the U.S.

``generate(n, seed)`` returns a polars DataFrame: one row per person, one column per fact of
the fact vocabulary (null = unknown). Rows are drawn in fixed blocks of ``BLOCK`` rows, each
from its own random stream ``numpy.random.default_rng([seed, block number])``. So the same
(n, seed) always gives the same frame, and ``iter_chunks`` (the same blocks, re-cut to any
chunk size) concatenates to exactly the same rows.

Each row is first drawn as one kind of person (``Calibration.kind_table``); ``_fill`` then
sets the facts relevant to that kind; finally facts are made unknown at the calibrated rates.
Every number used comes from ``calibration.yaml``. Dates are handled as days since 1970-01-01.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import polars as pl

from . import KINDS, Calibration, load_calibration

BLOCK = 1 << 16
YEAR = 365.2425
TERRITORIES = ("PR", "GU", "VI", "MP", "AS")

# The output columns, in the order of facts.yaml: name:type, b=bool d=date n=number s=text.
_PARENT = ("citizen_at_birth:b national_at_birth:b birth_date:d us_residence_before_birth:b "
           "us_presence_years:n us_presence_years_after_14:n us_presence_years_after_16:n "
           "us_continuous_presence_year:b us_government_employee_at_birth:b "
           "qualifying_service_abroad_years:n naturalized:b naturalization_date:d deceased:b death_date:d")
_FACTS = f"""person_id:s as_of:d birth_date:d birth_place:s born_to_foreign_diplomat:b
parents_married_at_birth:b foundling:b resided_in_us_territory_on_1941_01_13:b
kept_foreign_nationality_before_1950_08_01:b nmi_domicile_on_1986_11_03:s
{" ".join("mother_" + f for f in _PARENT.split())} {" ".join("father_" + f for f in _PARENT.split())}
paternity_established_by:s paternity_established_date:d father_support_agreement:b
blood_relationship_established:b legitimated_by_law_of_residence:b lpr:b lpr_date:d
parents_legally_separated:b legal_separation_date:d parents_reunited_after_separation:b
parents_reunited_date:d custody_parent:s in_citizen_parent_custody_in_us:b
citizen_parent_stationed_abroad:b adopted:b adoption_date:d married_before_18:b naturalized:b
naturalization_date:d denaturalized:b denaturalization_date:d expatriated:b expatriation_date:d
retention_presence_met:b us_presence_began_date:d citizenship_restored_by_oath:b
claims_us_citizenship:b nationalities:s immigration_status:s removal_order:s removal_order_date:d
order_designated_country:s withholding_countries:s cat_countries:s fear_claim_pending:b
stay_of_removal:b convicted:b conviction_class:s serving_sentence:b custody:s
destination_country:s arrangement:s notice_served_date:d notice_in_understood_language:b
fear_screening:s counsel_access:b transfer_consent:b"""
FACT_TYPES = dict(item.split(":") for item in _FACTS.split())
DTYPES = {"b": pl.Boolean, "d": pl.Date, "n": pl.Float64, "s": pl.Utf8}
SCHEMA = {name: DTYPES[t] for name, t in FACT_TYPES.items()}

ENUMS = {
    "paternity_established_by": ["legitimation", "acknowledgment_under_oath", "court_order", "none"],
    "custody_parent": ["mother", "father", "joint", "other"],
    "immigration_status": ["lpr", "conditional_resident", "refugee", "asylee", "parolee",
                           "nonimmigrant", "tps", "no_status", "other"],
    "removal_order": ["none", "proceedings_pending", "final", "expedited", "reinstated", "administrative"],
    "conviction_class": ["aggravated_felony", "felony", "misdemeanor"],
    "custody": ["federal_prison", "state_prison", "immigration_detention", "none", "other"],
    "fear_screening": ["not_done", "negative", "positive"],
    "nmi_domicile_on_1986_11_03": ["nmi", "us_or_territory", "elsewhere"],
}
COUNTRY_COLUMNS = ("birth_place", "nationalities", "order_designated_country",
                   "withholding_countries", "cat_countries", "destination_country")
# Columns kept in thin files (the caller's case and transfer context).
_ALWAYS_KEPT = {"person_id", "as_of", "destination_country", "arrangement"}

# Bad values for rows that get one (bad_row_share): column -> strings that must be rejected.
BAD_VALUES = {
    "birth_date": ["1960-13-01", "2001-02-30", "not-a-date"], "lpr_date": ["1999-00-10", "31/12/1999"],
    "removal_order_date": ["2020-02-31"], "mother_birth_date": ["19xx-01-01"],
    "immigration_status": ["martian", "citizen?"], "removal_order": ["deported", "martian"],
    "custody": ["moon_base"], "conviction_class": ["felonious"],
    "mother_us_presence_years": ["-3", "lots"], "father_us_presence_years_after_14": ["-0.5"],
    "birth_place": ["XX1", "USA", "Mexico"], "destination_country": ["XX1", "El Salvador"],
    "nationalities": ["MX;XX1", "MEX"], "withholding_countries": ["SV;1"],
    "convicted": ["maybe", "2"], "lpr": ["sometimes"],
}


def _days(value: str | dt.date) -> int:
    day = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return (day - dt.date(1970, 1, 1)).days


class _Block:
    """One block of rows being drawn: the random stream, kinds, and the columns filled so far.

    Each filled column keeps its values (codes into a vocabulary for text columns) and a
    ``known`` mask; rows never set stay unknown.
    """

    def __init__(self, m: int, rng: np.random.Generator, cal: Calibration, as_of: int, vocab: dict):
        self.m, self.rng, self.cal, self.as_of, self.vocab = m, rng, cal, as_of, vocab
        self.values: dict[str, np.ndarray] = {}
        self.known: dict[str, np.ndarray] = {}

    def u(self) -> np.ndarray:
        return self.rng.random(self.m)

    def pick(self, path: str, column: str) -> np.ndarray:
        """Draw categories from the calibration mix ``path``, as codes into ``column``'s vocabulary."""
        mix = self.cal.mix(path)
        index = {v: i for i, v in enumerate(self.vocab[column])}
        codes = np.array([index[k] for k in mix], dtype=np.int32)
        cdf = np.cumsum(list(mix.values()))
        return codes[np.minimum(np.searchsorted(cdf, self.u() * cdf[-1], side="right"), len(codes) - 1)]

    def code(self, column: str, label: str) -> int:
        return self.vocab[column].index(label)

    def put(self, name: str, where: np.ndarray, value) -> None:
        """Set ``name`` to ``value`` (scalar, label, or full-length array) on rows ``where``."""
        if name not in self.values:
            kind = FACT_TYPES[name]
            dtype = {"b": bool, "d": np.int64, "n": np.float64, "s": np.int32}[kind]
            self.values[name] = np.zeros(self.m, dtype=dtype)
            self.known[name] = np.zeros(self.m, dtype=bool)
        if isinstance(value, str):
            value = self.code(name, value)
        np.copyto(self.values[name], value, where=where, casting="unsafe")
        self.known[name] |= where

    def uniform(self, low, high) -> np.ndarray:
        """A number drawn uniformly from [low, high] (arrays allowed; high clipped up to low)."""
        return low + self.u() * np.maximum(np.asarray(high) - low, 0.0)

    def between(self, low: np.ndarray, high) -> np.ndarray:
        """A day drawn uniformly from [low, high] (high clipped up to low)."""
        high = np.maximum(high, low)
        return low + np.floor(self.u() * (high - low + 1)).astype(np.int64).clip(max=high - low)


def _fill(b: _Block, kind: np.ndarray, ice: np.ndarray, destination: str | None, arrangement: str | None):
    """Set every relevant fact for the rows of one block, by kind."""
    cal, m, u = b.cal, b.m, b.u
    k = {name: kind == i for i, name in enumerate(KINDS)}
    every = np.ones(m, dtype=bool)
    acq, der, nac, unr = (k[f"usc_parent_{x}"] for x in ("acquired", "derived", "not_acquired", "unresolved"))
    usc = acq | der | nac | unr
    citizen = k["us_born_citizen"] | k["territory_born"] | k["naturalized_citizen"]
    noncit = ~citizen
    plain = k["bop_noncitizen"] | k["ice_convicted"] | k["ice_not_convicted"]

    # Birth: age, birth date, birth place, nationalities.
    a_bop, a_ice, a_min = cal["ages.bop"], cal["ages.ice"], cal["ages.minor_age_range"]
    age = np.where(ice, np.clip(b.rng.normal(a_ice["mean"], a_ice["sd"], m), a_ice["min"], a_ice["max"]),
                   np.clip(b.rng.normal(a_bop["mean"], a_bop["sd"], m), a_bop["min"], a_bop["max"]))
    under_18 = cal["ice.adp_possibly_under_18"] / cal["ice.adp_total"]
    age = np.where(ice & (u() < under_18), b.rng.uniform(a_min["min"], a_min["max"], m), age)
    usc_oldest = (b.as_of - _days(cal["ages.usc_parent_born_after"])) / YEAR
    age = np.where(usc, np.clip(age, 1.0, max(usc_oldest, 1.0)), age)
    birth = b.as_of - np.floor(age * YEAR).astype(np.int64)
    b.put("as_of", every, b.as_of)
    b.put("birth_date", every, birth)
    nat1 = b.pick("mix.nationality_mix", "birth_place")
    other = b.pick("mix.nationality_mix", "birth_place")
    terr = b.pick("mix.territory_mix", "birth_place")
    place = np.where(u() < cal["mix.born_outside_nationality_share"], other, nat1)
    place = np.where(k["us_born_citizen"], b.code("birth_place", "US"), place)
    place = np.where(k["territory_born"], terr, place)
    b.put("birth_place", every, place)
    foreign = ~(k["us_born_citizen"] | k["territory_born"])
    b.put("nationalities", foreign, nat1)
    second = b.pick("mix.nationality_mix", "birth_place")
    dual = foreign & (u() < cal["mix.dual_nationality_share"]) & (second != nat1)
    b.second_nationality = np.where(dual, second, -1)

    # Custody and convictions.
    b.put("custody", ~ice, "federal_prison")
    b.put("custody", ice, "immigration_detention")
    convicted_share = cal["ice.adp_convicted_criminal"] / cal["ice.adp_total"]
    convicted = ~ice | k["ice_convicted"] | (ice & ~k["ice_not_convicted"] & ~plain & (u() < convicted_share))
    b.put("convicted", every, convicted)
    b.put("conviction_class", convicted & ~ice, b.pick("custody.bop_conviction_class", "conviction_class"))
    b.put("conviction_class", convicted & ice, b.pick("custody.ice_conviction_class", "conviction_class"))
    aggravated = convicted & (b.values["conviction_class"] == b.code("conviction_class", "aggravated_felony"))
    b.put("serving_sentence", every, ~ice)

    lpr = _parents(b, k, usc, noncit & ~usc, birth, age)

    # Own status: naturalized citizens, LPRs among recorded non-citizens, claims.
    nz = k["naturalized_citizen"]
    nat_age = b.uniform(18.1, age - 0.05)
    wait = cal["mix.naturalization_wait_years"]
    lpr_age = np.maximum(nat_age - b.rng.uniform(wait["min"], wait["max"], m), 0.05)
    b.put("naturalized", nz, True)
    b.put("naturalization_date", nz, birth + np.floor(nat_age * YEAR).astype(np.int64))
    b.put("denaturalized", nz, False)
    b.put("naturalized", noncit, False)
    b.put("expatriated", citizen, False)
    lpr_share, lpr_wo = cal["mix.lpr_share"], cal["mix.lpr_without_order_share"]
    lpr_with_order = (plain & (u() < lpr_share * (1 - lpr_wo) / (1 - lpr_share * lpr_wo))) | (
        k["protected"] & (u() < lpr_share))
    ever_lpr = lpr_with_order | k["lpr_no_order"]
    lpr_day = birth + np.floor(b.uniform(0.1, age - 0.1) * YEAR).astype(np.int64)
    b.put("lpr", nz | ever_lpr, True)
    b.put("lpr_date", nz, birth + np.floor(lpr_age * YEAR).astype(np.int64))
    b.put("lpr_date", ever_lpr, lpr_day)
    b.put("lpr", (plain | k["protected"]) & ~ever_lpr, False)
    lpr = lpr | ever_lpr
    claims = usc & (u() < cal["parents.claims_citizenship_share"])
    b.put("claims_us_citizenship", every, citizen | claims)
    status = b.pick("immigration.noncitizen_status_mix", "immigration_status")
    b.put("immigration_status", noncit & ~lpr, status)
    b.put("immigration_status", lpr_with_order, "no_status")
    b.put("immigration_status", (lpr & usc) | k["lpr_no_order"], "lpr")
    b.put("immigration_status", k["lpr_no_order"] & (u() < cal["immigration.conditional_resident_share"]),
          "conditional_resident")

    _orders(b, k, ice, noncit, usc, lpr, aggravated, nat1, age, destination)
    _territory(b, k["territory_born"], k["us_born_citizen"], birth)
    _transfer(b, ice, destination, arrangement)


def _parents(b: _Block, k: dict, usc: np.ndarray, other_foreign: np.ndarray, birth, age) -> np.ndarray:
    """Parent facts: the U.S.-citizen-parent cases in detail, plain ``False`` facts for the
    other recorded non-citizens. Returns the rows now known to be (recorded) LPRs."""
    cal, m, u = b.cal, b.m, b.u
    acq, der, nac, unr = (k[f"usc_parent_{x}"] for x in ("acquired", "derived", "not_acquired", "unresolved"))
    mother_cit = u() < cal["parents.parent_is_mother_share"]
    presence, window = cal["parents.citizen_parent_presence"], cal["parents.derived_window_years"]
    married = np.where(acq, u() < cal["parents.acquired_married_share"],
                       np.where(der | nac, True, u() < cal["parents.married_share"]))
    mother_cit |= acq & ~married  # out of wedlock: the mother is the citizen
    b.put("parents_married_at_birth", usc | other_foreign, married)
    low, high = cal["ages.parent_age_at_birth"]["min"], cal["ages.parent_age_at_birth"]["max"]
    enough = acq | (unr & (u() < cal["parents.unresolved_enough_presence_share"]))
    born = {}
    for p, is_cit in (("mother", mother_cit), ("father", ~mother_cit)):
        cit = (acq | nac | unr) & is_cit
        parent_age = np.where(cit & enough, b.rng.uniform(20.0, high, m), b.rng.uniform(low, high, m))
        born[p] = birth - np.floor(parent_age * YEAR).astype(np.int64)
        b.put(f"{p}_birth_date", usc | other_foreign, born[p])
        b.put(f"{p}_citizen_at_birth", usc | other_foreign, cit)
        b.put(f"{p}_national_at_birth", usc | other_foreign, False)
        # Presence before the birth: enough = at least 10 years, 5 after 14 (meets every
        # rule for births after 1952); short = under 5 years (meets none of them).
        short = b.rng.uniform(presence["short_min"], presence["short_max"], m)
        after14 = np.where(enough, b.uniform(5.0, parent_age - 14.0),
                           np.minimum(short, parent_age - 14.0) * u())
        before14 = b.rng.uniform(presence["before_14_min"], presence["before_14_max"], m)
        total = np.where(enough, after14 + before14, np.maximum(after14, short))
        shown = cit & ~unr
        b.put(f"{p}_us_residence_before_birth", cit, True)
        b.put(f"{p}_us_presence_years", shown, np.floor(total * 10) / 10)
        b.put(f"{p}_us_presence_years_after_14", shown, np.floor(after14 * 10) / 10)
        b.put(f"{p}_us_presence_years_after_16", shown, np.floor(np.maximum(after14 - 2.0, 0.0) * 10) / 10)
        continuous = (total >= 1.0) & (u() < cal["parents.short_presence_continuous_year_share"])
        b.put(f"{p}_us_continuous_presence_year", shown, enough | continuous)
        b.put(f"{p}_naturalized", (acq | nac | unr) | other_foreign, False)

    # Derived: LPR and parental naturalization, all before the 16th birthday (or, under the
    # Child Citizenship Act, one parent after 2001-02-27 and before 18).
    cca_from = _days("2001-02-27")
    one = der & (birth >= _days("1990-01-01")) & (u() < cal["parents.derived_one_parent_share"])
    first, before_16, before_18 = (int(window[x] * YEAR)
                                   for x in ("first", "last_before_16", "last_before_18"))
    lo = np.where(one, np.maximum(birth + first, cca_from), birth + first)
    hi = np.minimum(np.where(one, birth + before_18, birth + before_16), b.as_of)
    one &= lo < hi
    lo = np.where(one, lo, birth + first)
    hi = np.where(one, hi, np.minimum(birth + before_16, b.as_of))
    nat_day = {}
    for p, is_nat in (("mother", ~one | mother_cit), ("father", ~one | ~mother_cit)):
        nat_day[p] = b.between(lo, hi)
        b.put(f"{p}_naturalized", der, is_nat)
        b.put(f"{p}_naturalization_date", der & is_nat, nat_day[p])
    b.put("lpr", der, True)
    b.put("lpr_date", der, b.between(lo, hi))
    b.put("in_citizen_parent_custody_in_us", der, True)
    for fact in ("parents_legally_separated", "adopted", "married_before_18"):
        b.put(fact, der, False)

    # Not acquired / unresolved: LPR only after 18 (too late to derive), if at all.
    late = (nac | unr | acq) & (age > 18.5)
    late_lpr = late & (u() < cal["parents.late_lpr_share"])
    b.put("lpr", (nac | unr | acq) & ~late_lpr, False)
    b.put("lpr", late_lpr, True)
    b.put("lpr_date", late_lpr, birth + np.floor(b.uniform(18.2, age - 0.1) * YEAR).astype(np.int64))

    # Deaths, out-of-wedlock paternity, late parental naturalization of other foreign-born.
    for p in ("mother", "father"):
        dead = usc & (u() < cal["parents.parent_deceased_share"])
        naturalized_on = b.values[f"{p}_naturalization_date"]
        after = np.where(der & b.known[f"{p}_naturalization_date"], naturalized_on, birth)
        b.put(f"{p}_deceased", usc, dead)
        b.put(f"{p}_death_date", dead, b.between(after, b.as_of))
    unwed = usc & ~married
    how = b.pick("parents.unmarried_paternity_mix", "paternity_established_by")
    b.put("paternity_established_by", unwed, how)
    b.put("paternity_established_date", unwed & (how != b.code("paternity_established_by", "none")),
          b.between(birth, np.minimum(birth + int(17.9 * YEAR), b.as_of)))
    b.put("father_support_agreement", unwed, u() < cal["parents.father_support_agreement_share"])
    b.put("blood_relationship_established", unwed, u() < cal["parents.blood_relationship_established_share"])
    late_nat = other_foreign & (age > 18.3) & (u() < cal["parents.parent_naturalized_after_18_share"])
    which = u() < cal["parents.parent_is_mother_share"]
    for p, chosen in (("mother", which), ("father", ~which)):
        rows = late_nat & chosen
        b.put(f"{p}_naturalized", rows, True)
        b.put(f"{p}_naturalization_date", rows, b.between(birth + int(18.1 * YEAR), b.as_of))
    return der | late_lpr


def _orders(b: _Block, k, ice, noncit, usc, lpr, aggravated, nat1, age, destination):
    """Removal orders, protection, stays and fear claims of recorded non-citizens."""
    cal, u = b.cal, b.u
    code = {v: i for i, v in enumerate(ENUMS["removal_order"])}
    bop_order = np.where(u() < cal["population.bop_noncitizen_final_order_share"], code["final"],
                         b.pick("immigration.bop_other_order_mix", "removal_order"))
    order = np.where(ice, b.pick("immigration.ice_order_mix", "removal_order"), bop_order)
    pending = u() < cal["immigration.lpr_no_order_pending_share"]
    order = np.where(k["lpr_no_order"], np.where(pending, code["proceedings_pending"], code["none"]), order)
    order = np.where(k["protected"], b.pick("immigration.protected_order_mix", "removal_order"), order)
    # Administrative orders only for non-LPR aggravated felons; LPRs are not expedited.
    bad = ((order == code["administrative"]) & ~(aggravated & ~lpr)) | ((order == code["expedited"]) & lpr)
    order = np.where(bad, code["final"], order)
    b.put("removal_order", noncit, order)
    has_order = noncit & (order >= code["final"])
    oldest = cal["immigration.order_age_years"]["max"]
    years_back = u() * np.minimum(oldest, np.maximum(age - 0.5, 0.0))
    b.put("removal_order_date", has_order, b.as_of - np.floor(years_back * YEAR).astype(np.int64))
    elsewhere = b.pick("mix.nationality_mix", "order_designated_country")
    b.put("order_designated_country", has_order,
          np.where(u() < cal["immigration.order_country_is_nationality_share"], nat1, elsewhere))
    b.put("stay_of_removal", has_order, u() < cal["immigration.stay_of_removal_share"])
    b.put("fear_claim_pending", noncit, u() < cal["immigration.fear_claim_pending_share"])
    prot = k["protected"]
    kind = b.pick("immigration.protection_type_mix", "_protection")
    country = nat1
    if destination is not None:
        to_dest = u() < cal["immigration.protection_as_to_destination_share"]
        country = np.where(to_dest, b.code("birth_place", destination), nat1)
    # A recorded non-citizen without a grant has an explicit empty list ("none"), not an unknown one.
    b.put("withholding_countries", noncit, "none")
    b.put("cat_countries", noncit, "none")
    b.put("withholding_countries", prot & (kind != 1), country)
    b.put("cat_countries", prot & (kind != 0), country)


def _territory(b: _Block, territory, us_born, birth):
    """Facts about births in the states and territories."""
    place = b.values["birth_place"]
    b.put("born_to_foreign_diplomat", territory | us_born, False)
    pr_early = territory & (place == b.code("birth_place", "PR")) & (birth < _days("1941-01-13"))
    b.put("resided_in_us_territory_on_1941_01_13", pr_early, True)
    gu_early = territory & (place == b.code("birth_place", "GU")) & (birth < _days("1950-08-01"))
    b.put("kept_foreign_nationality_before_1950_08_01", gu_early, False)
    # Covenant §301(b), (c): anyone alive on 1986-11-03 might have been domiciled in the Northern Mariana
    # Islands; nobody here was (an assumption, calibration.yaml), in the U.S. or abroad by the calibrated share.
    alive = birth < _days("1986-11-04")
    in_us = b.u() < b.cal["mix.lived_in_us_on_1986_11_03_share"]
    b.put("nmi_domicile_on_1986_11_03", alive & in_us, "us_or_territory")
    b.put("nmi_domicile_on_1986_11_03", alive & ~in_us, "elsewhere")


def _transfer(b: _Block, ice, destination, arrangement):
    """The proposed transfer: destination, arrangement and the safeguards around it."""
    if destination is None and arrangement is None:
        return
    cal, m, u = b.cal, b.m, b.u
    every = np.ones(m, dtype=bool)
    if destination is not None:
        b.put("destination_country", every, destination)
    if arrangement is not None:
        b.put("arrangement", every, arrangement)
    served = u() < cal["transfer.notice_served_share"]
    days_before = cal["transfer.notice_served_days_before"]["max"]
    b.put("notice_served_date", served, b.as_of - b.rng.integers(0, days_before + 1, m))
    b.put("notice_in_understood_language", served, u() < cal["transfer.notice_in_understood_language_share"])
    b.put("fear_screening", every, b.pick("transfer.fear_screening_mix", "fear_screening"))
    b.put("counsel_access", every, u() < cal["transfer.counsel_access_share"])
    b.put("transfer_consent", ~ice, u() < cal["transfer.transfer_consent_share"])


def _hide(b: _Block, cal: Calibration) -> np.ndarray:
    """Make facts unknown at their calibrated rates; thin-file rows lose many more."""
    sparse = b.u() < cal["missing.sparse_row_share"]
    extra = cal["missing.sparse_row_missing"]
    for name in FACT_TYPES:
        if name not in b.known:
            continue
        rate = cal.missing_rate(name)
        if name not in _ALWAYS_KEPT:
            rate = np.where(sparse, 1.0 - (1.0 - rate) * (1.0 - extra), rate)
        b.known[name] &= b.rng.random(b.m, dtype=np.float32) >= rate
    return sparse


def _vocab(cal: Calibration, destination: str | None, arrangement: str | None) -> dict[str, list[str]]:
    """The vocabulary (list of labels) of every text column, shared by all blocks of a run."""
    countries = ["US", *TERRITORIES]
    countries += [c for c in cal.mix("mix.nationality_mix") if c not in countries]
    if destination is not None and destination not in countries:
        countries.append(destination)
    vocab = {column: countries for column in COUNTRY_COLUMNS}
    for column in ("withholding_countries", "cat_countries"):
        vocab[column] = [*countries, "none"]  # "none": an explicit empty list
    vocab.update(ENUMS)
    vocab["arrangement"] = [arrangement or ""]
    vocab["_protection"] = ["withholding", "cat", "both"]
    return vocab


def _frame(b: _Block, start: int) -> pl.DataFrame:
    """Turn the filled columns of a block into a typed polars frame in schema order.

    The raw values and their ``known`` masks go into one frame; a single select then keeps
    each value where known (null elsewhere), maps text codes to labels and days to dates.
    """
    raw = {"_second": b.second_nationality}
    for name, values in b.values.items():
        raw[name], raw["_k_" + name] = values, b.known[name]
    raw = pl.DataFrame(raw)
    exprs = []
    for name, t in FACT_TYPES.items():
        if name == "person_id":
            number = pl.int_range(start + 1, start + b.m + 1, dtype=pl.Int64).cast(pl.Utf8).str.zfill(7)
            exprs.append((pl.lit("S-") + number).alias(name))
            continue
        if name not in b.values:
            exprs.append(pl.lit(None, dtype=DTYPES[t]).alias(name))
            continue
        value = pl.col(name)
        if t == "s":
            value = pl.lit(pl.Series(b.vocab[name], dtype=pl.Utf8)).gather(value)
        elif t == "d":
            value = value.cast(pl.Int32).cast(pl.Date)
        if name == "nationalities":
            second = pl.lit(pl.Series(b.vocab[name], dtype=pl.Utf8)).gather(pl.col("_second").clip(0))
            value = pl.when(pl.col("_second") >= 0).then(value + ";" + second).otherwise(value)
        exprs.append(pl.when(pl.col("_k_" + name)).then(value).otherwise(None).alias(name))
    return raw.select(exprs)


def _corrupt(frame: pl.DataFrame, rng: np.random.Generator, start: int, share: float) -> pl.DataFrame:
    """Give exactly one bad value to a ``share`` of rows; the columns that can hold one become text.

    Row i (counting from 0 over the whole manifest) is bad when floor((i+1)*share) passes a
    whole number, so the first n rows always hold floor(n*share) bad rows whatever the chunks.
    ``_synth_bad_fact`` names the corrupted column ("" for good rows).
    """
    m = frame.height
    i = np.arange(start, start + m, dtype=np.float64)
    bad = np.floor((i + 1) * share + 1e-9) > np.floor(i * share + 1e-9)
    columns = list(BAD_VALUES)
    which = rng.integers(0, len(columns), m)
    variant = rng.random(m)
    # Only the columns that may hold a bad value become text, as in a typed file with some free-text
    # columns; every other column keeps its type.
    frame = frame.with_columns(pl.col(list(BAD_VALUES)).cast(pl.Utf8))
    updates = []
    for index, column in enumerate(columns):
        rows = bad & (which == index)
        if rows.any():
            options = np.array(BAD_VALUES[column])
            values = pl.Series(options[(variant * len(options)).astype(np.int64)], dtype=pl.Utf8)
            updates.append(pl.when(pl.lit(pl.Series(rows))).then(pl.lit(values))
                           .otherwise(pl.col(column)).alias(column))
    named = np.array([*columns, ""])[np.where(bad, which, len(columns))]
    return frame.with_columns(*updates, pl.Series("_synth_bad_fact", named, dtype=pl.Utf8))


def _block(number: int, start: int, m: int, seed: int, cal: Calibration, opts: dict) -> pl.DataFrame:
    """Draw rows start .. start+m-1 (block ``number``) from their own random stream."""
    rng = np.random.default_rng([seed, number])
    table = cal.kind_table()
    p = np.array([row[2] for row in table])
    combo = rng.choice(len(table), size=m, p=p / p.sum())
    kind = np.array([KINDS.index(row[0]) for row in table])[combo]
    ice = np.array([row[1] for row in table])[combo]
    b = _Block(m, rng, cal, opts["as_of"], opts["vocab"])
    _fill(b, kind, ice, opts["destination"], opts["arrangement"])
    sparse = _hide(b, cal)
    frame = _frame(b, start)
    if opts["labels"]:
        frame = frame.with_columns(pl.Series("_synth_kind", np.array(KINDS)[kind], dtype=pl.Utf8),
                                   pl.Series("_synth_sparse", sparse, dtype=pl.Boolean))
    if opts["bad_row_share"] > 0:
        frame = _corrupt(frame, rng, start, opts["bad_row_share"])
    return frame


def _blocks(n: int, seed: int, calibration, bad_row_share: float, destination: str | None,
            arrangement: str | None, as_of, labels: bool) -> Iterator[pl.DataFrame]:
    """Check the arguments, then yield the manifest block by block (one empty block if n == 0)."""
    if not isinstance(n, (int, np.integer)) or n < 0:
        raise ValueError(f"n must be a whole number >= 0, got {n!r}")
    if not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a whole number >= 0, got {seed!r}")
    if not 0.0 <= bad_row_share <= 1.0:
        raise ValueError(f"bad_row_share must be between 0 and 1, got {bad_row_share!r}")
    if destination is not None and not (len(destination) == 2 and destination.isascii()
                                        and destination.isalpha() and destination.isupper()):
        raise ValueError(f"destination must be an upper-case ISO 3166-1 alpha-2 code, got {destination!r}")
    if calibration is None or isinstance(calibration, (str, Path)):
        calibration = load_calibration(calibration)
    opts = {"as_of": _days(as_of), "vocab": _vocab(calibration, destination, arrangement),
            "destination": destination, "arrangement": arrangement, "labels": labels,
            "bad_row_share": float(bad_row_share)}
    if n == 0:
        yield _block(0, 0, 0, int(seed), calibration, opts)
    for number, start in enumerate(range(0, n, BLOCK)):
        yield _block(number, start, min(BLOCK, n - start), int(seed), calibration, opts)


def generate(n: int, seed: int, calibration: Calibration | str | Path | None = None,
             bad_row_share: float = 0.0, destination: str | None = "SV",
             arrangement: str | None = "sv-cecot-2025",
             as_of: str | dt.date = "2026-11-23", labels: bool = False) -> pl.DataFrame:
    """Return a synthetic manifest of ``n`` people, the same for the same arguments.

    ``calibration``: a Calibration, a path to a calibration YAML, or None for the packaged one.
    ``bad_row_share``: share of rows given exactly one bad value (then every column is text and
    ``_synth_bad_fact`` names the bad column). ``destination`` / ``arrangement``: the proposed
    transfer (None leaves the transfer columns unknown). ``as_of``: the date the manifest speaks
    for; no date in it is later. ``labels``: add ``_synth_kind`` (the kind each row was drawn
    as) and ``_synth_sparse`` (thin-file rows), for tests.
    """
    blocks = list(_blocks(n, seed, calibration, bad_row_share, destination, arrangement, as_of, labels))
    return pl.concat(blocks, rechunk=False) if len(blocks) > 1 else blocks[0]


def iter_chunks(n: int, seed: int, chunk_size: int = 500_000, **kwargs) -> Iterator[pl.DataFrame]:
    """Yield the rows of ``generate(n, seed, **kwargs)`` as frames of ``chunk_size`` rows (the
    last may be shorter; one empty frame when n == 0). Concatenated, they equal ``generate``."""
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be >= 1, got {chunk_size!r}")
    args = {"calibration": None, "bad_row_share": 0.0, "destination": "SV", "arrangement": "sv-cecot-2025",
            "as_of": "2026-11-23", "labels": False}
    unknown = set(kwargs) - set(args)
    if unknown:
        raise TypeError(f"iter_chunks got unexpected arguments: {sorted(unknown)}")
    args.update(kwargs)
    pending: list[pl.DataFrame] = []
    size = 0
    for block in _blocks(n, seed, **args):
        if n == 0:
            yield block
        while block.height:
            take = min(chunk_size - size, block.height)
            pending.append(block.slice(0, take))
            block, size = block.slice(take), size + take
            if size == chunk_size:
                yield pl.concat(pending) if len(pending) > 1 else pending[0]
                pending, size = [], 0
    if pending:
        yield pl.concat(pending) if len(pending) > 1 else pending[0]
