"""Sign-up: the merchant's account, organisation and first integration."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from integrations.models import (
    Integration,
    Tenant,
    TenantMembership,
)
from integrations.services.onboarding.errors import (
    OnboardingError,
)


@transaction.atomic
def merchant_signup(*, email: str, password: str, organisation_name: str):
    """A new merchant: the user, their organisation (tenant) and the owner membership."""
    user_model = get_user_model()
    email = user_model.objects.normalize_email(email).lower()
    if user_model.objects.filter(username__iexact=email).exists():
        raise OnboardingError(_("An account with this e-mail already exists. Log in instead."))
    user = user_model.objects.create_user(username=email, email=email, password=password)
    base = slugify(organisation_name)[:60] or "merchant"
    slug, n = base, 1
    while Tenant.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    tenant = Tenant.objects.create(name=organisation_name, slug=slug, contact_email=email)
    TenantMembership.objects.create(tenant=tenant, user=user, role=TenantMembership.Role.OWNER)
    return user


def merchant_signup_request(*, email: str, password: str, organisation_name: str, login_url: str):
    """Sign-up that never reveals whether an address is registered.

    A new address gets its account (returned); a registered one gets None, and its owner an e-mail
    saying someone tried to sign up with it. The page answers both the same way.
    """
    try:
        return merchant_signup(email=email, password=password, organisation_name=organisation_name)
    except OnboardingError:
        user_model = get_user_model()
        address = user_model.objects.normalize_email(email).lower()
        send_mail(
            subject=_("Someone tried to create a Junipeer account with your e-mail address"),
            message=_(
                "Hello,\n\nSomeone (perhaps you) tried to create a new Junipeer account with this e-mail address, "
                "which already has an account. Nothing was changed.\n\nTo use your account, log in: %(url)s\n"
                "If you forgot your password, ask support to reset it. If it was not you, you can ignore this "
                "message.\n"
            )
            % {"url": login_url},
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[address],
        )
        return None


def integration_create(*, tenant: Tenant, name: str) -> Integration:
    integration = Integration(tenant=tenant, name=name)
    integration.full_clean()
    integration.save()
    return integration
