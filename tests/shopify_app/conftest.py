"""An integration whose shop is connected through the app install, against the Shopify simulator."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest

from integrations.models import ShopConnection
from integrations.services.onboarding.signup import integration_create, merchant_signup
from integrations.services.shopify_install import SCOPES, shop_install_complete, shop_install_start
from tests.fixtures.shopify import SHOP_DOMAIN

SITE = "https://junipeer.example"
PASSWORD = "Sock-drawer-42"


@pytest.fixture
def merchant(db):
    return merchant_signup(email="owner@shop.example", password=PASSWORD, organisation_name="Shop AB")


@pytest.fixture
def integration(merchant):
    return integration_create(tenant=merchant.tenants.get(), name="Shop → BC")


def install(integration, server) -> ShopConnection:
    """The install as the merchant's browser would complete it (no HTTP to the product)."""
    session: dict = {}
    authorize = shop_install_start(integration=integration, shop_domain=SHOP_DOMAIN, session=session)
    query = dict(parse_qsl(urlsplit(authorize).query))
    answer = server.sim.app.install(redirect_uri=query["redirect_uri"], state=query["state"], scopes=tuple(SCOPES))
    shop_install_complete(integration=integration, params=dict(parse_qsl(urlsplit(answer).query)), session=session)
    return ShopConnection.objects.get(integration=integration)


@pytest.fixture
def installed(shopify_app, settings, integration):
    settings.SITE_URL = SITE
    return install(integration, shopify_app)
