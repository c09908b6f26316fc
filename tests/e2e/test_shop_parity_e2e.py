"""The same order in either shop becomes the same Business Central document (issue 18, point 2).

Each scenario is placed in the Shopify simulator and in the WooCommerce simulator (over HTTPS),
arrives by that shop's own signed webhook and runs through the intake view, the eager worker and
the orders flow into the BC simulator. The assertions are shared: the customer (the collective
customer of the VAT group), the currency, every line's type, number, quantity, VAT rate, discount
and amount to the cent, the document's total and VAT against the shop's own totals, the OSS G/L
accounts, and a refund's credit memo applied to the invoice with the item back in stock.
The shops' catalogues carry the same SKUs and shelf prices (incl. 25 % Swedish VAT), so domestic
amounts are the same figures for both; abroad each simulator prices as its platform does.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from integrations.models import Integration
from simulators.shopify import orders as shopify_orders
from simulators.shopify.seed import SHIPPING, WELCOME10
from simulators.woocommerce import orders as woo_orders
from simulators.woocommerce.seed import WELCOME10 as WOO_WELCOME10
from syncs.models import EntityType, RecordLink
from tests.e2e.test_woocommerce_flows_e2e import sim_bc, store  # noqa: F401 - shared fixtures

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Scenario:
    number: int
    country: str
    lines: tuple[tuple[str, int], ...]
    currency: str = "SEK"
    coupon: bool = False


DOMESTIC = Scenario(3001, "SE", (("1896-S", 1),))
OSS_GERMANY = Scenario(3002, "DE", (("1908-S", 1), ("1928-S", 2)))
OSS_FINLAND_EUR = Scenario(3003, "FI", (("1920-S", 1),), currency="EUR")
DISCOUNT = Scenario(3004, "SE", (("1928-S", 2),), coupon=True)
REFUND = Scenario(3005, "SE", (("1972-S", 2),))


@dataclass
class Placed:
    name: str
    total: Decimal  # the shop's order total in the booked currency
    tax: Decimal


class ShopifyShop:
    """Orders placed in the Shopify simulator, delivered as Shopify's signed webhooks."""

    def __init__(self, shop) -> None:
        self.shop = shop
        self.sim = shop.sim

    def place(self, scenario: Scenario) -> Placed:
        variants = {variant["sku"]: variant for variant in self.sim.store.variants.values() if variant["sku"]}
        first_name = {"SE": "Anna", "DE": "Jonas", "FI": "Aino"}[scenario.country]
        customer = next(c for c in self.sim.store.customers.values() if c["firstName"] == first_name)
        spec = shopify_orders.OrderSpec(
            number=scenario.number,
            created_at=self.sim.clock.now(),
            country=scenario.country,
            currency="SEK" if scenario.country == "SE" else "EUR",
            lines=[(variants[sku], quantity) for sku, quantity in scenario.lines],
            customer=customer,
            shipping=SHIPPING["SE" if scenario.country == "SE" else "EU"],
            discount=WELCOME10 if scenario.coupon else None,
            fulfilled=True,
        )
        with self.sim.store.lock:
            order = shopify_orders.build_order(self.sim.store, spec)
        self.shop.deliver(order["name"])
        side = "shopMoney" if scenario.currency == "SEK" else "presentmentMoney"
        return Placed(
            name=order["name"],
            total=Decimal(order["totalPriceSet"][side]["amount"]),
            tax=Decimal(order["totalTaxSet"][side]["amount"]),
        )

    def refund(self, placed: Placed, sku: str, quantity: int) -> str:
        order = self.shop.order(placed.name)
        index = next(i for i, line in enumerate(order["lineItems"]) if line["sku"] == sku)
        with self.sim.store.lock:
            refund = shopify_orders.refund_create(
                self.sim.store,
                order,
                shopify_orders.RefundSpec(lines=[(index, quantity, "RETURN")]),
                created_at=self.sim.clock.now(),
            )
        assert self.shop.post("refunds/create", self.sim.webhooks.refund_payload(refund)).status_code == 200
        return f"{placed.name}-R{refund['id'].rsplit('/', 1)[-1]}"


