"""Bearer tokens (app/tokens.py): the request acts as the token's user."""

from __future__ import annotations

from ninja.security import HttpBearer

from safeguard.web.app import tokens


class BearerToken(HttpBearer):
    def authenticate(self, request, token: str):
        user = tokens.user_for(token)
        if user is None:
            return None
        request.user = user  # the web app's permission functions read request.user
        return user
