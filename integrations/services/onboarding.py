"""Merchant onboarding: sign-up, the Get Started wizard's steps and their validation.

Wizard steps: 1 flows, 2 connect (Business Central, shop, payment provider), 3 settings,
4 test with a real order, 5 go live. Each step's service validates and raises OnboardingError
with a message that says what to do next.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import islice

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from integrations.connectors.businesscentral import (
    BCAccessKeyRejected,
    BCAuthError,
    BCError,
    BusinessCentralClient,
    entities,
    odata,
)
from integrations.connectors.businesscentral.codec import CUSTOMER_NOT_BLOCKED, GL_ACCOUNT_TYPE_POSTING
from integrations.connectors.entra import EntraError
from integrations.connectors.stripe import StripeAuthError, StripeError, account_verify
from integrations.crypto import Secret
from integrations.models import (
    BusinessCentralConnection,
    CountryMapping,
    DimensionMapping,
    Integration,
    PaymentMethodMapping,
    PaymentProviderConnection,
    ShippingMethodMapping,
    ShopConnection,
    Tenant,
    TenantMembership,
)
from integrations.services.base_currency import LocalCurrencyUnknown, integration_base_currency_refresh
from integrations.services.bc_auth import bc_credentials
from integrations.services.payout_configurations import (
    JournalChoices,
    PayoutConfiguration,
    journal_choices_read,
    payout_configurations_save,
    payout_rows,
    payout_rows_missing,
)
from integrations.services.shopify_subscriptions import shop_webhooks_reconcile_queue
from integrations.services.woocommerce_webhooks import woo_webhooks_reconcile_queue
from syncs.errors import classify_exception
from syncs.models import SyncRun
from syncs.services.sync_now import integration_runs_enqueue_now

# Shop payment gateways offered for mapping in the wizard (more can be added in the admin).
SHOP_GATEWAYS = ("shopify_payments", "stripe", "paypal", "manual")
# The wizard's one shipping row covers every method (more specific rows can be added in the admin).
DEFAULT_SHIPPING_CODE = ShippingMethodMapping.CATCH_ALL


# Business Central refused a user Entra signed in (not the token): fixed in BC's user setup.
BC_USER_REFUSED = "BC-011"


class OnboardingError(Exception):
    """A step cannot be completed; the message tells the merchant what to do."""


class CompanyAlreadyConnected(OnboardingError):
    pass


class ConfirmationRequired(OnboardingError):
    """Going live on Production without a successful Sandbox test needs an explicit yes."""


# --- accounts -------------------------------------------------------------------------------------


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


# --- step 1: flows ------------------------------------------------------------------------------------

FLOW_FIELDS = (
    "orders_enabled",
    "refunds_enabled",
    "customers_enabled",
    "products_enabled",
    "products_bidirectional",
    "stock_enabled",
    "payouts_enabled",
)


def integration_flows_save(*, integration: Integration, flows: dict[str, bool]) -> Integration:
    if not any(flows.get(name) for name in FLOW_FIELDS if name != "products_bidirectional"):
        raise OnboardingError(_("Choose at least one flow to sync."))
    for name in FLOW_FIELDS:
        setattr(integration, name, bool(flows.get(name)))
    if not integration.products_enabled:
        integration.products_bidirectional = False
    integration.save(update_fields=[*FLOW_FIELDS, "updated_at"])
    # The shop's webhook subscriptions follow the flows (a worker reconciles them with the shop).
    shop_webhooks_reconcile_queue(integration_id=integration.pk)
    woo_webhooks_reconcile_queue(integration_id=integration.pk)
    return integration


# --- step 2: Business Central environment and company -------------------------------------------------


def bc_client_build(
    connection: BusinessCentralConnection, *, environment: str = "", company_id: str = "", company_name: str = ""
):
    """``company_name`` addresses the ODataV4 pages (journal templates and batches)."""
    if connection.is_on_premises:
        return BusinessCentralClient(
            api_root=connection.on_premises_root,
            on_premises=True,
            company_id=company_id,
            company_name=company_name,
            credentials=bc_credentials(connection=connection),
        )
    return BusinessCentralClient(
        api_root=connection.api_root_override or settings.BC_API_ROOT,
        tenant_id=connection.entra_tenant_id,
        environment=environment,
        company_id=company_id,
        company_name=company_name,
        credentials=bc_credentials(connection=connection),
    )


def _signed_in_connection(integration: Integration) -> BusinessCentralConnection:
    connection = BusinessCentralConnection.objects.filter(integration=integration).first()
    if connection is None or not connection.has_credentials:
        if connection is not None and connection.uses_access_key:
            raise OnboardingError(_("Enter the user name and web service access key first."))
        raise OnboardingError(_("Sign in with Microsoft first."))
    return connection


def bc_read(call):
    try:
        return call()
    except EntraError as error:  # the token provider: the sign-in itself failed (already recorded)
        raise OnboardingError(f"{error.code}: {error.entry.title}. {error.entry.remedy}") from None
    except BCAccessKeyRejected as error:
        entry = classify_exception(error).entry
        raise OnboardingError(f"{entry.code}: {entry.title}. {entry.remedy}") from None
    except BCAuthError as error:
        refusal = classify_exception(error)
        if refusal.entry.code == BC_USER_REFUSED:
            # A token Entra just issued, refused by BC itself: licence, company permission, trial.
            entry = refusal.entry
            raise OnboardingError(f"{entry.code}: {entry.title}. {entry.cause} {entry.remedy}") from None
        raise OnboardingError(
            _(
                "Business Central refused this Microsoft account (%(error)s). Sign in with an account that has a "
                "Business Central licence and permissions for customers, items, sales documents and payment "
                "journals."
            )
            % {"error": f"{refusal.entry.code}, {error.code or error.status}"}
        ) from None
    except BCError as error:
        raise OnboardingError(_("Business Central answered with an error: %(error)s") % {"error": error}) from None


def bc_environments_list(*, integration: Integration) -> list:
    connection = _signed_in_connection(integration)
    environments = bc_read(lambda: bc_client_build(connection).list_environments())
    # Sandbox first: the guide recommends testing there before Production.
    return sorted(environments, key=lambda env: (env.type != "Sandbox", env.name))


def bc_companies_list(*, integration: Integration, environment_name: str) -> list:
    connection = _signed_in_connection(integration)
    return bc_read(lambda: bc_client_build(connection, environment=environment_name).list_companies())


def bc_company_select(*, integration: Integration, environment_name: str, company_id: str) -> BusinessCentralConnection:
    connection = _signed_in_connection(integration)
    environment = next((e for e in bc_environments_list(integration=integration) if e.name == environment_name), None)
    if environment is None:
        raise OnboardingError(_("The environment %(name)s was not found. Choose another.") % {"name": environment_name})
    companies = bc_companies_list(integration=integration, environment_name=environment_name)
    company = next((c for c in companies if c.id == company_id), None)
    if company is None:
        raise OnboardingError(_("The company was not found in %(name)s. Choose another.") % {"name": environment_name})
    if connection.company_id and connection.company_id != company_id and integration.went_live_at:
        raise OnboardingError(_("This integration is live; connect another company as a new integration."))
    company_free_check(connection=connection, environment_name=environment_name, company_id=company_id)
    connection.environment_name = environment.name
    if connection.is_on_premises:
        # No environment types on-premises: the merchant said what the server holds when connecting.
        production = BusinessCentralConnection.EnvironmentType.PRODUCTION
        connection.environment_type = connection.environment_type or production
    else:
        connection.environment_type = (
            BusinessCentralConnection.EnvironmentType.PRODUCTION
            if environment.type == "Production"
            else BusinessCentralConnection.EnvironmentType.SANDBOX
        )
    connection.company_id = company.id
    connection.company_name = company.name
    with transaction.atomic():
        connection.save()
        others = company_sharing_integrations(connection=connection)
        if others:
            # Shared company: this integration's documents carry a prefix of their own, so its
            # external document numbers (the exactly-once lookup) never meet another shop's.
            prefix = document_prefix_free(integration=integration, others=others)
            if prefix != integration.document_number_prefix:
                integration.document_number_prefix = prefix
                integration.save(update_fields=["document_number_prefix", "updated_at"])
    _base_currency_refresh(integration=integration, connection=connection)
    return connection


def _base_currency_refresh(*, integration: Integration, connection: BusinessCentralConnection) -> str:
    """The base currency is BC's own LCY (General Ledger Setup), read, never typed."""
    client = bc_client_build(connection, environment=connection.environment_name, company_id=connection.company_id)
    try:
        return bc_read(lambda: integration_base_currency_refresh(integration=integration, client=client))
    except LocalCurrencyUnknown:
        raise OnboardingError(
            _("Business Central has no local currency: fill in LCY Code in General Ledger Setup, then try again.")
        ) from None


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


