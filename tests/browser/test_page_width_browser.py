"""No merchant page is wider than the window at 1280 px, in English and in Swedish.

Headless Chromium opens every page of a merchant's week (tests/fixtures/merchant_world.py) and
compares document.documentElement.scrollWidth with the viewport. A screenshot of each page goes to
test-artifacts/widths/.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.test import Client

from tests.factories import IntegrationFactory, TenantFactory
from tests.fixtures.merchant_world import merchant_pages, merchant_world_seed

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]  # fmt: skip
WIDTH = 1280
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "widths"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} is missing (apt-get install chromium)"),
]


def test_no_merchant_page_is_wider_than_the_window(live_server, transactional_db, monkeypatch):
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    integration = IntegrationFactory(tenant=TenantFactory(with_owner=True), name="Nordic Socks → Business Central")
    world = merchant_world_seed(integration=integration)
    client = Client()
    client.force_login(integration.tenant.memberships.get().user)
    session = client.cookies["sessionid"].value
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    too_wide = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            for language in ("en", "sv"):
                context = browser.new_context(
                    viewport={"width": WIDTH, "height": 900}, extra_http_headers={"Accept-Language": language}
                )
                context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
                page = context.new_page()
                for number, url in enumerate(merchant_pages(integration=integration, world=world), start=1):
                    response = page.goto(f"{live_server.url}{url}")
                    assert response.status == 200, url
                    width = page.evaluate("document.documentElement.scrollWidth")
                    page.screenshot(path=str(ARTIFACTS / f"{language}-{number:02d}.png"), full_page=True)
                    if width > WIDTH:
                        too_wide.append((language, url, width))
                # The measurement sees an overflow when there is one.
                page.evaluate(
                    "() => { const d = document.createElement('div'); d.style.width = '2000px';"
                    " d.textContent = 'x'; document.body.append(d); }"
                )
                assert page.evaluate("document.documentElement.scrollWidth") > WIDTH
                context.close()
        finally:
            browser.close()

    assert not too_wide


def test_the_support_integration_page_fits_the_window(live_server, transactional_db, monkeypatch):
    """The admin's integration page (connections and mappings inline) at 1280 px."""
    from playwright.sync_api import sync_playwright

    from tests.factories import SuperUserFactory

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    integration = IntegrationFactory(tenant=TenantFactory(with_owner=True), name="Nordic Socks → Business Central")
    merchant_world_seed(integration=integration)
    client = Client()
    client.force_login(SuperUserFactory())
    session = client.cookies["sessionid"].value
    url = f"{live_server.url}/admin/integrations/integration/{integration.pk}/change/"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            context = browser.new_context(viewport={"width": WIDTH, "height": 900})
            context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
            page = context.new_page()
            assert page.goto(url).status == 200
            page.screenshot(path=str(ARTIFACTS / "admin-integration.png"), full_page=True)
            width = page.evaluate("document.documentElement.scrollWidth")
        finally:
            browser.close()

    assert width <= WIDTH
