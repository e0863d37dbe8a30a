"""The audit trail: every view, answer, screening, export and deletion, as an append-only chain.

entry_hash = sha256(prev_hash | id | at | actor | action | case | payload_hash). The payload (e.g. the
fact name and the answer) is hashed, never stored. `verify()` recomputes the chain and names the first
entry that does not match."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from safeguard.web.app.models import AuditEntry

GENESIS = "0" * 64


def _digest(prev: str, entry_id: int, at: str, actor: str, action: str, case_ref: int | None, payload_hash: str) -> str:
    text = "|".join([prev, str(entry_id), at, actor, action, "" if case_ref is None else str(case_ref), payload_hash])
    return hashlib.sha256(text.encode()).hexdigest()


def payload_digest(payload: Any) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False).encode()).hexdigest()


def record(actor: Any, action: str, case_ref: int | None = None, payload: Any = None) -> AuditEntry:
    """Append one entry. The chain is extended under a lock (SQLite writes are serialised; on
    PostgreSQL an advisory transaction lock)."""
    name = actor if isinstance(actor, str) else (getattr(actor, "username", "") or "anonymous")
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("SELECT pg_advisory_xact_lock(774411)")
        last = AuditEntry.objects.order_by("-id").first()
        prev = last.entry_hash if last else GENESIS
        at = timezone.now()
        e = AuditEntry.objects.create(at=at, actor=name, action=action, case_ref=case_ref,
                                      payload_hash=payload_digest(payload), prev_hash=prev, entry_hash="pending")
        # The id is part of the hash, known only after the insert: the one write the trigger allows.
        e.entry_hash = _digest(prev, e.id, at.isoformat(), name, action, case_ref, e.payload_hash)
        AuditEntry.objects.filter(id=e.id, entry_hash="pending").update(entry_hash=e.entry_hash)
    return e


def verify() -> tuple[int, AuditEntry | None, str]:
    """(entries checked, first broken entry or None, what is wrong with it)."""
    prev = GENESIS
    n = 0
    for e in AuditEntry.objects.order_by("id").iterator():
        n += 1
        if e.prev_hash != prev:
            return n, e, f"entry {e.id}: prev_hash does not match entry before it (an entry was removed or edited)"
        want = _digest(prev, e.id, e.at.isoformat(), e.actor, e.action, e.case_ref, e.payload_hash)
        if e.entry_hash != want:
            return n, e, f"entry {e.id} ({e.action} by {e.actor} at {e.at.isoformat()}): its hash does not match its contents"
        prev = e.entry_hash
    return n, None, ""
