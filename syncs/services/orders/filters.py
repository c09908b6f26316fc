"""Which orders are synced: the exclusion date, cancellations, payment and the merchant's order filters."""

from __future__ import annotations

from integrations.commerce import Order
from integrations.models import Integration
from syncs.mapping.settings import split_list

PAID_STATUSES = {"PAID", "PARTIALLY_PAID", "PARTIALLY_REFUNDED", "REFUNDED"}


RISK_RANK = {"NONE": 0, "LOW": 1, "PENDING": 2, "MEDIUM": 2, "HIGH": 3}


def order_skip_reason(*, order: Order, integration: Integration) -> str:
    """Why an order is not synced ("" = it is). The exclusion date is a hard cutoff."""
    if integration.order_exclusion_date and order.created_at < integration.order_exclusion_date:
        return "created before the order exclusion date"
    if order.cancelled_at:
        return "cancelled"
    filtered = order_filter_reason(order=order, integration=integration)
    if filtered:
        return filtered
    if order.financial_status.upper() not in PAID_STATUSES and not integration.sync_unpaid_orders:
        return f"not paid ({order.financial_status.lower()})"
    return ""


def order_filter_reason(*, order: Order, integration: Integration) -> str:
    """The merchant's order filters (test flag, tags, sales channel, risk): why the order is left
    out ("" = it passes). Such an order is recorded as skipped with this reason (MAP-019)."""
    if order.test and not integration.sync_test_orders:
        return "test order"
    tags = {tag.strip().casefold() for tag in order.tags}
    required = [tag for tag in split_list(integration.order_tags_required)]
    if required and not tags & {tag.casefold() for tag in required}:
        return f"has none of the tags {', '.join(required)}"
    excluded = [tag for tag in split_list(integration.order_tags_excluded) if tag.casefold() in tags]
    if excluded:
        return f"tagged {', '.join(excluded)}"
    channels = {c.casefold() for c in split_list(integration.order_sales_channels)}
    channel = order.sales_channel
    # A platform without sales channels (WooCommerce) has none to filter by.
    if channels and channel and channel.casefold() not in channels and order.source_name.casefold() not in channels:
        return f"sales channel {channel} is not synced"
    if integration.order_max_risk:
        level = (order.risk_level or "").upper()
        if level and RISK_RANK.get(level, 3) > RISK_RANK[integration.order_max_risk]:
            return f"{level.lower()} risk"
    return ""
