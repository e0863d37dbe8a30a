"""The JSON API under /api/v1/ (django-ninja): its routers, its errors as problem+json, and an OpenAPI
document that says so (error responses as application/problem+json, the law-version header)."""

from __future__ import annotations

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from safeguard.engine.errors import EngineError
from safeguard.facts.parse import InputError, InputErrors
from safeguard.web.api_v1 import batches, cases, screening, vocabulary
from safeguard.web.api_v1.auth import BearerToken
from safeguard.web.api_v1.middleware import HEADER
from safeguard.web.api_v1.problems import MEDIA_TYPE, bad_facts, from_validation, jsonable_value, problem

DESCRIPTION = """Screening before a transfer out of the United States: citizenship, removal and the transfer
arrangements, as cited rules. A screening aid, not legal advice.

Authenticate with `Authorization: Bearer <token>` (a token from `safeguard token create USER`). Every
response carries the law version it was computed under in the `Safeguard-Law-Version` header; errors are
RFC 9457 problem details (`application/problem+json`)."""


class SafeguardAPI(NinjaAPI):
    def validation_error_from_error_contexts(self, error_contexts):
        """As ninja's, but keeping the value given (a problem names the value, as the CLI does)."""
        errors = []
        for context in error_contexts:
            model = context.model
            for e in context.pydantic_validation_error.errors(include_url=False, include_context=False):
                loc = (model.__ninja_param_source__,) + model.__ninja_flatten_map_reverse__.get(e["loc"], e["loc"])
                errors.append({"loc": loc, "msg": e["msg"], "type": e["type"], "input": jsonable_value(e.get("input"))})
        return ValidationError(errors)

    def get_openapi_schema(self, **kwargs):
        schema = super().get_openapi_schema(**kwargs)
        header = {HEADER: {"description": "The law version (rules and parameters) this server runs",
                           "schema": {"type": "string"}, "required": True}}
        for item in schema.get("paths", {}).values():
            for op in item.values():
                for code, response in op.get("responses", {}).items():
                    content = response.get("content", {})
                    if str(code)[0] in "45" and "application/json" in content:
                        content[MEDIA_TYPE] = content.pop("application/json")
                    response.setdefault("headers", {}).update(header)
        return schema


api = SafeguardAPI(title="safeguard API", version="1", description=DESCRIPTION, auth=BearerToken(),
                   urls_namespace="api-v1")
api.add_router("/", screening.router)
api.add_router("/cases", cases.router)
api.add_router("/batches", batches.router)
api.add_router("/", vocabulary.router)


@api.exception_handler(InputErrors)
def _input_errors(request, exc):
    return bad_facts(request, exc)


@api.exception_handler(InputError)
def _input_error(request, exc):
    return bad_facts(request, exc)


@api.exception_handler(EngineError)
def _engine_error(request, exc):
    return problem(request, 422, "contradictory-facts", f"These facts contradict each other: {exc}")


@api.exception_handler(ValidationError)
def _validation(request, exc):
    return from_validation(request, exc.errors)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return problem(request, 401, "not-authenticated",
                   "Give a live API token as 'Authorization: Bearer <token>' (safeguard token create USER); "
                   "this request had none, or one that is unknown or revoked.")


@api.exception_handler(Http404)
def _not_found(request, exc):
    return problem(request, 404, "not-found", str(exc) or "no such resource")


@api.exception_handler(HttpError)
def _http_error(request, exc):
    return problem(request, exc.status_code, "http-error", exc.message)


def no_such_endpoint(request):
    return problem(request, 404, "not-found", f"no API endpoint at {request.path[:200]}; the endpoints are listed "
                   "at /api/v1/docs (and /api/v1/openapi.json)")
