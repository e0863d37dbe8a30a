"""The result document of the contract, built from one case's rule values. Decides nothing itself:
it reads the values the rules gave and puts them in the contract's shape."""

from __future__ import annotations

from datetime import date
from typing import Any

from safeguard.arrangements import facility_occupancy
from safeguard.engine.rules import REGISTRY, Rule
from safeguard.engine.scalar import Evaluation
from safeguard.law.removal.arrangement_terms import ARRANGEMENT_TERMS
from safeguard.law.removal.outcome import OUTCOMES, SAFEGUARDS
from safeguard.law.removal.safeguards import destination_is_third_country

DISCLAIMER = "A screening aid, not legal advice: have a lawyer check every result before anyone acts on it."


def jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return [jsonable(v) for v in value]
    return value


def citizenship_block(ev: Evaluation) -> dict[str, Any]:
    v = ev.values
    status = v["citizenship_status"]
    contested = v.get("citizenship_contested")
    lost_how = v.get("citizenship_lost_how")
    return {
        "status": "unknown" if status is None else status,
        "basis": v["citizenship_basis"],
        "since": jsonable(v["citizenship_since"]) if status in ("citizen", "national") else None,
        "lost": None if lost_how is None else {"how": lost_how, "date": jsonable(v.get("citizenship_lost_date"))},
        "contested": contested,
        "not_encoded": v.get("citizenship_law_not_encoded"),
        # "national" while citizenship is still open means at least a national, perhaps a citizen.
        "at_least_national": v.get("national_citizenship_still_open") is True,
    }


def _reason(code: str, r: Rule) -> dict[str, str]:
    return {"code": code, "text": r.doc, "citation": str(r.citation), "rule": r.id}


def transfer_block(ev: Evaluation) -> dict[str, Any] | None:
    v = ev.values
    outcome = v["transfer_outcome"]
    if outcome is None:
        return None
    reasons = []
    for code, cond in OUTCOMES:
        if v[cond.id] is True:
            if code == "OUTSIDE_ARRANGEMENT":
                reasons += [_reason(code, term) for term in ARRANGEMENT_TERMS if v[term.id] is True]
            else:
                reasons.append(_reason(code, cond))
            if code in ("BARRED_US_CITIZEN", "BARRED_US_NATIONAL") and v.get("arrangement_claims_to_cover_citizens"):
                r = REGISTRY["arrangement_claims_to_cover_citizens"]
                reasons.append({"code": code, "text": "The arrangement claims to cover U.S. citizens; that term has no "
                                "legal effect: " + r.doc, "citation": str(r.citation), "rule": r.id})
    safeguards = []
    barred_as_national = outcome in ("BARRED_US_CITIZEN", "BARRED_US_NATIONAL")
    if not barred_as_national and v[destination_is_third_country.id] is not False:
        for name, met in SAFEGUARDS:
            status = {True: "met", False: "unmet", None: "unknown"}[v[met.id]]
            safeguards.append({"name": name, "status": status, "citation": str(met.citation), "rule": met.id})
    outstanding = ", ".join(s["name"] for s in safeguards if s["status"] != "met")
    if outcome in ("SAFEGUARDS_REQUIRED", "NO_BAR_FOUND"):
        open_bars = not all(v[c.id] is False for _, c in OUTCOMES)
        parts = ([f"these safeguards are unmet or unknown: {outstanding}"] if outstanding else []) + (
            ["some bars could not be ruled out on the known facts"] if open_bars else [])
        reasons.append({
            "code": outcome,
            "text": ("no encoded bar applies and every listed safeguard is recorded as met"
                     if outcome == "NO_BAR_FOUND" else "no bar found, but " + "; and ".join(parts)),
            "citation": str(REGISTRY["transfer_outcome"].citation),
        })
    elif v["third_country_safeguards_outstanding"] is True:
        r = REGISTRY["third_country_safeguards_outstanding"]
        reasons.append({"code": "SAFEGUARDS_REQUIRED", "text": r.doc + " Unmet or unknown: " + outstanding + ".",
                        "citation": str(r.citation), "rule": r.id})
    out = {"outcome": outcome, "reasons": reasons, "safeguards": safeguards,
           "provisional": v["transfer_outcome_provisional"] is True,
           "contested": v.get("arrangement_in_force_contested")}
    if out["provisional"]:
        codes = [code for code, _ in OUTCOMES]
        upto = codes.index(outcome) if outcome in codes else len(codes)
        out["open_bars"] = [code for code, cond in OUTCOMES[:upto] if v[cond.id] is None]
    facility = facility_check(ev)
    if facility is not None:
        out["facility"] = facility
    return out


def facility_check(ev: Evaluation) -> dict[str, Any] | None:
    """Crowding the transfer would produce at the arrangement's facility (arithmetic on catalogue figures:
    this person plus those already transferred under it)."""
    from safeguard.arrangements import catalogue_snapshot

    arr_id = ev.facts.get("arrangement")
    catalogue = catalogue_snapshot()
    if arr_id not in catalogue or catalogue[arr_id].facility is None:
        return None
    before = ev.facts.get("arrangement_persons_transferred")
    f = facility_occupancy(catalogue[arr_id], 1 + int(before or 0))
    keys = ("facility", "population_used", "added_persons", "occupancy_after", "share_of_design_capacity",
            "share_of_alternative_capacity", "persons_per_cell", "m2_per_person", "reference_m2_per_person",
            "below_reference_space")
    out = {k: f[k] for k in keys if k in f}
    out["persons_already_transferred"] = None if before is None else int(before)
    if before is None:  # not read as none: the figures say they are the least the transfer would bring
        out["lower_bound"] = ("the number of people already transferred under the arrangement is not given: only "
                              "this person is added, so the crowding shown is the least it would be")
    return out


def explanation_tree(ev: Evaluation, roots: list[Rule]) -> list[dict[str, Any]]:
    """The rules on the path to each root, each once in full (later mentions refer back)."""
    shown: set[str] = set()

    def node(rule_id: str) -> dict[str, Any]:
        r = REGISTRY[rule_id]
        value = ev.values[rule_id]
        out: dict[str, Any] = {"rule": rule_id, "value": "unknown" if value is None else jsonable(value)}
        if rule_id in shown:
            out["see"] = "above"
            return out
        shown.add(rule_id)
        t = ev.trace.get(rule_id, {"children": [], "inputs": {}})
        out.update({
            "doc": r.doc,
            "citation": {**r.citation.as_dict(), "text": str(r.citation)},
            "inputs": {k: ("unknown" if x is None else jsonable(x)) for k, x in t["inputs"].items()},
            "children": [node(c) for c in t["children"]],
        })
        return out

    return [node(r.id) for r in roots if r.id in ev.trace]
