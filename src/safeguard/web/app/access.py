"""Who may see which case. A screener sees their own cases, a supervising attorney and an admin every case
of their organisation; nobody sees another organisation's case (a 404, so its existence is not shown)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from safeguard.web.app.models import Case, Membership, Role


def membership(user) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user).select_related("organisation").first()


def visible_cases(user) -> QuerySet[Case]:
    m = membership(user)
    if m is None:
        return Case.objects.none()
    cases = Case.objects.filter(organisation=m.organisation)
    if m.role == Role.SCREENER:
        cases = cases.filter(owner=user)
    return cases


def case_for(user, case_id: int) -> Case:
    """The case if this user may read it; Http404 otherwise (also for another organisation's case)."""
    case = visible_cases(user).filter(id=case_id).select_related("organisation", "index").first()
    if case is None:
        raise Http404("no such case")
    return case


def may_delete(user, case: Case) -> bool:
    m = membership(user)
    return m is not None and m.organisation_id == case.organisation_id and (
        m.role in (Role.ATTORNEY, Role.ADMIN) or case.owner_id == user.id)
