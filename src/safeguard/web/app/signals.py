"""Logins, logouts and failed logins go in the audit trail too (never the password)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from safeguard.web.app import audit


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit.record(user, "login")


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit.record(user, "logout")


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    if credentials.get("second_step"):
        return  # a wrong TOTP code: audited as totp.failed by the code step (views_two_step)
    audit.record(str(credentials.get("username", ""))[:150] or "anonymous", "login.failed")
