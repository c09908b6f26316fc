"""Which shop location receives the stock of which Business Central location (the wizard's stock step).

Each BC location is sent to at most one shop location, and several BC locations may go to the same
one (their stock is added up). Without any BC location mapped, one shop location receives each
item's total inventory instead (a mapping without a BC location code).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from integrations.connectors.shopify import ShopifyError
from integrations.connectors.shopify.client import ShopifyClient
from integrations.models import Integration, LocationMapping, ShopConnection
from integrations.services.onboarding.errors import OnboardingError
from integrations.services.onboarding.wizard_settings import bc_locations_list
from integrations.services.shopify_tokens import shop_client_for


@dataclass(frozen=True)
class StockLocationChoices:
    bc_locations: list[tuple[str, str]]  # (code, "code – name")
    shop_locations: list[tuple[str, str]]  # (shop location id, name)


def shop_locations_list(*, integration: Integration, shop_client: ShopifyClient | None = None) -> list[tuple[str, str]]:
    """The shop's active locations as (id, name)."""
    if shop_client is None:
        connection = ShopConnection.objects.filter(
            integration=integration, verified_at__isnull=False, uninstalled_at__isnull=True
        ).first()
        if connection is None:
            raise OnboardingError(_("Connect your shop first."))
        if connection.is_woocommerce:
            raise OnboardingError(
                _("A WooCommerce store has no locations: each item's total inventory goes to the store.")
            )
        shop_client = shop_client_for(connection=connection)
    try:
        locations = shop_client.locations_list()
    except ShopifyError as error:
        raise OnboardingError(_("The shop's locations could not be read: %(error)s") % {"error": error}) from None
    return [(location.id, location.name) for location in locations if location.is_active]


def stock_location_choices_get(
    *, integration: Integration, shop_client: ShopifyClient | None = None
) -> StockLocationChoices:
    return StockLocationChoices(
        bc_locations=bc_locations_list(integration=integration),
        shop_locations=shop_locations_list(integration=integration, shop_client=shop_client),
    )


@transaction.atomic
def stock_locations_save(
    *,
    integration: Integration,
    choices: StockLocationChoices,
    by_code: Mapping[str, str],
    total_location_id: str = "",
) -> list[LocationMapping]:
    """Replace the integration's location mappings. ``by_code``: BC location code -> shop location id
    ("" = this BC location's stock is not sent); ``total_location_id``: used when no BC location is
    mapped, it receives each item's total inventory."""
    shop_ids = {location_id for location_id, _name in choices.shop_locations}
    bc_codes = {code for code, _label in choices.bc_locations}
    chosen = {code: location_id for code, location_id in by_code.items() if location_id}
    unknown_codes = sorted(set(chosen) - bc_codes)
    if unknown_codes:
        raise OnboardingError(
            _("Business Central has no location %(codes)s. Reload the page and choose again.")
            % {"codes": ", ".join(unknown_codes)}
        )
    if any(location_id not in shop_ids for location_id in [*chosen.values(), total_location_id] if location_id):
        raise OnboardingError(_("That shop location no longer exists. Reload the page and choose again."))
    if not chosen and not total_location_id:
        raise OnboardingError(
            _("Choose a shop location for at least one Business Central location, or one for the total inventory.")
        )
    LocationMapping.objects.filter(integration=integration).delete()
    rows = [
        LocationMapping(integration=integration, bc_location_code=code, shop_location_id=location_id)
        for code, location_id in sorted(chosen.items())
    ] or [LocationMapping(integration=integration, bc_location_code="", shop_location_id=total_location_id)]
    return LocationMapping.objects.bulk_create(rows)
