"""Each misconfiguration seeded in the BC simulator is reported by exactly the right check."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail

from integrations.connectors.businesscentral import entities, odata
from integrations.models import BusinessCentralConnection, Integration
from simulators.businesscentral.app import FIXED_TENANT_ID
from simulators.businesscentral.tenancy import BusinessCentralTenants
from simulators.identity.tokens import Principal
from syncs.errors import get_error
from syncs.models import Payout, PreflightRun
from syncs.payouts.providers.base import PayoutStatus, ProviderPayout, ProviderTransaction
from syncs.payouts.services import payouts_sync
from syncs.preflight.services import preflight_blocking_failures, preflight_run
from tests.payouts.conftest import FakeProvider, invoices_create, order_links_create
from tests.preflight.conftest import add_order, make_client


def run_preflight(integration, bc_client) -> PreflightRun:
    return preflight_run(integration_id=integration.pk, trigger=PreflightRun.Trigger.MANUAL, client=bc_client)


def problems(run: PreflightRun) -> dict[str, tuple[str, str, str, list]]:
    failing = run.results.exclude(status="pass")
    return {r.check_name: (r.status, r.error_code, r.message, r.objects_json) for r in failing}


def test_healthy_company_passes_clean(integration, bc_client, sim):
    run = run_preflight(integration, bc_client)

    assert problems(run) == {}
    assert run.status == PreflightRun.Status.PASSED
    assert run.failed_count == 0 and run.warning_count == 0
    names = set(run.results.values_list("check_name", flat=True))
    assert {"connection.permissions", "vat.posting_setup", "number_series.available", "currencies.exist"} <= names
    assert preflight_blocking_failures(run) == []


def test_permission_probe_leaves_nothing_behind(integration, bc_client, company):
    before = {name: len(company.rows(name)) for name in ("customers", "items", "salesOrders", "salesInvoices")}
    before_journals = len(company.rows("customerPaymentJournals"))

    run = run_preflight(integration, bc_client)

    assert run.results.get(check_name="connection.permissions").status == "pass"
    assert {name: len(company.rows(name)) for name in before} == before
    assert len(company.rows("customerPaymentJournals")) == before_journals


def _missing_vat(company, integration):
    company.remove_vat_posting_setup("OSS-DE", "REDUCED")


def _blocked_vat(company, integration):
    company.block_vat_posting_setup("DOMESTIC", "LOW")


def _exhausted(company, integration):
    company.exhaust_number_series("S-INV+")


def _overlap(company, integration):
    company.add_record_ahead_of_series("S-INV+", ahead=3)


def _missing_currency(company, integration):
    company.remove_currency("EUR")


def _stale_rate(company, integration):
    company.age_exchange_rates("EUR", days=40)


def _wrong_lcy(company, integration):
    company.change_lcy("EUR")


def _missing_batch(company, integration):
    company.delete_journal_batch("SHOPIFY")


def _no_balancing(company, integration):
    company.clear_balancing_account("SHOPIFY")


def _unpublished_vat(company, integration):
    company.unpublish_odatav4_pages("VATPostingSetup")


def _unpublished_series(company, integration):
    company.unpublish_odatav4_pages("NoSeries", "NoSeriesLines")


def _unmapped_payment(company, integration):
    add_order(integration, 1003, gateway="klarna")


def _no_invoice_write_permission(company, integration):
    company.deny_permission("salesInvoices", "Insert")


def _no_collective_customer(company, integration):
    integration.country_mappings.filter(country_code="DE").update(collective_customer_number="")


def _blocked_collective_customer(company, integration):
    company.block_customer("10010")


def _unknown_collective_customer(company, integration):
    integration.country_mappings.filter(country_code="SE").update(collective_customer_number="19999")


def _manual_numbering(company, integration):
    company.number_series["CUST"].manual_nos = False
    Integration.objects.filter(pk=integration.pk).update(customer_numbering=Integration.Numbering.SHOP_NUMBER)


def _configure(integration, **values):
    integration.payout_account_mappings.update(**values)


def _batch_balances_elsewhere(company, integration):
    batch = company.find("customerPaymentJournals", code="SHOPIFY")
    other = company.account("1580")
    batch["balancingAccountId"], batch["balancingAccountNumber"] = other["id"], other["number"]


def _general_batch_missing(company, integration):
    _configure(integration, general_journal_batch="")  # falls back to a general batch named SHOPIFY: none


def _batch_in_another_template(company, integration):
    _configure(integration, journal_template="INBET-EU", journal_batch="KLARNA-EU", clearing_account="1582")


def _template_not_cash_receipts(company, integration):
    _configure(integration, journal_template="PAYMENT")


def _heading_fee_account(company, integration):
    company.insert("accounts", {"number": "6000", "displayName": "Övriga kostnader", "accountType": "Heading"})
    _configure(integration, fee_account="6000")


def _blocked_disputes_account(company, integration):
    _configure(integration, disputes_account="3999")


def _blocked_bank(company, integration):
    company.find("bankAccounts", number="BANK1")["blocked"] = True


def _bank_in_euro(company, integration):
    _configure(integration, bank_account="BANK2")


def _german_collective_customer_domestic(company, integration):
    customer = company.find("customers", number="10010")
    area = company.find("taxAreas", code="DOMESTIC")
    customer["taxAreaId"], customer["taxAreaDisplayName"] = area["id"], area["displayName"]


def _no_configuration_for_market(company, integration):
    integration.payment_providers.create(provider="klarna", market="FI", currencies=["EUR"])


def _item_series_exhausted(company, integration):
    Integration.objects.filter(pk=integration.pk).update(products_enabled=True, products_bidirectional=True)
    company.exhaust_number_series("ITEM")


@pytest.mark.parametrize(
    ("misconfigure", "check", "status", "code", "named"),
    [
        (
            _batch_balances_elsewhere,
            "payment_journal.balancing_account",
            "fail",
            "PAY-006",
            ["SHOPIFY", "1580", "1581"],
        ),
        (_general_batch_missing, "payment_journal.general_batch", "fail", "BC-501", ["GENERAL", "SHOPIFY"]),
        (_batch_in_another_template, "payment_journal.batch", "fail", "BC-503", ["KLARNA-EU", "INBET-EU", "CASHRCPT"]),
        (_template_not_cash_receipts, "payment_journal.batch", "fail", "BC-501", ["PAYMENT", "SHOPIFY"]),
        (_heading_fee_account, "payment_journal.accounts", "fail", "BC-505", ["6000", "Shopify Payments SEK"]),
        (_blocked_disputes_account, "payment_journal.accounts", "fail", "BC-506", ["3999"]),
        (_blocked_bank, "payment_journal.accounts", "fail", "BC-506", ["BANK1"]),
        (_bank_in_euro, "payment_journal.accounts", "fail", "BC-507", ["BANK2", "EUR", "SEK"]),
        (_german_collective_customer_domestic, "vat.customers", "fail", "MAP-027", ["10010", "DE", "DOMESTIC"]),
        (_no_configuration_for_market, "payment_journal.payout_accounts", "fail", "PAY-013", ["FI", "EUR"]),
        (_item_series_exhausted, "number_series.available", "fail", "BC-201", ["ITEM"]),
        (_missing_vat, "vat.posting_setup", "fail", "BC-101", ["OSS-DE", "REDUCED"]),
        (_blocked_vat, "vat.posting_setup", "fail", "BC-102", ["DOMESTIC", "LOW"]),
        (_exhausted, "number_series.available", "fail", "BC-201", ["S-INV+"]),
        (_overlap, "number_series.overlap", "fail", "BC-205", ["S-INV+", "10300018"]),
        (_missing_currency, "currencies.exist", "fail", "BC-302", ["EUR"]),
        (_stale_rate, "currencies.exchange_rates", "warn", "BC-303", ["EUR"]),
        (_missing_batch, "payment_journal.batch", "fail", "BC-501", ["SHOPIFY"]),
        (_no_balancing, "payment_journal.balancing_account", "fail", "BC-502", ["SHOPIFY"]),
        (_unpublished_vat, "vat.posting_setup", "fail", "BC-601", ["472", "VATPostingSetup"]),
        (_unmapped_payment, "mappings.payment_methods", "fail", "MAP-013", ["klarna"]),
        (_manual_numbering, "number_series.manual", "fail", "BC-206", ["CUST"]),
        (_no_collective_customer, "mappings.collective_customers", "fail", "MAP-003", ["DE"]),
        (_blocked_collective_customer, "mappings.collective_customers", "fail", "BC-401", ["10010"]),
        (_unknown_collective_customer, "mappings.collective_customers", "fail", "BC-006", ["19999", "SE"]),
        (_no_invoice_write_permission, "connection.permissions", "fail", "BC-004", ["salesInvoices"]),
    ],
)
def test_misconfiguration_is_reported_by_exactly_one_check(
    integration, bc_client, company, misconfigure, check, status, code, named
):
    misconfigure(company, integration)

    found = problems(run_preflight(integration, bc_client))

    assert list(found) == [check]
    got_status, got_code, message, objects = found[check]
    assert (got_status, got_code) == (status, code)
    for word in named:
        assert word in message
        assert word in str(objects)


def test_probe_creates_a_customer_when_the_company_has_none(integration, bc_client, company):
    """The sales document writes are tried, not assumed: their customer is created inside the batch."""
    for customer in company.rows("customers"):
        company.delete("customers", customer["id"])
    integration.country_mappings.update(collective_customer_number="")
    Integration.objects.filter(pk=integration.pk).update(
        customer_strategy=Integration.CustomerStrategy.MATCH_EMAIL_PHONE
    )
    company.deny_permission("salesInvoices", "Insert")

    run = run_preflight(integration, bc_client)

    result = run.results.get(check_name="connection.permissions")
    assert (result.status, result.error_code) == ("fail", "BC-004")
    assert "salesInvoices" in result.message
    assert company.rows("customers") == []  # rolled back


def test_probe_tries_the_payout_journal_writes(integration, bc_client, company):
    company.deny_permission("journalLines", "Insert")

    run = run_preflight(integration, bc_client)

    result = run.results.get(check_name="connection.permissions")
    assert (result.status, result.error_code) == ("fail", "BC-004")
    assert "journalLines (GENERAL)" in result.message
    assert company.rows("journalLines") == [] and company.rows("customerPayments") == []


def test_unpublished_series_pages_explain_how_to_publish(integration, bc_client, company):
    _unpublished_series(company, integration)

    found = problems(run_preflight(integration, bc_client))

    assert set(found) == {"number_series.available", "number_series.overlap", "number_series.manual"}
    status, code, message, _objects = found["number_series.available"]
    assert (status, code) == ("fail", "BC-601")
    assert "456" in message and "457" in message
    assert "Web Services" in str(get_error("BC-601").remedy)


def test_countries_without_collective_customer_are_named_with_the_wizard_remedy(integration, bc_client):
    integration.country_mappings.update(collective_customer_number="")

    found = problems(run_preflight(integration, bc_client))

    status, code, message, objects = found["mappings.collective_customers"]
    assert (status, code, objects) == ("fail", "MAP-003", ["DE", "SE"])
    assert "country DE" in message and "country SE" in message
    assert "Settings" in str(get_error("MAP-003").remedy)


def test_match_by_email_needs_no_collective_customer(integration, bc_client):
    integration.country_mappings.update(collective_customer_number="")
    Integration.objects.filter(pk=integration.pk).update(
        customer_strategy=Integration.CustomerStrategy.MATCH_EMAIL_PHONE
    )

    run = run_preflight(integration, bc_client)

    assert problems(run) == {}
    assert run.results.get(check_name="mappings.collective_customers").status == "pass"


def test_wrong_local_currency(integration, bc_client, company):
    _wrong_lcy(company, integration)

    found = problems(run_preflight(integration, bc_client))

    status, code, message, _ = found["currencies.local_currency"]
    assert (status, code) == ("fail", "BC-304")
    assert "EUR" in message and "SEK" in message


def test_production_without_sandbox_test_is_flagged(integration, sim, company):
    BusinessCentralConnection.objects.filter(integration=integration).update(
        environment_name="production", environment_type="Production", company_id=sim.company_id("production")
    )
    integration.refresh_from_db()

    found = problems(run_preflight(integration, make_client(sim, integration)))

    assert list(found) == ["environment.sandbox_tested"]
    status, code, message, objects = found["environment.sandbox_tested"]
    assert (status, code, objects) == ("warn", "BC-602", ["production"])

    Integration.objects.filter(pk=integration.pk).update(sandbox_test_passed_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    assert problems(run_preflight(integration, make_client(sim, integration))) == {}


def test_new_failure_emails_owners_once(integration, bc_client, company, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run_preflight(integration, bc_client)
    assert mail.outbox == []

    _missing_vat(company, integration)
    with django_capture_on_commit_callbacks(execute=True):
        failed = run_preflight(integration, bc_client)
    assert failed.status == PreflightRun.Status.FAILED
    assert [m.to for m in mail.outbox] == [["owner@shop.example"]]
    assert "OSS-DE" in mail.outbox[0].body and "/help/errors/BC-101/" in mail.outbox[0].body
    assert [r.check_name for r in preflight_blocking_failures(failed)] == ["vat.posting_setup"]

    with django_capture_on_commit_callbacks(execute=True):
        run_preflight(integration, bc_client)
    assert len(mail.outbox) == 1  # still failing: not new


def test_unreachable_bc_fails_connection_and_skips_bc_checks(integration, sim):
    sim.accepted_tokens.clear()

    run = run_preflight(integration, make_client(sim, integration))

    found = problems(run)
    assert found["connection.token"][:2] == ("fail", "BC-002")
    assert "vat.posting_setup" not in set(run.results.values_list("check_name", flat=True))


class _SignedInButNotInBC:
    """An identity whose tokens are valid but whose user Business Central does not entitle."""

    def token_principal(self, token):
        return Principal(
            tenant_id=FIXED_TENANT_ID, oid="o-1", username="clerk@contoso.example", app_id="a", scopes=(), roles=()
        )

    def bc_entitled(self, *, tenant_id, oid):
        return False


def test_bc_refusing_the_signed_in_user_is_bc_user_setup_not_reconnect(integration, sim):
    front = BusinessCentralTenants(identity=_SignedInButNotInBC(), tenants={FIXED_TENANT_ID: sim})

    run = run_preflight(integration, make_client(front, integration))

    found = problems(run)
    assert found["connection.token"][:2] == ("fail", "BC-011")
    assert "vat.posting_setup" not in set(run.results.values_list("check_name", flat=True))


def test_when_preflight_passes_the_first_payout_posts_and_reconciles(integration, bc_client, sim, company):
    """The fixture called healthy is healthy for payouts: after a clean preflight, a Shopify Payments payout
    (a charge, a dispute, fees, the transfer) posts in the same BC company and its clearing account is zero."""
    assert problems(run_preflight(integration, bc_client)) == {}
    Integration.objects.filter(pk=integration.pk).update(allow_writes=True)
    integration.refresh_from_db()
    order_links_create(integration, invoices_create(bc_client, {"#5001": Decimal("400.00")}, tax_code="ZERO"))

    def txn(txn_id, kind, category, amount, fee=Decimal("0"), order=""):
        return ProviderTransaction(
            id=txn_id, raw_type=kind.upper(), mapped_type=kind if kind != "dispute" else "adjustment",
            amount=amount, fee=fee, net=amount - fee, currency="SEK", order_reference=order, category=category,
        )  # fmt: skip

    txns = [
        txn("t1", "charge", "charge", Decimal("400.00"), Decimal("12.00"), "#5001"),
        txn("t2", "dispute", "dispute", Decimal("-50.00")),
    ]
    payout = ProviderPayout(
        id="gid://shopify/ShopifyPaymentsPayout/77", status=PayoutStatus.PAID, currency="SEK",
        amount=Decimal("338.00"), arrival_date=dt.date.today(),
    )  # fmt: skip
    provider = FakeProvider([(payout, txns)])
    provider.name = "shopify_payments"

    payouts_sync(integration=integration, provider=provider, bc_client=bc_client, since=None)

    booked = Payout.objects.get()
    assert (booked.last_error_code, booked.booking_state) == ("", Payout.BookingState.POSTED)
    entries = bc_client.list_records(entities.GENERAL_LEDGER_ENTRIES, filter=odata.eq("accountNumber", "1581"))
    assert entries and sum((e.debit_amount - e.credit_amount for e in entries), Decimal("0")) == 0
