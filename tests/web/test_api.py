"""The JSON API (/api/v1/) through Django's test client: every endpoint's success and error path, the
problem+json bodies that name the fact, the law-version pin, and the permissions (tokens, organisations)."""

from __future__ import annotations

from django.test import TestCase
from tests.web.api_support import GUAM_1960, ApiClient, member, token_for

from safeguard.version import law_version
from safeguard.web.app import store, tokens
from safeguard.web.app.models import Answer, ApiToken, AuditEntry, Membership, Role, Screening

PROBLEM = "application/problem+json"


class ApiTestCase(TestCase):
    def setUp(self):
        self.ana, self.org = member("ana", "Legal Aid North")
        self.api = ApiClient(self.client, token_for(self.ana))

    def assertProblem(self, r, status: int) -> dict:
        self.assertEqual(r.status_code, status, r.content[:500])
        self.assertTrue(r["Content-Type"].startswith(PROBLEM), r["Content-Type"])
        body = r.json()
        self.assertEqual(body["status"], status)
        self.assertTrue(body["type"] and body["title"] and body["detail"])
        return body


class ScreeningTests(ApiTestCase):
    def test_screen_a_case_with_the_law_version_in_header_and_body(self):
        r = self.api.post("/screenings", {"facts": GUAM_1960, "as_of": "2026-01-01"})
        self.assertEqual(r.status_code, 200, r.content)
        doc = r.json()
        self.assertEqual(r["Safeguard-Law-Version"], law_version())
        self.assertEqual(doc["law_version"], law_version())
        self.assertEqual(doc["citizenship"]["status"], "citizen")
        self.assertEqual(doc["as_of"], "2026-01-01")
        self.assertIsNone(doc["explanation"])
        self.assertTrue(AuditEntry.objects.filter(actor="ana", action="api.screen").exists())

    def test_explain_adds_the_explanation_tree(self):
        r = self.api.client.post("/api/v1/screenings?explain=true", {"facts": GUAM_1960},
                                 content_type="application/json", headers=self.api._headers())
        self.assertEqual(r.status_code, 200, r.content)
        tree = r.json()["explanation"]
        self.assertEqual(tree[0]["rule"], "citizenship_status")
        self.assertIn("citation", tree[0])

    def test_unknowns_are_allowed_and_stay_unknown(self):
        r = self.api.post("/screenings", {"facts": {"birth_place": "MX", "destination_country": "SV"}})
        doc = r.json()
        self.assertEqual(r.status_code, 200)
        self.assertEqual(doc["citizenship"]["status"], "unknown")
        self.assertTrue(doc["missing_facts"])
        self.assertIn(doc["next_question"]["fact"], doc["missing_facts"])
        self.assertNotEqual((doc.get("transfer") or {}).get("outcome"), "NO_BAR_FOUND")

    def test_a_pinned_law_version_that_differs_is_409_and_nothing_is_computed(self):
        before = AuditEntry.objects.filter(action="api.screen").count()
        r = self.api.post("/screenings", {"facts": GUAM_1960, "law_version": "safeguard 0.0.1; older rules"})
        body = self.assertProblem(r, 409)
        self.assertEqual(body["law_version"], law_version())
        self.assertEqual(body["requested_law_version"], "safeguard 0.0.1; older rules")
        self.assertNotIn("citizenship", body)
        self.assertEqual(r["Safeguard-Law-Version"], law_version())
        self.assertEqual(AuditEntry.objects.filter(action="api.screen").count(), before)
        same = self.api.post("/screenings", {"facts": GUAM_1960, "law_version": law_version()})
        self.assertEqual(same.status_code, 200)

    def test_a_bad_value_is_a_problem_naming_the_fact_value_and_expectation(self):
        r = self.api.post("/screenings", {"facts": {"birth_place": "GU", "birth_date": "1960-13-01"}})
        body = self.assertProblem(r, 422)
        [item] = body["errors"]
        self.assertEqual(item["fact"], "birth_date")
        self.assertEqual(item["value"], "1960-13-01")
        self.assertIn("YYYY-MM-DD", item["expected"])
        self.assertEqual(item["pointer"], "#/facts/birth_date")
        self.assertIn("birth_date", body["detail"])

    def test_an_unknown_fact_name_is_named_with_a_suggestion(self):
        body = self.assertProblem(self.api.post("/screenings", {"facts": {"birth_plase": "GU"}}), 422)
        self.assertEqual(body["errors"][0]["fact"], "birth_plase")
        self.assertIn("did you mean birth_place", body["errors"][0]["expected"])

    def test_a_bad_as_of_is_named(self):
        body = self.assertProblem(self.api.post("/screenings", {"facts": GUAM_1960, "as_of": "01/02/2026"}), 422)
        self.assertEqual(body["errors"][0]["fact"], "as_of")
        self.assertEqual(body["errors"][0]["pointer"], "#/as_of")

    def test_a_date_after_as_of_is_an_impossible_combination(self):
        body = self.assertProblem(self.api.post("/screenings", {"facts": GUAM_1960, "as_of": "1950-01-01"}), 422)
        self.assertEqual(body["errors"][0]["fact"], "birth_date")
        self.assertIn("on or before as_of", body["errors"][0]["expected"])

    def test_a_body_of_the_wrong_shape_is_a_problem_with_a_pointer(self):
        body = self.assertProblem(self.api.post("/screenings", {"facts": ["GU"]}), 422)
        self.assertEqual(body["errors"][0]["pointer"], "#/facts")
        self.assertEqual(body["errors"][0]["value"], ["GU"])
        self.assertProblem(self.api.post_raw("/screenings", "{not json"), 400)

    def test_ask_ranks_the_questions(self):
        r = self.api.post("/ask", {"facts": {"birth_place": "MX"}})
        doc = r.json()
        self.assertEqual(r.status_code, 200, r.content)
        self.assertFalse(doc["decided"])
        self.assertTrue(all(q["fact"] and q["text"] for q in doc["questions"]))
        self.assertEqual(doc["law_version"], law_version())
        self.assertEqual(self.api.post("/ask", {"facts": GUAM_1960}).json()["decided"], True)
        body = self.assertProblem(self.api.post("/ask", {"facts": {"lpr": "maybe"}}), 422)
        self.assertEqual((body["errors"][0]["fact"], body["errors"][0]["value"]), ("lpr", "maybe"))