class WooShop:
    """Orders placed in the WooCommerce simulator, delivered by the store's saved webhooks."""

    def __init__(self, store, on_commit) -> None:  # noqa: F811
        self.sim = store.sim
        self.on_commit = on_commit

    def _deliver(self, topic: str, order_id: int) -> None:
        self.sim.webhooks.fire(topic, self.sim.order_json(order_id))
        with self.on_commit(execute=True):
            assert self.sim.webhooks.flush() == [200]

    def place(self, scenario: Scenario) -> Placed:
        customer_id = {"SE": 2, "DE": 3, "FI": 4}[scenario.country]
        customer = self.sim.store.customers[customer_id]
        spec = woo_orders.OrderSpec(
            scenario.number,
            self.sim.clock.now(),
            scenario.country,
            list(scenario.lines),
            customer_id=customer_id,
            billing=dict(customer["billing"]),
            currency=scenario.currency,
            shipping=woo_orders.POSTNORD if scenario.country == "SE" else woo_orders.DHL,
            coupon=WOO_WELCOME10 if scenario.coupon else None,
        )
        with self.sim.store.lock:
            order = woo_orders.order_build(self.sim.store, spec)
        self._deliver("order.created", order["id"])
        return Placed(name=f"#{order['number']}", total=Decimal(order["total"]), tax=Decimal(order["total_tax"]))

    def refund(self, placed: Placed, sku: str, quantity: int) -> str:
        order_id = int(placed.name.lstrip("#"))
        with self.sim.store.lock:
            refund = woo_orders.refund_whole_lines(self.sim.store, self.sim.store.orders[order_id], {sku: quantity})
        self._deliver("order.updated", order_id)
        return f"{placed.name}-R{refund['id']}"


@pytest.fixture(params=["shopify", "woocommerce"])
def shop_platform(request, bc_integration, django_capture_on_commit_callbacks):
    if request.param == "shopify":
        return ShopifyShop(request.getfixturevalue("shop"))
    return WooShop(request.getfixturevalue("store"), django_capture_on_commit_callbacks)


def _company(sim):  # noqa: F811
    return sim.company()


def _documents(sim, entity_set: str, number: str) -> list[dict]:  # noqa: F811
    return [d for d in _company(sim).rows(entity_set) if d.get("externalDocumentNumber") == number]


def _lines(sim, document: dict, lines_set: str = "salesInvoiceLines") -> list[tuple]:  # noqa: F811
    rows = sorted(_company(sim).filter(lines_set, documentId=document["id"]), key=lambda row: row["sequence"])
    return [
        (
            row["lineType"],
            row["lineObjectNumber"],
            row["quantity"],
            Decimal(str(row["taxPercent"])),
            Decimal(str(row["discountAmount"])).quantize(CENT),
            Decimal(str(row["amountIncludingTax"])).quantize(CENT),
        )
        for row in rows
    ]


def _invoice(sim, placed: Placed) -> dict:  # noqa: F811
    link = RecordLink.objects.get(entity_type=EntityType.ORDER, source_reference=placed.name)
    assert link.state == RecordLink.State.SYNCED, link.last_error_message
    (invoice,) = _documents(sim, "salesInvoices", placed.name)
    assert (invoice["status"], link.target_id) == ("Open", invoice["id"])
    return invoice


def _money(document: dict, field: str) -> Decimal:
    return Decimal(str(document[field])).quantize(CENT)


@pytest.mark.parametrize(
    ("scenario", "customer", "lines", "total"),
    [
        pytest.param(
            DOMESTIC,
            "10000",
            [
                ("Item", "1896-S", 1, Decimal(25), Decimal("0.00"), Decimal("8990.00")),
                ("Account", "3540", 1, Decimal(25), Decimal("0.00"), Decimal("49.00")),
            ],
            Decimal("9039.00"),
            id="domestic",
        ),
        pytest.param(
            DISCOUNT,
            "10000",
            [  # WELCOME10 on 2 x 599.00: 119.80 incl. VAT, 95.84 excl. VAT on the item line
                ("Item", "1928-S", 2, Decimal(25), Decimal("95.84"), Decimal("1078.20")),
                ("Account", "3540", 1, Decimal(25), Decimal("0.00"), Decimal("49.00")),
            ],
            Decimal("1127.20"),
            id="discount-and-shipping",
        ),
    ],
)
def test_a_domestic_order_becomes_the_same_posted_invoice_in_either_shop(
    shop_platform,
    sim_bc,  # noqa: F811
    scenario,
    customer,
    lines,
    total,
):
    placed = shop_platform.place(scenario)

    invoice = _invoice(sim_bc, placed)
    assert (invoice["customerNumber"], invoice["currencyCode"]) == (customer, "")
    assert _lines(sim_bc, invoice) == lines
    assert _money(invoice, "totalAmountIncludingTax") == placed.total == total
    assert _money(invoice, "totalTaxAmount") == placed.tax == (total * Decimal("0.2")).quantize(CENT)
    assert _money(invoice, "remainingAmount") == total


