"""The case store: versioned answers, encrypted facts, screenings with their law version, delete, retention,
and the append-only audit chain. Runs on SQLite, and on PostgreSQL when DATABASE_URL points at one."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import TestCase
from django.utils import timezone
from tests.web.helpers import member

from safeguard import api
from safeguard.version import law_version
from safeguard.web.app import audit, store
from safeguard.web.app.models import Answer, AuditEntry, Case, CaseIndex


class StoreTests(TestCase):
    def setUp(self):
        self.user, self.org = member("ana", "Legal Aid North")
        self.case = store.create_case(self.user, self.org, "AB-001")

    def test_answers_are_versioned_never_overwritten(self):
        store.answer(self.case, self.user, "birth_place", "MX")
        store.answer(self.case, self.user, "birth_place", "SV")
        rows = list(Answer.objects.filter(case=self.case, fact="birth_place").order_by("version"))
        self.assertEqual([r.version for r in rows], [1, 2])
        self.assertEqual(store.state(self.case).facts["birth_place"], "SV")
        hist = store.history(self.case, "birth_place")
        self.assertEqual([h["value"] for h in hist], ["MX", "SV"])
        self.assertEqual({h["author"] for h in hist}, {"ana"})

    def test_dont_know_is_remembered_and_not_a_value(self):
        store.answer(self.case, self.user, "foundling", None, dont_know=True)
        st = store.state(self.case)
        self.assertIn("foundling", st.unknown)
        self.assertNotIn("foundling", st.facts)

    def test_facts_are_encrypted_at_rest(self):
        store.answer(self.case, self.user, "birth_date", "1975-03-10")
        with connection.cursor() as cur:
            cur.execute("SELECT value FROM safeguard_web_answer WHERE fact = %s", ["birth_date"])
            raw = bytes(cur.fetchone()[0])
        self.assertNotIn(b"1975", raw)
        self.assertGreater(len(raw), 12 + 16)  # nonce + tag at least

    def test_ciphertext_moved_to_another_fact_does_not_open(self):
        from cryptography.exceptions import InvalidTag

        a = store.answer(self.case, self.user, "birth_place", "MX")
        Answer.objects.create(case=self.case, fact="destination_country", version=1, value=a.value, author=self.user)
        with self.assertRaises(InvalidTag):
            store.state(self.case)

    def test_screening_stored_with_law_version(self):
        store.answer(self.case, self.user, "birth_place", "GU")
        store.answer(self.case, self.user, "birth_date", "1960-05-01")
        st = store.state(self.case)
        doc = api.screen(st.facts, rank=False)
        s = store.save_screening(self.case, self.user, doc, st.newest_answer)
        self.assertEqual(s.law_version, law_version())
        self.assertEqual(store.screening_doc(s)["citizenship"]["status"], doc["citizenship"]["status"])
        self.assertEqual(CaseIndex.objects.get(case=self.case).status, doc["citizenship"]["status"])
        # the same answers and law: no second copy
        self.assertEqual(store.save_screening(self.case, self.user, doc, st.newest_answer).id, s.id)

    def test_delete_removes_answers_and_screenings_but_not_the_audit(self):
        store.answer(self.case, self.user, "birth_place", "MX")
        case_id = self.case.id
        store.delete_case(self.case, self.user)
        self.assertFalse(Case.objects.filter(id=case_id).exists())
        self.assertFalse(Answer.objects.filter(case_id=case_id).exists())
        self.assertEqual(list(AuditEntry.objects.filter(case_ref=case_id).values_list("action", flat=True)),
                         ["case.create", "answer", "case.delete"])

    def test_retention_purges_only_closed_cases_past_the_period(self):
        from django.conf import settings

        old = store.create_case(self.user, self.org, "old")
        old.closed_at = timezone.now() - timedelta(days=settings.SAFEGUARD_RETENTION_DAYS + 1)
        old.save()
        recent = store.create_case(self.user, self.org, "recent")
        recent.closed_at = timezone.now() - timedelta(days=1)
        recent.save()
        self.assertEqual(store.purge_expired(), 1)
        self.assertEqual(set(Case.objects.values_list("id", flat=True)), {self.case.id, recent.id})


class AuditTests(TestCase):
    def setUp(self):
        self.user, self.org = member("ben", "Legal Aid South")
        self.case = store.create_case(self.user, self.org, "CD-002")
        store.answer(self.case, self.user, "birth_place", "MX")

    def test_chain_verifies_and_holds_no_client_data(self):
        n, broken, _ = audit.verify()
        self.assertIsNone(broken)
        self.assertGreaterEqual(n, 2)
        for e in AuditEntry.objects.all():
            self.assertNotIn("MX", f"{e.actor}{e.action}{e.payload_hash}")

    def test_database_refuses_update_and_delete(self):
        entry = AuditEntry.objects.order_by("id").first()
        with self.assertRaises(DatabaseError), transaction.atomic():
            AuditEntry.objects.filter(id=entry.id).update(actor="mallory")
        with self.assertRaises(DatabaseError), transaction.atomic():
            AuditEntry.objects.filter(id=entry.id).delete()
        self.assertEqual(AuditEntry.objects.get(id=entry.id).actor, entry.actor)

    def test_hand_edited_entry_is_named(self):
        """Someone with direct database access drops the guard and edits an entry: verify names it."""
        target = AuditEntry.objects.order_by("id")[1]
        with connection.cursor() as cur:
            if connection.vendor == "postgresql":
                cur.execute("ALTER TABLE safeguard_web_auditentry DISABLE TRIGGER audit_append_only")
            else:
                cur.execute("DROP TRIGGER audit_no_update")
            cur.execute("UPDATE safeguard_web_auditentry SET actor = 'mallory' WHERE id = %s", [target.id])
        n, broken, why = audit.verify()
        self.assertEqual(broken.id, target.id)
        self.assertIn(f"entry {target.id}", why)


def test_store_backend_reported(capsys):
    """Which database these store tests ran on (the .ci/run PostgreSQL pass checks this line)."""
    print(f"store tests database: {connection.vendor}")
    assert connection.vendor in ("sqlite", "postgresql")


@pytest.mark.skipif("os.environ.get('DATABASE_URL') is None")
def test_postgresql_when_database_url_is_set():
    assert connection.vendor == "postgresql"


class CommandTests(TestCase):
    def test_audit_verify_command_passes_then_names_a_hand_edited_entry(self):
        from typer.testing import CliRunner

        from safeguard.cli import app

        user, org = member("cli", "Legal Aid CLI")
        store.create_case(user, org, "CLI-1")
        runner = CliRunner()
        r = runner.invoke(app, ["audit", "verify"])
        self.assertEqual(r.exit_code, 0, r.output)
        self.assertIn("intact", r.output)
        target = AuditEntry.objects.order_by("id").last()
        with connection.cursor() as cur:
            if connection.vendor == "postgresql":
                cur.execute("ALTER TABLE safeguard_web_auditentry DISABLE TRIGGER audit_append_only")
            else:
                cur.execute("DROP TRIGGER audit_no_update")
            cur.execute("UPDATE safeguard_web_auditentry SET action = 'case.view' WHERE id = %s", [target.id])
        r = runner.invoke(app, ["audit", "verify"])
        self.assertEqual(r.exit_code, 1)
        self.assertIn(f"BROKEN at entry {target.id}", r.output)

    def test_first_admin_once_with_argon2_and_examples_once(self):
        from safeguard.web import firstrun
        from safeguard.web.app.models import Case

        password = firstrun.first_admin()
        self.assertTrue(password)
        self.assertIsNone(firstrun.first_admin())  # a second run prints no password
        from django.contrib.auth import get_user_model

        admin = get_user_model().objects.get(username="admin")
        self.assertTrue(admin.password.startswith("argon2$"))
        self.assertTrue(admin.check_password(password))
        n = firstrun.load_examples()
        self.assertGreaterEqual(n, 5)
        self.assertEqual(firstrun.load_examples(), 0)
        self.assertEqual(Case.objects.filter(organisation=admin.membership.organisation).count(), n)


def test_key_from_environment_or_a_private_key_file(tmp_path, monkeypatch):
    import os
    import stat

    from django.conf import settings

    from safeguard.web.app import crypto

    monkeypatch.delenv("SAFEGUARD_KEY", raising=False)
    monkeypatch.setattr(settings, "SAFEGUARD_KEY_FILE", tmp_path / "k.bin")
    blob = crypto.seal({"birth_place": "MX"}, "p")
    assert stat.S_IMODE(os.stat(tmp_path / "k.bin").st_mode) == 0o600
    assert crypto.unseal(blob, "p") == {"birth_place": "MX"}
    monkeypatch.setenv("SAFEGUARD_KEY", crypto.new_key_text())
    from cryptography.exceptions import InvalidTag

    with pytest.raises(InvalidTag):  # a different key cannot open it
        crypto.unseal(blob, "p")
    monkeypatch.setenv("SAFEGUARD_KEY", "tooshort")
    with pytest.raises(crypto.BadKey):
        crypto.seal(1, "p")
