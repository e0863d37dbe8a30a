"""POST /screenings (one case, stateless) and POST /ask (the questions still worth asking)."""

from __future__ import annotations

from typing import Any

from ninja import Query, Router, Schema

from safeguard import api as engine
from safeguard.version import law_version
from safeguard.web.api_v1.problems import Problem, law_mismatch
from safeguard.web.api_v1.schemas import AskIn, AskOut, ScreeningIn, ScreeningOut
from safeguard.web.app import audit

router = Router(tags=["screening"])
ERRORS = {400: Problem, 401: Problem, 422: Problem}


class ExplainQuery(Schema):
    explain: bool = False


def with_as_of(facts: dict[str, Any], as_of: str | None) -> dict[str, Any]:
    """The body's as_of goes in with the facts, so the engine checks it as it checks any fact."""
    return facts if as_of is None else {**facts, "as_of": as_of}


@router.post("/screenings", response={200: ScreeningOut, 409: Problem, **ERRORS},
             summary="Screen one case", description="Facts in (unknowns allowed), the result document out. "
             "`?explain=true` adds the explanation tree. A `law_version` that is not the server's is a 409.")
def screen(request, payload: ScreeningIn, query: Query[ExplainQuery]):
    if payload.law_version is not None and payload.law_version != law_version():
        return law_mismatch(request, payload.law_version)
    doc = engine.screen(with_as_of(payload.facts, payload.as_of), explain=query.explain)
    audit.record(request.auth, "api.screen", None, {"explain": query.explain})
    return doc


@router.post("/ask", response={200: AskOut, **ERRORS}, summary="The questions still worth asking",
             description="The facts whose answers can still change the result, most decisive first.")
def ask(request, payload: AskIn):
    doc = engine.ask(with_as_of(payload.facts, payload.as_of))
    audit.record(request.auth, "api.ask", None)
    return {**doc, "law_version": law_version()}