def document_prefix_free(*, integration: Integration, others: list[Integration]) -> str:
    """A document-number prefix no other integration of the company uses ("S2-", "S3-", ...)."""
    taken = {other.document_number_prefix.upper() for other in others}
    if integration.document_number_prefix and integration.document_number_prefix.upper() not in taken:
        return integration.document_number_prefix
    number = len(others) + 1
    while f"S{number}-" in taken:
        number += 1
    return f"S{number}-"


def company_free_check(*, connection: BusinessCentralConnection, environment_name: str, company_id: str) -> None:
    """Another merchant's company is refused; the tenant's own integrations may share one company."""
    other = (
        BusinessCentralConnection.objects.filter(
            entra_tenant_id=connection.entra_tenant_id, environment_name=environment_name, company_id=company_id
        )
        .exclude(pk=connection.pk)
        .exclude(integration__tenant_id=connection.integration.tenant_id)
        .first()
    )
    if other is None:
        return
    raise CompanyAlreadyConnected(
        _(
            "This company is already connected in another Junipeer account. Choose another company, or ask the "
            "owner of that account to add your shop as an integration there."
        )
    )


# --- step 2: shop and payment provider ------------------------------------------------------------------


def stripe_connect(*, integration: Integration, api_key: str) -> PaymentProviderConnection:
    try:
        account = account_verify(api_key.strip())
    except StripeAuthError:
        raise OnboardingError(_("Stripe refused the key. Use a secret or restricted key with read access.")) from None
    except StripeError as error:
        raise OnboardingError(_("Stripe could not be reached: %(error)s") % {"error": error}) from None
    connection, _created = PaymentProviderConnection.objects.update_or_create(
        integration=integration,
        provider=PaymentProviderConnection.Provider.STRIPE,
        defaults={
            "account_id": account.id,
            "api_key": Secret(api_key.strip()),
            "currencies": list(account.currencies or [account.default_currency]),
            "verified_at": timezone.now(),
            "last_error": "",
        },
    )
    return connection


