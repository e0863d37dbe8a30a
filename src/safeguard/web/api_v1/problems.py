"""Errors as RFC 9457 problem details (application/problem+json). A bad fact names the fact, the value
given and what was expected, in the words the engine's InputError already carries (the CLI's)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Schema

from safeguard.facts.parse import InputError, InputErrors, shorten
from safeguard.version import law_version

MEDIA_TYPE = "application/problem+json"
BASE = "https://safeguard.invalid/problems/"  # problem types are names, not pages to fetch
TITLES = {
    400: "Bad request", 401: "Not authenticated", 403: "Not permitted", 404: "Not found",
    409: "Law version mismatch", 413: "Upload too large", 415: "Unsupported file type",
    422: "Invalid input", 500: "Internal error",
}


class ProblemItem(Schema):
    """One thing wrong with the request: where (a JSON pointer into the body, or a parameter), the fact
    when it is a fact of the vocabulary, the value given and what was expected."""

    pointer: str
    fact: str | None = None
    value: Any = None
    expected: str


class Problem(Schema):
    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[ProblemItem] | None = None
    law_version: str | None = None
    requested_law_version: str | None = None


def jsonable_value(value: Any) -> Any:
    """The value as given, made JSON (dates as text, tuples as lists); a long one shortened as the CLI does."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        value = [jsonable_value(v) for v in value]
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return shorten(str(value))
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate from a JSON escape
        return shorten(text)
    return value if len(text) <= 200 else shorten(text)


def problem(request: HttpRequest | None, status: int, kind: str, detail: str, **extra: Any) -> HttpResponse:
    body: dict[str, Any] = {"type": BASE + kind, "title": TITLES.get(status, "Error"), "status": status,
                            "detail": detail}
    if request is not None:
        body["instance"] = request.path
    body.update({k: v for k, v in extra.items() if v is not None})
    response = HttpResponse(json.dumps(body, ensure_ascii=False, default=str), status=status,
                            content_type=f"{MEDIA_TYPE}; charset=utf-8")
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="safeguard"'
    return response


def fact_item(e: InputError, facts_pointer: str = "#/facts") -> dict[str, Any]:
    fact = e.fact if isinstance(e.fact, str) else shorten(str(e.fact))
    pointer = "#/as_of" if fact == "as_of" else f"{facts_pointer}/{fact.replace('~', '~0').replace('/', '~1')}"
    return {"pointer": pointer, "fact": fact, "value": jsonable_value(e.value), "expected": e.expected}


def bad_facts(request: HttpRequest, err: InputErrors | InputError, facts_pointer: str = "#/facts") -> HttpResponse:
    errors = err.errors if isinstance(err, InputErrors) else [err]
    items = [fact_item(e, facts_pointer) for e in errors]
    return problem(request, 422, "invalid-fact", str(err), errors=items, law_version=law_version())


def law_mismatch(request: HttpRequest, requested: str) -> HttpResponse:
    return problem(request, 409, "law-version-mismatch",
                   "The request pins a law version this server does not run; nothing was computed. Screen "
                   "again without law_version (or with the current one) to accept the rules in force here.",
                   law_version=law_version(), requested_law_version=requested)


def from_validation(request: HttpRequest, errors: list[dict[str, Any]]) -> HttpResponse:
    """The request did not have the documented shape (ninja/pydantic's errors, said as problem items)."""
    items = []
    for e in errors:
        loc = [str(p) for p in e.get("loc", ())]
        where = loc[0] if loc else "body"
        path = loc[2:] if where == "body" else loc[1:]  # a body's loc names the parameter, then the field
        pointer = "#/" + "/".join(p.replace("~", "~0").replace("/", "~1") for p in path) \
            if where in ("body", "form", "file") else f"{where}:{'.'.join(path)}"
        items.append({"pointer": pointer, "value": jsonable_value(e.get("input")), "expected": e.get("msg", "")})
    detail = "; ".join(f"{i['pointer']}: {i['expected']}" for i in items) or "the request is not as documented"
    return problem(request, 422, "invalid-request", detail, errors=items)
