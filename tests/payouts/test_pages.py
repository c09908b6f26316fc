"""Reconciliation pages: merchant (tenant-scoped), CSV, retry, and the admin report and re-match action."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from integrations.models import Flow
from syncs.models import Payout, PayoutTransaction, SyncRun
from tests.factories import (
    IntegrationFactory,
    PayoutFactory,
    PayoutTransactionFactory,
    SuperUserFactory,
    TenantFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def payout():
    tenant = TenantFactory(with_owner=True)
    integration = IntegrationFactory(tenant=tenant)
    payout = PayoutFactory(integration=integration, amount=Decimal("67.00"), fees=Decimal("3.00"))
    PayoutTransactionFactory(
        payout=payout,
        amount=Decimal("100.00"),
        fee=Decimal("3.00"),
        net=Decimal("97.00"),
        order_reference="#1001",
        match_state=PayoutTransaction.MatchState.BOOKED,
        bc_document_number="103016",
    )
    PayoutTransactionFactory(
        payout=payout,
        raw_type="refund",
        mapped_type=PayoutTransaction.MappedType.REFUND,
        amount=Decimal("-30.00"),
        fee=Decimal("0"),
        net=Decimal("-30.00"),
        order_reference="#1002",
        error_code="PAY-001",
        error_message="No invoice found for reference #1002 (searched externalDocumentNumber).",
    )
    return payout


def _owner(payout):
    return payout.integration.tenant.memberships.get().user


def test_the_merchant_sees_the_report_of_their_payout(client, payout):
    client.force_login(_owner(payout))

    response = client.get(reverse("payouts:detail", args=[payout.integration_id, payout.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    assert "103016" in body and "PAY-001" in body and "#1002" in body
    assert 'data-check="totals">passed' in body
    listing = client.get(reverse("payouts:list", args=[payout.integration_id]))
    assert payout.provider_payout_id in listing.content.decode()


def test_another_tenant_gets_404(client, payout):
    other = TenantFactory(with_owner=True)
    client.force_login(other.memberships.get().user)

    for name in ("detail", "csv"):
        assert client.get(reverse(f"payouts:{name}", args=[payout.integration_id, payout.pk])).status_code == 404
    assert client.post(reverse("payouts:retry", args=[payout.integration_id, payout.pk])).status_code == 404
    assert not SyncRun.objects.exists()


def test_csv_export_lists_every_transaction(client, payout):
    client.force_login(_owner(payout))

    response = client.get(reverse("payouts:csv", args=[payout.integration_id, payout.pk]))

    lines = response.content.decode().strip().splitlines()
    assert response["Content-Type"].startswith("text/csv")
    assert lines[0].startswith("\ufeffPayment provider,Payout,Transaction")
    assert len(lines) == 3 and "PAY-001" in lines[2]


def test_csv_in_swedish_has_semicolons_and_decimal_commas_and_is_named_after_the_payout(client, payout):
    client.force_login(_owner(payout))
    url = reverse("payouts:csv", args=[payout.integration_id, payout.pk])

    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    swedish = client.get(url, HTTP_ACCEPT_LANGUAGE="sv")

    rows = list(csv.reader(io.StringIO(swedish.content.decode().lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:3] == ["Betalningsleverantör", "Utbetalning", "Transaktion"]
    amount = rows[1][rows[0].index("Belopp")]
    assert "," in amount and "." not in amount
    english_rows = list(csv.reader(io.StringIO(english.content.decode().lstrip("\ufeff"))))
    assert "." in english_rows[1][english_rows[0].index("Amount")]
    for response, word in ((english, "payout"), (swedish, "utbetalning")):
        disposition = response["Content-Disposition"]
        assert word in disposition and f"payout-{payout.pk}.csv" not in disposition
        assert payout.currency.lower() in disposition


def test_retry_queues_a_payouts_run_for_that_payout(client, payout):
    client.force_login(_owner(payout))

    response = client.post(reverse("payouts:retry", args=[payout.integration_id, payout.pk]))

    assert response.status_code == 302
    run = SyncRun.objects.get()
    assert (run.flow, run.parameters) == (Flow.PAYOUTS, {"payout_ids": [payout.pk]})


def test_admin_report_and_rematch_action(client, payout):
    client.force_login(SuperUserFactory())

    report = client.get(reverse("admin:syncs_payout_report", args=[payout.pk]))
    changelist = client.get(reverse("admin:syncs_payout_changelist"), {"booking_state": "new"})
    response = client.post(
        reverse("admin:syncs_payout_changelist"),
        {"action": "rematch", "_selected_action": [payout.pk]},
    )

    assert report.status_code == 200 and "PAY-001" in report.content.decode()
    assert changelist.status_code == 200 and payout.provider_payout_id in changelist.content.decode()
    assert response.status_code == 302
    assert SyncRun.objects.get().parameters == {"payout_ids": [payout.pk]}
    assert Payout.objects.get().booking_state == Payout.BookingState.NEW  # the action only queues


def test_the_report_names_each_transactions_booking_category_in_the_merchants_language(client, payout):
    PayoutTransactionFactory(
        payout=payout,
        raw_type="adjustment",
        mapped_type=PayoutTransaction.MappedType.ADJUSTMENT,
        category=PayoutTransaction.Category.DISPUTE,
        amount=Decimal("0"),
        fee=Decimal("0"),
        net=Decimal("0"),
    )
    client.force_login(_owner(payout))
    url = reverse("payouts:detail", args=[payout.integration_id, payout.pk])

    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    swedish = client.get(url, HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    csv_lines = client.get(reverse("payouts:csv", args=[payout.integration_id, payout.pk])).content.decode()

    assert "adjustment (Dispute or chargeback)" in english
    assert "adjustment (Tvist eller återkrav)" in swedish
    assert csv_lines.splitlines()[0].endswith(",Category") and csv_lines.strip().endswith(",Dispute or chargeback")


def test_the_zero_check_says_when_it_is_business_centrals_ledger(client, payout):
    client.force_login(_owner(payout))
    url = reverse("payouts:detail", args=[payout.integration_id, payout.pk])
    assert 'data-check="ledger"' not in client.get(url).content.decode()  # not posted: the booked lines' sum

    payout.booked_lines = {"transfer": "x"}
    payout.clearing_ledger_balance = Decimal("0.02")
    payout.clearing_ledger_checked_at = payout.created_at
    payout.save()
    body = client.get(url).content.decode()

    assert 'data-check="ledger"' in body and "general ledger" in body
    assert "off by 0.02" in body  # BC's figure, not the staged lines' sum
