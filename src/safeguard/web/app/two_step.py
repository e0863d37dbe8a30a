"""Two-step login: a TOTP device (django-otp) per user, optional unless the user's role is listed in
SAFEGUARD_REQUIRE_TOTP_FOR. A user with a confirmed device gives a code after the password before any page
(SecondStepGate); a user whose role requires one and who has none is sent to enrolment first. Secrets and
codes never reach the audit trail: its entries name the device's id only."""

from __future__ import annotations

from base64 import b32encode
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.web.app import audit
from safeguard.web.app.access import membership
from safeguard.web.app.models import Role

VERIFY, ENROL = "verify", "enrol"


class TwoStepError(ValueError):
    pass


def required_roles() -> frozenset[str]:
    """The roles that must use two-step login; a name that is not a role stops the app, naming it."""
    roles = frozenset(settings.SAFEGUARD_REQUIRE_TOTP_FOR)
    unknown = sorted(roles - set(Role.values))
    if unknown:
        raise ImproperlyConfigured(
            f"SAFEGUARD_REQUIRE_TOTP_FOR: {', '.join(map(repr, unknown))} is not a role; expected a comma list "
            f"of {', '.join(Role.values)} (or nothing, to leave two-step login optional)")
    return roles


def role_of(user) -> str | None:
    m = membership(user)
    if m is not None:
        return m.role
    return Role.ADMIN if user.is_superuser else None


def is_required(user) -> bool:
    roles = required_roles()
    return bool(roles) and role_of(user) in roles


def device(user) -> TOTPDevice | None:
    """The user's confirmed TOTP device (there is at most one), else None."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def unconfirmed_device(user) -> TOTPDevice:
    """The device being enrolled: the same secret on every visit until it is confirmed with a code."""
    d = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    return d or TOTPDevice.objects.create(user=user, name="authenticator app", confirmed=False)


def secret_text(d: TOTPDevice) -> str:
    """The key in base32, as authenticator apps take it typed in, in groups of four."""
    b32 = b32encode(d.bin_key).decode().rstrip("=")
    return " ".join(b32[i:i + 4] for i in range(0, len(b32), 4))


def pending(request) -> str | None:
    """What this session still owes before any other page: VERIFY (a code), ENROL (a device), or None."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.is_verified():
        return None
    if device(user) is not None:
        return VERIFY
    return ENROL if is_required(user) else None


def reset(username: str) -> int:
    """Remove every TOTP device of a user (admin recovery for a lost phone); returns how many."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise TwoStepError(f"no user named {username!r}")
    n, _ = TOTPDevice.objects.filter(user=user).delete()
    audit.record(user, "totp.reset", None, {"devices": n, "by": "cli"})
    return n


class SecondStepGate:
    """After the password, a session with a code (or, where required, a device) still owed sees only the
    page that takes it, logout, the language switch and static files. The API (bearer tokens) is not gated."""

    PAGES = {VERIFY: "two_step_verify", ENROL: "two_step_enrol"}

    def __init__(self, get_response):
        required_roles()  # a bad SAFEGUARD_REQUIRE_TOTP_FOR stops the server at start
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith((settings.STATIC_URL, "/api/")):  # before pending(): no queries for these
            return self.get_response(request)
        owed = pending(request)
        if owed is not None:
            target = reverse(self.PAGES[owed])
            if request.path not in (target, reverse("logout"), reverse("set_language")):
                query = f"?{urlencode({'next': request.get_full_path()})}" if request.method == "GET" else ""
                return redirect(target + query)
        return self.get_response(request)
