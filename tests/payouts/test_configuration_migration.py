"""Migration integrations/0010: existing payout accounts take the integration's journal and posting
switch, and every provider connection without a configuration gets one."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("integrations", "0009_ordersback"), ("syncs", "0009_wooproducts")]
AFTER = [("integrations", "0010_payoutscfg"), ("syncs", "0010_payoutscfg")]


@pytest.fixture
def back_to_latest():
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())  # later migrations: the next tests need them


@pytest.mark.django_db(transaction=True)
def test_existing_connections_get_a_configuration_each(back_to_latest):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Tenant = apps.get_model("integrations", "Tenant")
    Integration = apps.get_model("integrations", "Integration")
    Connection = apps.get_model("integrations", "PaymentProviderConnection")
    Mapping = apps.get_model("integrations", "PayoutAccountMapping")
    tenant = Tenant.objects.create(name="Shop", slug="shop")
    integration = Integration.objects.create(
        tenant=tenant, name="Shop", base_currency="SEK", payment_journal_template="CASHRCPT",
        payment_journal_batch="STRIPE", post_payment_journal=True,
    )  # fmt: skip
    Connection.objects.create(integration=integration, provider="stripe", currencies=["SEK"])
    Connection.objects.create(integration=integration, provider="klarna", market="SE", currencies=["SEK"])
    Connection.objects.create(integration=integration, provider="adyen", market="NO", currencies=[])
    Mapping.objects.create(
        integration=integration, provider="stripe", currency="SEK", clearing_account="1580", fee_account="6064"
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    rows = apps.get_model("integrations", "PayoutAccountMapping").objects.order_by("provider")
    found = [
        (m.provider, m.market, m.currency, m.journal_template, m.journal_batch, m.clearing_account, m.post_journal)
        for m in rows
    ]

    assert found == [
        ("adyen", "NO", "SEK", "CASHRCPT", "STRIPE", "", True),
        ("klarna", "SE", "SEK", "CASHRCPT", "STRIPE", "", True),
        ("stripe", "", "SEK", "CASHRCPT", "STRIPE", "1580", True),
    ]
