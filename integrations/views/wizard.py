"""The Get Started wizard. Resumable: each page reads the stored state, so a merchant can leave
and come back; each POST validates through one service and says what to do next."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from integrations.connectors.entra.errors import ADMIN_APPROVAL_REQUESTED, ADMIN_CONSENT_CODES, AUTH_ERRORS_BY_CODE
from integrations.forms import (
    FlowsForm,
    GoLiveForm,
    SettingsForm,
    ShopConnectForm,
    StockLocationsForm,
    StripeConnectForm,
    TestOrderForm,
    WooConnectForm,
    countries_parse,
    dimension_rules_text,
)
from integrations.models import PaymentProviderConnection, ShopConnection
from integrations.selectors import FLOW_FIELDS, integration_get_for_user, stock_locations_needed, wizard_state
from integrations.services.mapping_proposals import go_live_warnings_get
from integrations.services.onboarding import stripe_account
from integrations.services.onboarding.errors import ConfirmationRequired, OnboardingError, PreflightBlocked
from integrations.services.onboarding.flows import integration_flows_save
from integrations.services.onboarding.go_live import integration_go_live
from integrations.services.onboarding.real_order import integration_test_order
from integrations.services.onboarding.settings_page import settings_page_get, wizard_settings_save
from integrations.services.shopify_install import SCOPES, scope_reasons
from integrations.services.stock_locations import stock_location_choices_get, stock_locations_save
from integrations.views.common import posted_data

STEP_URLS = {
    "flows": "merchant:wizard_flows",
    "connect": "merchant:wizard_connect",
    "settings": "merchant:wizard_settings",
    "test": "merchant:wizard_test",
    "live": "merchant:wizard_live",
}


def _page(request, integration, template, step, status=200, **context):
    state = wizard_state(integration=integration)
    return render(
        request,
        template,
        {"integration": integration, "state": state, "step": step, **context},
        status=status,
    )


# A sign-in that waits for the organisation's administrator: the wizard offers to continue it.
ADMIN_WAIT_CODES = ADMIN_CONSENT_CODES | {ADMIN_APPROVAL_REQUESTED.code}


@login_required
def wizard(request, integration_id: int):
    integration = integration_get_for_user(user=request.user, integration_id=integration_id)
    current = wizard_state(integration=integration).current
    return redirect(STEP_URLS[current.slug], integration_id=integration.pk)


@login_required
@require_http_methods(["GET", "POST"])
def wizard_flows(request, integration_id: int):
    integration = integration_get_for_user(user=request.user, integration_id=integration_id)
    initial = {name: getattr(integration, name) for name in FLOW_FIELDS}
    initial["products_direction"] = "both" if integration.products_bidirectional else "bc_to_shop"
    form = FlowsForm(posted_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            integration_flows_save(integration=integration, flows=form.flows())
        except OnboardingError as error:
            form.add_error(None, str(error))
        else:
            return redirect("merchant:wizard_connect", integration_id=integration.pk)
    return _page(request, integration, "merchant/wizard/flows.html", 1, form=form)


@login_required
def wizard_connect(request, integration_id: int):
    integration = integration_get_for_user(user=request.user, integration_id=integration_id)
    context = _connect_context(integration, platform=request.GET.get("platform", ""))
    return _page(request, integration, "merchant/wizard/connect.html", 2, **context)


def connect_page(request, integration, *, status: int = 200, **forms):
    """The connect step, as other views answer with it (a form error, a failed install)."""
    return _page(
        request, integration, "merchant/wizard/connect.html", 2, status=status, **_connect_context(integration, **forms)
    )


def _connect_context(integration, platform: str = "", **forms):
    stripe = integration.payment_providers.filter(provider=PaymentProviderConnection.Provider.STRIPE).first()
    shop = getattr(integration, "shop_connection", None)
    # Which shop platform the page offers: the merchant's choice, else the connected one, else Shopify.
    platforms = ShopConnection.Platform
    if platform not in platforms.values:
        platform = shop.platform if shop is not None else platforms.SHOPIFY
    woo = shop is not None and shop.platform == platforms.WOOCOMMERCE
    shop_form = forms.get("shop_form") or ShopConnectForm(
        initial={"shop_domain": "" if woo else getattr(shop, "shop_domain", "")}
    )
    bc = getattr(integration, "bc_connection", None)
    waits = bc is not None and not bc.token_cache and bc.last_auth_error_code in ADMIN_WAIT_CODES
    return {
        "scopes": scope_reasons(SCOPES),
        "bc": bc,
        "bc_waits_for": AUTH_ERRORS_BY_CODE[bc.last_auth_error_code] if waits else None,
        "shop": shop,
        "stripe": stripe,
        "shop_form": shop_form,
        "platform": platform,
        "platforms": platforms.choices,
        "woo_form": forms.get("woo_form") or WooConnectForm(initial={"store_url": shop.store_url if woo else ""}),
        "stripe_form": forms.get("stripe_form") or StripeConnectForm(),
    }


@login_required
@require_http_methods(["POST"])
def stripe_connect(request, integration_id: int):
    integration = integration_get_for_user(user=request.user, integration_id=integration_id)
    form = StripeConnectForm(request.POST)
    if form.is_valid():
        try:
            stripe_account.stripe_connect(integration=integration, api_key=form.cleaned_data["api_key"])
        except OnboardingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Stripe is connected."))
            return redirect("merchant:wizard_connect", integration_id=integration.pk)
    context = _connect_context(integration, stripe_form=form)
    return _page(request, integration, "merchant/wizard/connect.html", 2, status=400, **context)


@login_required
@require_http_methods(["GET", "POST"])
def wizard_settings(request, integration_id: int):
    integration = integration_get_for_user(user=request.user, integration_id=integration_id)
    template = "merchant/wizard/settings.html"
    data = posted_data(request)
    try:
        page = settings_page_get(
            integration=integration,
            customer_search=(data or {}).get("customer_search", ""),
            customer_numbers=[value for key, value in (data or {}).items() if key.startswith("collective__")],
        )
    except OnboardingError as error:
        return _page(request, integration, template, 3, error=str(error), form=None)
    form_options = {"choices": page.choices, "gateways": page.proposals.gateways, "payout_rows": page.payout_rows}
    shown = {"proposals": page.proposals, "vat_mismatches": page.vat_mismatches}
    if data is not None and "search_customers" in data:
        # Only the customer lists change: show the entered values again, unsaved and without errors.
        countries = countries_parse(data.get("countries", ""))
        form = SettingsForm(initial=data.dict(), countries=countries, **form_options)
        return _page(request, integration, template, 3, form=form, **shown)
    initial = {**page.initial, "dimension_rules": dimension_rules_text(integration.dimension_mappings.all())}
    form = SettingsForm(data, initial=initial, countries=page.countries, **form_options)
    if request.method == "POST" and form.is_valid():
        try:
            wizard_settings_save(
                integration=integration,
                data=form.cleaned_data,
                gateways=page.proposals.gateways,
                collective_customers=form.collective_customers(),
                payout_accounts=form.payout_configurations(),
            )
        except OnboardingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Settings saved."))
            if stock_locations_needed(integration=integration):
                return redirect("merchant:wizard_stock_locations", integration_id=integration.pk)
            return redirect("merchant:wizard_test", integration_id=integration.pk)
    return _page(request, integration, template, 3, status=400 if form.is_bound else 200, form=form, **shown)


@login_required
@require_http_methods(["GET", "POST"])
def wizard_stock_locations(request, integration_id: int):
    """Part of step 3: which shop location receives the stock of which Business Central location."""
    integration = integration_get_for_user(user=request.user, integration_id=integration_id)
    template = "merchant/wizard/stock_locations.html"
    try:
        choices = stock_location_choices_get(integration=integration)
    except OnboardingError as error:
        return _page(request, integration, template, 3, error=str(error), form=None)
    mappings = list(integration.location_mappings.all())
    initial = {f"{StockLocationsForm.PREFIX}{m.bc_location_code}": m.shop_location_id for m in mappings}
    initial["total_location"] = next((m.shop_location_id for m in mappings if not m.bc_location_code), "")
    form = StockLocationsForm(
        posted_data(request),
        initial=initial,
        bc_locations=choices.bc_locations,
        shop_locations=choices.shop_locations,
    )
    if request.method == "POST" and form.is_valid():
        try:
            stock_locations_save(
                integration=integration,
                choices=choices,
                by_code=form.by_code(),
                total_location_id=form.cleaned_data["total_location"],
            )
        except OnboardingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Stock locations saved."))
            return redirect("merchant:wizard_test", integration_id=integration.pk)
    status = 400 if form.is_bound else 200
    return _page(request, integration, template, 3, status=status, form=form)


@login_required
@require_http_methods(["GET", "POST"])
def wizard_test(request, integration_id: int):
    integration = integration_get_for_user(user=request.user, integration_id=integration_id)
    form = TestOrderForm(posted_data(request))
    outcome = None
    if request.method == "POST" and form.is_valid():
        try:
            outcome = integration_test_order(
                integration=integration,
                order_name=form.cleaned_data["order_name"],
                write=request.POST.get("action") == "create",
            )
        except OnboardingError as error:
            form.add_error(None, str(error))
    connection = getattr(integration, "bc_connection", None)
    return _page(
        request,
        integration,
        "merchant/wizard/test.html",
        4,
        form=form,
        outcome=outcome,
        preview=outcome.preview if outcome else None,
        sandbox=bool(connection and connection.environment_type == connection.EnvironmentType.SANDBOX),
    )


@login_required
@require_http_methods(["GET", "POST"])
def wizard_live(request, integration_id: int):
    integration = integration_get_for_user(user=request.user, integration_id=integration_id)
    form = GoLiveForm(posted_data(request))
    needs_confirmation = False
    preflight_failures: list = []
    if request.method == "POST" and form.is_valid():
        try:
            integration_go_live(integration=integration, confirm_production=form.cleaned_data["confirm_production"])
        except ConfirmationRequired as error:
            needs_confirmation = True
            form.add_error(None, str(error))
        except PreflightBlocked as error:
            preflight_failures = error.failures
            form.add_error(None, str(error))
        except OnboardingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Live mode is on."))
            return redirect("merchant:integration_detail", integration_id=integration.pk)
    usage, unmapped = (
        (None, []) if integration.live_mode else go_live_warnings_get(integration=integration, now=timezone.now())
    )
    return _page(
        request,
        integration,
        "merchant/wizard/live.html",
        5,
        form=form,
        needs_confirmation=needs_confirmation,
        preflight_failures=preflight_failures,
        usage=usage,
        unmapped=unmapped,
    )
