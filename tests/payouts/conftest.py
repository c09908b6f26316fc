"""A BC simulator mounted in-process, an integration booking payouts into it, and BC seed helpers."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest

from integrations.connectors.businesscentral import entities
from integrations.connectors.businesscentral.payloads import NewSalesInvoice, NewSalesLine
from integrations.models import Integration, PaymentProviderConnection
from simulators.businesscentral.app import FIXED_TENANT_ID, BusinessCentralSimulator
from syncs.models import EntityType, RecordLink
from syncs.payouts.providers.base import PayoutProvider, ProviderPayout, ProviderTransaction
from tests.factories import (
    BusinessCentralConnectionFactory,
    IntegrationFactory,
    PayoutAccountMappingFactory,
    RecordLinkFactory,
)
from tests.fixtures.bc import bc_inprocess_client

BC_ROOT = "http://bc.payouts.test"
STRIPE_CLEARING = "1580"
SHOPIFY_CLEARING = "1581"
FEE_ACCOUNT = "6064"
BANK_ACCOUNT = "BANK1"  # a BC bank account (G/L 1930)


@pytest.fixture
def sim_bc() -> BusinessCentralSimulator:
    return BusinessCentralSimulator()


def integration_for(sim_bc, *, batch: str, provider: str, clearing: str, **fields) -> Integration:
    """``post_payment_journal`` sets the payout configuration's posting switch (off unless given)."""
    post = bool(fields.pop("post_payment_journal", False))
    integration = IntegrationFactory(
        status=Integration.Status.LIVE,
        allow_writes=True,
        base_currency="SEK",
        payouts_enabled=True,
        payment_journal_template="CASHRCPT",
        payment_journal_batch=batch,
        book_payout_transfer=True,
        **fields,
    )
    BusinessCentralConnectionFactory(
        integration=integration,
        entra_tenant_id=FIXED_TENANT_ID,
        environment_name="sandbox",
        company_id=sim_bc.company_id(),
        company_name="CRONUS Sverige AB",
        api_root_override=BC_ROOT,
    )
    PayoutAccountMappingFactory(
        integration=integration,
        provider=provider,
        currency="SEK",
        journal_template="CASHRCPT",
        journal_batch=batch,
        clearing_account=clearing,
        fee_account=FEE_ACCOUNT,
        bank_account=BANK_ACCOUNT,
        post_journal=post,
    )
    return integration


@pytest.fixture
def integration(db, sim_bc) -> Integration:
    return integration_for(
        sim_bc, batch="STRIPE", provider=PaymentProviderConnection.Provider.STRIPE, clearing=STRIPE_CLEARING
    )


def bc_client_for(sim_bc, integration):
    return bc_inprocess_client(sim_bc, integration.bc_connection, api_root=BC_ROOT)


@pytest.fixture
def bc_client(sim_bc, integration):
    client = bc_client_for(sim_bc, integration)
    general_journal_create(client, "STRIPE")
    return client


def general_journal_create(client, code: str) -> None:
    """Merchant setup: a general journal batch named like the payment journal (fees, transfer)."""
    client.create_record(entities.JOURNALS, {"code": code, "displayName": f"{code} payouts"})


def invoices_create(
    client,
    orders: dict[str, Decimal],
    *,
    customer: str = "10000",
    tax_code: str = "STANDARD",
    currency_code: str | None = None,
) -> dict[str, object]:
    """Posted invoices (deep insert + post, by $batch) for order name -> net line amount; returns them by name.

    Lines are G/L account 3001; with the default STANDARD VAT (25 %) the total is the amount * 1.25,
    with ``tax_code="ZERO"`` it is the amount.
    """
    creates = [
        client.batch_create(
            entities.SALES_INVOICES,
            NewSalesInvoice(
                customer_number=customer,
                external_document_number=name,
                currency_code=currency_code,
                lines=[
                    NewSalesLine(
                        line_type="Account",
                        line_object_number="3001",
                        quantity=Decimal(1),
                        unit_price=amount,
                        tax_code=tax_code,
                    )
                ],
            ),
        )
        for name, amount in orders.items()
    ]
    created = [result.body for result in client.batch(creates)]
    assert all(body and body.get("id") for body in created), created
    posts = [client.batch_action(entities.SALES_INVOICES, body["id"], "post") for body in created]
    assert all(result.ok for result in client.batch(posts))
    found = client.find_by_external_document_numbers(entities.SALES_INVOICES, list(orders))
    return {name: invoices[0] for name, invoices in found.items()}


def order_links_create(integration, invoices: dict[str, object]) -> None:
    for name, invoice in invoices.items():
        RecordLinkFactory(
            integration=integration,
            entity_type=EntityType.ORDER,
            source_reference=name,
            target_id=invoice.id,
            target_number=invoice.number,
            state=RecordLink.State.SYNCED,
        )


class FakeProvider(PayoutProvider):
    """An in-memory provider: the interface, nothing else."""

    name = "stripe"

    def __init__(self, payouts: list[tuple[ProviderPayout, list[ProviderTransaction]]]) -> None:
        self.payouts = payouts
        self.transaction_calls = 0

    def payouts_since(self, since) -> Iterator[ProviderPayout]:
        for payout, _ in self.payouts:
            yield payout

    def payout_transactions(self, payout: ProviderPayout) -> list[ProviderTransaction]:
        self.transaction_calls += 1
        return next(txns for found, txns in self.payouts if found.id == payout.id)

    def order_reference(self, raw_transaction) -> str:
        return raw_transaction.get("order", "")
