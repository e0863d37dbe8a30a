"""schemathesis against the generated OpenAPI document, in-process (its WSGI client, no network): for every
operation, generated requests get no 5xx and responses that conform to the document (status codes,
content types, headers, bodies). A bounded run: a few examples per operation, derandomized."""

from __future__ import annotations

import pytest
from django.test import TestCase
from tests.web.api_support import member, token_for

schemathesis = pytest.importorskip("schemathesis", reason="the schema test needs the webtest extra (schemathesis)")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES = 10
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]


class SchemaTests(TestCase):
    def test_every_operation_conforms_to_the_document(self):
        from safeguard.web.wsgi import application

        user, _ = member("ana", "Legal Aid North")
        auth = {"Authorization": f"Bearer {token_for(user)}"}
        schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
        ran, statuses = [], {}
        for result in schema.get_all_operations():
            operation = result.ok()

            @given(case=operation.as_strategy(headers=auth))
            @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                      suppress_health_check=list(HealthCheck))
            def conforms(case):
                response = case.call()
                statuses.setdefault(case.operation.label, set()).add(response.status_code)
                case.validate_response(response, checks=CHECKS)

            conforms()
            ran.append(operation.label)
        self.assertEqual(len(ran), 16)
        # The generated requests reached the engine, not only the error paths.
        for label in ("POST /api/v1/screenings", "POST /api/v1/ask", "GET /api/v1/facts", "GET /api/v1/cases"):
            self.assertIn(200, statuses[label], (label, statuses[label]))
