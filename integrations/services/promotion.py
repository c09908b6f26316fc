"""Moving a live Sandbox integration to a Production company.

Three steps, each a service: ``promotion_targets`` lists BC's Production environments and their
companies (read live); ``promotion_check`` compares every code the settings name with the Production
company's own records (and the Sandbox's, for renamed ones); ``integration_promote`` checks again,
runs the health check against Production, then switches in one transaction.

The Sandbox's history is kept apart: its records (RecordLinks), runs and their log, cursors,
payouts and health checks move to an archived "Sandbox history" integration of the same merchant.
Production starts with none of them, so nothing written to the Sandbox ever reads as "already synced"
in Production, and the Sandbox history stays readable.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integrations.connectors.businesscentral import BusinessCentralClient, client_for_connection, entities, odata
from integrations.connectors.businesscentral.codec import GL_ACCOUNT_TYPE_POSTING
from integrations.models import BusinessCentralConnection, Integration
from integrations.selectors import FLOW_FIELDS
from integrations.services.base_currency import LocalCurrencyUnknown, bc_local_currency_read
from integrations.services.bc_auth import bc_credentials
from integrations.services.onboarding.bc_company import (
    bc_companies_list,
    bc_environments_list,
    bc_read,
    company_free_check,
)
from integrations.services.onboarding.errors import OnboardingError, PreflightBlocked
from syncs.errors import ProductError
from syncs.models import FlowLease, Payout, PreflightRun, RecordLink, SyncCursor, SyncLogEntry, SyncRun
from syncs.preflight.services import preflight_blocking_failures, preflight_run
from syncs.services.schedules import schedules_sync
from syncs.services.sync_now import integration_runs_enqueue_now

NOT_PROMOTABLE = "BC-803"
PRODUCTION_LACKS = "BC-804"
PRODUCTION = BusinessCentralConnection.EnvironmentType.PRODUCTION
SANDBOX = BusinessCentralConnection.EnvironmentType.SANDBOX

# What a setting names in BC, in the merchant's words.
KINDS = {
    "payment_method": gettext_lazy("Payment method"),
    "shipment_method": gettext_lazy("Shipment method"),
    "tax_area": gettext_lazy("VAT business posting group"),
    "tax_group": gettext_lazy("VAT product posting group"),
    "account": gettext_lazy("G/L account"),
    "bank_account": gettext_lazy("Bank account"),
    "journal": gettext_lazy("Payment journal batch"),
    "customer": gettext_lazy("Customer"),
    "item": gettext_lazy("Item"),
    "currency": gettext_lazy("Currency"),
    "payment_terms": gettext_lazy("Payment terms"),
    "location": gettext_lazy("Location"),
    "lcy": gettext_lazy("Local currency (LCY)"),
}


class PromotionRefused(OnboardingError):
    """The integration cannot move (not a live Sandbox, or not to this company); coded."""

    def __init__(self, code: str, **params) -> None:
        self.error = ProductError(code, **params)
        super().__init__(f"{code}: {self.error.message}")
        self.code = code


@dataclass(frozen=True)
class PromotionTarget:
    environment_name: str
    company_id: str
    company_name: str


@dataclass(frozen=True)
class Difference:
    kind: str  # a KINDS key
    code: str
    used_by: str  # which setting names it, in the merchant's words
    sandbox_name: str = ""
    production_name: str = ""

    @property
    def missing(self) -> bool:
        return not self.production_name

    @property
    def kind_label(self) -> str:
        return str(KINDS[self.kind])


@dataclass
class PromotionCheck:
    target: PromotionTarget
    differences: list[Difference] = field(default_factory=list)

    @property
    def missing(self) -> list[Difference]:
        return [d for d in self.differences if d.missing]

    @property
    def renamed(self) -> list[Difference]:
        return [d for d in self.differences if not d.missing]

    @property
    def ok(self) -> bool:
        return not self.missing


# --- preconditions and targets --------------------------------------------------------------------


def promotion_available(*, integration: Integration) -> bool:
    """A live integration connected to a Sandbox company of BC online."""
    connection = getattr(integration, "bc_connection", None)
    return bool(
        integration.live_mode
        and connection is not None
        and connection.is_connected
        and not connection.is_on_premises
        and connection.environment_type == SANDBOX
    )


def _require_promotable(integration: Integration) -> BusinessCentralConnection:
    if not promotion_available(integration=integration):
        raise PromotionRefused(NOT_PROMOTABLE, why=_("it is not live in a Sandbox company of Business Central online."))
    return integration.bc_connection


def promotion_environments(*, integration: Integration) -> list:
    """BC's Production environments the signed-in user reaches (read live)."""
    _require_promotable(integration)
    return [env for env in bc_environments_list(integration=integration) if env.type == "Production"]