# --- step 3: settings ------------------------------------------------------------------------------------


# The collective customer choice lists at most this many BC customers (sorted by name). A company
# with more gets a search field instead of a list too long to scroll or to send to the browser.
CUSTOMER_CHOICES_LIMIT = 500


@dataclass
class SetupChoices:
    """Lists read live from the connected BC company, as (code, label) pairs for form choices."""

    tax_areas: list[tuple[str, str]] = field(default_factory=list)
    payment_methods: list[tuple[str, str]] = field(default_factory=list)
    shipment_methods: list[tuple[str, str]] = field(default_factory=list)
    payment_journals: list[tuple[str, str]] = field(default_factory=list)
    accounts: list[tuple[str, str]] = field(default_factory=list)
    # BC bank accounts (not G/L accounts): a payout's transfer lands on one of these.
    bank_accounts: list[tuple[str, str]] = field(default_factory=list)
    # Customers that are not blocked, "number – name" sorted by name (for the collective customers).
    customers: list[tuple[str, str]] = field(default_factory=list)
    # True when BC has more matching customers than CUSTOMER_CHOICES_LIMIT: the list is cut short.
    customers_truncated: bool = False
    customers_limit: int = CUSTOMER_CHOICES_LIMIT
    # Business Central's local currency (LCY), read from its General Ledger Setup.
    base_currency: str = ""
    # The company's own country (Company Information): its domestic VAT group is proposed for it.
    home_country: str = ""
    # Customer payment batches of every Cash Receipts template, and general journal batches.
    journals: JournalChoices | None = None
    # Listed customers' VAT business posting group (OSS: compared with the country's group on save).
    customer_vat_groups: dict[str, str] = field(default_factory=dict)

    @property
    def payment_batches(self) -> list[tuple[str, str]]:
        """Customer payment batches by code (every Cash Receipts template's), for the admin's check."""
        batches = self.journals.cash_receipt_batches if self.journals else []
        return [(batch.code, batch.label) for batch in batches]

    @property
    def journal_templates(self) -> list[tuple[str, str]]:
        batches = self.journals.cash_receipt_batches if self.journals else []
        return [(t, t) for t in sorted({batch.template for batch in batches if batch.template})]

    @property
    def general_batches(self) -> list[tuple[str, str]]:
        return self.journals.general_batches if self.journals else []


