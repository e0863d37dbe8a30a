"""The web app through Django's test client: the interview end to end, the result, permissions across
users and organisations, login throttling, and the error paths."""

from __future__ import annotations

import re

from django.conf import settings
from django.test import TestCase
from django.urls import reverse
from tests.web.helpers import PASSWORD, member

from safeguard.facts.schema import fact_specs
from safeguard.web.app import store
from safeguard.web.app.models import AuditEntry, Case, Role
from safeguard.web.app.questions import follow_ups

# The realistic client: born in Mexico 1975, mother naturalized 1985, parents divorced 1982 with
# custody to the mother, LPR at 8. Every other fact the interview may ask is answered as a screener would.
DERIVED = {
    "birth_place": "Mexico", "birth_date": "1975-03-10", "mother_naturalized": True,
    "mother_naturalization_date": "1985-06-01", "parents_married_at_birth": True, "parents_legally_separated": True,
    "legal_separation_date": "1982-04-01", "custody_parent": "mother", "lpr": True, "lpr_date": "1983-05-01",
    "mother_citizen_at_birth": False, "father_citizen_at_birth": False, "mother_national_at_birth": False,
    "father_national_at_birth": False, "father_naturalized": False, "naturalized": False, "adopted": False,
    "married_before_18": False, "parents_reunited_after_separation": False, "mother_deceased": False,
    "father_deceased": False, "foundling": False,
}


def form_for(fact: str, value) -> dict:
    spec = fact_specs()[fact]
    data = {"fact": fact, "action": "answer"}
    if spec.type == "bool":
        data["value"] = "yes" if value else "no"
    elif spec.type == "date":
        y, m, d = value.split("-")
        data.update(year=y, month=str(int(m)), day=str(int(d)))
    elif spec.type == "countries":
        data["value"] = "; ".join(value)
    else:
        data["value"] = str(value)
    return data


def follow_up_form(fact: str, truth: dict) -> dict:
    """The follow-up fields a yes/no screen shows for the answer given (web/app/questions.follow_ups), filled
    from `truth`."""
    if not isinstance(truth.get(fact), bool):
        return {}
    data = {}
    for name in follow_ups(fact, truth[fact]):
        if name in truth:
            data |= {f"fu-{name}-{k}": v for k, v in form_for(name, truth[name]).items() if k not in ("fact", "action")}
    return data


def current_fact(html: str) -> str:
    return re.search(r'name="fact" value="([^"]+)"', html).group(1)


