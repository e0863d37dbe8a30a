"""Organisations and users for the web tests (real accounts, real Argon2 hashes)."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from safeguard.web.app.models import Membership, Organisation, Role

PASSWORD = "correct horse battery staple 42"


def member(username: str, org_name: str, role: str = Role.SCREENER):
    org, _ = Organisation.objects.get_or_create(name=org_name)
    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    Membership.objects.create(user=user, organisation=org, role=role)
    return user, org