def bc_setup_choices(
    *, integration: Integration, customer_search: str = "", customer_numbers: Iterable[str] = ()
) -> SetupChoices:
    """``customer_search`` narrows the customers to those whose name or number contains it;
    ``customer_numbers`` (the chosen collective customers) are always listed if BC has them unblocked."""
    connection = _signed_in_connection(integration)
    if not connection.company_id:
        raise OnboardingError(_("Choose the Business Central company first."))
    client = bc_client_build(
        connection,
        environment=connection.environment_name,
        company_id=connection.company_id,
        company_name=connection.company_name,
    )

    def pairs(entity, key="code"):
        return [(getattr(r, key), f"{getattr(r, key)} – {r.display_name}") for r in client.list_records(entity)]

    def read() -> SetupChoices:
        customers, truncated, vat_groups = _bc_customers(client, search=customer_search, numbers=customer_numbers)
        return SetupChoices(
            tax_areas=pairs(entities.TAX_AREAS),
            payment_methods=pairs(entities.PAYMENT_METHODS),
            shipment_methods=pairs(entities.SHIPMENT_METHODS),
            payment_journals=pairs(entities.CUSTOMER_PAYMENT_JOURNALS),
            accounts=[
                (a.number, f"{a.number} – {a.display_name}")
                for a in client.list_records(entities.ACCOUNTS)
                if a.account_type in ("", GL_ACCOUNT_TYPE_POSTING) and not a.blocked
            ],
            bank_accounts=[
                (b.number, f"{b.number} – {b.display_name}")
                for b in client.list_records(entities.BANK_ACCOUNTS)
                if not b.blocked
            ],
            customers=customers,
            customers_truncated=truncated,
            home_country=(client.company_information().country or "").upper(),
            journals=journal_choices_read(client),
            customer_vat_groups=vat_groups,
        )

    choices = bc_read(read)
    choices.base_currency = _base_currency_refresh(integration=integration, connection=connection)
    return choices


def bc_locations_list(*, integration: Integration) -> list[tuple[str, str]]:
    """BC's locations (API v2.0 ``locations``) as (code, "code – name"), for the stock location step."""
    connection = _signed_in_connection(integration)
    if not connection.company_id:
        raise OnboardingError(_("Choose the Business Central company first."))
    client = bc_client_build(connection, environment=connection.environment_name, company_id=connection.company_id)
    rows = bc_read(lambda: client.list_records(entities.LOCATIONS, select=["code", "displayName"]))
    return [(r.code, f"{r.code} – {r.display_name}" if r.display_name else r.code) for r in rows]


_CUSTOMER_FIELDS = ["number", "displayName", "blocked", "taxAreaId"]


