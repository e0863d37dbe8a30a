"""Two-step login pages: the code step after the password, enrolment of an authenticator app (a QR code, or
the secret typed in, confirmed with a current code), and removal. A wrong code at the login step is also
a failed login for django-axes (the same lockout as wrong passwords); every device also backs off
exponentially after wrong codes (django-otp's throttling)."""

from __future__ import annotations

import segno
from axes.handlers.proxy import AxesProxyHandler
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.web.app import audit, two_step

CODE_DIGITS = 6


def _next(request) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return nxt
    return "/"


def _code(request) -> str:
    return "".join(request.POST.get("code", "").split())


def _check(request, device) -> str | None:
    """None when the posted code is right; else the error to show (the device's back-off included)."""
    step = request.resolver_match.url_name
    allowed, info = device.verify_is_allowed()
    if not allowed:
        audit.record(request.user, "totp.failed", None, {"device": device.id, "step": step, "throttled": True})
        wait = info.get("locked_until") if info else None
        return _("Too many wrong codes in a row. Wait a moment (until %(time)s UTC) and try again.") % {
            "time": wait.strftime("%H:%M:%S") if wait else "—"}
    code = _code(request)
    wellformed = len(code) == CODE_DIGITS and code.isdigit()
    if wellformed and device.verify_token(code):
        return None
    if not wellformed:
        device.throttle_increment()  # a malformed code is a wrong code too (verify_token counts the others)
    audit.record(request.user, "totp.failed", None, {"device": device.id, "step": step})
    return _("That code is not right. Enter the 6 digits your authenticator app shows now.")


@login_required
def verify(request):
    """The code step: a user with a confirmed device, after the password."""
    nxt = _next(request)
    if two_step.pending(request) != two_step.VERIFY:
        return redirect(nxt)
    user, device = request.user, two_step.device(request.user)
    credentials = {"username": user.get_username()}
    error = None
    if request.method == "POST":
        if not AxesProxyHandler.is_allowed(request, credentials):
            logout(request)
            request.axes_locked_out = True  # django-axes answers with its lockout response
            return redirect("login")
        error = _check(request, device)
        if error is None:
            otp_login(request, device)
            request.session.cycle_key()
            audit.record(user, "totp.passed", None, {"device": device.id})
            return redirect(nxt)
        user_login_failed.send(sender=__name__, credentials={**credentials, "second_step": True}, request=request)
        if getattr(request, "axes_locked_out", False):
            logout(request)
            return redirect("login")
    return render(request, "web/two_step_verify.html", {"error": error, "next": nxt})


@login_required
def overview(request):
    """The account's two-step login: on (with a removal form) or off (with a link to set it up)."""
    return render(request, "web/two_step.html", {"device": two_step.device(request.user),
                                                 "required": two_step.is_required(request.user)})


@login_required
def enrol(request):
    user = request.user
    if two_step.device(user) is not None:
        return redirect("two_step")
    device = two_step.unconfirmed_device(user)
    error = None
    if request.method == "POST":
        error = _check(request, device)
        if error is None:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            audit.record(user, "totp.enrol", None, {"device": device.id})
            messages.success(request, _("Two-step login is on. From now on you will be asked for a code after your password."))
            return redirect(_next(request) if request.POST.get("next") else "two_step")
    uri = device.config_url
    qr = segno.make(uri, error="m").svg_inline(scale=4, title=_("QR code for your authenticator app"))
    return render(request, "web/two_step_enrol.html", {
        "error": error, "secret": two_step.secret_text(device), "uri": uri, "qr": mark_safe(qr),  # segno's SVG: no user text
        "required": two_step.is_required(user), "next": request.GET.get("next") or request.POST.get("next", "")})


@login_required
@require_POST
def remove(request):
    """Turn two-step login off: confirmed with a current code, so an unattended session cannot do it."""
    device = two_step.device(request.user)
    if device is None:
        return redirect("two_step")
    error = _check(request, device)
    if error is not None:
        return render(request, "web/two_step.html", {"device": device, "error": error,
                                                     "required": two_step.is_required(request.user)})
    ids = list(TOTPDevice.objects.filter(user=request.user).values_list("id", flat=True))
    TOTPDevice.objects.filter(id__in=ids).delete()
    audit.record(request.user, "totp.remove", None, {"devices": ids})
    messages.success(request, _("Two-step login is off for your account."))
    return redirect("two_step")
