"""Headless Chromium from sign-up through the wizard to a connected BC sandbox company, signed in
by the merchant's external accountant (a guest from the accounting firm's own organisation).

Runs against the live Django server and the identity, Business Central and Shopify simulators.
A screenshot per step goes to test-artifacts/wizard/.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from simulators.businesscentral.tenancy import bc_tenants_build
from simulators.identity import CONTOSO_TENANT_ID
from simulators.server import serve
from tests.fixtures.shopify import APP_CLIENT_ID, APP_CLIENT_SECRET, SHOP_DOMAIN

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "wizard"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} is missing (apt-get install chromium)"),
]


@pytest.fixture
def world(live_server, settings, entra_settings, identity_server, shopify_server, monkeypatch):
    # Playwright's sync API runs an event loop in this thread; Django's ORM is used outside it.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.SITE_URL = live_server.url
    settings.SHOPIFY_API_ROOT = shopify_server.url
    settings.SHOPIFY_CLIENT_ID, settings.SHOPIFY_CLIENT_SECRET = APP_CLIENT_ID, APP_CLIENT_SECRET
    bc = bc_tenants_build(identity=identity_server.sim, tenant_ids=(CONTOSO_TENANT_ID,))
    running = serve(bc, host="127.0.0.1")
    settings.BC_API_ROOT = running.url
    try:
        yield live_server.url
    finally:
        running.stop()


def test_signup_to_connected_sandbox_company(world, shopify_server, transactional_db):
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shots = iter(range(1, 100))

    def shot(page, name):
        page.screenshot(path=str(ARTIFACTS / f"{next(shots):02d}-{name}.png"), full_page=True)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        context = browser.new_context(ignore_https_errors=True)  # the simulator's loopback certificate
        page = context.new_page()
        # Every page runs under the product's Content-Security-Policy; a blocked inline style or script fails.
        violations = []
        page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
        try:
            response = page.goto(f"{world}/signup/")
            assert "script-src 'self'" in response.headers["content-security-policy"]
            page.get_by_label("Company name").fill("Nordic Socks AB")
            page.get_by_label("Work e-mail").fill("anna@socks.example")
            page.get_by_label("Password", exact=True).fill("Sock-drawer-42")
            page.get_by_label("Password again").fill("Sock-drawer-42")
            shot(page, "signup")
            page.get_by_role("button", name="Sign up").click()

            expect(page.get_by_role("heading", name="Log in")).to_be_visible()
            page.get_by_label("E-mail").fill("anna@socks.example")
            page.get_by_label("Password").fill("Sock-drawer-42")
            page.get_by_role("button", name="Log in").click()

            expect(page.get_by_role("heading", name="Nordic Socks AB")).to_be_visible()
            shot(page, "home")
            page.get_by_role("button", name="Get started").click()

            expect(page.get_by_role("heading", name="1. Choose flows and their direction")).to_be_visible()
            page.get_by_label("Payouts: payment provider → Business Central").check()
            shot(page, "flows")
            page.get_by_role("button", name="Save and continue").click()

            expect(page.get_by_role("heading", name="2. Connect systems")).to_be_visible()
            shot(page, "connect")
            page.get_by_role("link", name="Sign in with Microsoft").click()

            expect(page.get_by_role("heading", name="Sign in with Microsoft")).to_be_visible()
            expect(page.get_by_label("Organisation that owns Business Central")).to_have_value("socks.example")
            page.get_by_label("Organisation that owns Business Central").fill("contoso.example")
            page.get_by_label("Your Microsoft account").fill("accountant@ledger.example")
            shot(page, "organisation")
            page.get_by_role("button", name="Continue to Microsoft").click()

            expect(page.get_by_role("heading", name="Sign in", exact=True)).to_be_visible()
            expect(page.get_by_label("Email")).to_have_value("accountant@ledger.example")  # the login hint
            page.get_by_label("Password").fill("Passw0rd!")
            shot(page, "microsoft-sign-in")
            page.get_by_role("button", name="Sign in and accept").click()

            expect(page.get_by_role("heading", name="Choose environment and company")).to_be_visible()
            expect(page.get_by_text("Signed in with Microsoft")).to_be_visible()
            page.get_by_label("CRONUS Sverige AB").first.check()
            shot(page, "environment-and-company")
            page.get_by_role("button", name="Connect this company").click()

            expect(page.locator("#bc-status")).to_contain_text("Connected: CRONUS Sverige AB · sandbox (Sandbox)")
            # Shopify: no token to paste. The merchant names the shop and approves the app on Shopify's page.
            page.get_by_label("Shop domain").fill(SHOP_DOMAIN)
            page.get_by_role("button", name="Connect Shopify").click()

            expect(page.get_by_role("heading", name="Install app")).to_be_visible()
            expect(page.get_by_text("read_all_orders")).to_be_visible()
            shot(page, "shopify-install")
            page.get_by_role("button", name="Install app").click()

            expect(page.locator("#shop-status")).to_contain_text(f"Connected: {SHOP_DOMAIN}")
            shot(page, "connected")
            page.get_by_role("link", name="Continue to settings").click()
            expect(page.get_by_role("heading", name="3. Settings")).to_be_visible()
            expect(page.get_by_label("Shopify Payments SEK: customer payment journal batch")).to_be_visible()
            shot(page, "settings")
            page.goto(f"{world}/help/errors/")
            assert not violations, violations
        finally:
            context.close()
            browser.close()

    from integrations.models import BusinessCentralConnection, ShopConnection
    from syncs.models import SyncRun, WebhookEvent
    from syncs.services.webhook_events import webhook_event_process

    shop = ShopConnection.objects.get(integration__tenant__name="Nordic Socks AB")
    assert shop.install_mode == ShopConnection.InstallMode.APP and shop.refresh_token.reveal()
    # A webhook Shopify sends after connect reaches the product over HTTP, is accepted and synced.
    sim = shopify_server.sim
    order_id = next(iter(sim.store.orders))
    responses = sim.webhooks.emit("orders/create", sim.webhooks.order_payload(order_id))
    assert [r.status_code for r in responses] == [200]
    event = WebhookEvent.objects.get(integration=shop.integration, topic="orders/create")
    webhook_event_process(event_id=event.pk)
    run = SyncRun.objects.get(integration=shop.integration, trigger=SyncRun.Trigger.WEBHOOK)
    assert run.parameters["order_ids"] == [order_id]

    connection = BusinessCentralConnection.objects.get(integration__tenant__name="Nordic Socks AB")
    assert connection.environment_type == "Sandbox" and connection.company_name.startswith("CRONUS")
    assert connection.entra_tenant_id == CONTOSO_TENANT_ID
    assert connection.user_principal == "accountant@ledger.example"