def _bc_customers(client, *, search: str, numbers: Iterable[str]) -> tuple[list[tuple[str, str]], bool, dict[str, str]]:
    """Unblocked customers sorted by name, at most CUSTOMER_CHOICES_LIMIT, plus the given numbers; and
    each listed customer's VAT business posting group (its taxAreaId's code)."""
    search = (search or "").strip()
    # BC refuses "or" across two fields, so a search reads the name matches and the number matches apart.
    queries = [f"contains({name},{odata.literal(search)})" for name in ("displayName", "number")] if search else [None]
    found: dict = {}
    truncated = False
    for query in queries:
        rows = client.iter_records(
            entities.CUSTOMERS,
            filter=query,
            select=_CUSTOMER_FIELDS,
            orderby="displayName",
            page_size=CUSTOMER_CHOICES_LIMIT + 1,
        )
        unblocked = islice((c for c in rows if not _customer_blocked(c)), CUSTOMER_CHOICES_LIMIT + 1)
        found |= {c.number: c for c in unblocked}
    ordered = sorted(found.values(), key=lambda c: (c.display_name.casefold(), c.number))
    if len(ordered) > CUSTOMER_CHOICES_LIMIT:
        truncated, ordered = True, ordered[:CUSTOMER_CHOICES_LIMIT]
    listed = {c.number for c in ordered}
    wanted = sorted({n for n in numbers if n} - listed)
    if wanted:
        extra = client.list_records(entities.CUSTOMERS, filter=odata.any_of("number", wanted), select=_CUSTOMER_FIELDS)
        ordered += [c for c in extra if not _customer_blocked(c)]
        ordered.sort(key=lambda c: (c.display_name.casefold(), c.number))
    group_by_id = {area.id: area.code for area in client.list_records(entities.TAX_AREAS)} if ordered else {}
    vat_groups = {c.number: group_by_id.get(c.tax_area_id, "") for c in ordered}
    return [(c.number, f"{c.number} – {c.display_name}") for c in ordered], truncated, vat_groups


def _customer_blocked(customer) -> bool:
    # BC's Blocked is " " (not blocked; "_x0020_" on the wire, decoded by the connector), "Ship",
    # "Invoice" or "All": any of the last three stops our documents.
    return (customer.blocked or CUSTOMER_NOT_BLOCKED) != CUSTOMER_NOT_BLOCKED


# A payout configuration as the wizard (and the demo) saves it.
PayoutAccounts = PayoutConfiguration


def payout_currencies(*, integration: Integration) -> list[tuple[str, str]]:
    """(provider, currency) pairs that need a payout configuration when the payouts flow is on."""
    return [(row.provider, row.currency) for row in payout_rows(integration=integration)]


@transaction.atomic
def integration_settings_save(
    *,
    integration: Integration,
    customer_strategy: str,
    document_type: str,
    payment_journal_template: str,
    payment_journal_batch: str,
    payment_methods: dict[str, str],
    shipment_method: str,
    freight_account: str,
    countries: dict[str, str],
    payout_accounts: Iterable[PayoutAccounts] = (),
    collective_customers: Mapping[str, str] | None = None,
) -> Integration:
    """Save the required settings; everything is replaced, so the form is the truth.

    ``collective_customers`` (country -> BC customer number) is required for every country with the
    collective customer strategy; ``None`` leaves the stored collective customers as they are."""
    if not any(payment_methods.values()):
        raise OnboardingError(_("Map at least one payment method to a Business Central payment method."))
    if not countries:
        raise OnboardingError(_("Add every country you sell to, with its VAT business posting group."))
    missing = sorted(code for code, group in countries.items() if not group)
    if missing:
        raise OnboardingError(
            _("Choose a VAT business posting group for: %(countries)s.") % {"countries": ", ".join(missing)}
        )
    if collective_customers is not None and customer_strategy == Integration.CustomerStrategy.COLLECTIVE_PER_COUNTRY:
        missing = sorted(code for code in countries if not collective_customers.get(code))
        if missing:
            raise OnboardingError(
                _("Choose the collective customer for: %(countries)s.") % {"countries": ", ".join(missing)}
            )
    integration.customer_strategy = customer_strategy
    integration.document_type = document_type
    integration.payment_journal_template = payment_journal_template
    integration.payment_journal_batch = payment_journal_batch
    integration.full_clean()
    integration.save()

    integration.payment_method_mappings.exclude(shop_gateway__in=[g for g, c in payment_methods.items() if c]).delete()
    for gateway, code in payment_methods.items():
        if code:
            PaymentMethodMapping.objects.update_or_create(
                integration=integration, shop_gateway=gateway, defaults={"bc_payment_method_code": code}
            )
    ShippingMethodMapping.objects.update_or_create(
        integration=integration,
        shop_shipping_code=DEFAULT_SHIPPING_CODE,
        defaults={
            "bc_shipment_method_code": shipment_method,
            "line_type": ShippingMethodMapping.LineType.ACCOUNT,
            "line_number": freight_account,
        },
    )
    integration.country_mappings.exclude(country_code__in=list(countries)).delete()
    for code, group in countries.items():
        defaults = {"vat_business_group": group}
        if collective_customers is not None:
            defaults["collective_customer_number"] = collective_customers.get(code, "")
        CountryMapping.objects.update_or_create(integration=integration, country_code=code, defaults=defaults)
    payout_configurations_save(integration=integration, configurations=payout_accounts)
    if integration.live_mode:  # new mappings apply at once: records that waited for them go now
        integration_runs_enqueue_now(integration_id=integration.pk, trigger=SyncRun.Trigger.SETTINGS)
    return integration


