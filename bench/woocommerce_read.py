"""WooCommerce over HTTPS: reading and translating many orders, and writing stock in batches.

    .venv/bin/python bench/woocommerce_read.py [--orders 2000] [--stock 1000]

Adds ``--orders`` orders (SE/DE/FI, two lines, every fifth with WELCOME10) to the simulator,
serves it over TLS on loopback and reads them through the product's WooCommerceShop (pages of 100,
refunds read per refunded order, translation into the order model); then sets ``--stock``
quantities through the batch endpoints. Prints requests and wall seconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "junipeer_bc.settings_test")

import requests  # noqa: E402

from integrations.connectors.woocommerce import StockUpdate, WooCommerceClient, WooCommerceShop  # noqa: E402
from simulators.server import serve  # noqa: E402
from simulators.tls import make_loopback_certificate  # noqa: E402
from simulators.woocommerce import WooCommerceSimulator  # noqa: E402
from simulators.woocommerce.orders import OrderSpec, order_build  # noqa: E402

SKUS = ["1896-S", "1928-S", "1908-S", "1972-S", "1900-S", "1936-S"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=2000)
    parser.add_argument("--stock", type=int, default=1000)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    sim = WooCommerceSimulator()
    with sim.store.lock:
        for n in range(args.orders):
            order_build(
                sim.store,
                OrderSpec(
                    5000 + n,
                    sim.clock.now() + dt.timedelta(minutes=n),
                    ("SE", "DE", "FI")[n % 3],
                    [(SKUS[n % 6], 1), (SKUS[(n + 1) % 6], 2)],
                    billing={"email": f"c{n}@example.se"},
                    coupon=("WELCOME10", 10) if n % 5 == 0 else None,
                ),
            )
    certificate = make_loopback_certificate()
    with serve(sim, tls=certificate.server_context()) as running:
        session = requests.Session()
        session.verify, session.trust_env = str(certificate.cert_file), False

        def client() -> WooCommerceClient:
            return WooCommerceClient(
                store_url=running.url, consumer_key="ck_test", consumer_secret="cs_test", session=session
            )

        reader = client()
        started = time.perf_counter()
        orders = list(WooCommerceShop(client=reader).orders_iter())
        print(f"read and translated {len(orders):,} orders: {reader.stats.requests} requests, "
              f"{time.perf_counter() - started:.2f} s")  # fmt: skip
        writer = client()
        lamp = next(p["id"] for p in sim.store.products.values() if p["sku"] == "1928-S")
        started = time.perf_counter()
        results = writer.stock_update([StockUpdate(product_id=lamp, quantity=n) for n in range(args.stock)])
        print(f"set {len(results):,} stock quantities: {writer.stats.requests} requests, "
              f"{time.perf_counter() - started:.2f} s")  # fmt: skip


if __name__ == "__main__":
    main()
