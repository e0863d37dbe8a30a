"""API tokens: made at random, shown once, kept only as their SHA-256, revocable. A token acts as its
user: the same organisation, role and permissions as the user's web session."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.utils import timezone

from safeguard.web.app import audit
from safeguard.web.app.models import ApiToken

PREFIX = "sgt_"  # tells a safeguard token apart in a secret scanner or a log


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "backslashreplace")).hexdigest()


class TokenError(ValueError):
    pass


def create(username: str, name: str = "api") -> tuple[ApiToken, str]:
    """A new token for the user: (the stored row, the token, which is not stored and not shown again)."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise TokenError(f"no user named {username!r}")
    if not hasattr(user, "membership"):
        raise TokenError(f"{username!r} belongs to no organisation; add them to one first (admin site)")
    token = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken.objects.create(user=user, name=name[:100], digest=digest(token), prefix=token[:12])
    audit.record(user, "token.create", None, {"token": row.id, "name": row.name})
    return row, token


def revoke(token_id: int) -> ApiToken:
    row = ApiToken.objects.filter(id=token_id).select_related("user").first()
    if row is None:
        raise TokenError(f"no token with id {token_id}")
    if row.revoked_at is None:
        row.revoked_at = timezone.now()
        row.save(update_fields=["revoked_at"])
        audit.record(row.user, "token.revoke", None, {"token": row.id})
    return row


def user_for(token: str):
    """The active user a live token belongs to, else None (unknown, revoked, or the user deactivated)."""
    row = ApiToken.objects.filter(digest=digest(token), revoked_at__isnull=True).select_related("user").first()
    if row is None or not row.user.is_active:
        return None
    now = timezone.now()
    if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(id=row.id).update(last_used_at=now)  # at most once a minute: a write per call is load
    return row.user
