"""Connecting a WooCommerce store from the wizard's step 2 (thin: one service call)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from integrations.forms import WooConnectForm
from integrations.selectors import integration_get_for_user
from integrations.services.onboarding.errors import OnboardingError
from integrations.services.woocommerce_connect import woo_store_connect
from integrations.views.wizard import connect_page


@login_required
@require_http_methods(["POST"])
def woo_connect(request, integration_id: int):
    integration = integration_get_for_user(user=request.user, integration_id=integration_id)
    form = WooConnectForm(request.POST)
    if form.is_valid():
        try:
            woo_store_connect(integration=integration, **form.cleaned_data)
        except OnboardingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The WooCommerce store is connected."))
            return redirect("merchant:wizard_connect", integration_id=integration.pk)
    # The key and secret are not rendered back (password fields), only the errors and the address.
    return connect_page(request, integration, status=400, woo_form=form, platform="woocommerce")