ORDER_OPTION_FIELDS = (
    "sync_test_orders",
    "order_tags_required",
    "order_tags_excluded",
    "order_sales_channels",
    "order_max_risk",
    "document_number_prefix",
    "salesperson_code",
    "location_code",
    "fulfil_from_bc_shipments",
    "write_back_metafield",
    "write_back_tag",
)


@transaction.atomic
def integration_order_options_save(
    *, integration: Integration, options: Mapping[str, object], dimension_rules: Iterable[tuple[str, str, str, str]]
) -> Integration:
    """Order filters, document header defaults (prefix, salesperson, location, dimensions) and what
    goes back to the shop. A live integration keeps its document-number prefix: its documents in
    Business Central are found again by it."""
    prefix = str(options.get("document_number_prefix") or "").strip()
    if integration.went_live_at and prefix != integration.document_number_prefix:
        raise OnboardingError(
            _(
                "The document number prefix cannot change after going live: documents already in Business "
                "Central carry it."
            )
        )
    connection = getattr(integration, "bc_connection", None)
    if connection is not None:
        clash = [
            other.name
            for other in company_sharing_integrations(connection=connection)
            if other.document_number_prefix.upper() == prefix.upper()
        ]
        if clash:
            raise OnboardingError(
                _("The document number prefix %(prefix)s is already used by %(integrations)s in this company.")
                % {"prefix": prefix or "-", "integrations": ", ".join(clash)}
            )
    for name in ORDER_OPTION_FIELDS:
        value = options.get(name)
        if isinstance(value, str):
            value = value.strip()
            if name in ("salesperson_code", "location_code"):
                value = value.upper()
        setattr(integration, name, value if value is not None else integration._meta.get_field(name).get_default())
    integration.document_number_prefix = prefix
    integration.full_clean()
    integration.save()
    integration.dimension_mappings.all().delete()
    rules = {(source, value, dimension): code for source, value, dimension, code in dimension_rules}  # last one wins
    DimensionMapping.objects.bulk_create(
        DimensionMapping(
            integration=integration,
            source=source,
            source_value=value,
            dimension_code=dimension,
            dimension_value_code=code,
        )
        for (source, value, dimension), code in rules.items()
    )
    return integration


# --- step 4: test with a real order -------------------------------------------------------------------------


def order_preview_available() -> bool:
    try:
        module = importlib.import_module("syncs.services.orders.preview")
    except ImportError:
        return False
    return hasattr(module, "order_preview")


