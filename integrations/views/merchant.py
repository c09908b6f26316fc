"""Home (the tenant's integrations) and one integration's page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from integrations.connectors.entra import AUTH_ERRORS_BY_CODE
from integrations.forms import IntegrationCreateForm
from integrations.selectors import integration_get_for_user, integration_list_for_user, tenant_for_user, wizard_state
from integrations.services.lifecycle import integration_resume
from integrations.services.onboarding.signup import integration_create
from integrations.services.promotion import promotion_available
from syncs.errors import find_error


@login_required
def home(request):
    integrations = list(integration_list_for_user(user=request.user))
    return render(
        request,
        "merchant/home.html",
        {"integrations": integrations, "tenant": tenant_for_user(user=request.user), "form": IntegrationCreateForm()},
    )


@login_required
@require_http_methods(["POST"])
def integration_new(request):
    tenant = tenant_for_user(user=request.user)
    if tenant is None:  # staff users without a merchant organisation
        raise Http404("No merchant organisation.")
    form = IntegrationCreateForm(request.POST)
    if not form.is_valid():
        return render(request, "merchant/home.html", {"integrations": [], "tenant": tenant, "form": form})
    integration = integration_create(tenant=tenant, name=form.cleaned_data["name"])
    return redirect("merchant:wizard_flows", integration_id=integration.pk)


@login_required
def integration_detail(request, integration_id: int):
    integration = integration_get_for_user(user=request.user, integration_id=integration_id)
    connection = getattr(integration, "bc_connection", None)
    auth_error = AUTH_ERRORS_BY_CODE.get(connection.last_auth_error_code) if connection else None
    shop = getattr(integration, "shop_connection", None)
    shop_error = find_error(shop.last_auth_error_code) if shop and shop.last_auth_error_code else None
    return render(
        request,
        "merchant/integration_detail.html",
        {
            "integration": integration,
            "connection": connection,
            "auth_error": auth_error,
            "shop": shop,
            "shop_error": shop_error,
            "state": wizard_state(integration=integration),
            "can_promote": promotion_available(integration=integration),
        },
    )


@login_required
@require_http_methods(["POST"])
def integration_resume_view(request, integration_id: int):
    """The paused banner's "Resume syncs". Paused because Business Central was disconnected: the way
    back is signing in again (the banner offers that instead)."""
    integration = integration_get_for_user(user=request.user, integration_id=integration_id)
    connection = getattr(integration, "bc_connection", None)
    if connection is None or not connection.is_connected:
        messages.info(request, _("Reconnect Business Central first; syncs resume when it is connected."))
    elif integration_resume(integration_id=integration.pk):
        messages.success(request, _("Syncs are running again. Orders placed while paused are synced now."))
    return redirect("merchant:integration_detail", integration_id=integration.pk)
