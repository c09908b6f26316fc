"""The Stripe connector's payout reads against the Stripe simulator (real HTTP on loopback)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from integrations.connectors.stripe import StripeAuthError, payout_balance_transactions, payouts_iter
from simulators.server import serve
from simulators.stripe import StripeSimulator


@pytest.fixture
def stripe_sim(settings):
    sim = StripeSimulator()
    with serve(sim) as running:
        settings.STRIPE_API_BASE = running.url
        yield sim


def test_balance_transactions_are_paged_and_converted_to_decimal(stripe_sim):
    for n in range(120):
        stripe_sim.account.charge_create(amount=1000 + n, fee=31, metadata={"order_name": f"#{n}"})
    payout = stripe_sim.account.payout_create()

    [found] = list(payouts_iter(StripeSimulator.VALID_KEY))
    txns = payout_balance_transactions(StripeSimulator.VALID_KEY, payout["id"])

    assert found.id == payout["id"] and found.amount == Decimal(payout["amount"]) / 100
    assert len(txns) == 121  # 120 charges + the payout's own transaction, over two pages
    charges = [t for t in txns if t.type == "charge"]
    assert sum((t.net for t in charges), Decimal("0")) == found.amount
    assert {t.source.metadata["order_name"] for t in charges} == {f"#{n}" for n in range(120)}
    assert sum(1 for r in stripe_sim.requests if r.endswith("/v1/balance_transactions")) == 2


def test_a_refused_key_raises_the_connectors_auth_error_without_the_key(stripe_sim):
    with pytest.raises(StripeAuthError) as caught:
        list(payouts_iter("sk_test_wrong_key_000"))
    assert "sk_test_wrong_key_000" not in str(caught.value)


@pytest.mark.django_db
def test_the_provider_uses_the_decrypted_key_of_the_connection(stripe_sim):
    from syncs.payouts.providers.stripe import StripeProvider
    from tests.factories import PaymentProviderConnectionFactory

    stripe_sim.account.charge_create(amount=2500, fee=75, metadata={"order_name": "#9001"})
    payout = stripe_sim.account.payout_create()
    connection = PaymentProviderConnectionFactory(provider="stripe", api_key=StripeSimulator.VALID_KEY)
    connection.refresh_from_db()  # loaded back from the database: the key is a Secret now

    provider = StripeProvider.for_connection(connection)

    assert [p.id for p in provider.payouts_since(None)] == [payout["id"]]
