"""Sign-in forms for the merchant site and the support admin, with throttling per account and address."""

from __future__ import annotations

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from integrations.services.login_throttle import (
    login_failure_record,
    login_locked,
    login_lockout_minutes,
    login_success_record,
)


class ThrottledLoginMixin:
    """Refuse sign-in while the account or address is locked; count each failure."""

    def clean(self):
        username = (self.data.get("username") or "")[:254]
        address = self.request.META.get("REMOTE_ADDR", "") if self.request else ""
        if login_locked(username=username, address=address):
            raise forms.ValidationError(
                _("Too many failed sign-ins. Wait %(minutes)s minutes, then try again (or reset your password).")
                % {"minutes": login_lockout_minutes()},
                code="throttled",
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            login_failure_record(username=username, address=address)
            raise
        login_success_record(username=username)
        return cleaned


class ThrottledAuthenticationForm(ThrottledLoginMixin, AuthenticationForm):
    pass


class ThrottledAdminAuthenticationForm(ThrottledLoginMixin, AdminAuthenticationForm):
    pass
