"""OSS in the wizard: customers matched by e-mail or phone during order sync whose VAT business posting
group differs from their order country's mapping (BC takes the group from the customer card)."""

from __future__ import annotations

from integrations.models import Integration
from syncs.errors import get_error
from syncs.models import EntityType, RecordLink


def _matched_links(integration: Integration):
    return RecordLink.objects.filter(
        integration=integration, entity_type=EntityType.CUSTOMER, details__has_key="matched_country"
    ).exclude(target_number="")


def matched_customer_numbers(*, integration: Integration) -> set[str]:
    """BC customers matched (not created) during order sync: the wizard reads their VAT group too."""
    return set(_matched_links(integration).values_list("target_number", flat=True))


def matched_customer_vat_mismatches(*, integration: Integration, customer_vat_groups: dict[str, str]) -> list[str]:
    """MAP-027's message for each matched customer (of those BC listed) whose group is not its country's."""
    mapped = {m.country_code.upper(): m.vat_business_group for m in integration.country_mappings.all()}
    found = {}
    for number, details in _matched_links(integration).values_list("target_number", "details"):
        country = (details.get("matched_country") or "").upper()
        expected, actual = mapped.get(country, ""), customer_vat_groups.get(number, "")
        if expected and actual and actual != expected:
            found[number] = get_error("MAP-027").render(
                customer_number=number, country=country, customer_group=actual, vat_bus_group=expected
            )
    return [found[number] for number in sorted(found)]