def promotion_companies(*, integration: Integration, environment_name: str) -> list:
    _require_promotable(integration)
    return bc_companies_list(integration=integration, environment_name=environment_name)


def promotion_target_resolve(*, integration: Integration, environment_name: str, company_id: str) -> PromotionTarget:
    """The chosen Production company, checked against BC's live lists (never taken from the form alone)."""
    connection = _require_promotable(integration)
    environment = next((e for e in promotion_environments(integration=integration) if e.name == environment_name), None)
    if environment is None:
        raise PromotionRefused(NOT_PROMOTABLE, why=_("the chosen environment is not a Production environment."))
    company = next(
        (
            c
            for c in promotion_companies(integration=integration, environment_name=environment_name)
            if c.id == company_id
        ),
        None,
    )
    if company is None:
        raise OnboardingError(_("The company was not found in %(name)s. Choose another.") % {"name": environment_name})
    company_free_check(connection=connection, environment_name=environment_name, company_id=company_id)
    return PromotionTarget(environment_name=environment.name, company_id=company.id, company_name=company.name)


# --- what the settings name, and what each company has ---------------------------------------------


def _references(integration: Integration) -> list[tuple[str, str, str]]:
    """(kind, code, used by) for every BC code the settings name."""
    refs: list[tuple[str, str, str]] = []

    def add(kind: str, code: str, used_by: str) -> None:
        if code:
            refs.append((kind, code.strip(), used_by))

    add("journal", integration.payment_journal_batch, _("Payment journal batch"))
    for name, label in (
        ("fallback_gl_account", _("G/L account for unmapped SKUs")),
        ("gift_card_gl_account", _("Gift card account")),
        ("refund_gl_account", _("Refund account")),
        ("rounding_gl_account", _("Rounding account")),
    ):
        add("account", getattr(integration, name), label)
    for payment in integration.payment_method_mappings.all():
        used_by = _("Payment method mapping")
        add("payment_method", payment.bc_payment_method_code, used_by)
        add("account", payment.balancing_account, used_by)
    for shipping in integration.shipping_method_mappings.all():
        used_by = _("Shipping mapping")
        add("shipment_method", shipping.bc_shipment_method_code, used_by)
        add("item" if shipping.line_type == shipping.LineType.ITEM else "account", shipping.line_number, used_by)
        add("tax_group", shipping.vat_product_group, used_by)
    for country in integration.country_mappings.all():
        used_by = _("Country %(country)s") % {"country": country.country_code}
        add("tax_area", country.vat_business_group, used_by)
        add("customer", country.collective_customer_number, used_by)
        if country.currency_code and country.currency_code != integration.base_currency:
            add("currency", country.currency_code, used_by)
        add("payment_terms", country.payment_terms_code, used_by)
        add("payment_method", country.payment_method_code, used_by)
    for tax_class in integration.tax_class_mappings.all():
        add("tax_group", tax_class.vat_product_group, _("Tax class mapping"))
    for location in integration.location_mappings.all():
        add("location", location.bc_location_code, _("Stock locations"))
    for payout in integration.payout_account_mappings.all():
        used_by = _("Payout accounts")
        add("account", payout.clearing_account, used_by)
        add("account", payout.fee_account, used_by)
        add("bank_account", payout.bank_account, used_by)
    return refs


def _names(records, key: str = "code") -> dict[str, str]:
    return {str(getattr(r, key)).upper(): r.display_name for r in records}


