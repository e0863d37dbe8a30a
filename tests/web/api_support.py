"""Calling the JSON API through Django's test client with a bearer token."""

from __future__ import annotations

import json

from safeguard.web.app import tokens

BASE = "/api/v1"
GUAM_1960 = {"birth_place": "GU", "birth_date": "1960-05-01"}


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
