"""Two-step login (django-otp TOTP) through Django's test client: enrolment confirmed with a current code,
the code step after the password before any case page, wrong codes refused (and counted by django-axes),
removal, SAFEGUARD_REQUIRE_TOTP_FOR sending a device-less admin to enrolment, `safeguard totp reset`, and
the audit entries (the device's id, never the secret or a code). Codes are made from the device's key."""

from __future__ import annotations

import time
from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.test import TestCase, override_settings
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from tests.web.helpers import PASSWORD, member

from safeguard.web.app import store, two_step
from safeguard.web.app.audit import payload_digest
from safeguard.web.app.models import AuditEntry, Role


def code(device: TOTPDevice, steps: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps * device.step
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    near = {code(device, s) for s in range(-3, 4)}  # any code the device could accept now
    return next(c for c in (f"{n:06d}" for n in range(123456, 999999, 7919)) if c not in near)


def actions(username: str) -> list[str]:
    return list(AuditEntry.objects.filter(actor=username, action__startswith="totp.").values_list("action", flat=True))


class TwoStepTests(TestCase):
    def setUp(self):
        self.alice, self.org = member("alice", "Legal Aid North")
        self.case = store.create_case(self.alice, self.org, "N-1")

    def enrolled(self, user) -> TOTPDevice:
        return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)

    def password_login(self, username: str = "alice", next_url: str = ""):
        url = reverse("login") + (f"?next={next_url}" if next_url else "")
        return self.client.post(url, {"username": username, "password": PASSWORD, "next": next_url})

    def test_enrol_shows_secret_and_qr_then_a_current_code_confirms_it(self):
        self.client.force_login(self.alice)
        page = self.client.get(reverse("two_step_enrol"))
        self.assertEqual(page.status_code, 200)
        device = TOTPDevice.objects.get(user=self.alice)
        self.assertFalse(device.confirmed)
        self.assertContains(page, two_step.secret_text(device))
        self.assertContains(page, "<svg")
        self.assertContains(page, 'otpauth://totp/safeguard%3Aalice?secret=')
        self.assertContains(page, '<label for="code">')
        again = self.client.get(reverse("two_step_enrol"))  # a reload keeps the secret already scanned
        self.assertContains(again, two_step.secret_text(device))
        self.assertEqual(TOTPDevice.objects.filter(user=self.alice).count(), 1)

        r = self.client.post(reverse("two_step_enrol"), {"code": code(device)})
        self.assertRedirects(r, reverse("two_step"))
        device.refresh_from_db()
        self.assertTrue(device.confirmed)
        self.assertContains(self.client.get(reverse("two_step")), "Two-step login is on")
        self.assertEqual(self.client.get(reverse("case", args=[self.case.id])).status_code, 200)  # this session passed
        self.assertEqual(actions("alice"), ["totp.enrol"])

    def test_enrol_refuses_a_wrong_code_with_an_alert(self):
        self.client.force_login(self.alice)
        self.client.get(reverse("two_step_enrol"))
        device = TOTPDevice.objects.get(user=self.alice)
        r = self.client.post(reverse("two_step_enrol"), {"code": wrong_code(device)})
        self.assertContains(r, 'role="alert"')
        self.assertContains(r, 'aria-invalid="true"')
        device.refresh_from_db()
        self.assertFalse(device.confirmed)
        self.assertEqual(actions("alice"), ["totp.failed"])

    def test_login_stops_at_the_code_step_before_any_case_page(self):
        self.enrolled(self.alice)
        case_url = reverse("case", args=[self.case.id])
        r = self.password_login(next_url=case_url)
        self.assertEqual(r.status_code, 302)
        self.assertIn("_auth_user_id", self.client.session)
        for url in (case_url, reverse("cases"), reverse("interview", args=[self.case.id]),
                    reverse("result", args=[self.case.id]), reverse("two_step_enrol"), "/admin/"):
            r = self.client.get(url)
            self.assertEqual(r.status_code, 302, url)
            self.assertTrue(r["Location"].startswith(reverse("two_step_verify")), url)
        r = self.client.post(reverse("case_close", args=[self.case.id]))
        self.assertRedirects(r, reverse("two_step_verify"), fetch_redirect_response=False)
        self.case.refresh_from_db()
        self.assertIsNone(self.case.closed_at)
        page = self.client.get(reverse("two_step_verify"), {"next": case_url})
        self.assertContains(page, '<label for="code">')
        self.assertContains(page, f'value="{case_url}"')
        self.assertContains(page, " autofocus")  # the one thing to do on this page
        self.assertNotContains(page, f'href="{reverse("two_step")}"')  # it would only send back here

    def test_a_wrong_code_is_refused_and_a_right_one_then_opens_the_case(self):
        device = self.enrolled(self.alice)
        case_url = reverse("case", args=[self.case.id])
        self.password_login(next_url=case_url)
        r = self.client.post(reverse("two_step_verify"), {"code": wrong_code(device), "next": case_url})
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, 'role="alert"')
        self.assertEqual(self.client.get(case_url).status_code, 302)
        # Straight after a wrong code even the right one is refused (django-otp's back-off) ...
        r = self.client.post(reverse("two_step_verify"), {"code": code(device), "next": case_url})
        self.assertContains(r, "Too many wrong codes in a row")
        # ... and accepted once the wait is over.
        device.refresh_from_db()
        device.throttling_failure_timestamp -= timedelta(seconds=10)
        device.save()
        r = self.client.post(reverse("two_step_verify"), {"code": code(device), "next": case_url})
        self.assertRedirects(r, case_url)
        self.assertEqual(self.client.get(case_url).status_code, 200)
        self.assertEqual(actions("alice"), ["totp.failed", "totp.failed", "totp.passed"])

    def test_a_used_code_cannot_be_replayed(self):
        device = self.enrolled(self.alice)
        self.password_login()
        used = code(device)
        self.assertEqual(self.client.post(reverse("two_step_verify"), {"code": used}).status_code, 302)
        self.client.post(reverse("logout"))
        self.password_login()
        r = self.client.post(reverse("two_step_verify"), {"code": used})
        self.assertContains(r, 'role="alert"')

    def test_wrong_codes_count_as_failed_logins_for_axes(self):
        device = self.enrolled(self.alice)
        self.password_login()
        for _ in range(settings.AXES_FAILURE_LIMIT):
            r = self.client.post(reverse("two_step_verify"), {"code": wrong_code(device)})
        self.assertNotIn("_auth_user_id", self.client.session)  # the lockout also ends the half-done login
        self.assertEqual(actions("alice").count("totp.failed"), settings.AXES_FAILURE_LIMIT)
        # a wrong code is not also a wrong password in the audit trail
        self.assertFalse(AuditEntry.objects.filter(actor="alice", action="login.failed").exists())
        r = self.password_login()
        self.assertNotEqual(r.status_code, 302)  # locked out even with the right password
        self.assertNotIn("_auth_user_id", self.client.session)
        posted = "".join(AccessAttempt.objects.values_list("post_data", flat=True))
        self.assertIn("code=", posted)
        self.assertNotIn(wrong_code(device), posted)  # axes masks the code it keeps

    def test_users_without_a_device_log_in_as_before(self):
        r = self.password_login()
        self.assertRedirects(r, reverse("cases"))
        self.assertEqual(self.client.get(reverse("case", args=[self.case.id])).status_code, 200)
        self.assertContains(self.client.get(reverse("two_step")), "Two-step login is off")

    def test_remove_needs_a_current_code(self):
        device = self.enrolled(self.alice)
        self.password_login()
        self.client.post(reverse("two_step_verify"), {"code": code(device)})
        r = self.client.post(reverse("two_step_remove"), {"code": wrong_code(device)})
        self.assertContains(r, 'role="alert"')
        self.assertTrue(TOTPDevice.objects.filter(id=device.id).exists())
        device.refresh_from_db()
        device.throttling_failure_timestamp -= timedelta(seconds=10)  # past the back-off
        device.save()
        r = self.client.post(reverse("two_step_remove"), {"code": code(device, steps=1)})  # the next step's code
        self.assertRedirects(r, reverse("two_step"))
        self.assertFalse(TOTPDevice.objects.filter(user=self.alice).exists())
        self.client.post(reverse("logout"))
        self.assertRedirects(self.password_login(), reverse("cases"))  # the password alone again
        self.assertEqual(actions("alice"), ["totp.passed", "totp.failed", "totp.remove"])

    def test_audit_entries_hash_the_device_id_only(self):
        self.client.force_login(self.alice)
        self.client.get(reverse("two_step_enrol"))
        device = TOTPDevice.objects.get(user=self.alice)
        self.client.post(reverse("two_step_enrol"), {"code": code(device)})
        self.client.post(reverse("logout"))
        self.password_login()
        self.client.post(reverse("two_step_verify"), {"code": code(device, steps=1)})
        entries = {e.action: e for e in AuditEntry.objects.filter(actor="alice", action__startswith="totp.")}
        self.assertEqual(set(entries), {"totp.enrol", "totp.passed"})
        for e in entries.values():
            self.assertEqual(e.payload_hash, payload_digest({"device": device.id}))
            for secret in (device.key, two_step.secret_text(device).replace(" ", "")):
                self.assertNotIn(secret, f"{e.actor}{e.action}{e.payload_hash}")

    def test_the_code_step_in_spanish(self):
        self.enrolled(self.alice)
        self.password_login()
        r = self.client.get(reverse("two_step_verify"), HTTP_ACCEPT_LANGUAGE="es")
        self.assertContains(r, "Escriba su código")
        self.assertContains(r, '<html lang="es">')