def _company_names(client: BusinessCentralClient, refs: list[tuple[str, str, str]]) -> dict[str, dict[str, str]]:
    """{kind: {CODE: name}} for the kinds the settings use: whole lists are short; customers and items
    are read by number only."""
    wanted = {kind for kind, _code, _used in refs}
    found: dict[str, dict[str, str]] = {}
    readers: dict[str, Callable[[], dict[str, str]]] = {
        "payment_method": lambda: _names(client.list_records(entities.PAYMENT_METHODS)),
        "shipment_method": lambda: _names(client.list_records(entities.SHIPMENT_METHODS)),
        "tax_area": lambda: _names(client.list_records(entities.TAX_AREAS)),
        "tax_group": lambda: _names(client.list_records(entities.TAX_GROUPS)),
        "journal": lambda: _names(client.list_records(entities.CUSTOMER_PAYMENT_JOURNALS)),
        "currency": lambda: _names(client.list_records(entities.CURRENCIES)),
        "payment_terms": lambda: _names(client.list_records(entities.PAYMENT_TERMS)),
        "location": lambda: _names(client.list_records(entities.LOCATIONS)),
        "account": lambda: _names(
            [
                a
                for a in client.list_records(entities.ACCOUNTS)
                if a.account_type in ("", GL_ACCOUNT_TYPE_POSTING) and not a.blocked
            ],
            "number",
        ),
        "bank_account": lambda: _names(
            [b for b in client.list_records(entities.BANK_ACCOUNTS) if not b.blocked], "number"
        ),
        "customer": lambda: _by_number(client, entities.CUSTOMERS, refs, "customer"),
        "item": lambda: _by_number(client, entities.ITEMS, refs, "item"),
    }
    for kind in wanted:
        found[kind] = readers[kind]()
    return found


def _by_number(client: BusinessCentralClient, entity, refs, kind: str) -> dict[str, str]:
    numbers = sorted({code for k, code, _used in refs if k == kind})
    rows = client.list_records(entity, filter=odata.any_of("number", numbers)) if numbers else []
    return _names(rows, "number")


def _lcy(client: BusinessCentralClient) -> str:
    try:
        return bc_local_currency_read(client=client)
    except LocalCurrencyUnknown:
        return ""


def promotion_check(
    *,
    integration: Integration,
    target: PromotionTarget,
    production_client: Any | None = None,
    sandbox_client: Any | None = None,
) -> PromotionCheck:
    """Every code the settings name, looked up in the Production company: missing ones block, renamed
    ones (same code, another name than in the Sandbox) are shown for confirmation."""
    connection = _require_promotable(integration)
    production_client = production_client or _production_client(connection, target)
    sandbox_client = sandbox_client or client_for_connection(
        connection, credentials=bc_credentials(connection=connection)
    )
    refs = _references(integration)
    production = bc_read(lambda: _company_names(production_client, refs))
    sandbox = bc_read(lambda: _company_names(sandbox_client, refs))
    check = PromotionCheck(target=target)
    seen: set[tuple[str, str, str]] = set()
    for kind, code, used_by in refs:
        key = (kind, code.upper(), used_by)
        if key in seen:
            continue
        seen.add(key)
        in_production = production.get(kind, {}).get(code.upper())
        in_sandbox = sandbox.get(kind, {}).get(code.upper(), "")
        if in_production is None:
            check.differences.append(Difference(kind, code, used_by, in_sandbox, ""))
        elif in_sandbox and in_production.strip().casefold() != in_sandbox.strip().casefold():
            check.differences.append(Difference(kind, code, used_by, in_sandbox, in_production))
    production_lcy = bc_read(lambda: _lcy(production_client))
    if production_lcy != integration.base_currency:
        check.differences.append(
            Difference("lcy", integration.base_currency, _("Base currency"), integration.base_currency, "")
        )
    return check


# --- the switch -------------------------------------------------------------------------------------


def _production_connection(connection: BusinessCentralConnection, target: PromotionTarget) -> BusinessCentralConnection:
    """The connection as it will be after the move (unsaved): what the checks read."""
    # integration_id, not integration: an unsaved copy must not replace the integration's cached connection.
    return BusinessCentralConnection(
        integration_id=connection.integration_id,
        deployment=connection.deployment,
        entra_tenant_id=connection.entra_tenant_id,
        api_root_override=connection.api_root_override,
        environment_name=target.environment_name,
        environment_type=PRODUCTION,
        company_id=target.company_id,
        company_name=target.company_name,
    )


