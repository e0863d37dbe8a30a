"""Bearer tokens (app/tokens.py): the request acts as the token's user."""

from __future__ import annotations

from ninja.errors import HttpError
from ninja.security import HttpBearer

from safeguard.web.app import tokens
from safeguard.web.app.access import membership
from safeguard.web.app.models import Membership


class BearerToken(HttpBearer):
    def authenticate(self, request, token: str):
        user = tokens.user_for(token)
        if user is None:
            return None
        request.user = user  # the web app's permission functions read request.user
        return user


def member_of_organisation(user) -> Membership:
    """The user's membership; a 403 when they belong to no organisation (they may not create anything)."""
    m = membership(user)
    if m is None:
        raise HttpError(403, f"your account ({user.get_username()}) belongs to no organisation; ask an admin "
                             "to add you to one")
    return m