class RequiredForRoleTests(TestCase):
    def setUp(self):
        self.admin, self.org = member("ada", "Legal Aid North", Role.ADMIN)
        self.screener, _ = member("sam", "Legal Aid North", Role.SCREENER)
        self.case = store.create_case(self.screener, self.org, "N-2")

    @override_settings(SAFEGUARD_REQUIRE_TOTP_FOR=("admin", "attorney"))
    def test_a_deviceless_admin_is_sent_to_enrolment_and_a_screener_is_not(self):
        self.client.post(reverse("login"), {"username": "ada", "password": PASSWORD})
        case_url = reverse("case", args=[self.case.id])
        r = self.client.get(case_url)
        self.assertRedirects(r, f"{reverse('two_step_enrol')}?next={case_url.replace('/', '%2F')}",
                             fetch_redirect_response=False)
        page = self.client.get(reverse("two_step_enrol"), {"next": case_url})
        self.assertContains(page, "Your role requires two-step login")
        device = TOTPDevice.objects.get(user=self.admin)
        r = self.client.post(reverse("two_step_enrol"), {"code": code(device), "next": case_url})
        self.assertRedirects(r, case_url)
        self.client.post(reverse("logout"))

        self.client.post(reverse("login"), {"username": "sam", "password": PASSWORD})
        self.assertEqual(self.client.get(case_url).status_code, 200)

    @override_settings(SAFEGUARD_REQUIRE_TOTP_FOR=("lawyer",))
    def test_an_unknown_role_is_named(self):
        with self.assertRaisesMessage(ImproperlyConfigured, "'lawyer' is not a role; expected a comma list of screener, attorney, admin"):
            two_step.required_roles()


