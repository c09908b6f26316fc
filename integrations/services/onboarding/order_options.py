"""Wizard step 3: order filters, document header defaults and what goes back to the shop."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db import transaction
from django.utils.translation import gettext as _

from integrations.models import (
    DimensionMapping,
    Integration,
)
from integrations.selectors import company_sharing_integrations
from integrations.services.onboarding.errors import (
    OnboardingError,
)

ORDER_OPTION_FIELDS = (
    "sync_test_orders",
    "order_tags_required",
    "order_tags_excluded",
    "order_sales_channels",
    "order_max_risk",
    "document_number_prefix",
    "salesperson_code",
    "location_code",
    "fulfil_from_bc_shipments",
    "write_back_metafield",
    "write_back_tag",
)


@transaction.atomic
def integration_order_options_save(
    *, integration: Integration, options: Mapping[str, object], dimension_rules: Iterable[tuple[str, str, str, str]]
) -> Integration:
    """Order filters, document header defaults (prefix, salesperson, location, dimensions) and what
    goes back to the shop. A live integration keeps its document-number prefix: its documents in
    Business Central are found again by it."""
    prefix = str(options.get("document_number_prefix") or "").strip()
    if integration.went_live_at and prefix != integration.document_number_prefix:
        raise OnboardingError(
            _(
                "The document number prefix cannot change after going live: documents already in Business "
                "Central carry it."
            )
        )
    connection = getattr(integration, "bc_connection", None)
    if connection is not None:
        clash = [
            other.name
            for other in company_sharing_integrations(connection=connection)
            if other.document_number_prefix.upper() == prefix.upper()
        ]
        if clash:
            raise OnboardingError(
                _("The document number prefix %(prefix)s is already used by %(integrations)s in this company.")
                % {"prefix": prefix or "-", "integrations": ", ".join(clash)}
            )
    for name in ORDER_OPTION_FIELDS:
        value = options.get(name)
        if isinstance(value, str):
            value = value.strip()
            if name in ("salesperson_code", "location_code"):
                value = value.upper()
        # ORDER_OPTION_FIELDS are concrete fields: get_field never returns a relation here.
        setattr(integration, name, value if value is not None else integration._meta.get_field(name).get_default())  # type: ignore[union-attr]
    integration.document_number_prefix = prefix
    integration.full_clean()
    integration.save()
    integration.dimension_mappings.all().delete()
    rules = {(source, value, dimension): code for source, value, dimension, code in dimension_rules}  # last one wins
    DimensionMapping.objects.bulk_create(
        DimensionMapping(
            integration=integration,
            source=source,
            source_value=value,
            dimension_code=dimension,
            dimension_value_code=code,
        )
        for (source, value, dimension), code in rules.items()
    )
    return integration
