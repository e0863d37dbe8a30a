"""The web app's case store over the API: the same functions (store, access, audit) as the screener's
pages, so the same permissions (a screener their own cases, an attorney or admin the organisation's; never
another organisation's: 404) and the same audit trail."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError

from safeguard import api as engine
from safeguard.facts.parse import InputError, InputErrors
from safeguard.facts.schema import fact_specs
from safeguard.version import law_version
from safeguard.web.api_v1.auth import member_of_organisation
from safeguard.web.api_v1.problems import Problem, bad_facts, law_mismatch
from safeguard.web.api_v1.schemas import AnsweredOut, AnswersIn, CaseIn, CaseOut, CaseSummary, ScreeningRecord
from safeguard.web.app import audit, store
from safeguard.web.app.access import case_for, visible_cases
from safeguard.web.app.models import Case, Screening

router = Router(tags=["cases"])
VIA = {"via": "api"}


class ListQuery(Schema):
    q: str | None = None
    limit: int = 100
    offset: int = 0


def summary(case: Case) -> dict[str, Any]:
    ix = case.index
    return {"id": case.id, "label": ix.label, "owner": case.owner.username, "created_at": case.created_at,
            "updated_at": ix.updated_at, "closed_at": case.closed_at, "status": ix.status,
            "transfer_outcome": ix.transfer_outcome}


def detail(case: Case, st: store.CaseState) -> dict[str, Any]:
    case.index.refresh_from_db()
    return {**summary(case), "answers": dict(st.facts), "dont_know": sorted(st.unknown)}


def record(s: Screening) -> dict[str, Any]:
    return {"id": s.id, "created_at": s.created_at, "author": s.author.username, "law_version": s.law_version,
            "status": s.status, "transfer_outcome": s.transfer_outcome, "result": store.screening_doc(s)}


def unknown_names(names: list[str]) -> list[InputError]:
    specs = fact_specs()
    return [InputError(n, None, "a fact name from the vocabulary") for n in names if n not in specs]


def screen_and_keep(case: Case, user) -> Screening:
    """The case screened on its stored answers and kept as a screening (once per answers and law)."""
    st = store.state(case)
    doc = engine.screen(st.facts)
    return store.save_screening(case, user, doc, st.newest_answer)


@router.get("", response={200: list[CaseSummary], 401: Problem, 422: Problem}, summary="The cases you may see")
def list_cases(request, query: Query[ListQuery]):
    if not 1 <= query.limit <= 500 or query.offset < 0:
        raise HttpError(422, f"limit {query.limit}, offset {query.offset}: expected a limit from 1 to 500 "
                             "and an offset of 0 or more")
    cases = visible_cases(request.auth).select_related("index", "owner").order_by("-index__updated_at", "-id")
    if query.q:
        cases = cases.filter(index__label__icontains=query.q)
    audit.record(request.auth, "case.list", None, {"q": bool(query.q), **VIA})
    return [summary(c) for c in cases[query.offset:query.offset + query.limit]]


@router.post("", response={201: AnsweredOut, 400: Problem, 401: Problem, 403: Problem, 422: Problem},
             summary="Open a case (with first answers, if any)")
def create_case(request, payload: CaseIn):
    m = member_of_organisation(request.auth)
    label = payload.label.strip()
    if not label:
        raise HttpError(422, "label: give the case a label you will recognise (not the client's full name)")
    engine.screen(payload.facts, rank=False)  # refused before anything is stored
    case = store.create_case(request.auth, m.organisation, label)
    for fact, value in payload.facts.items():
        if value is not None:
            store.answer(case, request.auth, fact, value)
    s = screen_and_keep(case, request.auth)
    return Status(201, {"case": detail(case, store.state(case)), "screening": record(s)})


@router.get("/{case_id}", response={200: CaseOut, 401: Problem, 404: Problem}, summary="One case and its answers")
def get_case(request, case_id: int):
    case = case_for(request.auth, case_id)
    audit.record(request.auth, "case.view", case.id, VIA)
    return detail(case, store.state(case))


@router.post("/{case_id}/answers", response={200: AnsweredOut, 400: Problem, 401: Problem, 404: Problem, 409: Problem,
                                               422: Problem},
             summary="Answer (or clear, or mark unknown) facts of a case; returns the new screening")
def answer(request, case_id: int, payload: AnswersIn) -> Any:
    case = case_for(request.auth, case_id)
    if payload.law_version is not None and payload.law_version != law_version():
        return law_mismatch(request, payload.law_version)
    bad = unknown_names(list(payload.answers) + payload.dont_know)
    if bad:
        raise InputErrors(bad)
    both = sorted(set(payload.answers) & set(payload.dont_know))
    if both:
        return _both(request, both)
    st = store.state(case)
    facts = {f: v for f, v in st.facts.items() if f not in payload.dont_know}
    facts.update(payload.answers)
    engine.screen({f: v for f, v in facts.items() if v is not None}, rank=False)  # refused before storing
    for fact, value in payload.answers.items():
        store.answer(case, request.auth, fact, value)
    for fact in payload.dont_know:
        store.answer(case, request.auth, fact, None, dont_know=True)
    s = screen_and_keep(case, request.auth)
    return {"case": detail(case, store.state(case)), "screening": record(s)}


def _both(request, facts: list[str]) -> HttpResponse:
    errors = [InputError(f, "(in answers and dont_know)", "a fact either answered or not known, not both")
              for f in facts]
    return bad_facts(request, InputErrors(errors), "#/answers")


@router.get("/{case_id}/screenings", response={200: list[ScreeningRecord], 401: Problem, 404: Problem},
            summary="The screenings kept for a case, oldest first, each with its law version")
def screenings(request, case_id: int):
    case = case_for(request.auth, case_id)
    audit.record(request.auth, "screenings.view", case.id, VIA)
    return [record(s) for s in case.screenings.select_related("author").order_by("id")]