class ResetCommandTests(TestCase):
    def test_reset_removes_the_devices_and_is_audited(self):
        from typer.testing import CliRunner

        from safeguard.cli import app

        user, _ = member("lost", "Legal Aid North", Role.ATTORNEY)
        TOTPDevice.objects.create(user=user, name="old phone", confirmed=True)
        runner = CliRunner()
        listed = runner.invoke(app, ["totp", "list"])
        self.assertEqual(listed.exit_code, 0, listed.output)
        self.assertIn("lost\ton\toptional", listed.output)
        r = runner.invoke(app, ["totp", "reset", "lost"])
        self.assertEqual(r.exit_code, 0, r.output)
        self.assertIn("two-step login reset for lost: 1 device removed", r.output)
        self.assertFalse(TOTPDevice.objects.filter(user=user).exists())
        entry = AuditEntry.objects.get(actor="lost", action="totp.reset")
        self.assertEqual(entry.payload_hash, payload_digest({"devices": 1, "by": "cli"}))
        self.client.post(reverse("login"), {"username": "lost", "password": PASSWORD})
        self.assertEqual(self.client.get(reverse("cases")).status_code, 200)  # the password alone again
        nobody = runner.invoke(app, ["totp", "reset", "nobody"])
        self.assertEqual(nobody.exit_code, 2)
        self.assertIn("no user named 'nobody'", nobody.output)