class InterviewTests(TestCase):
    def setUp(self):
        self.user, self.org = member("sam", "Legal Aid North")
        self.client.force_login(self.user)

    def new_case(self, **extra) -> int:
        r = self.client.post(reverse("case_new"), {"label": "MX-1975", **extra})
        self.assertEqual(r.status_code, 302)
        return Case.objects.latest("id").id

    def run_interview(self, case_id: int, truth: dict, limit: int = 40) -> tuple[int, list[str]]:
        url = reverse("interview", args=[case_id])
        asked = []
        for _ in range(limit):
            r = self.client.get(url)
            if r.status_code == 302:
                self.assertEqual(r["Location"], reverse("result", args=[case_id]))
                return len(asked), asked
            fact = current_fact(r.content.decode())
            asked.append(fact)
            data = form_for(fact, truth[fact]) | follow_up_form(fact, truth) if fact in truth else \
                {"fact": fact, "action": "dont_know"}
            r = self.client.post(url, data)
            self.assertEqual(r.status_code, 302, r.content.decode()[:2000])
        self.fail(f"interview did not end after {limit} questions: {asked}")

    def test_derived_citizen_reaches_citizen_with_route_and_citation(self):
        case_id = self.new_case()
        n, asked = self.run_interview(case_id, DERIVED)
        print(f"derived-citizen interview: {n} question screens: {asked}")
        r = self.client.get(reverse("result", args=[case_id]))
        html = r.content.decode()
        self.assertIn('id="status">CITIZEN<', html)
        self.assertIn("321(a)(3)", html)
        self.assertIn("1985-06-01", html)  # since
        self.assertIn(settings.LANGUAGE_CODE and "not legal advice", html)

    def test_protected_person_is_barred(self):
        case_id = self.new_case(destination="El Salvador", arrangement="sv-cecot-2025-grant")
        truth = {"birth_place": "El Salvador", "birth_date": "1995-07-26", "parents_married_at_birth": True,
                 "mother_citizen_at_birth": False, "father_citizen_at_birth": False, "mother_national_at_birth": False,
                 "father_national_at_birth": False, "mother_naturalized": False, "father_naturalized": False,
                 "naturalized": False, "lpr": False, "foundling": False, "nationalities": ["El Salvador"],
                 "immigration_status": "no_status", "removal_order": "final", "order_designated_country": "El Salvador",
                 "withholding_countries": ["El Salvador"], "cat_countries": [], "adopted": False}
        self.run_interview(case_id, truth)
        html = self.client.get(reverse("result", args=[case_id])).content.decode()
        self.assertIn('id="outcome">BARRED_PROTECTION<', html)

    def test_facility_crowding_without_the_count_already_transferred_says_at_least(self):
        """The count of people already sent under the arrangement is not asked of a citizen: the crowding
        shown adds this person only, and the page says it is the least it would be (not a count of zero)."""
        case_id = self.new_case(destination="El Salvador", arrangement="sv-cecot-2025")
        self.run_interview(case_id, {"birth_place": "United States", "birth_date": "1990-01-01", "foundling": False})
        html = self.client.get(reverse("result", args=[case_id])).content.decode()
        self.assertIn("Facility", html)
        self.assertIn("at least: the number of people already transferred under the arrangement is not given", html)

    def test_dont_know_everywhere_names_the_open_questions(self):
        case_id = self.new_case()
        n, asked = self.run_interview(case_id, {}, limit=80)
        html = self.client.get(reverse("result", args=[case_id])).content.decode()
        self.assertIn('id="status">UNKNOWN<', html)
        self.assertIn('id="unknown-questions"', html)
        self.assertIn(fact_specs()[asked[0]].question, html)

    def test_a_yes_and_its_follow_ups_on_one_screen(self):
        case_id = self.new_case()
        url = reverse("interview", args=[case_id])
        html = self.client.get(url + "?fact=mother_naturalized").content.decode()
        self.assertIn('name="fu-mother_naturalization_date-year"', html)
        self.assertIn(fact_specs()["mother_naturalization_date"].question, html)
        # a bad follow-up is named and nothing is stored
        r = self.client.post(url, {"fact": "mother_naturalized", "action": "answer", "value": "yes",
                                   "fu-mother_naturalization_date-year": "85"})
        self.assertEqual(r.status_code, 200)
        self.assertIn(fact_specs()["mother_naturalization_date"].question, r.content.decode())
        self.assertIn('id="fu-mother_naturalization_date-year" name="fu-mother_naturalization_date-year" '
                      'inputmode="numeric" size="4" maxlength="4" value="85"', r.content.decode())  # kept to mend
        self.assertEqual(store.state(Case.objects.get(id=case_id)).facts.get("mother_naturalized"), None)
        # a good one is stored with its gate
        self.client.post(url, {"fact": "mother_naturalized", "action": "answer", "value": "yes",
                               "fu-mother_naturalization_date-year": "1985", "fu-mother_naturalization_date-month": "6",
                               "fu-mother_naturalization_date-day": "1"})
        facts = store.state(Case.objects.get(id=case_id)).facts
        self.assertEqual((facts["mother_naturalized"], facts["mother_naturalization_date"]), (True, "1985-06-01"))
        # a "no" ignores the fields; an empty follow-up is left for its own screen
        self.client.post(url, {"fact": "father_naturalized", "action": "answer", "value": "no",
                               "fu-father_naturalization_date-year": "1990"})
        self.assertNotIn("father_naturalization_date", store.state(Case.objects.get(id=case_id)).facts)

    def test_a_no_and_its_follow_up_on_one_screen(self):
        """'Was the mother a U.S. citizen at birth?' -- 'no' calls for 'was she a U.S. national?' (facts.yaml
        asked_after), shown on the same screen; a 'yes' ignores that field."""
        case_id = self.new_case()
        url = reverse("interview", args=[case_id])
        html = self.client.get(url + "?fact=mother_citizen_at_birth").content.decode()
        self.assertIn('id="follow-ups-no"', html)
        self.assertIn('name="fu-mother_national_at_birth-value"', html)
        self.client.post(url, {"fact": "mother_citizen_at_birth", "action": "answer", "value": "no",
                               "fu-mother_national_at_birth-value": "no"})
        facts = store.state(Case.objects.get(id=case_id)).facts
        self.assertEqual((facts["mother_citizen_at_birth"], facts["mother_national_at_birth"]), (False, False))
        self.client.post(url, {"fact": "father_citizen_at_birth", "action": "answer", "value": "yes",
                               "fu-father_national_at_birth-value": "no"})
        facts = store.state(Case.objects.get(id=case_id)).facts
        self.assertTrue(facts["father_citizen_at_birth"])
        self.assertNotIn("father_national_at_birth", facts)

    def test_back_link_and_changing_an_answer(self):
        case_id = self.new_case()
        url = reverse("interview", args=[case_id])
        first = current_fact(self.client.get(url).content.decode())
        self.client.post(url, form_for(first, DERIVED[first]) if first in DERIVED else {"fact": first, "action": "dont_know"})
        html = self.client.get(url).content.decode()
        self.assertIn(f'?fact={first}" rel="prev"', html)
        # change it from the answers page; the old version stays
        r = self.client.get(reverse("answers", args=[case_id]))
        self.assertContains(r, f"?fact={first}&amp;return=answers")
        self.client.post(url, {"fact": "birth_place", "action": "answer", "value": "Guatemala", "return": "answers"})
        self.client.post(url, {"fact": "birth_place", "action": "answer", "value": "Mexico", "return": "answers"})
        earlier = ["MX"] if first == "birth_place" else []  # the first answer, when the first question was this one
        self.assertEqual([h["value"] for h in store.history(Case.objects.get(id=case_id), "birth_place")],
                         earlier + ["GT", "MX"])

    def test_bad_inputs_are_named_not_stored(self):
        case_id = self.new_case()
        url = reverse("interview", args=[case_id])
        r = self.client.post(url, {"fact": "birth_date", "action": "answer", "year": "75", "month": "", "day": ""})
        self.assertContains(r, "four digits", status_code=200)
        self.assertContains(r, 'role="alert"')
        r = self.client.post(url, {"fact": "birth_date", "action": "answer", "year": "1975", "month": "2", "day": "30"})
        self.assertContains(r, "does not exist")
        r = self.client.post(url, {"fact": "birth_place", "action": "answer", "value": "Mexco"})
        self.assertContains(r, "Did you mean")
        self.assertContains(r, 'value="MX"')
        r = self.client.post(url, {"fact": "no_such_fact", "action": "answer", "value": "x"})
        self.assertEqual(r.status_code, 400)
        self.assertFalse(Case.objects.get(id=case_id).answers.exclude(fact__in=[]).exists())

    def test_a_year_alone_is_stored_as_given_and_decides_a_us_birth(self):
        case_id = self.new_case()
        url = reverse("interview", args=[case_id])
        self.client.post(url, form_for("birth_place", "United States"))
        r = self.client.post(url, {"fact": "birth_date", "action": "answer", "year": "1985", "month": "", "day": ""})
        self.assertEqual(r.status_code, 302)
        case = Case.objects.get(id=case_id)
        self.assertEqual(store.state(case).facts["birth_date"], "1985")
        r = self.client.post(url, {"fact": "birth_date", "action": "answer", "year": "1985", "month": "6", "day": ""})
        self.assertEqual(store.state(case).facts["birth_date"], "1985-06")
        r = self.client.get(reverse("result", args=[case_id]))
        self.assertContains(r, "citizen")
        self.assertContains(r, "birth_date 1985-06: the same answer on every day from 1985-06-01 to 1985-06-30")
        self.assertEqual(case.screenings.latest("id").status, "citizen")
        r = self.client.get(reverse("answers", args=[case_id]))
        self.assertContains(r, "1985-06")

    def test_a_year_that_straddles_a_threshold_asks_the_exact_date_saying_why_in_spanish(self):
        case_id = self.new_case()
        url = reverse("interview", args=[case_id])
        family = {"birth_place": "Mexico", "parents_married_at_birth": True, "mother_citizen_at_birth": True,
                  "father_citizen_at_birth": False, "father_national_at_birth": False, "mother_us_presence_years": 12,
                  "mother_us_presence_years_after_14": 6, "mother_us_presence_years_after_16": 4,
                  "mother_birth_date": "1925-03-01", "father_naturalized": False, "naturalized": False,
                  "adopted": False}
        for fact, value in family.items():
            self.assertEqual(self.client.post(url, form_for(fact, value)).status_code, 302, fact)
        r = self.client.post(url, {"fact": "birth_date", "action": "answer", "year": "1952", "month": "", "day": ""})
        self.assertEqual(r.status_code, 302)
        self.client.post(reverse("set_language"), {"language": "es", "next": "/"})
        r = self.client.get(url)
        self.assertEqual(current_fact(r.content.decode()), "birth_date")  # asked again: the exact date
        self.assertContains(r, "Usted respondió 1952")
        self.assertContains(r, "before and after 1952-12-24")
        self.assertContains(r, 'value="1952"')  # the year as given, ready to complete

    def test_country_names_in_spanish_and_codes(self):
        case_id = self.new_case()
        url = reverse("interview", args=[case_id])
        for text, code in (("México", "MX"), ("el salvador", "SV"), ("PR", "PR"), ("Estados Unidos", "US")):
            self.client.post(url, {"fact": "birth_place", "action": "answer", "value": text})
            self.assertEqual(store.state(Case.objects.get(id=case_id)).facts["birth_place"], code)

    def test_spanish_interface_and_questions(self):
        case_id = self.new_case()
        self.client.post(reverse("set_language"), {"language": "es", "next": "/"})
        r = self.client.get(reverse("interview", args=[case_id]) + "?fact=birth_place")
        self.assertContains(r, "¿Dónde nació la persona")
        self.assertContains(r, "No lo sé")
        self.assertContains(r, 'lang="es"')

    def test_resume_after_logging_out(self):
        case_id = self.new_case()
        url = reverse("interview", args=[case_id])
        first = current_fact(self.client.get(url).content.decode())
        self.client.post(url, {"fact": first, "action": "dont_know"})
        second = current_fact(self.client.get(url).content.decode())
        self.client.post(reverse("logout"))
        self.assertEqual(self.client.get(url).status_code, 302)  # to the login page
        self.client.force_login(self.user)
        self.assertEqual(current_fact(self.client.get(url).content.decode()), second)

    def test_summary_has_facts_law_version_and_disclaimer(self):
        case_id = self.new_case()
        self.client.post(reverse("interview", args=[case_id]), form_for("birth_place", "Guam"))
        r = self.client.get(reverse("summary", args=[case_id]))
        self.assertContains(r, "Law version")
        self.assertContains(r, "Guam")
        self.assertContains(r, "not legal advice")
        self.assertTrue(AuditEntry.objects.filter(case_ref=case_id, action="summary.export").exists())


