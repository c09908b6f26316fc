"""Wizard step 3: the choices read from the BC company and the required settings saved."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import islice

from django.db import transaction
from django.utils.translation import gettext as _

from integrations.connectors.businesscentral import (
    entities,
    odata,
)
from integrations.connectors.businesscentral.codec import CUSTOMER_NOT_BLOCKED, GL_ACCOUNT_TYPE_POSTING
from integrations.models import (
    CountryMapping,
    Integration,
    PaymentMethodMapping,
    ShippingMethodMapping,
)
from integrations.services.onboarding.bc_company import (
    base_currency_refresh,
    bc_client_build,
    bc_read,
    signed_in_connection,
)
from integrations.services.onboarding.errors import (
    OnboardingError,
)
from integrations.services.payout_configurations import (
    JournalChoices,
    PayoutConfiguration,
    journal_choices_read,
    payout_configurations_save,
)
from syncs.models import SyncRun
from syncs.services.sync_now import integration_runs_enqueue_now

# Shop payment gateways offered for mapping in the wizard (more can be added in the admin).
SHOP_GATEWAYS = ("shopify_payments", "stripe", "paypal", "manual")
# The wizard's one shipping row covers every method (more specific rows can be added in the admin).
DEFAULT_SHIPPING_CODE = ShippingMethodMapping.CATCH_ALL

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
    connection = signed_in_connection(integration)
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
    choices.base_currency = base_currency_refresh(integration=integration, connection=connection)
    return choices


def bc_locations_list(*, integration: Integration) -> list[tuple[str, str]]:
    """BC's locations (API v2.0 ``locations``) as (code, "code – name"), for the stock location step."""
    connection = signed_in_connection(integration)
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
    queries: list[str | None] = (
        [f"contains({name},{odata.literal(search)})" for name in ("displayName", "number")] if search else [None]
    )
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
    payout_accounts: Iterable[PayoutConfiguration] = (),
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
