"""The soundness properties the engine promises, as checks a test or a benchmark can run on any case.

- soundness: a status (or a transfer outcome that is neither provisional nor a hold) decided while some
  facts are unknown is not turned into a *different decided* value by answering one of them (a presumed
  fact excepted: the result lists the presumption; and "at least a national" may still become a citizen, its
  bar BARRED_US_NATIONAL then named BARRED_US_CITIZEN);
- relevance: answering a listed missing fact changes something: a result, or what is still to be asked;
- safety: a citizen, a national or an unknown status never gets SAFEGUARDS_REQUIRED or NO_BAR_FOUND.

Each check returns a list of violations (plain strings); empty means the property holds for that case.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

CLEARING = ("SAFEGUARDS_REQUIRED", "NO_BAR_FOUND")
# A national found to be a citizen too: the bar stays, only its name is refined.
NATIONAL_BARS = ("BARRED_US_NATIONAL", "BARRED_US_CITIZEN")


def _outcome_decided(doc: dict[str, Any]) -> str | None:
    t = doc.get("transfer")
    if not t or t.get("provisional") or t["outcome"].startswith("HOLD_"):
        return None
    if t["outcome"] == "SAFEGUARDS_REQUIRED" and any(s["status"] == "unknown" for s in t["safeguards"]):
        return None
    return t["outcome"]


def _signature(doc: dict[str, Any]) -> tuple:
    """A result as relevance reads it: the status, `since`, at least a national, the transfer outcome, whether
    it is provisional, and each third-country safeguard's status (what SAFEGUARDS_REQUIRED requires)."""
    c, t = doc["citizenship"], doc.get("transfer") or {}
    safeguards = tuple(sorted((s["name"], s["status"]) for s in t.get("safeguards") or ()))
    return (c["status"], c["since"], c["at_least_national"], t.get("outcome"), t.get("provisional"), safeguards)


def safety(doc: dict[str, Any]) -> list[str]:
    status, outcome = doc["citizenship"]["status"], (doc.get("transfer") or {}).get("outcome")
    if status in ("citizen", "national", "unknown") and outcome in CLEARING:
        return [f"status {status} cleared as {outcome}"]
    return []


def soundness(doc: dict[str, Any], answered: dict[str, Any], fact: str, value: Any) -> list[str]:
    """`answered` is the result with `fact` set to `value` (the rest as in `doc`)."""
    presumed = {p["fact"] for p in doc["presumptions"]}
    if fact in presumed:
        return []
    out = []
    before, after = doc["citizenship"], answered["citizenship"]
    if before["status"] != "unknown" and after["status"] != "unknown" and before["status"] != after["status"]:
        if not (before["at_least_national"] and after["status"] == "citizen"):
            out.append(f"status {before['status']} became {after['status']} when {fact} = {value!r}")
    was, now = _outcome_decided(doc), _outcome_decided(answered)
    refined = before["at_least_national"] and after["status"] == "citizen" and {was, now} == set(NATIONAL_BARS)
    if was and now and was != now and not refined:
        out.append(f"outcome {was} became {now} when {fact} = {value!r}")
    return out


def relevance(doc: dict[str, Any], fact: str, tries: list[tuple[Any, dict[str, Any] | None]]) -> list[str]:
    """`tries`: (value, result with fact = value, or None when that value is impossible with the rest)."""
    base, rest = _signature(doc), set(doc["missing_facts"]) - {fact}
    for _, answered in tries:
        if answered is None:
            continue
        if _signature(answered) != base or set(answered["missing_facts"]) != rest:
            return []
    return [f"{fact} is listed as missing, but no answer changes a result or what is left to ask"]


def check_case(facts: dict[str, Any], as_of: date, screen: Callable[..., dict[str, Any]],
               answers: Callable[[str], list[Any]], unknown_sample: Callable[[list[str]], list[str]],
               input_error: type, check_relevance: bool = True) -> list[str]:
    """Every property for one case. `answers(fact)` gives the values to try for an unknown fact;
    `unknown_sample(names)` picks which of the case's unknown facts to try for soundness (all listed
    missing facts are tried for relevance)."""
    from safeguard.facts.schema import input_facts

    doc = screen(facts, as_of=as_of, rank=False)
    problems = safety(doc)
    unknown = [f for f in input_facts() if f not in facts and f != "as_of" and answers(f)]
    listed = set(doc["missing_facts"])
    for fact in list(dict.fromkeys(doc["missing_facts"] + unknown_sample([f for f in unknown if f not in listed]))):
        tries = []
        for value in answers(fact):
            try:
                answered = screen({**facts, fact: value}, as_of=as_of, rank=False)
            except input_error:
                answered = None
            tries.append((value, answered))
            if answered is not None:
                problems += soundness(doc, answered, fact, value) + safety(answered)
        if check_relevance and fact in listed:
            problems += relevance(doc, fact, tries)
    return problems
