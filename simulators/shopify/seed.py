"""Deterministic seed data for the Shopify simulator (``seed=42``).

Shop: "Demo Shop" (demo-shop.myshopify.com), currency SEK, Europe/Stockholm, prices include VAT.

Catalogue: the SKUs are Business Central's CRONUS item numbers so the "SKU is the BC item number"
rule matches without setup; the barcodes are the items' GTINs for the GTIN rule. BC simulator
authors: seed these items with exactly these numbers and GTINs.

    SKU     GTIN            Title                          Price SEK (incl. VAT)  Tax code
    1896-S  7310000000010   ATHENS Desk                    8990.00                VAT25
    1900-S  7310000000027   PARIS Guest Chair, black       1590.00                VAT25
    1906-S  7310000000034   ATHENS Mobile Pedestal         3490.00                VAT25
    1908-S  7310000000041   LONDON Swivel Chair, blue      2490.00                VAT25
    1920-S  7310000000058   ANTWERP Conference Table       6990.00                VAT25
    1928-S  7310000000065   AMSTERDAM Lamp                  599.00                VAT25
    1936-S  7310000000072   BERLIN Guest Chair, yellow     1590.00                VAT25
    1953-W  7310000000089   GUESTS Guest Section 1        12990.00                VAT25
    1960-S  7310000000096   ROME Guest Chair, green        1590.00                VAT25
    1964-S  7310000000102   TOKYO Guest Chair, blue        1590.00                VAT25
    1968-S  7310000000119   MEXICO Swivel Chair, black     2490.00                VAT25
    1972-S  7310000000126   MUNICH Swivel Chair, yellow    2490.00                VAT25
    1980-S  7310000000133   MOSCOW Swivel Chair, red       2490.00                VAT25
    1988-S  7310000000140   SEOUL Guest Chair, red         1590.00                VAT25
    1996-S  7310000000157   ATLANTA Whiteboard, base       4990.00                VAT25
    2000-S  7310000000164   SYDNEY Swivel Chair, green     2490.00                VAT25
    (none)  (none)          Gift card                       500.00                (gift card, no VAT)

Locations: "Stockholm Warehouse" (SE) and "Malmö Store" (SE), every item stocked at both.

Orders #1001-#1030, March 2025 (the clock starts 2025-04-01 08:00 UTC):
    #1001 SE SEK, one line, PostNord shipping          #1002 SE multi-line, code WELCOME10 (10 %)
    #1003 DE EUR, DHL Express                          #1004 FI EUR, paid with Klarna
    #1005 DK DKK                                       #1006 FR EUR, automatic discount EUR 10
    #1007 NL EUR, two lines, PayPal                    #1008 SE buys a gift card (+ a lamp)
    #1009 SE paid 500 SEK by gift card + card          #1010 SE company, unpaid (manual, PENDING)
    #1011 SE test order (bogus gateway)                #1012 SE refund 1 of 2, restocked (RETURN)
    #1013 DE EUR, full refund, no restock, + shipping  #1014 SE shipping-only refund
    #1015 SE guest checkout (no customer)              #1016 SE manual discount 200 SEK
    #1017 DK DKK, FREESHIP (shipping discount)         #1018 FI EUR, gift card part payment
    #1019 SE cancelled (VOIDED)                        #1020-#1030 random domestic / EU mix
Gateways: shopify_payments, klarna, paypal, gift_card, manual, bogus (test).

Shopify Payments payouts (SEK): 1-10 March PAID, 11-20 March PAID, 21-31 March IN_TRANSIT. Balance
transactions (only ShopifyPaymentsTransactionType members): CHARGE per card sale (fee 1.9 % + 1.80),
REFUND per card refund (negative), one ADJUSTMENT (-150.00, chargeback fee), one RESERVED_FUNDS
(-200.00, source type SYSTEM_ADJUSTMENT) and, per payout, the payout's own TRANSFER row (-net).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from simulators.shopify.orders import (
    RATES,
    Discount,
    OrderSpec,
    RefundSpec,
    build_order,
    converted,
    money,
    q2,
)
from simulators.shopify.records import inventory_set, product_new, variant_create
from simulators.shopify.store import Store

SEED_START = dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC)
FIRST_ORDER_NUMBER = 1001

CATALOGUE = [
    ("1896-S", "ATHENS Desk", "8990.00", 28.0),
    ("1900-S", "PARIS Guest Chair, black", "1590.00", 6.5),
    ("1906-S", "ATHENS Mobile Pedestal", "3490.00", 14.0),
    ("1908-S", "LONDON Swivel Chair, blue", "2490.00", 11.0),
    ("1920-S", "ANTWERP Conference Table", "6990.00", 42.0),
    ("1928-S", "AMSTERDAM Lamp", "599.00", 1.8),
    ("1936-S", "BERLIN Guest Chair, yellow", "1590.00", 6.5),
    ("1953-W", "GUESTS Guest Section 1", "12990.00", 60.0),
    ("1960-S", "ROME Guest Chair, green", "1590.00", 6.5),
    ("1964-S", "TOKYO Guest Chair, blue", "1590.00", 6.5),
    ("1968-S", "MEXICO Swivel Chair, black", "2490.00", 11.0),
    ("1972-S", "MUNICH Swivel Chair, yellow", "2490.00", 11.0),
    ("1980-S", "MOSCOW Swivel Chair, red", "2490.00", 11.0),
    ("1988-S", "SEOUL Guest Chair, red", "1590.00", 6.5),
    ("1996-S", "ATLANTA Whiteboard, base", "4990.00", 18.0),
    ("2000-S", "SYDNEY Swivel Chair, green", "2490.00", 11.0),
]

CUSTOMERS = [
    # key, first, last, country, city, zip, address, phone, company
    ("anna", "Anna", "Svensson", "SE", "Stockholm", "114 35", "Storgatan 12", "+46701234501", ""),
    ("erik", "Erik", "Johansson", "SE", "Göteborg", "411 19", "Kungsgatan 5", "+46701234502", ""),
    ("maria", "Maria", "Karlsson", "SE", "Malmö", "211 22", "Södra Förstadsgatan 3", "+46701234503", ""),
    ("lars", "Lars", "Nilsson", "SE", "Uppsala", "753 20", "Dragarbrunnsgatan 40", "+46701234504", "Nilsson Bygg AB"),
    ("jonas", "Jonas", "Müller", "DE", "Berlin", "10115", "Invalidenstraße 1", "+4930123456", ""),
    ("lena", "Lena", "Schmidt", "DE", "Hamburg", "20095", "Mönckebergstraße 7", "+4940123456", ""),
    ("aino", "Aino", "Virtanen", "FI", "Helsinki", "00100", "Mannerheimintie 10", "+358401234567", ""),
    ("mette", "Mette", "Jensen", "DK", "København", "1050", "Kongens Nytorv 2", "+4520123456", ""),
    ("camille", "Camille", "Dubois", "FR", "Paris", "75001", "Rue de Rivoli 50", "+33612345678", ""),
    ("daan", "Daan", "de Vries", "NL", "Amsterdam", "1012 JS", "Damrak 70", "+31612345678", ""),
]
CURRENCY_BY_COUNTRY = {"SE": "SEK", "DE": "EUR", "FI": "EUR", "FR": "EUR", "NL": "EUR", "DK": "DKK"}
SHIPPING = {
    "SE": ("postnord-standard", "PostNord Standard", Decimal("49.00")),
    "EU": ("dhl-express", "DHL Express", Decimal("219.00")),
}
WELCOME10 = Discount("DiscountCodeApplication", "WELCOME10", percentage=Decimal("10"))
FREESHIP = Discount("DiscountCodeApplication", "FREESHIP", percentage=Decimal("100"), target="SHIPPING_LINE")
FEE_RATE, FEE_FIXED = Decimal("0.019"), Decimal("1.80")


def gtin(index: int) -> str:
    """EAN-13 ``7310000000NNC``: Swedish prefix, item index, valid check digit."""
    body = f"7310000000{index:02d}"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def seed(store: Store, *, seed: int = 42) -> None:
    rng = random.Random(seed)
    store.shop = {
        "__typename": "Shop",
        "id": "gid://shopify/Shop/68000000001",
        "name": "Demo Shop",
        "email": "owner@demo-shop.example",
        "myshopifyDomain": store.shop_domain,
        "currencyCode": "SEK",
        "ianaTimezone": "Europe/Stockholm",
        "enabledPresentmentCurrencies": ["SEK", "EUR", "DKK", "NOK"],
        "taxesIncluded": True,
    }
    _seed_locations(store)
    _seed_products(store, rng)
    customers = _seed_customers(store)
    _seed_orders(store, customers, rng)
    _seed_payouts(store)


def _seed_locations(store: Store) -> None:
    for name, city in (("Stockholm Warehouse", "Stockholm"), ("Malmö Store", "Malmö")):
        location_id = store.new_id("Location")
        store.locations[location_id] = {
            "__typename": "Location",
            "id": location_id,
            "name": name,
            "isActive": True,
            "address": {"countryCode": "SE", "city": city, "zip": "", "address1": ""},
        }


def _seed_products(store: Store, rng: random.Random) -> None:
    created = "2025-01-15T10:00:00Z"
    for index, (sku, title, price, weight) in enumerate(CATALOGUE, start=1):
        product = product_new(store, title=title, created=created)
        variant = variant_create(store, product, sku=sku, barcode=gtin(index), price=price, weight=weight)
        for location_id in store.locations:
            inventory_set(store, variant["inventoryItem"]["id"], location_id, rng.randint(0, 40))
    gift = product_new(store, title="Gift card", created=created, productType="Gift card", vendor="Demo Shop")
    variant_create(
        store, gift, sku="", barcode="", price="500.00", weight=0.0, taxable=False, taxCode=None, _giftCard=True
    )


def _seed_customers(store: Store) -> dict[str, dict]:
    customers = {}
    for key, first, last, country, city, zip_code, address1, phone, company in CUSTOMERS:
        customer_id = store.new_id("Customer")
        email = f"{first}.{last}@example.com".lower().replace(" ", "").replace("ü", "ue")
        address = {
            "__typename": "MailingAddress",
            "id": store.new_id("MailingAddress"),
            "firstName": first,
            "lastName": last,
            "name": f"{first} {last}",
            "company": company or None,
            "address1": address1,
            "address2": None,
            "city": city,
            "zip": zip_code,
            "province": None,
            "provinceCode": None,
            "country": country,
            "countryCodeV2": country,
            "phone": phone,
        }
        customers[key] = store.customers[customer_id] = {
            "__typename": "Customer",
            "id": customer_id,
            "firstName": first,
            "lastName": last,
            "displayName": f"{first} {last}",
            "email": email,
            "phone": phone,
            "createdAt": "2025-02-01T12:00:00Z",
            "updatedAt": "2025-02-01T12:00:00Z",
            "taxExempt": False,
            "tags": ["b2b"] if company else [],
            "note": None,
            "locale": "sv" if country == "SE" else "en",
            "defaultAddress": address,
            "numberOfOrders": 0,
        }
    return customers


def _variants_by_sku(store: Store) -> dict[str, dict]:
    return {v["sku"] or "GIFT": v for v in store.variants.values()}


def _spec(number: int, created: dt.datetime, customer: dict | None, country: str, lines, **kwargs) -> OrderSpec:
    currency = CURRENCY_BY_COUNTRY[country]
    shipping = kwargs.pop("shipping", SHIPPING["SE" if country == "SE" else "EU"])
    return OrderSpec(
        number=number,
        created_at=created,
        country=country,
        currency=currency,
        lines=lines,
        customer=customer,
        shipping=shipping,
        **kwargs,
    )


def _seed_orders(store: Store, c: dict[str, dict], rng: random.Random) -> None:
    v = _variants_by_sku(store)
    day = lambda n, h=0: SEED_START + dt.timedelta(days=n, hours=h)  # noqa: E731 - local shorthand
    specs = [
        _spec(1001, day(0), c["anna"], "SE", [(v["1896-S"], 1)]),
        _spec(
            1002, day(1), c["erik"], "SE", [(v["1900-S"], 2), (v["1928-S"], 1), (v["1996-S"], 1)], discount=WELCOME10
        ),
        _spec(1003, day(2), c["jonas"], "DE", [(v["1908-S"], 1), (v["1928-S"], 2)]),
        _spec(1004, day(3), c["aino"], "FI", [(v["1920-S"], 1)], payments=[("klarna", None)]),
        _spec(1005, day(4), c["mette"], "DK", [(v["1936-S"], 2)]),
        _spec(
            1006,
            day(5),
            c["camille"],
            "FR",
            [(v["1960-S"], 1)],
            discount=Discount("AutomaticDiscountApplication", "Spring sale", amount=Decimal("10.00")),
        ),
        _spec(1007, day(6), c["daan"], "NL", [(v["1964-S"], 1), (v["1968-S"], 1)], payments=[("paypal", None)]),
        _spec(1008, day(7), c["maria"], "SE", [(v["GIFT"], 1), (v["1928-S"], 1)]),
        _spec(
            1009,
            day(8),
            c["anna"],
            "SE",
            [(v["1906-S"], 1)],
            payments=[("gift_card", Decimal("500.00")), ("shopify_payments", None)],
        ),
        _spec(
            1010,
            day(9),
            c["lars"],
            "SE",
            [(v["1953-W"], 1)],
            payments=[("manual", None)],
            unpaid=True,
            fulfilled=False,
            note="Invoice 30 days",
        ),
        _spec(1011, day(10), c["erik"], "SE", [(v["1900-S"], 1)], payments=[("bogus", None)], test=True),
        _spec(
            1012,
            day(11),
            c["maria"],
            "SE",
            [(v["1972-S"], 2)],
            refunds=[RefundSpec(lines=[(0, 1, "RETURN")], note="Wrong colour")],
        ),
        _spec(
            1013,
            day(12),
            c["lena"],
            "DE",
            [(v["1980-S"], 1)],
            refunds=[RefundSpec(lines=[(0, 1, "NO_RESTOCK")], shipping=True, note="Damaged in transit")],
        ),
        _spec(
            1014,
            day(13),
            c["erik"],
            "SE",
            [(v["1988-S"], 1), (v["2000-S"], 1)],
            refunds=[RefundSpec(shipping=True, note="Late delivery: shipping refunded")],
        ),
        OrderSpec(
            number=1015,
            created_at=day(14),
            country="SE",
            currency="SEK",
            lines=[(v["1928-S"], 3)],
            email="guest.buyer@example.com",
            shipping=SHIPPING["SE"],
        ),
        _spec(
            1016,
            day(15),
            c["anna"],
            "SE",
            [(v["1996-S"], 1)],
            discount=Discount("ManualDiscountApplication", "Customer service", amount=Decimal("200.00")),
        ),
        _spec(1017, day(16), c["mette"], "DK", [(v["1908-S"], 1)], discount=FREESHIP),
        _spec(
            1018,
            day(17),
            c["aino"],
            "FI",
            [(v["1900-S"], 1), (v["1936-S"], 1)],
            payments=[("gift_card", Decimal("50.00")), ("shopify_payments", None)],
        ),
        _spec(1019, day(18), c["lars"], "SE", [(v["1920-S"], 1)], cancelled=True, fulfilled=False),
    ]
    for spec in specs:
        build_order(store, spec)
    customers = list(c.values())
    for offset, number in enumerate(range(1020, 1031)):
        build_order(
            store,
            random_order_spec(
                store, rng, number=number, created_at=day(19 + offset, 3), customers=customers, fulfilled=number < 1028
            ),
        )


def random_order_spec(
    store: Store,
    rng: random.Random,
    *,
    number: int,
    created_at: dt.datetime,
    customers: list[dict],
    fulfilled: bool = True,
) -> OrderSpec:
    """A plausible paid order: 1-4 lines, domestic (60 %) or EU, sometimes WELCOME10."""
    variants = [variant for variant in store.variants.values() if variant.get("sku")]
    customer = rng.choice(customers)
    country = customer["defaultAddress"]["countryCodeV2"]
    lines = [(variant, rng.randint(1, 3)) for variant in rng.sample(variants, rng.randint(1, 4))]
    return _spec(
        number,
        created_at,
        customer,
        country,
        lines,
        discount=WELCOME10 if rng.random() < 0.2 else None,
        payments=[(rng.choice(["shopify_payments", "shopify_payments", "shopify_payments", "klarna"]), None)],
        fulfilled=fulfilled,
    )


def generate_orders(store: Store, n: int, *, seed: int = 0) -> list[str]:
    """Add ``n`` random orders after the newest one (benchmarks); returns their ids."""
    rng = random.Random(seed)
    customers = list(store.customers.values())
    last_number = max((int(o["name"].lstrip("#")) for o in store.orders.values()), default=FIRST_ORDER_NUMBER - 1)
    start = store.clock.now()
    ids = []
    for i in range(n):
        created = start + dt.timedelta(seconds=30 * i)
        spec = random_order_spec(store, rng, number=last_number + 1 + i, created_at=created, customers=customers)
        ids.append(build_order(store, spec)["id"])
    return ids


LONG_LIST_SHIPPING = [
    SHIPPING["SE"],
    SHIPPING["EU"],
    ("postnord-parcel", "PostNord Parcel", Decimal("79.00")),
    ("budbee-home", "Budbee Home", Decimal("59.00")),
    ("instabox", "Instabox", Decimal("39.00")),
]
LONG_LIST_DISCOUNTS = [
    Discount("DiscountCodeApplication", "SAVE5", percentage=Decimal("5")),
    Discount("AutomaticDiscountApplication", "Spring sale", amount=Decimal("100.00")),
    Discount("ManualDiscountApplication", "Customer service", amount=Decimal("50.00")),
    Discount("DiscountCodeApplication", "LOYAL2", percentage=Decimal("2")),
    Discount("AutomaticDiscountApplication", "Bundle", percentage=Decimal("1")),
    Discount("DiscountCodeApplication", "HALFSHIP", percentage=Decimal("50"), target="SHIPPING_LINE"),
    Discount("ManualDiscountApplication", "Goodwill", percentage=Decimal("3")),
]


def order_with_long_lists(store: Store, *, number: int, created_at: dt.datetime | None = None) -> dict:
    """An SE order whose nested lists all run past a paged read's first rows (connector tests).

    14 line items (two of each of 14 SKUs), 5 shipping lines, 7 discount applications, and 12
    transactions: two sales (gift card + card) and ten refund transactions over 7 refunds. The first
    refund returns one unit of lines 0-8 (9 refund line items) and shipping lines 0-2 (3 refund
    shipping lines), paid back in 4 transactions; the other six return one unit each.
    """
    created_at = created_at or store.clock.now()
    variants = [variant for variant in store.variants.values() if variant.get("sku")][:14]
    customer = next((c for c in store.customers.values() if c["firstName"] == "Anna"), None)
    refunds = [
        RefundSpec(
            lines=[(index, 1, "RETURN") for index in range(9)],
            shipping_lines=(0, 1, 2),
            transactions=4,
            note="Most of it came back",
            days_after=1,
        ),
        *(RefundSpec(lines=[(index, 1, "NO_RESTOCK")], days_after=2 + index) for index in range(9, 14)),
        RefundSpec(lines=[(0, 1, "RETURN")], days_after=8),
    ]
    return build_order(
        store,
        OrderSpec(
            number=number,
            created_at=created_at,
            country="SE",
            currency="SEK",
            lines=[(variant, 2) for variant in variants],
            customer=customer,
            email="" if customer else "long.lists@example.com",
            shipping=LONG_LIST_SHIPPING[0],
            extra_shipping=LONG_LIST_SHIPPING[1:],
            discount=LONG_LIST_DISCOUNTS[0],
            extra_discounts=LONG_LIST_DISCOUNTS[1:],
            payments=[("gift_card", Decimal("100.00")), ("shopify_payments", None)],
            refunds=refunds,
        ),
    )


# --- Shopify Payments ------------------------------------------------------------------------------------


def _bt(
    store: Store,
    *,
    type_: str,
    amount: Decimal,
    fee: Decimal,
    date: str,
    order: dict | None,
    tx: dict | None,
    source_type: str,
    currency: str = "SEK",
) -> dict:
    tx_legacy = int(tx["id"].rsplit("/", 1)[-1]) if tx else None
    return {
        "__typename": "ShopifyPaymentsBalanceTransaction",
        "id": store.new_id("ShopifyPaymentsBalanceTransaction"),
        "type": type_,
        "test": False,
        "transactionDate": date,
        "amount": money(amount, currency),
        "fee": money(fee, currency),
        "net": money(amount - fee, currency),
        "sourceId": tx_legacy,
        "sourceType": source_type,
        "sourceOrderTransactionId": tx_legacy,
        "associatedOrder": {"id": order["id"], "name": order["name"]} if order else None,
        "associatedPayout": None,
        "_net": amount - fee,
    }


def _seed_payouts(store: Store) -> None:
    windows = [(1, 10), (11, 20), (21, 31)]
    entries: list[tuple[int, dict]] = []
    for order in store.orders.values():
        if order["test"]:
            continue
        for tx in order["transactions"]:
            if tx["gateway"] != "shopify_payments" or tx["status"] != "SUCCESS":
                continue
            amount = Decimal(tx["amountSet"]["shopMoney"]["amount"])
            if tx["kind"] in ("SALE", "CAPTURE"):
                bt = _bt(
                    store,
                    type_="CHARGE",
                    amount=amount,
                    fee=q2(amount * FEE_RATE + FEE_FIXED),
                    date=tx["createdAt"],
                    order=order,
                    tx=tx,
                    source_type="CHARGE",
                )
            elif tx["kind"] == "REFUND":
                bt = _bt(
                    store,
                    type_="REFUND",
                    amount=-amount,
                    fee=Decimal("0"),
                    date=tx["createdAt"],
                    order=order,
                    tx=tx,
                    source_type="REFUND",
                )
            else:
                continue
            entries.append((int(tx["createdAt"][8:10]), bt))
    entries.append(
        (
            15,
            _bt(
                store,
                type_="ADJUSTMENT",
                amount=Decimal("-150.00"),
                fee=Decimal("0"),
                date="2025-03-15T12:00:00Z",
                order=None,
                tx=None,
                source_type="ADJUSTMENT",
            ),
        )
    )
    entries.append(
        (
            5,
            _bt(
                store,
                type_="RESERVED_FUNDS",
                amount=Decimal("-200.00"),
                fee=Decimal("0"),
                date="2025-03-05T12:00:00Z",
                order=None,
                tx=None,
                source_type="SYSTEM_ADJUSTMENT",
            ),
        )
    )
    for number, (first, last) in enumerate(windows):
        in_window = [bt for day, bt in entries if first <= day <= last and bt["transactionDate"].startswith("2025-03")]
        status = "IN_TRANSIT" if number == len(windows) - 1 else "PAID"
        payout_create(
            store,
            in_window,
            issued_at=f"2025-03-{min(last, 30) + 1:02d}T06:00:00Z" if last < 31 else "2025-03-31T23:00:00Z",
            status=status,
        )


def payout_create(
    store: Store, balance_transactions: list[dict], *, issued_at: str, status: str, currency: str = "SEK"
) -> dict:
    payout_id = store.new_id("ShopifyPaymentsPayout")

    def total(types, key="amount") -> Decimal:
        return sum((Decimal(bt[key]["amount"]) for bt in balance_transactions if bt["type"] in types), Decimal("0"))

    net = sum((bt["_net"] for bt in balance_transactions), Decimal("0"))
    payout = {
        "__typename": "ShopifyPaymentsPayout",
        "id": payout_id,
        "legacyResourceId": int(payout_id.rsplit("/", 1)[-1]),
        "status": status,
        "issuedAt": issued_at,
        "net": money(net, currency),
        "transactionType": "DEPOSIT",
        "summary": {
            "chargesGross": money(total({"CHARGE"}), currency),
            "chargesFee": money(total({"CHARGE"}, "fee"), currency),
            "refundsFeeGross": money(total({"REFUND"}), currency),
            "refundsFee": money(Decimal("0"), currency),
            "adjustmentsGross": money(total({"ADJUSTMENT", "RESERVED_FUNDS"}), currency),
            "adjustmentsFee": money(Decimal("0"), currency),
        },
    }
    store.payouts[payout_id] = payout
    transfer = _bt(
        store,
        type_="TRANSFER",
        amount=-net,
        fee=Decimal("0"),
        date=issued_at,
        order=None,
        tx=None,
        source_type="TRANSFER",
        currency=currency,
    )
    transfer["sourceId"] = payout["legacyResourceId"]
    transfer["_net"] = Decimal("0")  # the payout's own row: not part of what it pays out
    for bt in [*balance_transactions, transfer]:
        bt["associatedPayout"] = {"id": payout_id, "status": status}
        bt["_payout_legacy"] = str(payout["legacyResourceId"])
        store.balance_transactions[bt["id"]] = bt
    store.touch()
    return payout


def payout_create_for_orders(
    store: Store,
    order_ids: list[str],
    *,
    fee_rate: Decimal = FEE_RATE,
    fixed_fee: Decimal = FEE_FIXED,
    status: str = "PAID",
    issued_at: str | None = None,
) -> dict | None:
    """A Shopify Payments payout (issued now) of the orders' card sales and refunds not paid out yet.

    One CHARGE per successful Shopify Payments sale or capture (fee ``amount * fee_rate + fixed_fee``)
    and one REFUND per successful Shopify Payments refund, in SEK (the shop's currency), shaped like
    the seeded payouts. Returns None when the orders hold nothing to pay out (other gateways, test
    orders, or everything already paid out).
    """
    paid_out = {bt["sourceOrderTransactionId"] for bt in store.balance_transactions.values() if bt["sourceId"]}
    entries = []
    for order_id in order_ids:
        order = store.orders.get(order_id)
        if order is None or order["test"]:
            continue
        for tx in order["transactions"]:
            if tx["gateway"] != "shopify_payments" or tx["status"] != "SUCCESS":
                continue
            if int(tx["id"].rsplit("/", 1)[-1]) in paid_out or tx["kind"] not in ("SALE", "CAPTURE", "REFUND"):
                continue
            amount = Decimal(tx["amountSet"]["shopMoney"]["amount"])
            charge = tx["kind"] != "REFUND"
            entries.append(
                _bt(
                    store,
                    type_="CHARGE" if charge else "REFUND",
                    amount=amount if charge else -amount,
                    fee=q2(amount * fee_rate + fixed_fee) if charge else Decimal("0"),
                    date=tx["createdAt"],
                    order=order,
                    tx=tx,
                    source_type="CHARGE" if charge else "REFUND",
                )
            )
    if not entries:
        return None
    return payout_create(store, entries, issued_at=issued_at or store.now_iso(), status=status)


def payout_create_in_currency(
    store: Store,
    rows: list[tuple[str, Decimal, Decimal, str]],
    *,
    currency: str,
    issued_at: str,
    status: str = "PAID",
) -> dict:
    """A payout in ``currency`` (a Shopify Payments account paying out in a second currency) of
    (type CHARGE/REFUND/ADJUSTMENT, amount, fee, order name or "") rows."""
    by_name = {order["name"]: order for order in store.orders.values()}
    entries = [
        _bt(
            store,
            type_=type_,
            amount=amount,
            fee=fee,
            date=issued_at,
            order=by_name.get(name) or ({"id": store.new_id("Order"), "name": name} if name else None),
            tx=None,
            source_type=type_ if type_ != "ADJUSTMENT" else "ADJUSTMENT",
            currency=currency,
        )
        for type_, amount, fee, name in rows
    ]
    return payout_create(store, entries, issued_at=issued_at, status=status, currency=currency)


__all__ = [
    "CATALOGUE",
    "RATES",
    "converted",
    "generate_orders",
    "gtin",
    "order_with_long_lists",
    "payout_create_for_orders",
    "seed",
]
