"""Moving a live Sandbox integration to a Production company: check, confirm, health check, switch."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from integrations.models import BusinessCentralConnection, Integration
from integrations.services import promotion
from integrations.services.onboarding.go_live import integration_go_live
from syncs.models import PreflightRun, RecordLink, SyncCursor, SyncRun
from tests.fixtures.shopify import shop_install

PRODUCTION = BusinessCentralConnection.EnvironmentType.PRODUCTION


def url(integration):
    return reverse("merchant:integration_promote", args=[integration.pk])


@pytest.fixture
def live_sandbox(integration, bc_connected, shopify_app, merchant_client, settings):
    settings.SITE_URL = "https://junipeer.example"
    shop_install(merchant_client, integration)
    integration.payment_journal_batch = "BANK"
    integration.save()
    integration.payment_method_mappings.create(shop_gateway="shopify_payments", bc_payment_method_code="CARD")
    integration.shipping_method_mappings.create(shop_shipping_code="*", line_number="3540")
    integration.country_mappings.create(
        country_code="SE", vat_business_group="DOMESTIC", collective_customer_number="10000"
    )
    integration.test_order_passed_at = timezone.now()
    integration.save()
    integration_go_live(integration=integration)
    integration.refresh_from_db()
    # What the Sandbox wrote: a synced order, a run, a cursor.
    RecordLink.objects.create(
        integration=integration, entity_type="order", source_system="shopify", source_id="gid://shopify/Order/1",
        source_reference="#1001", target_number="103001", state=RecordLink.State.SYNCED,
    )  # fmt: skip
    SyncCursor.objects.create(integration=integration, flow="orders")
    return integration


def _company_id(bc_world) -> str:
    return bc_world.company("production", "CRONUS Sverige AB").id


def test_the_page_offers_production_environments_and_their_companies(merchant_client, live_sandbox, bc_world):
    page = merchant_client.get(url(live_sandbox)).content.decode()

    assert '<option value="production" selected>' in page and "sandbox</option>" not in page
    assert "CRONUS Sverige AB" in page and _company_id(bc_world) in page


def test_the_check_lists_what_production_lacks_and_the_move_is_refused(merchant_client, live_sandbox, bc_world):
    bc_world.company("production", "CRONUS Sverige AB").delete_journal_batch("BANK")
    data = {"environment": "production", "company_id": _company_id(bc_world)}

    checked = merchant_client.post(url(live_sandbox), {**data, "action": "check"}).content.decode()
    refused = merchant_client.post(url(live_sandbox), {**data, "action": "promote", "confirm": "on"})

    assert "Payment journal batch" in checked and "BANK" in checked and "Missing" in checked
    assert "Run the health check and move to Production" not in checked
    body = refused.content.decode()
    assert refused.status_code == 400 and "BC-804" in body
    live_sandbox.refresh_from_db()
    assert live_sandbox.bc_connection.environment_type != PRODUCTION
    assert RecordLink.objects.filter(integration=live_sandbox).count() == 1


def test_the_move_needs_the_merchants_yes(merchant_client, live_sandbox, bc_world):
    data = {"environment": "production", "company_id": _company_id(bc_world), "action": "promote"}

    response = merchant_client.post(url(live_sandbox), data)

    assert response.status_code == 400 and "Confirm" in response.content.decode()
    assert BusinessCentralConnection.objects.get(integration=live_sandbox).environment_type != PRODUCTION


def test_promotion_switches_and_keeps_the_sandbox_history_apart(merchant_client, live_sandbox, bc_world):
    sandbox_company = live_sandbox.bc_connection.company_name
    data = {"environment": "production", "company_id": _company_id(bc_world), "action": "promote", "confirm": "on"}

    response = merchant_client.post(url(live_sandbox), data)

    assert response.status_code == 302
    connection = BusinessCentralConnection.objects.get(integration=live_sandbox)
    assert (connection.environment_name, connection.environment_type) == ("production", PRODUCTION)
    assert connection.company_id == _company_id(bc_world)
    live_sandbox.refresh_from_db()
    assert live_sandbox.live_mode and live_sandbox.order_exclusion_date >= live_sandbox.went_live_at.replace(
        microsecond=0
    )
    # Production starts clean: the Sandbox's order is not "already synced" here.
    assert not RecordLink.objects.filter(integration=live_sandbox).exists()
    assert not SyncCursor.objects.filter(integration=live_sandbox).exists()
    archive = Integration.objects.get(tenant=live_sandbox.tenant, status=Integration.Status.ARCHIVED)
    assert sandbox_company in archive.name and not archive.live_mode and not archive.orders_enabled
    assert RecordLink.objects.get(integration=archive).target_number == "103001"
    assert SyncRun.objects.filter(integration=archive, trigger=SyncRun.Trigger.GO_LIVE).exists()
    # The Production health check stays with the Production integration.
    assert PreflightRun.objects.get(integration=live_sandbox).trigger == PreflightRun.Trigger.PROMOTION
    assert SyncRun.objects.filter(integration=live_sandbox, trigger=SyncRun.Trigger.PROMOTION).exists()
    # Once in Production there is nothing more to promote.
    assert not promotion.promotion_available(integration=live_sandbox)


def test_renamed_records_are_shown_for_confirmation(live_sandbox, bc_world):
    company = bc_world.company("production", "CRONUS Sverige AB")
    row = next(r for r in company.rows("paymentMethods") if r["code"] == "CARD")
    row["displayName"] = "Kortbetalning (Production)"
    target = promotion.promotion_target_resolve(
        integration=live_sandbox, environment_name="production", company_id=company.id
    )

    check = promotion.promotion_check(integration=live_sandbox, target=target)

    assert check.ok and [(d.kind, d.code, d.production_name) for d in check.renamed] == [
        ("payment_method", "CARD", "Kortbetalning (Production)")
    ]


def test_a_draft_or_production_integration_cannot_move(merchant_client, integration):
    response = merchant_client.get(url(integration))

    assert "BC-803" in response.content.decode()
    with pytest.raises(promotion.PromotionRefused) as refused:
        promotion.promotion_environments(integration=integration)
    assert refused.value.code == "BC-803"


def test_the_sandbox_history_never_syncs_again(db):
    from syncs.services.runs import sync_run_create, sync_run_execute
    from tests.factories import IntegrationFactory

    archive = IntegrationFactory(status=Integration.Status.ARCHIVED)
    run = sync_run_create(integration_id=archive.pk, flow="orders", trigger=SyncRun.Trigger.MANUAL)

    sync_run_execute(run_id=run.pk)

    run.refresh_from_db()
    assert run.status == SyncRun.Status.SKIPPED and "sandbox history" in run.error_message.lower()


def test_the_sandbox_history_page_offers_no_setup(merchant_client, merchant):
    from tests.factories import IntegrationFactory

    archive = IntegrationFactory(
        tenant=merchant.tenants.get(), status=Integration.Status.ARCHIVED, name="Shop – Sandbox history"
    )

    page = merchant_client.get(reverse("merchant:integration_detail", args=[archive.pk])).content.decode()

    assert "Sandbox history of an integration that moved to Production" in page
    assert "Continue setup" not in page and "Sign in with Microsoft" not in page and "Connect your shop" not in page


def test_a_stock_location_production_lacks_blocks_the_move(live_sandbox, bc_world):
    sandbox = bc_world.company("sandbox", "CRONUS Sverige AB")
    code = sandbox.rows("locations")[0]["code"]
    live_sandbox.location_mappings.create(bc_location_code=code, shop_location_id="gid://shopify/Location/1")
    production = bc_world.company("production", "CRONUS Sverige AB")
    for row in list(production.rows("locations")):
        if row["code"] == code:
            production.delete("locations", row["id"])
    target = promotion.promotion_target_resolve(
        integration=live_sandbox, environment_name="production", company_id=production.id
    )

    check = promotion.promotion_check(integration=live_sandbox, target=target)

    assert [(d.kind, d.code) for d in check.missing] == [("location", code)]