class AccessTests(TestCase):
    def setUp(self):
        self.alice, self.north = member("alice", "Legal Aid North")
        self.case = store.create_case(self.alice, self.north, "N-1")
        store.answer(self.case, self.alice, "birth_place", "MX")

    def urls(self):
        ids = [self.case.id]
        return [reverse(n, args=ids) for n in ("case", "interview", "answers", "result", "summary")]

    def test_another_organisations_user_is_refused_everything(self):
        mallory, _ = member("mallory", "Other Org", Role.ADMIN)
        self.client.force_login(mallory)
        for url in self.urls():
            self.assertEqual(self.client.get(url).status_code, 404, url)
        r = self.client.post(reverse("interview", args=[self.case.id]), {"fact": "birth_place", "action": "answer", "value": "US"})
        self.assertEqual(r.status_code, 404)
        self.assertEqual(self.client.post(reverse("case_delete", args=[self.case.id])).status_code, 404)
        self.assertNotContains(self.client.get(reverse("cases")), "N-1")
        self.assertEqual(store.state(self.case).facts["birth_place"], "MX")
        self.assertTrue(Case.objects.filter(id=self.case.id).exists())

    def test_screener_sees_own_cases_attorney_sees_the_organisation(self):
        bob, _ = member("bob", "Legal Aid North", Role.SCREENER)
        self.client.force_login(bob)
        self.assertEqual(self.client.get(reverse("case", args=[self.case.id])).status_code, 404)
        carol, _ = member("carol", "Legal Aid North", Role.ATTORNEY)
        self.client.force_login(carol)
        self.assertEqual(self.client.get(reverse("case", args=[self.case.id])).status_code, 200)
        self.assertContains(self.client.get(reverse("cases")), "N-1")

    def test_anonymous_is_sent_to_login(self):
        for url in self.urls():
            r = self.client.get(url)
            self.assertEqual(r.status_code, 302)
            self.assertTrue(r["Location"].startswith(reverse("login")))

    def test_delete_by_owner(self):
        self.client.force_login(self.alice)
        r = self.client.post(reverse("case_delete", args=[self.case.id]))
        self.assertEqual(r.status_code, 302)
        self.assertFalse(Case.objects.filter(id=self.case.id).exists())

    def test_login_with_password_then_throttled_after_failures(self):
        r = self.client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
        self.assertEqual(r.status_code, 302)
        self.client.post(reverse("logout"))
        for _ in range(settings.AXES_FAILURE_LIMIT):
            self.client.post(reverse("login"), {"username": "alice", "password": "wrong"})
        r = self.client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
        self.assertNotEqual(r.status_code, 302)  # locked out even with the right password
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_logins_and_failures_are_audited_without_the_password(self):
        self.client.post(reverse("login"), {"username": "alice", "password": "wrong-password-123"})
        self.client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
        actions = list(AuditEntry.objects.filter(actor="alice").values_list("action", flat=True))
        self.assertIn("login.failed", actions)
        self.assertIn("login", actions)
        self.assertFalse(AuditEntry.objects.filter(actor__contains="wrong").exists())

    def test_passwords_are_argon2(self):
        self.assertTrue(self.alice.password.startswith("argon2"))

    def test_security_headers_and_cookies(self):
        r = self.client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
        cookie = r.cookies[settings.SESSION_COOKIE_NAME]
        self.assertTrue(cookie["secure"])
        self.assertTrue(cookie["httponly"])
        r = self.client.get(reverse("cases"))
        self.assertIn("default-src 'self'", r["Content-Security-Policy"])
        self.assertEqual(r["X-Frame-Options"], "DENY")
        self.assertTrue(settings.SESSION_SAVE_EVERY_REQUEST)  # the idle timeout counts from the last request


