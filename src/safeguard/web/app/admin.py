"""The admin site manages accounts: organisations and who belongs to which, with which role. Cases,
answers and the audit log are not editable here (answers are encrypted; the log is append-only), nor are
TOTP devices (their secrets are not shown to anyone; `safeguard totp reset USER` removes a lost one)."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.web.app.models import Membership, Organisation


class MembershipInline(admin.StackedInline):
    model = Membership
    can_delete = False
    extra = 1


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name",)
    search_fields = ("name",)


User = get_user_model()
admin.site.unregister(User)
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(User)
class SafeguardUserAdmin(UserAdmin):
    inlines = [MembershipInline]
