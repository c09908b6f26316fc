"""The wizard's stock step: each Business Central location (read live from BC) is sent to a shop
location (read live from the shop), several BC locations may share one, or the total goes to one."""

from __future__ import annotations

import pytest
from django.urls import reverse

from integrations.models import LocationMapping
from integrations.selectors import settings_missing
from integrations.services.onboarding.errors import OnboardingError
from integrations.services.shopify_install import shop_custom_app_attach
from integrations.services.stock_locations import StockLocationChoices, stock_locations_save
from tests.fixtures.shopify import ACCESS_TOKEN, SHOP_DOMAIN

pytestmark = pytest.mark.django_db


@pytest.fixture
def attached(integration, bc_connected, settings, shopify_server):
    settings.SHOPIFY_API_ROOT = shopify_server.url
    shop_custom_app_attach(
        integration=integration, shop_domain=SHOP_DOMAIN, access_token=ACCESS_TOKEN, webhook_secret="whsec-test"
    )
    integration.stock_enabled = True
    integration.save(update_fields=["stock_enabled"])
    return {name: location_id for location_id, name in _shop_locations(shopify_server)}


def _shop_locations(shopify_server):
    return [(location["id"], location["name"]) for location in shopify_server.sim.store.locations.values()]


def page(integration):
    return reverse("merchant:wizard_stock_locations", args=[integration.pk])


def test_the_step_lists_bc_and_shop_locations_by_name(merchant_client, integration, attached):
    response = merchant_client.get(page(integration))

    body = response.content.decode()
    assert response.status_code == 200
    form = response.context["form"]
    assert form.bc_codes == ["MAIN", "STHLM"]  # API v2.0 locations of the BC company
    assert "MAIN – Huvudlager" in body and "STHLM – Butik Stockholm" in body
    assert "Stockholm Warehouse" in body and "Malmö Store" in body
    assert "gid://" not in body.replace('value="gid://', "")  # ids only as option values, never shown
    assert "stock locations" in settings_missing(integration=integration)


def test_saving_maps_each_bc_location_and_lets_two_share_a_shop_location(merchant_client, integration, attached):
    warehouse = attached["Stockholm Warehouse"]

    response = merchant_client.post(page(integration), {"loc__MAIN": warehouse, "loc__STHLM": warehouse})

    assert response.status_code == 302 and response["Location"].endswith("/setup/test/")
    rows = set(
        LocationMapping.objects.filter(integration=integration).values_list("bc_location_code", "shop_location_id")
    )
    assert rows == {("MAIN", warehouse), ("STHLM", warehouse)}
    assert "stock locations" not in settings_missing(integration=integration)

    # Saving again replaces the mapping: STHLM now goes to the store, MAIN is no longer sent.
    store = attached["Malmö Store"]
    merchant_client.post(page(integration), {"loc__MAIN": "", "loc__STHLM": store})
    rows = set(
        LocationMapping.objects.filter(integration=integration).values_list("bc_location_code", "shop_location_id")
    )
    assert rows == {("STHLM", store)}
    again = merchant_client.get(page(integration)).context["form"]
    assert again.initial["loc__STHLM"] == store


def test_total_inventory_goes_to_one_location_when_no_bc_location_is_sent(merchant_client, integration, attached):
    store = attached["Malmö Store"]

    merchant_client.post(page(integration), {"total_location": store})

    assert list(
        LocationMapping.objects.filter(integration=integration).values_list("bc_location_code", "shop_location_id")
    ) == [("", store)]


def test_nothing_chosen_or_an_unknown_location_is_refused_with_what_to_do(merchant_client, integration, attached):
    empty = merchant_client.post(page(integration), {})
    assert empty.status_code == 400
    assert "Choose a shop location for at least one Business Central location" in empty.content.decode()

    foreign = merchant_client.post(page(integration), {"loc__MAIN": "gid://shopify/Location/999"})
    assert foreign.status_code == 400  # not one of the shop's locations: the choice field refuses it
    assert not LocationMapping.objects.filter(integration=integration).exists()


def test_settings_send_a_stock_merchant_to_the_stock_step_and_it_speaks_swedish(merchant_client, integration, attached):
    settings_page = merchant_client.get(reverse("merchant:wizard_settings", args=[integration.pk])).content.decode()
    assert 'id="stock-locations-link"' in settings_page

    merchant_client.post(reverse("set_language"), {"language": "sv", "next": page(integration)})
    body = merchant_client.get(page(integration)).content.decode()
    assert "Lagerställen" in body and "Skickas inte till butiken" in body


def test_the_service_refuses_a_bc_location_or_shop_location_it_was_not_offered(integration):
    choices = StockLocationChoices(bc_locations=[("MAIN", "MAIN – Huvudlager")], shop_locations=[("gid-1", "Lager")])
    with pytest.raises(OnboardingError, match="no location GONE"):
        stock_locations_save(integration=integration, choices=choices, by_code={"GONE": "gid-1"})
    with pytest.raises(OnboardingError, match="no longer exists"):
        stock_locations_save(integration=integration, choices=choices, by_code={"MAIN": "gid-2"})
    assert not LocationMapping.objects.filter(integration=integration).exists()

    saved = stock_locations_save(integration=integration, choices=choices, by_code={"MAIN": "gid-1"})
    assert [(m.bc_location_code, m.shop_location_id) for m in saved] == [("MAIN", "gid-1")]
