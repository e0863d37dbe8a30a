"""Calling the JSON API through Django's test client with a bearer token."""

from __future__ import annotations

import json

from django.contrib.auth import get_user_model

from safeguard.web.app import tokens
from safeguard.web.app.models import Membership, Organisation, Role

BASE = "/api/v1"
GUAM_1960 = {"birth_place": "GU", "birth_date": "1960-05-01"}


def member(username: str, org_name: str, role: str = Role.SCREENER):
    """A user of an organisation who signs in only with API tokens (no password: no Argon2 hash to make)."""
    org, _ = Organisation.objects.get_or_create(name=org_name)
    user = get_user_model().objects.create_user(username=username, password=None)
    Membership.objects.create(user=user, organisation=org, role=role)
    return user, org


def token_for(user, name: str = "test") -> str:
    return tokens.create(user.username, name)[1]


class ApiClient:
    def __init__(self, client, token: str | None):
        self.client, self.token = client, token

    def _headers(self) -> dict:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def get(self, path: str, **params):
        return self.client.get(BASE + path, params, headers=self._headers())

    def post(self, path: str, body=None):
        return self.client.post(BASE + path, json.dumps({} if body is None else body),
                                content_type="application/json", headers=self._headers())

    def post_raw(self, path: str, text: str, content_type: str = "application/json"):
        return self.client.post(BASE + path, text, content_type=content_type, headers=self._headers())

    def upload(self, path: str, files: dict, data: dict | None = None):
        return self.client.post(BASE + path, {**(data or {}), **files}, headers=self._headers())