def test_an_oss_order_uses_the_destinations_vat_in_either_shop(shop_platform, sim_bc):  # noqa: F811
    placed = shop_platform.place(OSS_GERMANY)

    invoice = _invoice(sim_bc, placed)
    assert (invoice["customerNumber"], invoice["currencyCode"]) == ("10010", "")  # VAT group OSS-DE, in SEK
    lines = _lines(sim_bc, invoice)
    assert [(kind, number, quantity) for kind, number, quantity, *_ in lines] == [
        ("Item", "1908-S", 1),
        ("Item", "1928-S", 2),
        ("Account", "3540", 1),
    ]
    assert {percent for _, _, _, percent, _, _ in lines} == {Decimal(19)}
    assert sum(amount for *_, amount in lines) == _money(invoice, "totalAmountIncludingTax") == placed.total
    assert _money(invoice, "totalTaxAmount") == placed.tax
    accounts = {e["accountNumber"] for e in _company(sim_bc).rows("generalLedgerEntries")
                if e["documentNumber"] == invoice["number"]}  # fmt: skip
    assert {"3106", "2614"} <= accounts  # OSS sales and OSS VAT


def test_an_oss_order_in_euro_is_invoiced_in_euro_in_either_shop(shop_platform, sim_bc, bc_integration):  # noqa: F811
    Integration.objects.filter(pk=bc_integration.pk).update(currency_mode=Integration.CurrencyMode.PRESENTMENT)

    placed = shop_platform.place(OSS_FINLAND_EUR)

    invoice = _invoice(sim_bc, placed)
    assert (invoice["customerNumber"], invoice["currencyCode"]) == ("10020", "EUR")
    lines = _lines(sim_bc, invoice)
    assert [(kind, number) for kind, number, *_ in lines] == [("Item", "1920-S"), ("Account", "3540")]
    assert {percent for _, _, _, percent, _, _ in lines} == {Decimal("25.5")}
    # BC adds 25.5 % VAT to each net line: a cent per line at most from the shop's figures.
    assert abs(_money(invoice, "totalAmountIncludingTax") - placed.total) <= CENT * len(lines)
    assert abs(_money(invoice, "totalTaxAmount") - placed.tax) <= CENT * len(lines)


def test_a_refund_becomes_a_credit_memo_applied_to_the_invoice_in_either_shop(shop_platform, sim_bc):  # noqa: F811
    placed = shop_platform.place(REFUND)
    invoice = _invoice(sim_bc, placed)
    assert _money(invoice, "remainingAmount") == placed.total == Decimal("5029.00")  # 2 x 2490.00 + 49.00
    stock = _company(sim_bc).find("items", number="1972-S")["inventory"]

    memo_number = shop_platform.refund(placed, "1972-S", 1)

    (memo,) = _documents(sim_bc, "salesCreditMemos", memo_number)
    assert (memo["invoiceId"], memo["customerNumber"], memo["currencyCode"]) == (invoice["id"], "10000", "")
    assert _lines(sim_bc, memo, "salesCreditMemoLines") == [
        ("Item", "1972-S", 1, Decimal(25), Decimal("0.00"), Decimal("2490.00"))
    ]
    assert (_money(memo, "totalAmountIncludingTax"), _money(memo, "totalTaxAmount")) == (
        Decimal("2490.00"),
        Decimal("498.00"),
    )
    invoice = _company(sim_bc).get("salesInvoices", invoice["id"])
    assert _money(invoice, "remainingAmount") == Decimal("2539.00")
    assert _company(sim_bc).find("items", number="1972-S")["inventory"] == stock + 1  # restocked
    refund_link = RecordLink.objects.get(entity_type=EntityType.REFUND, source_reference=memo_number)
    assert (refund_link.state, refund_link.target_id) == (RecordLink.State.SYNCED, memo["id"])