class TokenTests(ApiTestCase):
    def test_no_token_a_wrong_token_and_a_revoked_token_are_401(self):
        for api in (ApiClient(self.client, None), ApiClient(self.client, "sgt_not-a-token")):
            body = self.assertProblem(api.post("/screenings", {"facts": GUAM_1960}), 401)
            self.assertIn("Bearer", body["detail"])
        r = ApiClient(self.client, None).get("/facts")
        self.assertProblem(r, 401)
        self.assertEqual(r["WWW-Authenticate"], 'Bearer realm="safeguard"')
        row, token = tokens.create("ana", "laptop")
        live = ApiClient(self.client, token)
        self.assertEqual(live.get("/facts").status_code, 200)
        tokens.revoke(row.id)
        self.assertProblem(live.get("/facts"), 401)
        self.assertProblem(live.post("/screenings", {"facts": GUAM_1960}), 401)

    def test_only_the_hash_is_stored(self):
        row, token = tokens.create("ana", "laptop")
        stored = ApiToken.objects.get(id=row.id)
        self.assertNotIn(token, (stored.digest, stored.prefix, stored.name))
        self.assertEqual(stored.digest, tokens.digest(token))
        self.assertEqual(len(stored.digest), 64)
        self.assertTrue(AuditEntry.objects.filter(action="token.create", actor="ana").exists())

    def test_a_deactivated_user_and_a_user_without_organisation(self):
        self.ana.is_active = False
        self.ana.save()
        self.assertProblem(self.api.get("/facts"), 401)
        self.ana.is_active = True
        self.ana.save()
        from django.contrib.auth import get_user_model

        get_user_model().objects.create_user(username="loner", password="x" * 20)
        with self.assertRaises(tokens.TokenError):
            tokens.create("loner")
        with self.assertRaises(tokens.TokenError):
            tokens.create("nobody")
        Membership.objects.filter(user=self.ana).delete()
        self.assertProblem(self.api.post("/cases", {"label": "X"}), 403)


