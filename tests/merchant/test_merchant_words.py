"""Every merchant page, with realistic data, in English and Swedish: no internal identifiers (gid://,
GUIDs, snake_case keys) in what the merchant reads, and no English left on a Swedish page.

What the merchant reads is each page's text, outside <pre> (the collapsed raw payloads on a record
page are the shop's and BC's own data) and outside elements marked lang="en" (the run log's own
words, kept in one language for support).
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from integrations.models import BusinessCentralConnection, Integration, PaymentProviderConnection
from syncs.models import EntityType, Payout, PayoutTransaction, PreflightCheckResult, PreflightRun, RecordLink, SyncRun
from tests import factories as f

pytestmark = pytest.mark.django_db

GID = re.compile(r"gid://")
GUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.IGNORECASE)
SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
# Words that make a sentence English (and never Swedish).
ENGLISH = {"the", "and", "to", "of", "is", "in", "for", "with", "your", "this", "not", "from", "are", "was", "has",
           "be", "or", "when", "what", "which", "no", "yet", "will", "an", "at", "by", "on", "it", "its"}  # fmt: skip


class _Text(HTMLParser):
    """Visible text nodes, without <pre>, <script>, <style> and lang="en" elements."""

    SKIP = {"pre", "script", "style", "template"}
    VOID = {"br", "img", "input", "meta", "link", "hr", "wbr", "col", "area", "base", "source"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[bool] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        skipped = tag in self.SKIP or dict(attrs).get("lang") == "en"
        self.stack.append(skipped or (bool(self.stack) and self.stack[-1]))

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        text = " ".join(data.split())
        if text and not (self.stack and self.stack[-1]):
            self.texts.append(text)


def visible_texts(html: str) -> list[str]:
    parser = _Text()
    start = html.find("<body")
    parser.feed(html[html.find(">", start) + 1 :] if start >= 0 else html)
    return parser.texts


@pytest.fixture
def world(owner, integration):
    now = timezone.now()
    integration.status, integration.live_mode, integration.allow_writes = Integration.Status.LIVE, True, True
    integration.went_live_at, integration.payment_journal_batch, integration.payouts_enabled = now, "SHOPIFY", True
    integration.save()
    f.BusinessCentralConnectionFactory(
        integration=integration,
        entra_tenant_id="7f3c2d1e-4b5a-4c69-9d8e-0a1b2c3d4e5f",
        environment_name="sandbox",
        environment_type=BusinessCentralConnection.EnvironmentType.SANDBOX,
        company_id="5865bb86-278c-5d2a-837b-338e5e0f546b",
        company_name="CRONUS Sverige AB",
        user_principal="anna@contoso.example",
        token_cache="{}",
    )
    f.ShopConnectionFactory(integration=integration, shop_domain="my-shop.myshopify.com", verified_at=now)
    f.PaymentProviderConnectionFactory(
        integration=integration, provider=PaymentProviderConnection.Provider.SHOPIFY_PAYMENTS
    )
    f.PaymentMethodMappingFactory(integration=integration, shop_gateway="shopify_payments")
    f.CountryMappingFactory(
        integration=integration, country_code="SE", vat_business_group="DOMESTIC", collective_customer_number="10000"
    )
    order = f.RecordLinkFactory(
        integration=integration,
        source_id="gid://shopify/Order/5001",
        source_reference="#1001",
        target_id="3f2a1b4c-0000-4000-8000-000000000001",
        target_number="103001",
        state=RecordLink.State.SYNCED,
        synced_at=now,
        details={"document_kind": "invoice", "status": "Open", "shop_total": "198.00", "bc_total": "198.00"},
        raw_source={"id": "gid://shopify/Order/5001"},
    )
    failed = f.RecordLinkFactory(
        integration=integration,
        source_id="gid://shopify/Order/5002",
        source_reference="#1002",
        state=RecordLink.State.FAILED,
        last_error_code="BC-101",
        last_error_message="VAT posting setup is missing for DOMESTIC / VAT25.",
        attempts=2,
    )
    conflict = f.RecordLinkFactory(
        integration=integration,
        source_id="gid://shopify/Order/5003",
        source_reference="#1003",
        target_number="103002",
        state=RecordLink.State.CONFLICT,
        last_error_code="MAP-009",
        details={"diff": [{"field": "total_price", "before": "100.00", "after": "120.00"}]},
    )
    refund = f.RecordLinkFactory(
        integration=integration,
        entity_type=EntityType.REFUND,
        source_id="gid://shopify/Refund/77",
        source_reference="#1001-R1",
        target_number="104001",
        state=RecordLink.State.SYNCED,
        synced_at=now,
    )
    run = f.SyncRunFactory(
        integration=integration, flow="orders", trigger=SyncRun.Trigger.GO_LIVE, status=SyncRun.Status.PARTIAL,
        records_seen=3, records_created=1, records_failed=1, finished_at=now,
    )  # fmt: skip
    f.SyncLogEntryFactory(
        integration=integration, run=run, record_link=failed, level="error", error_code="BC-101", flow="orders",
        message="#1002: VAT posting setup is missing for DOMESTIC / VAT25.",
    )  # fmt: skip
    preflight = f.PreflightRunFactory(integration=integration, status=PreflightRun.Status.FAILED, failed_count=1)
    for name in ("connection.token", "mappings.collective_customers", "payment_journal.batch", "mappings.countries"):
        f.PreflightCheckResultFactory(
            run=preflight,
            check_name=name,
            status=PreflightCheckResult.Status.FAILED if name == "payment_journal.batch" else "pass",
            error_code="BC-501" if name == "payment_journal.batch" else "",
        )
    payout = f.PayoutFactory(
        integration=integration,
        provider=PaymentProviderConnection.Provider.SHOPIFY_PAYMENTS,
        provider_payout_id="gid://shopify/ShopifyPaymentsPayout/901",
        arrival_date=(now - timedelta(days=1)).date(),
        booking_state=Payout.BookingState.BOOKED,
    )
    f.PayoutTransactionFactory(
        payout=payout,
        provider_transaction_id="gid://shopify/ShopifyPaymentsBalanceTransaction/1",
        source_reference="gid://shopify/Order/5001",
        order_reference="#1001",
        mapped_type=PayoutTransaction.MappedType.CHARGE,
        amount=Decimal("198.00"),
    )
    return {"order": order, "failed": failed, "conflict": conflict, "refund": refund, "payout": payout}


def merchant_pages(integration, world) -> list[str]:
    i = integration.pk
    m = "merchant"
    return [
        reverse(f"{m}:home"),
        reverse(f"{m}:integration_detail", args=[i]),
        reverse(f"{m}:wizard_flows", args=[i]),
        reverse(f"{m}:wizard_connect", args=[i]),
        reverse(f"{m}:integration_promote", args=[i]),
        reverse(f"{m}:wizard_test", args=[i]),
        reverse(f"{m}:wizard_live", args=[i]),
        reverse(f"{m}:records", args=[i]),
        *[reverse(f"{m}:record_detail", args=[world[k].pk]) for k in ("order", "failed", "conflict", "refund")],
        reverse(f"{m}:runs", args=[i]),
        reverse(f"{m}:preflight", args=[i]),
        reverse("payouts:list", args=[i]),
        reverse("payouts:detail", args=[i, world["payout"].pk]),
        reverse("help:error_list"),
        reverse("help:error_detail", args=["BC-101"]),
        reverse("help:error_detail", args=["BC-801"]),
        reverse("help:bc_configuration"),
    ]


def _get(client, url: str, language: str) -> str:
    response = client.get(url, headers={"accept-language": language})
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


@pytest.mark.parametrize("language", ["en", "sv"])
def test_no_page_shows_an_internal_identifier(owner_client, integration, world, language):
    found = []
    for url in merchant_pages(integration, world):
        for text in visible_texts(_get(owner_client, url, language)):
            for pattern in (GID, GUID, SNAKE):
                for match in pattern.findall(text):
                    found.append((url, match, text[:80]))

    assert not found, "\n".join(map(str, found))


def test_no_swedish_page_shows_english(owner_client, integration, world):
    found = []
    for url in merchant_pages(integration, world):
        english = set(visible_texts(_get(owner_client, url, "en")))
        for text in visible_texts(_get(owner_client, url, "sv")):
            words = re.findall(r"[a-zA-Z]+", text.lower())
            if text in english and len(words) >= 3 and len(ENGLISH.intersection(words)) >= 2:
                found.append((url, text[:100]))

    assert not found, "\n".join(map(str, found))


def test_the_walk_can_fail():
    """The detectors find what they look for (a test that cannot fail is a defect)."""
    page = (
        "<body><p>Payout gid://shopify/ShopifyPaymentsPayout/1</p><td>shopify_payments</td>"
        '<p>5865bb86-278c-5d2a-837b-338e5e0f546b</p><pre>gid://ok</pre><span lang="en">log_line</span></body>'
    )
    texts = visible_texts(page)

    assert [bool(GID.search(t)) for t in texts] == [True, False, False]
    assert SNAKE.findall(texts[1]) == ["shopify_payments"] and GUID.search(texts[2])
