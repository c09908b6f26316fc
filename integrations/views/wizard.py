"""The Get Started wizard. Resumable: each page reads the stored state, so a merchant can leave
and come back; each POST validates through one service and says what to do next."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
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
from integrations.selectors import integration_get_for_user
from integrations.services import onboarding as svc
from integrations.services.mapping_proposals import go_live_warnings_get, settings_proposals_get
from integrations.services.oss_check import matched_customer_numbers, matched_customer_vat_mismatches
from integrations.services.payout_configurations import batch_initial, batch_value_split, payout_initial
from integrations.services.payout_configurations import payout_rows as payout_rows_get
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
    state = svc.wizard_state(integration=integration)
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
    current = svc.wizard_state(integration=integration).current
    return redirect(STEP_URLS[current.slug], integration_id=integration.pk)


@login_required
@require_http_methods(["GET", "POST"])
def wizard_flows(request, integration_id: int):
    integration = integration_get_for_user(user=request.user, integration_id=integration_id)
    initial = {name: getattr(integration, name) for name in svc.FLOW_FIELDS}
    initial["products_direction"] = "both" if integration.products_bidirectional else "bc_to_shop"
    form = FlowsForm(posted_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            svc.integration_flows_save(integration=integration, flows=form.flows())
        except svc.OnboardingError as error:
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
            svc.stripe_connect(integration=integration, api_key=form.cleaned_data["api_key"])
        except svc.OnboardingError as error:
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
    mappings = list(integration.country_mappings.order_by("pk"))
    data = posted_data(request)
    # The chosen collective customers stay in the lists even when a search or the size limit hides them.
    chosen = {m.collective_customer_number for m in mappings}
    chosen |= matched_customer_numbers(integration=integration)  # OSS: their VAT group is compared too
    if data is not None:
        chosen |= {value for key, value in data.items() if key.startswith("collective__")}
    try:
        choices = svc.bc_setup_choices(
            integration=integration,
            customer_search=(data or {}).get("customer_search", ""),
            customer_numbers=chosen,
        )
    except svc.OnboardingError as error:
        return _page(request, integration, "merchant/wizard/settings.html", 3, error=str(error), form=None)
    payout_rows = payout_rows_get(integration=integration)
    # Rows proposed from the shop's recent orders: every gateway it used, every country it shipped to.
    proposals = settings_proposals_get(
        integration=integration, choices=choices, now=timezone.now(), usual_gateways=svc.SHOP_GATEWAYS
    )
    countries = [m.country_code for m in mappings] or proposals.countries
    initial = {
        "customer_strategy": integration.customer_strategy,
        "document_type": integration.document_type,
        "payment_journal_batch": batch_initial(
            choices, integration.payment_journal_template, integration.payment_journal_batch
        ),
        "countries": ", ".join(countries),
        **{name: getattr(integration, name) for name in svc.ORDER_OPTION_FIELDS},
        "dimension_rules": dimension_rules_text(integration.dimension_mappings.all()),
        **{f"vat__{m.country_code}": m.vat_business_group for m in mappings},
        **{f"collective__{m.country_code}": m.collective_customer_number for m in mappings},
        **{f"pm__{m.shop_gateway}": m.bc_payment_method_code for m in integration.payment_method_mappings.all()},
        **payout_initial(choices, integration.payout_account_mappings.all()),
    }
    proposed = {f"pm__{g}": code for g, code in proposals.payment_methods.items()}
    proposed |= {f"vat__{c}": group for c, group in proposals.vat_groups.items()}
    initial = {**{name: value for name, value in proposed.items() if value}, **initial}
    shipping = integration.shipping_method_mappings.filter(shop_shipping_code=svc.DEFAULT_SHIPPING_CODE).first()
    if shipping:
        initial |= {"shipment_method": shipping.bc_shipment_method_code, "freight_account": shipping.line_number}
    form_options = {"choices": choices, "gateways": proposals.gateways, "payout_rows": payout_rows}
    vat_mismatches = matched_customer_vat_mismatches(
        integration=integration, customer_vat_groups=choices.customer_vat_groups
    )
    if data is not None and "search_customers" in data:
        # Only the customer lists change: show the entered values again, unsaved and without errors.
        countries = countries_parse(data.get("countries", ""))
        form = SettingsForm(initial=data.dict(), countries=countries, **form_options)
        return _page(
            request,
            integration,
            "merchant/wizard/settings.html",
            3,
            form=form,
            proposals=proposals,
            vat_mismatches=vat_mismatches,
        )
    form = SettingsForm(data, initial=initial, countries=countries, **form_options)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():  # the required settings and the order options: both or neither
                svc.integration_settings_save(
                    integration=integration,
                    customer_strategy=data["customer_strategy"],
                    document_type=data["document_type"],
                    payment_journal_template=batch_value_split(data["payment_journal_batch"])[0],
                    payment_journal_batch=batch_value_split(data["payment_journal_batch"])[1],
                    payment_methods={g: data.get(f"pm__{g}", "") for g in proposals.gateways},
                    shipment_method=data["shipment_method"],
                    freight_account=data["freight_account"],
                    countries={code: data.get(f"vat__{code}", "") for code in data["countries"]},
                    collective_customers=form.collective_customers(),
                    payout_accounts=form.payout_configurations(),
                )
                svc.integration_order_options_save(
                    integration=integration,
                    options={name: data.get(name) for name in svc.ORDER_OPTION_FIELDS},
                    dimension_rules=data.get("dimension_rules") or [],
                )
        except svc.OnboardingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Settings saved."))
            if svc.stock_locations_needed(integration=integration):
                return redirect("merchant:wizard_stock_locations", integration_id=integration.pk)
            return redirect("merchant:wizard_test", integration_id=integration.pk)
    status = 400 if form.is_bound else 200
    return _page(
        request,
        integration,
        "merchant/wizard/settings.html",
        3,
        status=status,
        form=form,
        proposals=proposals,
        vat_mismatches=vat_mismatches,
    )


@login_required
@require_http_methods(["GET", "POST"])
def wizard_stock_locations(request, integration_id: int):
    """Part of step 3: which shop location receives the stock of which Business Central location."""
    integration = integration_get_for_user(user=request.user, integration_id=integration_id)
    template = "merchant/wizard/stock_locations.html"
    try:
        choices = stock_location_choices_get(integration=integration)
    except svc.OnboardingError as error:
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
        except svc.OnboardingError as error:
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
            outcome = svc.integration_test_order(
                integration=integration,
                order_name=form.cleaned_data["order_name"],
                write=request.POST.get("action") == "create",
            )
        except svc.OnboardingError as error:
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
        available=svc.order_preview_available(),
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
            svc.integration_go_live(integration=integration, confirm_production=form.cleaned_data["confirm_production"])
        except svc.ConfirmationRequired as error:
            needs_confirmation = True
            form.add_error(None, str(error))
        except svc.PreflightBlocked as error:
            preflight_failures = error.failures
            form.add_error(None, str(error))
        except svc.OnboardingError as error:
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
