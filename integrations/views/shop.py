"""Connecting Shopify: start the app install, Shopify's callback, Shopify's install link (thin)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from integrations.forms import ShopConnectForm
from integrations.selectors import integration_for_shop_install, integration_get_for_user
from integrations.services.shopify_install import (
    SCOPES,
    ShopInstallError,
    shop_install_complete,
    shop_install_link_verify,
    shop_install_pending_integration_id,
    shop_install_start,
)
from integrations.views.wizard import connect_page


@login_required
@require_http_methods(["POST"])
def shop_install(request, integration_id: int):
    """ "Connect Shopify": the form posts here and the answer redirects to Shopify's install page."""
    integration = integration_get_for_user(user=request.user, integration_id=integration_id)
    form = ShopConnectForm(request.POST)
    if form.is_valid():
        try:
            url = shop_install_start(
                integration=integration, shop_domain=form.cleaned_data["shop_domain"], session=request.session
            )
        except ShopInstallError as error:
            form.add_error(None, str(error))
        else:
            return redirect(url)
    return connect_page(request, integration, status=400, shop_form=form)


@login_required
def shop_callback(request):
    """Where Shopify sends the merchant after "Install app"."""
    integration_id = shop_install_pending_integration_id(session=request.session)
    if integration_id is None:
        messages.warning(
            request, _("The connection to Shopify expired or was started elsewhere. Connect Shopify again.")
        )
        return redirect("merchant:home")
    integration = integration_get_for_user(user=request.user, integration_id=integration_id)
    try:
        result = shop_install_complete(integration=integration, params=request.GET.dict(), session=request.session)
    except ShopInstallError as error:
        form = ShopConnectForm({"shop_domain": request.GET.get("shop", "")[:255]})
        form.is_valid()
        form.add_error(None, f"{error} ({error.code})")
        return connect_page(request, integration, status=400, shop_form=form)
    messages.success(request, _("The shop is connected."))
    if result.missing_scopes:
        reasons = "; ".join(f"{SCOPES[scope]}" for scope in result.missing_scopes)
        messages.warning(
            request,
            _(
                "Shopify granted fewer permissions than the integration needs, so some syncs will fail: %(reasons)s. "
                "Connect Shopify again and approve every permission."
            )
            % {"reasons": reasons},
        )
    if result.payments_error_code:
        messages.warning(
            request,
            _(
                "Your shop is connected, but Shopify did not tell us whether it uses Shopify Payments "
                "(error %(code)s). Connect Shopify again in a moment."
            )
            % {"code": result.payments_error_code},
        )
    if result.webhook_error_code:
        messages.warning(
            request,
            _(
                "Shopify did not accept the product's webhook subscriptions (error %(code)s): orders are still "
                "synced by the regular check, only later. Support has been told."
            )
            % {"code": result.webhook_error_code},
        )
    return redirect("merchant:wizard_connect", integration_id=integration.pk)


def shop_install_link(request):
    """Shopify's app URL (``?shop&timestamp&hmac``): continue the install for the merchant's integration."""
    try:
        domain = shop_install_link_verify(params=request.GET.dict())
    except ShopInstallError as error:
        messages.error(request, str(error))
        return redirect("merchant:home")
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    integration = integration_for_shop_install(user=request.user, shop_domain=domain)
    if integration is None:
        messages.info(request, _("Create an integration first, then connect your shop %(shop)s.") % {"shop": domain})
        return redirect("merchant:home")
    try:
        url = shop_install_start(integration=integration, shop_domain=domain, session=request.session)
    except ShopInstallError as error:
        messages.error(request, str(error))
        return redirect("merchant:wizard_connect", integration_id=integration.pk)
    return redirect(url)
