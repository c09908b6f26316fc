"""The simulators (BC, sign-in, Shopify, WooCommerce, Stripe, Klarna, Adyen) as real HTTP servers on
loopback, in threads of the demo command's process.

One process holds the in-memory state; the web server and the worker (child processes) reach it
over HTTP exactly as they would reach the real systems. The simulators are imported inside
``simulators_start`` so nothing outside the demo command ever loads them.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from syncs.demo.config import (
    ADYEN_COMMISSION,
    ADYEN_MERCHANT_ACCOUNT,
    ENTRA_CLIENT_ID,
    ENTRA_CLIENT_SECRET,
    KLARNA_FEE,
    PAYMENT_JOURNAL_BATCH,
    PAYOUT_FEE_RATE,
    PAYOUT_FIXED_FEE,
    SHOP_ACCESS_TOKEN,
    SHOP_DOMAIN,
    SHOPIFY_CLIENT_ID,
    SHOPIFY_CLIENT_SECRET,
    WOO_CONSUMER_KEY,
    WOO_CONSUMER_SECRET,
    DemoConfig,
)

logger = logging.getLogger(__name__)

ACTIVITY_TICK_SECONDS = 5.0


@dataclass
class DemoSimulators:
    bc: Any
    identity: Any
    shopify: Any
    stripe: Any
    woo: Any = None
    klarna: Any = None
    adyen: Any = None
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

    def invoice_status_in_bc(self, order_name: str) -> str:
        """The status ("Open", "Paid", ...) of the sandbox invoice of a shop order; "" when there is none."""
        store = self.bc.company("sandbox")
        found = store.find("salesInvoices", externalDocumentNumber=order_name)
        return str(found.get("status") or "") if found else ""

    def gl_balance_in_bc(self, account_number: str) -> Decimal:
        """Debit minus credit of a sandbox G/L account (a clearing account is 0 once payouts are booked)."""
        store = self.bc.company("sandbox")
        entries = store.filter("generalLedgerEntries", accountNumber=account_number)
        return sum((Decimal(str(e["debitAmount"])) - Decimal(str(e["creditAmount"])) for e in entries), Decimal(0))

    def order_total(self, order_id: str) -> tuple[str, Decimal]:
        """(name, total in the shop's currency) of a shop order."""
        with self.shopify.store.lock:
            order = self.shopify.store.orders[order_id]
            return order["name"], Decimal(order["totalPriceSet"]["shopMoney"]["amount"])

    def orders_in_shop_currency(self, n: int, *, seed: int, tries: int = 40) -> list[str]:
        """``n`` new shop orders paid in the shop's currency (SEK), so their invoices are in SEK."""
        found: list[str] = []
        for offset in range(tries):
            if len(found) == n:
                break
            for order_id in self.shopify.generate_orders(1, seed=seed + offset):
                with self.shopify.store.lock:
                    order = self.shopify.store.orders[order_id]
                    currency = self.shopify.store.shop.get("currencyCode")
                    if not order["test"] and order["presentmentCurrencyCode"] == currency:
                        found.append(order_id)
        return found

    def klarna_payout_for_order(self, order_id: str, *, fee: Decimal = KLARNA_FEE) -> dict:
        """A Klarna payout (SEK) of one order as if paid with Klarna: the sale and Klarna's fee."""
        name, total = self.order_total(order_id)
        merchant = self.klarna.merchant
        merchant.transaction("SALE", int(total * 100), order_reference=name)
        merchant.transaction("FEE", int(fee * 100), detailed_type="PURCHASE_FEE_PERCENTAGE")
        paid = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
        return merchant.payout_create(payout_date=paid)

    def adyen_payout_for_order(self, order_id: str, *, commission: Decimal = ADYEN_COMMISSION) -> str:
        """An Adyen settlement batch (SEK) of one order as if paid by card through Adyen; the report's
        file name. The product finds it by trying the next batch."""
        name, total = self.order_total(order_id)
        account = self.adyen.account(ADYEN_MERCHANT_ACCOUNT)
        account.line("Settled", total, merchant_reference=name, commission=commission)
        paid = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)).strftime("%Y-%m-%d %H:%M:%S")
        return account.batch_close(paid_on=paid)

    # --- shop activity ---------------------------------------------------------------------------
    def payout_for_orders(self, order_ids: list[str]) -> dict | None:
        """A paid Shopify Payments payout of the card payments of those orders the product can book.

        Only orders paid with Shopify Payments in the shop's own currency (SEK), so every charge closes
        its invoice exactly: the payout is in SEK, and an order paid in EUR has either a EUR invoice
        (PAY-002: no application between currencies) or a SEK invoice converted by BC, cents away from
        Shopify's conversion, which would leave the invoice open.
        """
        with self.shopify.store.lock:
            orders = [self.shopify.store.orders.get(order_id) for order_id in order_ids]
            currency = self.shopify.store.shop.get("currencyCode")
            payable = [
                order["id"]
                for order in orders
                if order is not None
                and not order["test"]
                and order["presentmentCurrencyCode"] == currency
                and any(tx["gateway"] == "shopify_payments" for tx in order["transactions"])
            ]
        if not payable:
            return None
        return self.shopify.payout_create_for_orders(payable, fee_rate=PAYOUT_FEE_RATE, fixed_fee=PAYOUT_FIXED_FEE)

    def shop_activity_start(self, *, order_every: float, payout_every: int, payout_delay: float) -> None:
        """A new paid order in the shop every few seconds, so synced invoices keep appearing; every
        ``payout_every`` orders a Shopify Payments payout of them, once each is ``payout_delay``
        seconds old (the orders flow has booked its invoice by then, so the payout can be applied)."""
        if order_every <= 0:
            return

        def loop() -> None:
            waiting: list[tuple[float, str]] = []  # (monotonic time created, order id) not yet paid out
            providers_paid_out = False  # one Klarna and one Adyen payout, of the first two orders in SEK
            next_order = time.monotonic() + order_every
            # Wake often enough that a payout follows as soon as its last order is old enough.
            while not self._stop.wait(min(order_every, ACTIVITY_TICK_SECONDS)):
                try:
                    now = time.monotonic()
                    if now >= next_order:
                        next_order = now + order_every
                        order_ids = self.shopify.generate_orders(1, seed=int(dt.datetime.now(dt.UTC).timestamp()))
                        waiting += [(now, order_id) for order_id in order_ids]
                        # As Shopify does: orders/create goes to the product's registered subscription.
                        for order_id in order_ids:
                            self.shopify.webhooks.emit("orders/create", self.shopify.webhooks.order_payload(order_id))
                    if payout_every <= 0:
                        continue
                    aged = [order_id for created, order_id in waiting if now - created >= payout_delay]
                    invoiced = _orders_invoiced(aged)
                    # An order that never gets an invoice (placed before go-live, say) is never paid out
                    # by the demo: its payout could only ever be reported as "no invoice found".
                    waiting = [
                        (created, order_id)
                        for created, order_id in waiting
                        if order_id in invoiced or now - created < NEVER_INVOICED_AFTER_SECONDS
                    ]
                    ready = [order_id for order_id in aged if order_id in invoiced]
                    if len(ready) < payout_every:
                        continue
                    waiting = [(created, order_id) for created, order_id in waiting if order_id not in ready]
                    if not providers_paid_out and self.klarna is not None:
                        used = self._provider_payouts(ready)
                        providers_paid_out = bool(used)
                        ready = [order_id for order_id in ready if order_id not in used]
                    payout = self.payout_for_orders(ready)
                    if payout is not None:
                        logger.info("Demo: Shopify Payments payout %s of %s orders", payout["id"], len(ready))
                except Exception:  # a demo convenience must never take the demo down
                    logger.exception("Could not add a demo order or payout to the shop")

        threading.Thread(target=loop, name="demo-shop-activity", daemon=True).start()

    def _provider_payouts(self, order_ids: list[str]) -> list[str]:
        """A Klarna payout of the first order in SEK and an Adyen batch of the second; the two orders,
        or none when there are not two such orders yet."""
        with self.shopify.store.lock:
            currency = self.shopify.store.shop.get("currencyCode")
            in_sek = [i for i in order_ids if self.shopify.store.orders[i]["presentmentCurrencyCode"] == currency]
        if len(in_sek) < 2:
            return []
        klarna = self.klarna_payout_for_order(in_sek[0])
        batch = self.adyen_payout_for_order(in_sek[1])
        logger.info("Demo: Klarna payout %s and Adyen batch %s", klarna["payment_reference"], batch)
        return in_sek[:2]

    def woo_activity_start(self, *, order_every: float) -> None:
        """A new paid order in the WooCommerce store every few seconds (store time follows wall time),
        announced to the webhooks the product saved there (WooCommerce's queue, delivered at once)."""
        if order_every <= 0 or self.woo is None:
            return
        from simulators.woocommerce.orders import OrderSpec, order_build

        def loop() -> None:
            number = 5000
            while not self._stop.wait(order_every):
                try:
                    woo = self.woo
                    with woo.store.lock:
                        lag = (dt.datetime.now(dt.UTC) - woo.clock.now()).total_seconds()
                        woo.clock.advance(max(lag, 0))
                        number += 1
                        order = order_build(
                            woo.store,
                            OrderSpec(number, woo.clock.now(), "SE", [("1928-S", 1 + number % 3)],
                                      billing={"email": f"kund{number}@example.se"}),
                        )  # fmt: skip
                    woo.webhooks.fire("order.created", woo.order_json(order["id"]))
                    woo.webhooks.flush()
                except Exception:  # a demo convenience must never take the demo down
                    logger.exception("Could not add a demo order to the WooCommerce store")

        threading.Thread(target=loop, name="demo-woo-activity", daemon=True).start()


