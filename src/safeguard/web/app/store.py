"""Reading and writing a case's answers and screenings (encrypted), and the retention purge."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from safeguard.web.app import audit
from safeguard.web.app.crypto import seal, unseal
from safeguard.web.app.models import Answer, Case, CaseIndex, Organisation, Screening


@dataclass
class CaseState:
    """The current answers (latest version of each fact), the facts answered "I don't know", and the
    order in which facts were last answered (for the back button)."""

    facts: dict[str, Any] = field(default_factory=dict)
    unknown: set[str] = field(default_factory=set)
    order: list[str] = field(default_factory=list)
    newest_answer: int = 0


def _place(case_id: int, fact: str) -> str:
    return f"case:{case_id}:fact:{fact}"


def create_case(user, organisation: Organisation, label: str) -> Case:
    with transaction.atomic():
        case = Case.objects.create(organisation=organisation, owner=user)
        CaseIndex.objects.create(case=case, label=label[:120])
    audit.record(user, "case.create", case.id)
    return case


def state(case: Case) -> CaseState:
    s = CaseState()
    latest: dict[str, Answer] = {}
    for a in case.answers.order_by("id"):
        latest[a.fact] = a
        s.newest_answer = a.id
    for a in sorted(latest.values(), key=lambda a: a.id):
        if a.dont_know:
            s.unknown.add(a.fact)
            s.order.append(a.fact)
        elif a.value is not None:
            value = unseal(a.value, _place(case.id, a.fact))
            if value is not None:
                s.facts[a.fact] = value
                s.order.append(a.fact)
    return s


def answer(case: Case, user, fact: str, value: Any, *, dont_know: bool = False) -> Answer:
    """Store a new version of one fact's answer (value None and dont_know False clears it)."""
    with transaction.atomic():
        version = (case.answers.filter(fact=fact).aggregate(v=Max("version"))["v"] or 0) + 1
        a = Answer.objects.create(case=case, fact=fact, version=version, dont_know=dont_know, author=user,
                                  value=None if dont_know else seal(value, _place(case.id, fact)))
        CaseIndex.objects.filter(case=case).update(updated_at=timezone.now())
    # The log names the fact and the stored row; the value itself is only in the row, encrypted.
    sealed = hashlib.sha256(bytes(a.value or b"")).hexdigest()
    audit.record(user, "answer", case.id, {"fact": fact, "version": version, "answer": a.id, "sealed": sealed,
                                           "dont_know": dont_know})
    return a


def history(case: Case, fact: str) -> list[dict[str, Any]]:
    """Every version of one fact's answer, oldest first, with who gave it and when."""
    out = []
    for a in case.answers.filter(fact=fact).select_related("author").order_by("version"):
        value = None if a.value is None else unseal(a.value, _place(case.id, fact))
        out.append({"version": a.version, "value": value, "dont_know": a.dont_know,
                    "author": a.author.username, "at": a.created_at})
    return out


def save_screening(case: Case, user, doc: dict[str, Any], newest_answer: int) -> Screening:
    """Keep the result once per set of answers and law version; returns the stored screening."""
    last = case.screenings.order_by("-id").first()
    status = doc["citizenship"]["status"]
    outcome = (doc.get("transfer") or {}).get("outcome") or ""
    if last and last.answers_upto == newest_answer and last.law_version == doc["law_version"]:
        return last
    with transaction.atomic():
        s = Screening.objects.create(case=case, author=user, law_version=doc["law_version"], answers_upto=newest_answer,
                                     status=status, transfer_outcome=outcome, result=b"")
        s.result = seal(doc, f"case:{case.id}:screening:{s.id}")
        s.save(update_fields=["result"])
        CaseIndex.objects.filter(case=case).update(status=status, transfer_outcome=outcome, updated_at=timezone.now())
    audit.record(user, "screening", case.id, {"screening": s.id, "law_version": s.law_version, "status": status,
                                              "transfer_outcome": outcome})
    return s


def screening_doc(s: Screening) -> dict[str, Any]:
    return unseal(s.result, f"case:{s.case_id}:screening:{s.id}")


def delete_case(case: Case, user) -> None:
    case_id = case.id
    with transaction.atomic():
        case.delete()
    audit.record(user, "case.delete", case_id)


def purge_expired(now=None) -> int:
    """Delete closed cases whose retention period (SAFEGUARD_RETENTION_DAYS after closing) has passed."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.SAFEGUARD_RETENTION_DAYS)
    n = 0
    for case in Case.objects.filter(closed_at__isnull=False, closed_at__lt=cutoff):
        case_id = case.id
        case.delete()
        audit.record("retention", "case.purge", case_id)
        n += 1
    return n
