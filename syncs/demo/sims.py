"""The four simulators as real HTTP servers on loopback, in threads of the demo command's process.

One process holds the in-memory state; the web server and the worker (child processes) reach it
over HTTP exactly as they would reach the real systems. The simulators are imported inside
``simulators_start`` so nothing outside the demo command ever loads them.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass, field
from typing import Any

from syncs.demo.config import (
    ENTRA_CLIENT_ID,
    ENTRA_CLIENT_SECRET,
    SHOP_ACCESS_TOKEN,
    SHOP_DOMAIN,
    DemoConfig,
)

logger = logging.getLogger(__name__)

# The Shopify simulator's catalogue (SKUs and GTINs, see its seed); the demo creates them as BC
# items so "SKU is the BC item number" matches without setup.
SHOP_CATALOGUE_TAX_GROUP = "STANDARD"


@dataclass
class DemoSimulators:
    bc: Any
    identity: Any
    shopify: Any
    stripe: Any
    servers: list[Any] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)

    def stop(self) -> None:
        self._stop.set()
        for server in self.servers:
            server.stop()

    def shop_invoices_in_bc(self) -> int:
        """Sales invoices in the sandbox company that came from shop orders (external no. "#...")."""
        store = self.bc.company("sandbox")
        numbers = (str(row.get("externalDocumentNumber") or "") for row in store.rows("salesInvoices"))
        return sum(1 for number in numbers if number.startswith("#"))

    # --- shop activity ---------------------------------------------------------------------------
    def orders_trickle_start(self, *, every_seconds: float) -> None:
        """A new paid order in the shop every few seconds, so synced invoices keep appearing."""
        if every_seconds <= 0:
            return

        def loop() -> None:
            while not self._stop.wait(every_seconds):
                try:
                    self.shopify.generate_orders(1, seed=int(dt.datetime.now(dt.UTC).timestamp()))
                except Exception:  # a demo convenience must never take the demo down
                    logger.exception("Could not add a demo order to the shop")

        threading.Thread(target=loop, name="demo-orders", daemon=True).start()


def simulators_start(config: DemoConfig) -> DemoSimulators:
    from simulators.businesscentral import BusinessCentralSimulator
    from simulators.identity import IdentitySimulator, SimClient
    from simulators.server import serve
    from simulators.shopify import ShopifySimulator
    from simulators.shopify.clock import SimClock as ShopClock
    from simulators.stripe.app import StripeSimulator
    from simulators.tls import make_loopback_certificate

    identity = IdentitySimulator()
    callback = f"{config.site_url}/connect/microsoft/callback/"
    identity.add_client(SimClient(ENTRA_CLIENT_ID, ENTRA_CLIENT_SECRET, redirect_uris=[callback]))
    # BC accepts exactly the tokens the identity simulator issued to licensed users and apps.
    bc = BusinessCentralSimulator(accepted_tokens={}, token_validator=identity.bc_token_validator)
    # Shop time is wall time, so new orders fall after the go-live moment and get synced.
    shopify = ShopifySimulator(
        shop_domain=SHOP_DOMAIN, access_token=SHOP_ACCESS_TOKEN, clock=ShopClock(start=dt.datetime.now(dt.UTC))
    )
    stripe = StripeSimulator()
    bc_items_for_shop_catalogue(bc)  # before serving: nobody else touches the store yet
    sims = DemoSimulators(bc=bc, identity=identity, shopify=shopify, stripe=stripe)
    try:
        config.tls_dir.mkdir(parents=True, exist_ok=True)
        certificate = make_loopback_certificate(config.tls_dir)
        sims.servers.append(serve(bc, port=config.bc_port))
        identity_server = serve(identity, port=config.identity_port, tls=certificate.server_context())
        identity.base_url = identity_server.url
        sims.servers.append(identity_server)
        sims.servers.append(serve(shopify, port=config.shopify_port))
        sims.servers.append(serve(stripe, port=config.stripe_port))
    except OSError:
        sims.stop()
        raise
    return sims


def bc_items_for_shop_catalogue(bc, *, environment: str = "sandbox") -> int:
    """Create the shop's SKUs as items of the company (the BC seed has its own catalogue)."""
    from simulators.shopify.seed import CATALOGUE, gtin

    store = bc.company(environment)
    tax_group = store.find("taxGroups", code=SHOP_CATALOGUE_TAX_GROUP)
    created = 0
    for index, (sku, title, price, _weight) in enumerate(CATALOGUE, start=1):
        if store.find("items", number=sku) is not None:
            continue
        # Net of Swedish VAT: the shop's prices include 25 %.
        store.insert(
            "items",
            {
                "number": sku,
                "displayName": title,
                "type": "Inventory",
                "gtin": gtin(index),
                "blocked": False,
                "unitPrice": round(float(price) / 1.25, 2),
                "unitCost": round(float(price) / 1.25 * 0.45, 2),
                "inventory": 100,
                "taxGroupCode": SHOP_CATALOGUE_TAX_GROUP,
                "taxGroupId": tax_group["id"],
                "baseUnitOfMeasureCode": "PCS",
                "generalProductPostingGroupCode": "RETAIL",
                "inventoryPostingGroupCode": "RESALE",
            },
        )
        created += 1
    return created
