"""Read-side of the integrations app. Every merchant read is scoped to the user's tenant."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from integrations.models import BusinessCentralConnection, Integration, ShopConnection, Tenant
from integrations.services.payout_configurations import payout_rows, payout_rows_missing


def tenant_for_user(*, user) -> Tenant | None:
    if not user.is_authenticated:
        return None
    return Tenant.objects.filter(memberships__user=user).first()


def integration_list_for_user(*, user) -> QuerySet[Integration]:
    if not user.is_authenticated:
        return Integration.objects.none()
    return (
        Integration.objects.filter(tenant__memberships__user=user)
        .select_related("tenant", "bc_connection", "shop_connection")
        .order_by("name", "pk")
    )


def integration_get_for_user(*, user, integration_id: int) -> Integration:
    """The user's integration, or Http404 (never 403: another tenant's ids are not revealed)."""
    integration = integration_list_for_user(user=user).filter(pk=integration_id).first()
    if integration is None:
        raise Http404("No such integration.")
    return integration


def bc_connection_for_integration(*, integration: Integration) -> BusinessCentralConnection | None:
    return BusinessCentralConnection.objects.filter(integration=integration).first()


def integration_for_shop_install(*, user, shop_domain: str) -> Integration | None:
    """The integration an install from Shopify belongs to: the one with that shop, else the user's
    first integration without a connected shop."""
    integrations = integration_list_for_user(user=user)
    return (
        integrations.filter(shop_connection__shop_domain=shop_domain).first()
        or integrations.filter(Q(shop_connection__isnull=True) | Q(shop_connection__verified_at__isnull=True)).first()
    )


# --- Business Central companies shared by the tenant's integrations ------------------------------------


def company_sharing_integrations(*, connection: BusinessCentralConnection, company_id: str = "") -> list[Integration]:
    """The tenant's other integrations connected to the same BC company (environment and company)."""
    company_id = company_id or connection.company_id
    if not company_id:
        return []
    others = (
        BusinessCentralConnection.objects.filter(
            integration__tenant_id=connection.integration.tenant_id,
            entra_tenant_id=connection.entra_tenant_id,
            environment_name=connection.environment_name,
            company_id=company_id,
        )
        .exclude(pk=connection.pk)
        .select_related("integration")
        .order_by("integration__name")
    )
    return [other.integration for other in others]


def company_usage(*, integration: Integration, environment_name: str) -> dict[str, list[str]]:
    """BC company id -> names of the tenant's other integrations connected to it in ``environment_name``."""
    connection = getattr(integration, "bc_connection", None)
    if connection is None:
        return {}
    usage: dict[str, list[str]] = {}
    others = (
        BusinessCentralConnection.objects.filter(
            integration__tenant_id=integration.tenant_id,
            entra_tenant_id=connection.entra_tenant_id,
            environment_name=environment_name,
        )
        .exclude(pk=connection.pk)
        .exclude(company_id="")
        .select_related("integration")
        .order_by("integration__name")
    )
    for other in others:
        usage.setdefault(other.company_id, []).append(other.integration.name)
    return usage


# --- the Get Started wizard ----------------------------------------------------------------------------

FLOW_FIELDS = (
    "orders_enabled",
    "refunds_enabled",
    "customers_enabled",
    "products_enabled",
    "products_bidirectional",
    "stock_enabled",
    "payouts_enabled",
)


def payout_currencies(*, integration: Integration) -> list[tuple[str, str]]:
    """(provider, currency) pairs that need a payout configuration when the payouts flow is on."""
    return [(row.provider, row.currency) for row in payout_rows(integration=integration)]


@dataclass(frozen=True)
class WizardStep:
    number: int
    slug: str
    title: str
    done: bool
    hint: str


@dataclass(frozen=True)
class WizardState:
    steps: list[WizardStep]

    @property
    def current(self) -> WizardStep:
        return next((step for step in self.steps if not step.done), self.steps[-1])


def settings_missing(*, integration: Integration) -> list[str]:
    missing = []
    # The integration's own batch books only payments marked paid at sync (payouts have their own).
    if not integration.payment_journal_batch and integration.payment_method_mappings.filter(mark_as_paid=True).exists():
        missing.append(_("payment journal batch"))
    if not integration.payment_method_mappings.exists():
        missing.append(_("payment method mapping"))
    if not integration.shipping_method_mappings.exists():
        missing.append(_("shipping mapping"))
    if not integration.country_mappings.exists():
        missing.append(_("countries and VAT business posting groups"))
    without_customer = collective_customers_missing(integration=integration)
    if without_customer:
        missing.append(_("collective customer for %(countries)s") % {"countries": ", ".join(without_customer)})
    if stock_locations_needed(integration=integration):
        missing.append(_("stock locations"))
    if payout_rows_missing(integration=integration):
        missing.append(_("payout accounts"))
    return missing


def stock_locations_needed(*, integration: Integration) -> bool:
    """Stock to a Shopify shop needs a location mapping (a WooCommerce store has no locations)."""
    if not integration.stock_enabled or integration.location_mappings.exists():
        return False
    shop = ShopConnection.objects.filter(integration=integration).first()
    return shop is None or shop.platform == ShopConnection.Platform.SHOPIFY


def collective_customers_missing(*, integration: Integration) -> list[str]:
    """Countries without a collective customer while the strategy needs one (every order would fail)."""
    if integration.customer_strategy != Integration.CustomerStrategy.COLLECTIVE_PER_COUNTRY:
        return []
    return sorted(
        integration.country_mappings.filter(collective_customer_number="").values_list("country_code", flat=True)
    )


def wizard_state(*, integration: Integration) -> WizardState:
    bc = BusinessCentralConnection.objects.filter(integration=integration).first()
    shop = ShopConnection.objects.filter(
        integration=integration, verified_at__isnull=False, uninstalled_at__isnull=True
    ).exists()
    flows = any(getattr(integration, name) for name in FLOW_FIELDS)
    bc_done = bool(bc and bc.is_connected)
    missing = settings_missing(integration=integration)
    tested = integration.test_order_passed_at is not None
    return WizardState(
        steps=[
            WizardStep(1, "flows", _("Choose flows"), flows, _("Choose what to sync and in which direction.")),
            WizardStep(
                2,
                "connect",
                _("Connect systems"),
                bc_done and shop,
                _("Sign in with Microsoft and choose a company, then connect your shop."),
            ),
            WizardStep(
                3,
                "settings",
                _("Settings"),
                bc_done and not missing,
                _("Still needed: %(items)s.") % {"items": ", ".join(missing)} if missing else _("All set."),
            ),
            WizardStep(4, "test", _("Test with a real order"), tested, _("Preview one real order.")),
            WizardStep(5, "live", _("Go live"), integration.live_mode, _("Switch on live mode.")),
        ]
    )