class RescreenTests(TestCase):
    def test_result_after_a_law_change_shows_what_changed(self):
        """A screening stored under an earlier law version (as after an upgrade) is set against today's."""
        from safeguard.web.app.crypto import seal
        from safeguard.web.app.models import Screening

        user, org = member("rita", "Legal Aid West")
        self.client.force_login(user)
        case = store.create_case(user, org, "W-1")
        store.answer(case, user, "birth_place", "GU")
        store.answer(case, user, "birth_date", "1960-05-01")
        newest = store.state(case).newest_answer
        old = Screening.objects.create(case=case, author=user, law_version="safeguard 0.0.9; law reviewed 2025-01-01",
                                       answers_upto=newest, status="unknown", result=b"")
        old.result = seal({"citizenship": {"status": "unknown"}}, f"case:{case.id}:screening:{old.id}")
        old.save()
        r = self.client.get(reverse("result", args=[case.id]))
        self.assertContains(r, 'id="law-change"')
        self.assertContains(r, "safeguard 0.0.9")
        self.assertContains(r, "The result is different now")
        self.assertContains(r, 'id="status">CITIZEN<')
        self.assertEqual(case.screenings.count(), 2)


class PdfTests(TestCase):
    def test_summary_pdf(self):
        import pytest

        pytest.importorskip("weasyprint", reason="PDF export needs WeasyPrint (web extra)")
        user, org = member("paula", "Legal Aid PDF")
        self.client.force_login(user)
        case = store.create_case(user, org, "PDF-1")
        store.answer(case, user, "birth_place", "GU")
        store.answer(case, user, "birth_date", "1960-05-01")
        r = self.client.get(reverse("summary_pdf", args=[case.id]))
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r["Content-Type"], "application/pdf")
        self.assertTrue(r.content.startswith(b"%PDF-"))
        self.assertGreater(len(r.content), 5000)
        other, _ = member("pete", "Other PDF Org")
        self.client.force_login(other)
        self.assertEqual(self.client.get(reverse("summary_pdf", args=[case.id])).status_code, 404)
