"""Saving an integration with all its inlines in the admin never touches the stored secrets."""

from django.forms import CheckboxInput
from django.urls import reverse

from integrations.crypto import Secret
from integrations.models import BusinessCentralConnection, PaymentProviderConnection, ShopConnection
from tests.factories import BC_TOKEN_CACHE, PROVIDER_API_KEY, SHOP_ACCESS_TOKEN, SHOP_WEBHOOK_SECRET


def _form_fields(form, data):
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None:
            continue
        key = form.add_prefix(name)
        if isinstance(field.widget, CheckboxInput):
            if value:
                data[key] = "on"
        elif isinstance(value, list | tuple):
            data[key] = [field.prepare_value(v) for v in value]
        else:
            data[key] = field.prepare_value(value)


def post_data_from(response) -> dict:
    """The data a browser would submit for the change form as rendered."""
    data: dict = {}
    _form_fields(response.context["adminform"].form, data)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        _form_fields(formset.management_form, data)
        for form in formset.forms:
            _form_fields(form, data)
    return data


def test_saving_the_change_form_keeps_every_secret(client, world, superuser):
    client.force_login(superuser)
    url = reverse("admin:integrations_integration_change", args=[world.pk])
    data = post_data_from(client.get(url))
    data["name"] = "Renamed shop"
    data["shop_connection-0-shop_currency"] = "EUR"
    data["payment_providers-0-account_id"] = "acct_changed"
    data["bc_connection-0-api_root_override"] = "https://bc.example.com/BC/api"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""

    world.refresh_from_db()
    shop = ShopConnection.objects.get(integration=world)
    provider = PaymentProviderConnection.objects.get(integration=world)
    bc = BusinessCentralConnection.objects.get(integration=world)
    assert (world.name, shop.shop_currency, provider.account_id) == ("Renamed shop", "EUR", "acct_changed")
    assert bc.api_root_override == "https://bc.example.com/BC/api"
    assert (shop.access_token.reveal(), shop.webhook_secret.reveal()) == (SHOP_ACCESS_TOKEN, SHOP_WEBHOOK_SECRET)
    assert provider.api_key.reveal() == PROVIDER_API_KEY
    assert bc.token_cache.reveal() == BC_TOKEN_CACHE


def test_a_connection_added_in_the_admin_shows_not_stored(client, world, superuser):
    ShopConnection.objects.filter(integration=world).delete()
    client.force_login(superuser)
    url = reverse("admin:integrations_integration_change", args=[world.pk])
    data = post_data_from(client.get(url))
    data.update(
        {
            "shop_connection-TOTAL_FORMS": "1",
            "shop_connection-0-platform": "shopify",
            "shop_connection-0-shop_domain": "new-shop.myshopify.com",
            "shop_connection-0-integration": str(world.pk),
        }
    )
    assert client.post(url, data).status_code == 302
    shop = ShopConnection.objects.get(integration=world)
    assert shop.shop_domain == "new-shop.myshopify.com" and not shop.access_token
    content = client.get(url).content.decode()
    assert "not stored" in content


def test_support_attaches_a_custom_app_token_verified_with_the_shop(client, world, superuser, shopify_server, settings):
    settings.SHOPIFY_API_ROOT = shopify_server.url
    client.force_login(superuser)
    url = reverse("admin:integrations_integration_attach_custom_app", args=[world.pk])

    refused = client.post(url, {"shop_domain": "demo-shop.myshopify.com", "access_token": "shpat_wrong"})
    stored = client.post(
        url,
        {"shop_domain": "demo-shop.myshopify.com", "access_token": "shpat_test", "webhook_secret": "custom-secret"},
    )

    assert refused.status_code == 200 and "refused the access token" in refused.content.decode()
    assert stored.status_code == 302
    shop = ShopConnection.objects.get(integration=world)
    assert shop.install_mode == ShopConnection.InstallMode.CUSTOM_APP and shop.access_token_expires_at is None
    assert (shop.access_token.reveal(), shop.webhook_secret.reveal()) == ("shpat_test", "custom-secret")
    page = client.get(reverse("admin:integrations_integration_change", args=[world.pk])).content.decode()
    assert "shpat_test" not in page and "custom-secret" not in page


def test_a_woocommerce_connection_saves_without_showing_its_key(client, world, superuser):
    ShopConnection.objects.filter(integration=world).update(
        platform=ShopConnection.Platform.WOOCOMMERCE,
        shop_domain="shop.example.se",
        store_url="https://shop.example.se",
        access_token="",
    )
    shop = ShopConnection.objects.get(integration=world)
    shop.consumer_key, shop.consumer_secret = Secret("ck_admin_key_1234"), Secret("cs_admin_secret_5678")
    shop.save()
    client.force_login(superuser)
    url = reverse("admin:integrations_integration_change", args=[world.pk])
    page = client.get(url)
    body = page.content.decode()

    assert "https://shop.example.se" in body and "ck_admin_key_1234" not in body and "cs_admin_secret_5678" not in body
    response = client.post(url, post_data_from(page) | {"name": "Woo shop"})

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    shop.refresh_from_db()
    assert (shop.consumer_key.reveal(), shop.consumer_secret.reveal()) == ("ck_admin_key_1234", "cs_admin_secret_5678")