class CaseTests(ApiTestCase):
    def setUp(self):
        super().setUp()
        self.bo, _ = member("bo", "Legal Aid North")
        self.att, _ = member("att", "Legal Aid North", Role.ATTORNEY)
        self.zed, _ = member("zed", "Another Office")

    def as_user(self, user) -> ApiClient:
        return ApiClient(self.client, token_for(user))

    def open_case(self, facts=None, label="MX-1975") -> dict:
        r = self.api.post("/cases", {"label": label, "facts": facts or {}})
        self.assertEqual(r.status_code, 201, r.content)
        return r.json()

    def test_open_a_case_with_answers_through_the_store(self):
        out = self.open_case({"birth_place": "MX", "birth_date": "1975-03-10"})
        case_id = out["case"]["id"]
        self.assertEqual(out["case"]["answers"], {"birth_place": "MX", "birth_date": "1975-03-10"})
        self.assertEqual(out["case"]["owner"], "ana")
        self.assertEqual(out["screening"]["law_version"], law_version())
        self.assertEqual(out["screening"]["result"]["citizenship"]["status"], "unknown")
        self.assertEqual(Answer.objects.filter(case_id=case_id).count(), 2)
        actions = set(AuditEntry.objects.filter(case_ref=case_id).values_list("action", flat=True))
        self.assertLessEqual({"case.create", "answer", "screening"}, actions)
        got = self.api.get(f"/cases/{case_id}")
        self.assertEqual(got.status_code, 200)
        self.assertEqual(got.json()["status"], "unknown")
        self.assertTrue(AuditEntry.objects.filter(case_ref=case_id, action="case.view").exists())

    def test_a_bad_first_answer_stores_nothing(self):
        body = self.assertProblem(self.api.post("/cases", {"label": "X", "facts": {"birth_date": "1975-13"}}), 422)
        self.assertEqual(body["errors"][0]["fact"], "birth_date")
        self.assertFalse(Answer.objects.exists())
        self.assertProblem(self.api.post("/cases", {"label": ""}), 422)
        self.assertProblem(self.api.post("/cases", {"label": "   "}), 422)

    def test_answers_change_the_screening_and_are_versioned(self):
        case_id = self.open_case({"birth_place": "MX"})["case"]["id"]
        r = self.api.post(f"/cases/{case_id}/answers", {"answers": {"birth_place": "GU", "birth_date": "1960-05-01"}})
        self.assertEqual(r.status_code, 200, r.content)
        self.assertEqual(r.json()["screening"]["result"]["citizenship"]["status"], "citizen")
        self.assertEqual([h["value"] for h in store.history(store.Case.objects.get(id=case_id), "birth_place")],
                         ["MX", "GU"])
        r = self.api.post(f"/cases/{case_id}/answers", {"answers": {"birth_date": None}, "dont_know": ["foundling"]})
        case = r.json()["case"]
        self.assertNotIn("birth_date", case["answers"])
        self.assertEqual(case["dont_know"], ["foundling"])
        shots = self.api.get(f"/cases/{case_id}/screenings")
        self.assertEqual(shots.status_code, 200)
        statuses = [s["result"]["citizenship"]["status"] for s in shots.json()]
        self.assertEqual(statuses, ["unknown", "citizen", "unknown"])
        self.assertTrue(all(s["law_version"] == law_version() for s in shots.json()))

    def test_bad_answers_are_named_and_not_stored(self):
        case_id = self.open_case({"birth_place": "MX"})["case"]["id"]
        n = Answer.objects.count()
        body = self.assertProblem(self.api.post(f"/cases/{case_id}/answers", {"answers": {"lpr": "maybe"}}), 422)
        self.assertEqual((body["errors"][0]["fact"], body["errors"][0]["value"]), ("lpr", "maybe"))
        body = self.assertProblem(self.api.post(f"/cases/{case_id}/answers", {"dont_know": ["no_such"]}), 422)
        self.assertEqual(body["errors"][0]["fact"], "no_such")
        body = self.assertProblem(self.api.post(f"/cases/{case_id}/answers",
                                                {"answers": {"lpr": True}, "dont_know": ["lpr"]}), 422)
        self.assertEqual(body["errors"][0]["pointer"], "#/answers/lpr")
        body = self.assertProblem(self.api.post(f"/cases/{case_id}/answers",
                                                {"answers": {"lpr": True}, "law_version": "old"}), 409)
        self.assertEqual(body["law_version"], law_version())
        self.assertEqual(Answer.objects.count(), n)

    def test_who_sees_which_case(self):
        case_id = self.open_case()["case"]["id"]
        self.assertEqual([c["id"] for c in self.api.get("/cases").json()], [case_id])
        self.assertEqual(self.as_user(self.bo).get("/cases").json(), [])  # another screener's case
        self.assertEqual([c["id"] for c in self.as_user(self.att).get("/cases").json()], [case_id])
        self.assertEqual(self.as_user(self.att).get(f"/cases/{case_id}").status_code, 200)
        for user in (self.zed, self.bo):
            other = self.as_user(user)
            self.assertEqual(other.get("/cases").json(), [])
            self.assertProblem(other.get(f"/cases/{case_id}"), 404)
            self.assertProblem(other.get(f"/cases/{case_id}/screenings"), 404)
            self.assertProblem(other.post(f"/cases/{case_id}/answers", {"answers": {"lpr": True}}), 404)
        self.assertFalse(Answer.objects.filter(case_id=case_id, fact="lpr").exists())
        self.assertProblem(self.api.get("/cases/999999"), 404)

    def test_list_search_and_bounds(self):
        self.open_case(label="MX-1975")
        self.open_case(label="SV-1990")
        self.assertEqual([c["label"] for c in self.api.get("/cases", q="SV").json()], ["SV-1990"])
        self.assertEqual(len(self.api.get("/cases", limit=1).json()), 1)
        self.assertProblem(self.api.get("/cases", limit=0), 422)
        self.assertProblem(self.api.get("/cases", limit="many"), 422)
        self.assertEqual(Screening.objects.count(), 2)