def integration_test_order(*, integration: Integration, order_name: str, write: bool = False, clients=None):
    """Test one real shop order: a preview everywhere; with ``write`` in a Sandbox company the document
    is really created (and posted, when so configured), exactly once. In a Production company a
    write is refused with BC-801 and the preview stays. Returns the outcome (preview, document, errors)."""
    if not order_preview_available():
        raise OnboardingError(_("The order flow is not installed, so a test order cannot be previewed yet."))
    bc = BusinessCentralConnection.objects.filter(integration=integration).first()
    if bc is None or not bc.is_connected or not ShopConnection.objects.filter(integration=integration).exists():
        raise OnboardingError(_("Connect Business Central and the shop in step 2 first, then preview a test order."))
    order_test = importlib.import_module("syncs.services.order_test")
    runner = order_test.order_test_run if write else order_test.order_test_preview
    outcome = runner(integration=integration, order_name=order_name.strip(), clients=clients)
    sandbox = bc.environment_type == BusinessCentralConnection.EnvironmentType.SANDBOX
    if not outcome.preview.ok or (write and sandbox and not outcome.written):
        return outcome  # shown with its errors; not a passed test
    integration.test_order_passed_at = timezone.now()
    updates = ["updated_at", "test_order_passed_at"]
    if sandbox:
        integration.sandbox_test_passed_at = timezone.now()
        updates.append("sandbox_test_passed_at")
    if integration.status == Integration.Status.DRAFT:
        integration.status = Integration.Status.TESTING
        updates.append("status")
    integration.save(update_fields=updates)
    return outcome


# --- step 5: go live ---------------------------------------------------------------------------------------------


class PreflightBlocked(OnboardingError):
    """The health check found problems that would make syncs fail; the merchant fixes them first."""

    def __init__(self, message: str, *, preflight_run_id: int, failures: list) -> None:
        super().__init__(message)
        self.preflight_run_id = preflight_run_id
        self.failures = failures


def _preflight_gate(*, integration: Integration, bc_client=None) -> None:
    # The preflight writes its own run row (history), so it runs outside the go-live transaction.
    from syncs.preflight.services import preflight_blocking_failures, preflight_run

    run = preflight_run(integration_id=integration.pk, trigger="wizard", client=bc_client)
    failures = preflight_blocking_failures(run)
    if failures:
        raise PreflightBlocked(
            _("The health check found %(count)s problem(s) in Business Central. Fix them, then go live.")
            % {"count": len(failures)},
            preflight_run_id=run.pk,
            failures=failures,
        )


def integration_go_live(*, integration: Integration, confirm_production: bool = False, bc_client=None) -> Integration:
    """Run the preflight (blocking on failures), then switch live mode on and schedule the flows."""
    _go_live_preconditions(integration=integration, confirm_production=confirm_production)
    _preflight_gate(integration=integration, bc_client=bc_client)
    integration = _go_live_switch(integration=integration)

    from syncs.services.schedules import schedules_sync

    transaction.on_commit(schedules_sync)
    # The first invoice should not wait for the first tick of the schedule.
    integration_runs_enqueue_now(integration_id=integration.pk, trigger=SyncRun.Trigger.GO_LIVE)
    return integration


def _go_live_preconditions(*, integration: Integration, confirm_production: bool) -> None:
    state = wizard_state(integration=integration)
    # Flows, connections, settings and a real order that previews cleanly come before live mode.
    blocking = [step for step in state.steps[:4] if not step.done]
    if blocking:
        raise OnboardingError(_("Finish “%(step)s” first.") % {"step": blocking[0].title})
    connection = integration.bc_connection
    untested_production = (
        connection.environment_type == BusinessCentralConnection.EnvironmentType.PRODUCTION
        and integration.sandbox_test_passed_at is None
    )
    if untested_production and not confirm_production:
        raise ConfirmationRequired(
            _(
                "You are going live on a Production environment without a successful test in a Sandbox. "
                "Confirm that you want to write to your live books."
            )
        )


@transaction.atomic
def _go_live_switch(*, integration: Integration) -> Integration:
    now = timezone.now()
    integration.live_mode = True
    integration.allow_writes = True
    integration.status = Integration.Status.LIVE
    integration.went_live_at = integration.went_live_at or now
    # Only orders from now on: history is backfilled on purpose, not by accident. Shops report an
    # order's time in whole seconds, so the cut-off starts at the whole second: an order placed in the
    # same second as go-live is not lost.
    integration.order_exclusion_date = integration.order_exclusion_date or now.replace(microsecond=0)
    integration.save()
    return integration


# --- wizard state ---------------------------------------------------------------------------------------------


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
