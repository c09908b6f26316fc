"""Bad input found by probing from outside: each answer is a clear 4xx or a form error, never a 500."""

from __future__ import annotations

import pytest
from django.urls import reverse

from integrations.connectors.shopify import webhook_signature
from integrations.services.onboarding.signup import integration_create, merchant_signup
from integrations.services.shopify_install import ShopInstallError, shop_custom_app_attach
from syncs.models import WebhookEvent
from syncs.services.webhook_events import webhook_event_process
from tests import factories as f
from tests.onboarding.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_logged_in(client):
    client.force_login(f.SuperUserFactory())
    return client


@pytest.mark.parametrize("value", ["²", "٣", str(2**64), "9" * 40])
@pytest.mark.parametrize("model", ["syncs/recordlink", "syncs/syncrun", "syncs/synclogentry", "syncs/webhookevent"])
def test_integration_filter_with_unicode_digits_or_huge_ids_is_an_empty_list(admin_client_logged_in, model, value):
    response = admin_client_logged_in.get(f"/admin/{model}/", {"integration": value})

    assert response.status_code == 200


@pytest.mark.parametrize("query", [{"error_code": "A\x00B"}, {"state": "\x00"}, {"q": "x\x00"}])
def test_nul_byte_in_a_parameter_is_400(admin_client_logged_in, query):
    response = admin_client_logged_in.get("/admin/syncs/recordlink/", query)

    assert response.status_code == 400


def test_nul_byte_in_a_posted_form_is_400(client):
    response = client.post(reverse("login"), {"username": "a\x00", "password": "x"})

    assert response.status_code == 400


# --- webhook URL -------------------------------------------------------------------------------


@pytest.fixture
def shop():
    return f.ShopConnectionFactory(shop_domain="demo-shop.myshopify.com")


def _signed_post(client, shop, body: bytes, **extra):
    url = reverse("hooks:shopify", kwargs={"integration_id": shop.integration_id})
    headers = {
        "X-Shopify-Hmac-Sha256": webhook_signature(raw_body=body, secret=f.SHOP_WEBHOOK_SECRET),
        "X-Shopify-Topic": "orders/create",
        "X-Shopify-Webhook-Id": "wh-bad",
        "X-Shopify-Shop-Domain": shop.shop_domain,
    }
    return client.post(url, data=body, content_type="application/json", headers=headers, **extra)


def test_unicode_digit_content_length_is_400(client, shop):
    response = _signed_post(client, shop, b"{}", CONTENT_LENGTH="²")

    assert response.status_code == 400


def test_webhook_for_an_id_beyond_64_bits_is_404(client):
    response = client.post(f"/hooks/shopify/{2**64}/", data=b"{}", content_type="application/json")

    assert response.status_code == 404


@pytest.mark.parametrize("body", [b"[1, 2]", b"42", b'"order"', b"null"])
def test_signed_json_that_is_not_an_object_is_400_and_not_stored(client, shop, body):
    response = _signed_post(client, shop, body)

    assert response.status_code == 400
    assert not WebhookEvent.objects.exists()


def test_a_stored_event_whose_body_is_not_an_object_fails_instead_of_staying_received(shop):
    event = f.WebhookEventFactory(integration=shop.integration, topic="orders/create", payload=[1, 2])

    webhook_event_process(event_id=event.pk)

    event.refresh_from_db()
    assert event.state == WebhookEvent.State.FAILED and "not a JSON object" in event.error_message


# --- wizard ------------------------------------------------------------------------------------


@pytest.fixture
def merchant_client(client):
    user = merchant_signup(email="owner@shop.example", password=PASSWORD, organisation_name="Shop AB")
    client.force_login(user)
    return client, integration_create(tenant=user.tenants.get(), name="Shop")


def test_preview_before_anything_is_connected_says_what_to_do(merchant_client):
    client, integration = merchant_client

    response = client.post(reverse("merchant:wizard_test", args=[integration.pk]), {"order_name": "#1001"})

    assert response.status_code == 200
    assert "Connect Business Central and the shop" in response.content.decode()


@pytest.mark.parametrize("domain", ["shop_ä€.myshopify.com", "evil.example/x.myshopify.com", "a" * 300, "\x00"])
def test_a_shop_domain_that_is_not_a_shop_is_a_form_error(merchant_client, settings, domain):
    client, integration = merchant_client
    settings.SHOPIFY_CLIENT_ID, settings.SHOPIFY_CLIENT_SECRET = "id", "secret"
    url = reverse("merchant:shop_connect", args=[integration.pk])

    response = client.post(url, {"shop_domain": domain})

    assert response.status_code == 400


@pytest.mark.parametrize("token", ["shpat_ä€", "shpat_✓", "shpat abc", "shpat_\u200b"])
def test_custom_app_attach_refuses_a_token_that_cannot_be_a_header(merchant_client, token):
    _client, integration = merchant_client

    with pytest.raises(ShopInstallError):
        shop_custom_app_attach(
            integration=integration, shop_domain="demo-shop.myshopify.com", access_token=token, webhook_secret=""
        )


def test_a_number_beyond_64_bits_in_a_related_filter_is_400(admin_client_logged_in):
    # Django's own related-field filter passes it to SQLite, which cannot bind it.
    response = admin_client_logged_in.get("/admin/auth/user/", {"groups__exact": str(2**63)})

    assert response.status_code in (200, 302, 400)
