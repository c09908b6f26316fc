"""Back to a WooCommerce store: the order learns its BC document number.

WooCommerce orders have no metafields and no tags: the number goes into the order's ``meta_data``
under the key ``junipeer_bc_document_number`` (the Shopify metafield's namespace and key), when the
integration writes the number back as a metafield. WooCommerce updates the entry with that key (or
adds it), so a resend changes nothing and a later number (the posted invoice of a sales order)
replaces the earlier one. Which orders, the "written once" mark and the failure handling are the
Shopify side's (services/fulfilments.py): a refused write leaves the order pending, logged with its
code, and the next run writes it again.
"""

from __future__ import annotations

import datetime as dt

from integrations.connectors.woocommerce import WooCommerceClient, WooError
from integrations.models import Integration
from syncs.models import SyncRun
from syncs.services.fulfilments import (
    METAFIELD_KEY,
    METAFIELD_NAMESPACE,
    BackResult,
    write_back_done,
    write_back_failed,
    write_back_todo,
)

META_KEY = f"{METAFIELD_NAMESPACE}_{METAFIELD_KEY}"


def woo_order_id(source_id: str) -> int:
    """The store's order id from the link's source id (``gid://woocommerce/Order/1001`` or ``1001``)."""
    return int(str(source_id).rsplit("/", 1)[-1])


def woo_write_back(
    *, integration: Integration, woo_client: WooCommerceClient, since: dt.datetime, run: SyncRun | None = None
) -> BackResult:
    """Write each order's BC number to the WooCommerce order's meta data (once per number)."""
    result = BackResult()
    if not integration.write_back_metafield:
        return result
    for link in write_back_todo(integration=integration, since=since):
        try:
            woo_client.order_meta_set(woo_order_id(link.source_id), key=META_KEY, value=link.target_number)
        except WooError as exc:
            write_back_failed(integration=integration, link=link, exc=exc, run=run)
            result.failed += 1
            continue
        write_back_done(link=link)
        result.written_back += 1
    return result
