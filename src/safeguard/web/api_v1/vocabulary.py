"""GET /facts (the vocabulary), /rules and /rules/{id} (each rule with its citation), /arrangements."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from ninja import Router

import safeguard.api  # noqa: F401 - loads the rules into REGISTRY
from safeguard.arrangements import load_catalogue
from safeguard.engine.rules import REGISTRY
from safeguard.facts.parse import expected_for
from safeguard.facts.schema import fact_specs
from safeguard.web.api_v1.problems import Problem
from safeguard.web.api_v1.schemas import FactOut, RuleOut, RuleSummary

router = Router(tags=["vocabulary"])


@router.get("/facts", response={200: list[FactOut], 401: Problem}, summary="The fact vocabulary")
def facts(request):
    return [{"name": s.name, "type": s.type, "group": s.group, "doc": s.doc, "question": s.question,
             "values": list(s.values), "expected": expected_for(s)} for s in fact_specs().values()]


@router.get("/rules", response={200: list[RuleSummary], 401: Problem}, summary="Every rule, with its citation")
def rules(request):
    return [{"id": rid, "doc": r.doc, "citation": str(r.citation)} for rid, r in sorted(REGISTRY.items())]


@router.get("/rules/{rule_id}", response={200: RuleOut, 401: Problem, 404: Problem}, summary="One rule")
def rule(request, rule_id: str):
    r = REGISTRY.get(rule_id)
    if r is None:
        raise Http404(f"no rule called {rule_id[:80]!r} (GET /api/v1/rules lists them)")
    return {"id": r.id, "doc": r.doc, "citation": {**r.citation.as_dict(), "text": str(r.citation)},
            "facts": list(r.facts), "params": list(r.params), "rules": [x.id for x in r.rules]}


@router.get("/arrangements", response={200: list[dict[str, Any]], 401: Problem},
            summary="The catalogue of transfer arrangements (each figure with its source)")
def arrangements(request):
    return [a.model_dump(mode="json") for _, a in sorted(load_catalogue().items())]
