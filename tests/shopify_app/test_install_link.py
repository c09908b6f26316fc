"""Shopify's install link (the app URL): checked like the callback, then the install continues."""

from __future__ import annotations

import hashlib
import hmac
import time
from urllib.parse import urlencode

from django.urls import reverse

from tests.fixtures.shopify import APP_CLIENT_SECRET, SHOP_DOMAIN


def _link(**overrides) -> str:
    query = {"shop": SHOP_DOMAIN, "timestamp": str(int(time.time())), "host": "YWRtaW4=", **overrides}
    message = "&".join(f"{k}={query[k]}" for k in sorted(query))
    query.setdefault("hmac", hmac.new(APP_CLIENT_SECRET.encode(), message.encode(), hashlib.sha256).hexdigest())
    return f"{reverse('merchant:shop_install_link')}?{urlencode(query)}"


def test_a_signed_install_link_continues_to_shopify_for_the_merchants_integration(
    client, merchant, integration, shopify_app
):
    client.force_login(merchant)

    response = client.get(_link())

    assert response.status_code == 302
    assert response["Location"].startswith(f"{shopify_app.url}/{SHOP_DOMAIN}/admin/oauth/authorize?")
    assert client.session["shopify_install"]["integration_id"] == integration.pk


def test_an_install_link_asks_a_stranger_to_log_in_first(client, integration, shopify_app):
    response = client.get(_link())

    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_forged_or_old_install_link_goes_nowhere(client, merchant, integration, shopify_app):
    client.force_login(merchant)

    forged = client.get(_link(hmac="0" * 64))
    old = client.get(_link(timestamp=str(int(time.time()) - 3600)))

    for response in (forged, old):
        assert response.status_code == 302 and response["Location"] == reverse("merchant:home")
    assert "shopify_install" not in client.session
