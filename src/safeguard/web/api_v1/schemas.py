"""The API's typed request and response models (the OpenAPI document is generated from these)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Schema

FACTS_DOC = ("Facts by name (GET /facts lists them). Leave a fact out, or give null, when it is unknown: "
             "unknown is never read as false.")


class ScreeningIn(Schema):
    facts: dict[str, Any] = Field(default_factory=dict, description=FACTS_DOC)
    as_of: str | None = Field(None, description="The date the law is taken at, YYYY-MM-DD (default today)")
    law_version: str | None = Field(None, description="Refuse (409) unless the server runs exactly this law version")


class AskIn(Schema):
    facts: dict[str, Any] = Field(default_factory=dict, description=FACTS_DOC)
    as_of: str | None = None


class Question(Schema):
    fact: str
    text: str


class ScreeningOut(Schema):
    """The result document of the contract (as `safeguard screen` prints it)."""

    person_id: str | None = None
    as_of: str
    law_version: str
    citizenship: dict[str, Any]
    transfer: dict[str, Any] | None = None
    missing_facts: list[str]
    next_question: Question | None = None
    presumptions: list[Any]
    decided_by_cases: dict[str, Any] | None = None
    explanation: list[dict[str, Any]] | None = None
    disclaimer: str


class AskOut(Schema):
    person_id: str | None = None
    as_of: str
    law_version: str
    status: str
    transfer_outcome: str | None = None
    decided: bool
    questions: list[dict[str, Any]]
    disclaimer: str


class CaseIn(Schema):
    label: str = Field(..., min_length=1, max_length=120,
                       description="A label you will recognise (not the client's full name)")
    facts: dict[str, Any] = Field(default_factory=dict, description="First answers, if any. " + FACTS_DOC)


class AnswersIn(Schema):
    answers: dict[str, Any] = Field(default_factory=dict,
                                    description="New answers by fact; null clears an answer (the fact is unknown again)")
    dont_know: list[str] = Field(default_factory=list, description="Facts the client does not know")
    law_version: str | None = Field(None, description="Refuse (409) unless the server runs exactly this law version")


class CaseSummary(Schema):
    id: int
    label: str
    owner: str
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None = None
    status: str
    transfer_outcome: str


class CaseOut(CaseSummary):
    answers: dict[str, Any]
    dont_know: list[str]


class ScreeningRecord(Schema):
    id: int
    created_at: datetime
    author: str
    law_version: str
    status: str
    transfer_outcome: str
    result: dict[str, Any]


class AnsweredOut(Schema):
    case: CaseOut
    screening: ScreeningRecord


class FactOut(Schema):
    name: str
    type: str
    group: str
    doc: str
    question: str
    values: list[str]
    expected: str


class Citation(Schema):
    provision: str
    pinpoint: str
    url: str
    text: str


class RuleOut(Schema):
    id: str
    doc: str
    citation: Citation
    facts: list[str]
    params: list[str]
    rules: list[str]


class RuleSummary(Schema):
    id: str
    doc: str
    citation: str


class BatchOut(Schema):
    id: int
    status: str
    input_name: str
    created_at: datetime
    finished_at: datetime | None = None
    attempts: int
    rows_total: int | None = None
    rows_done: int
    progress: float | None = Field(None, description="Share of the rows screened, 0 to 1 (null until counted)")
    error: str | None = None
    summary: dict[str, Any] | None = None
    output_url: str | None = None
    report_url: str | None = None