# An order with no invoice this long after it was placed is taken as never to be invoiced.
NEVER_INVOICED_AFTER_SECONDS = 600


def _orders_invoiced(order_ids: list[str]) -> set[str]:
    """The shop orders (ids) the product has synced to a BC invoice."""
    from django.db import close_old_connections

    from syncs.models import EntityType, RecordLink

    if not order_ids:
        return set()
    try:
        return set(
            RecordLink.objects.filter(
                entity_type=EntityType.ORDER, state=RecordLink.State.SYNCED, source_id__in=order_ids
            ).values_list("source_id", flat=True)
        )
    finally:
        close_old_connections()  # this thread lives long; never keep a stale connection


def simulators_start(config: DemoConfig) -> DemoSimulators:
    from simulators.adyen import AdyenSimulator
    from simulators.businesscentral import BusinessCentralSimulator
    from simulators.identity import IdentitySimulator, SimClient
    from simulators.klarna import KlarnaSimulator
    from simulators.server import serve
    from simulators.shopify import ShopifySimulator
    from simulators.shopify.clock import SimClock as ShopClock
    from simulators.stripe.app import StripeSimulator
    from simulators.tls import loopback_certificate_reuse_or_make
    from simulators.woocommerce import WooCommerceSimulator

    identity = IdentitySimulator()
    callback = f"{config.site_url}/connect/microsoft/callback/"
    identity.add_client(SimClient(ENTRA_CLIENT_ID, ENTRA_CLIENT_SECRET, redirect_uris=[callback]))
    # BC accepts exactly the tokens the identity simulator issued to licensed users and apps.
    bc = BusinessCentralSimulator(accepted_tokens={}, token_validator=identity.bc_token_validator)
    # Shop time is wall time, so new orders fall after the go-live moment and get synced.
    shopify = ShopifySimulator(
        shop_domain=SHOP_DOMAIN,
        access_token=SHOP_ACCESS_TOKEN,
        clock=ShopClock(start=dt.datetime.now(dt.UTC)),
        client_id=SHOPIFY_CLIENT_ID,
        client_secret=SHOPIFY_CLIENT_SECRET,
    )
    stripe = StripeSimulator()
    bc_payout_journal_ensure(bc)
    woo = WooCommerceSimulator(
        consumer_key=WOO_CONSUMER_KEY, consumer_secret=WOO_CONSUMER_SECRET, source=f"{config.woo_url}/"
    )
    sims = DemoSimulators(
        bc=bc,
        identity=identity,
        shopify=shopify,
        stripe=stripe,
        woo=woo,
        klarna=KlarnaSimulator(),
        adyen=AdyenSimulator(),
    )
    try:
        config.tls_dir.mkdir(parents=True, exist_ok=True)
        certificate = loopback_certificate_reuse_or_make(config.tls_dir)
        sims.servers.append(serve(bc, port=config.bc_port))
        identity_server = serve(identity, port=config.identity_port, tls=certificate.server_context())
        identity.base_url = identity_server.url
        sims.servers.append(identity_server)
        sims.servers.append(serve(shopify, port=config.shopify_port))
        sims.servers.append(serve(stripe, port=config.stripe_port))
        sims.servers.append(serve(sims.klarna, port=config.klarna_port))
        sims.servers.append(serve(sims.adyen, port=config.adyen_port))
        sims.servers.append(serve(woo, port=config.woo_port, tls=certificate.server_context()))
    except OSError:
        sims.stop()
        raise
    return sims


def bc_payout_journal_ensure(bc, *, environment: str = "sandbox", code: str = PAYMENT_JOURNAL_BATCH) -> bool:
    """The general journal batch payout fees are booked in, named like the payment journal batch.

    The BC seed has the customer payment journal (cash receipt) batch; an accountant adds the general
    journal batch next to it (docs/accounting.md, "Payouts"). True when it was created.
    """
    from simulators.businesscentral.store import EMPTY_GUID

    created = False
    for company in bc.environments[environment].companies.values():
        if company.find("journals", code=code) is not None:
            continue
        company.insert(
            "journals",
            {"code": code, "displayName": f"{code.title()} payouts", "templateDisplayName": "GENERAL",
             "balancingAccountId": EMPTY_GUID, "_series": "GJNL-GEN"},
        )  # fmt: skip
        created = True
    return created