def _production_client(connection: BusinessCentralConnection, target: PromotionTarget):
    # The same sign-in reaches every environment of the Entra tenant.
    return client_for_connection(
        _production_connection(connection, target), credentials=bc_credentials(connection=connection)
    )


def _preflight(*, integration: Integration, target: PromotionTarget, client: Any) -> PreflightRun:
    production = _production_connection(integration.bc_connection, target)
    return preflight_run(
        integration_id=integration.pk, trigger=PreflightRun.Trigger.PROMOTION, client=client, connection=production
    )


def integration_promote(
    *,
    integration: Integration,
    target: PromotionTarget,
    confirmed: bool,
    production_client: Any | None = None,
    sandbox_client: Any | None = None,
) -> Integration:
    """Check again, run the health check against Production, then switch. Raises PromotionRefused
    (BC-804) while Production lacks a record, OnboardingError without the merchant's yes, and
    PreflightBlocked when the health check fails."""
    connection = _require_promotable(integration)
    production_client = production_client or _production_client(connection, target)
    check = promotion_check(
        integration=integration, target=target, production_client=production_client, sandbox_client=sandbox_client
    )
    if check.missing:
        raise PromotionRefused(
            PRODUCTION_LACKS,
            company=target.company_name,
            items=", ".join(f"{d.kind_label} {d.code}" for d in check.missing),
        )
    if not confirmed:
        raise OnboardingError(_("Confirm that you have read the differences and want to move to Production."))
    run = _preflight(integration=integration, target=target, client=production_client)
    failures = preflight_blocking_failures(run)
    if failures:
        raise PreflightBlocked(
            _("The health check found %(count)s problem(s) in the Production company. Fix them, then try again.")
            % {"count": len(failures)},
            preflight_run_id=run.pk,
            failures=failures,
        )
    return _switch(integration=integration, target=target, keep_preflight_id=run.pk)


@transaction.atomic
def _switch(*, integration: Integration, target: PromotionTarget, keep_preflight_id: int) -> Integration:
    integration = Integration.objects.select_for_update().get(pk=integration.pk)
    connection = BusinessCentralConnection.objects.select_for_update().get(integration=integration)
    if connection.environment_type != SANDBOX or not integration.live_mode:
        raise PromotionRefused(NOT_PROMOTABLE, why=_("it is not live in a Sandbox company of Business Central online."))
    if FlowLease.objects.filter(integration=integration, expires_at__gt=timezone.now()).exclude(holder="").exists():
        raise OnboardingError(_("A sync is running right now. Try again in a minute."))
    now = timezone.now()
    archive = Integration.objects.create(
        tenant=integration.tenant,
        name=(
            _("%(name)s – Sandbox history (%(environment)s, %(company)s)")
            % {"name": integration.name, "environment": connection.environment_name, "company": connection.company_name}
        )[:200],
        status=Integration.Status.ARCHIVED,
        **{name: False for name in FLOW_FIELDS},  # history only: nothing is scheduled or synced
        base_currency=integration.base_currency,
        went_live_at=integration.went_live_at,
        sandbox_test_passed_at=integration.sandbox_test_passed_at,
        test_order_passed_at=integration.test_order_passed_at,
    )
    moved = {"integration": archive}
    RecordLink.objects.filter(integration=integration).update(**moved)
    SyncRun.objects.filter(integration=integration).update(**moved)
    SyncLogEntry.objects.filter(integration=integration).update(**moved)
    SyncCursor.objects.filter(integration=integration).update(**moved)
    Payout.objects.filter(integration=integration).update(**moved)
    PreflightRun.objects.filter(integration=integration).exclude(pk=keep_preflight_id).update(**moved)
    FlowLease.objects.filter(integration=integration).delete()
    connection.environment_name = target.environment_name
    connection.environment_type = PRODUCTION
    connection.company_id = target.company_id
    connection.company_name = target.company_name
    connection.save()
    # Production starts from now: orders before the move were booked in the Sandbox only (a
    # backfill brings them on purpose).
    integration.order_exclusion_date = now.replace(microsecond=0)
    integration.went_live_at = now
    integration.save(update_fields=["order_exclusion_date", "went_live_at", "updated_at"])

    transaction.on_commit(schedules_sync)
    integration_runs_enqueue_now(integration_id=integration.pk, trigger=SyncRun.Trigger.PROMOTION)
    return integration