class VocabularyTests(ApiTestCase):
    def test_facts_rules_and_arrangements(self):
        facts = {f["name"]: f for f in self.api.get("/facts").json()}
        self.assertEqual(facts["birth_date"]["type"], "date")
        self.assertIn("YYYY-MM-DD", facts["birth_date"]["expected"])
        rules = self.api.get("/rules").json()
        self.assertGreater(len(rules), 50)
        rule = self.api.get(f"/rules/{rules[0]['id']}").json()
        self.assertTrue(rule["citation"]["url"].startswith("http"))
        self.assertEqual(rule["citation"]["text"], rules[0]["citation"])
        body = self.assertProblem(self.api.get("/rules/no_such_rule"), 404)
        self.assertIn("no_such_rule", body["detail"])
        ids = [a["id"] for a in self.api.get("/arrangements").json()]
        self.assertIn("sv-cecot-2025", ids)


class DocumentTests(ApiTestCase):
    def test_openapi_document_and_docs_page_with_local_assets(self):
        r = self.client.get("/api/v1/openapi.json")
        self.assertEqual(r.status_code, 200)
        schema = r.json()
        op = schema["paths"]["/api/v1/screenings"]["post"]
        self.assertIn(PROBLEM, op["responses"]["409"]["content"])
        self.assertIn("Safeguard-Law-Version", op["responses"]["200"]["headers"])
        self.assertIn("bearer", str(schema["components"]["securitySchemes"]).lower())
        page = self.client.get("/api/v1/docs")
        self.assertEqual(page.status_code, 200)
        html = page.content.decode()
        self.assertIn("script-src 'self'", page["Content-Security-Policy"])
        import re

        assets = re.findall(r'(?:src|href)="([^"]+)"', html)
        self.assertTrue(assets)
        for url in assets:
            self.assertTrue(url.startswith("/static/"), url)  # nothing from another origin
            self.assertEqual(self.client.get(url).status_code, 200, url)
        self.assertNotRegex(html, r"<script>(?s:.)*?\S(?s:.)*?</script>")  # no inline script to be blocked

    def test_an_unknown_endpoint_is_a_problem_too(self):
        body = self.assertProblem(self.api.get("/no-such-thing"), 404)
        self.assertIn("/api/v1/docs", body["detail"])
