"""Plain words and citations for the report, taken from the law and the fact vocabulary (none invented here)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from safeguard.batch.flags import NO_TRANSFER, NOT_SCREENED
from safeguard.engine.rules import REGISTRY
from safeguard.facts.schema import fact_specs
from safeguard.law.removal.arrangement_terms import ARRANGEMENT_TERMS
from safeguard.law.removal.outcome import OUTCOMES, SAFEGUARDS


@dataclass(frozen=True)
class Reason:
    """One outcome code in plain words, with its citation and a source a reader can open."""

    code: str
    text: str
    citation: str
    url: str


@lru_cache(maxsize=1)
def reasons() -> dict[str, Reason]:
    """Every outcome code in the contract's order, worded as the single-case result words it."""
    out = {code: Reason(code, cond.doc, str(cond.citation), cond.citation.url) for code, cond in OUTCOMES}
    final = REGISTRY["transfer_outcome"].citation
    # The same words result.py gives these two codes (without the per-person list of safeguards).
    out["SAFEGUARDS_REQUIRED"] = Reason("SAFEGUARDS_REQUIRED", "no bar found, but required safeguards are unmet "
                                        "or unknown", str(final), final.url)
    out["NO_BAR_FOUND"] = Reason("NO_BAR_FOUND", "no encoded bar applies and every listed safeguard is recorded "
                                 "as met", str(final), final.url)
    return out


def reason(code: str) -> Reason:
    """The plain words of a code; a code the law does not know is shown as itself."""
    return reasons().get(code) or Reason(code, code, "", "")


# Rows with no transfer outcome: labels for the report's own categories (not legal findings).
CATEGORY_LABELS = {
    NO_TRANSFER: "no transfer screened: no destination was given, so only citizenship was decided",
    NOT_SCREENED: "not screened — fix the input: the row could not be read",
}


def category_label(flag: str) -> str:
    """The words for a flag category: an outcome's plain words, or one of the report's own categories."""
    return CATEGORY_LABELS.get(flag) or reason(flag).text


def question(fact: str) -> str:
    """The plain-words question that asks for a fact (the fact's name when the vocabulary lacks it)."""
    spec = fact_specs().get(fact)
    return spec.question if spec else fact


def questions() -> dict[str, str]:
    """Every fact's question, by fact name."""
    return {name: spec.question for name, spec in fact_specs().items()}


def arrangement_terms() -> list[Reason]:
    """The arrangement terms behind OUTSIDE_ARRANGEMENT, each with its citation."""
    return [Reason(t.id, t.doc, str(t.citation), t.citation.url) for t in ARRANGEMENT_TERMS]


def safeguards() -> list[Reason]:
    """The safeguards behind SAFEGUARDS_REQUIRED, each with its citation."""
    return [Reason(name, met.doc, str(met.citation), met.citation.url) for name, met in SAFEGUARDS]
