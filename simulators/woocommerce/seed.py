"""The seeded store "Demo Woo" (SEK, prices incl. 25 % VAT, base SE).

Products use the BC simulator's item numbers as SKUs (the same catalogue as the Shopify seed):
simple products, and one variable product "Guest Chair" whose colour variations are the items
1900-S, 1936-S, 1960-S and 1988-S. Orders (ids = numbers):

    1001 SE, ATHENS Desk, PostNord, processing          1002 SE guest, coupon WELCOME10, completed
    1003 DE (OSS 19 %), DHL Express, SEK                1004 FI (OSS 25.5 %), EUR, Klarna
    1005 SE, 2 chairs, one refunded (restocked)         1006 SE on-hold (bank transfer, unpaid)
    1007 SE cancelled                                   1008 SE, free shipping, a variation
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from simulators.woocommerce.orders import DHL, FREE, OrderSpec, order_build, refund_whole_lines
from simulators.woocommerce.store import START, Store, site_stamp, stamp

SIMPLE = [
    # SKU, name, price incl. VAT, stock
    ("1896-S", "ATHENS Desk", "8990.00", 46),
    ("1906-S", "ATHENS Mobile Pedestal", "3490.00", 12),
    ("1908-S", "LONDON Swivel Chair, blue", "2490.00", 20),
    ("1920-S", "ANTWERP Conference Table", "6990.00", 5),
    ("1928-S", "AMSTERDAM Lamp", "599.00", 60),
    ("1972-S", "MUNICH Swivel Chair, yellow", "2490.00", 58),
    ("1996-S", "ATLANTA Whiteboard, base", "4990.00", 8),
]
CHAIR_VARIATIONS = [("1900-S", "Black", 30), ("1936-S", "Yellow", 12), ("1960-S", "Green", 9), ("1988-S", "Red", 4)]
CHAIR_PRICE = "1590.00"

CUSTOMERS = {
    # id: first, last, country, city, postcode, street, email, phone
    2: ("Anna", "Svensson", "SE", "Stockholm", "11122", "Drottninggatan 1", "anna@example.se", "+46701234567"),
    3: ("Jonas", "Becker", "DE", "Berlin", "10115", "Invalidenstraße 10", "jonas@example.de", "+4915112345678"),
    4: ("Aino", "Virtanen", "FI", "Helsinki", "00100", "Mannerheimintie 5", "aino@example.fi", "+358401234567"),
}
WELCOME10 = ("WELCOME10", Decimal("10"))


def _address(values: tuple[str, ...]) -> dict[str, str]:
    first, last, country, city, postcode, street, email, phone = values
    return {
        "first_name": first, "last_name": last, "company": "", "address_1": street, "address_2": "", "city": city,
        "state": "", "postcode": postcode, "country": country, "email": email, "phone": phone,
    }  # fmt: skip


def product_new(store: Store, *, name: str, sku: str, price: str, stock: int | None, kind: str = "simple") -> dict:
    product_id = store.next_id()
    now, local = stamp(store.clock.now()), site_stamp(store.clock.now())
    product = {
        "id": product_id,
        "name": name,
        "slug": name.lower().replace(",", "").replace(" ", "-"),
        "date_created": local,
        "date_created_gmt": now,
        "date_modified": local,
        "date_modified_gmt": now,
        "type": kind,
        "status": "publish",
        "sku": sku,
        "price": price,
        "regular_price": price,
        "sale_price": "",
        "tax_status": "taxable",
        "tax_class": "",
        "manage_stock": stock is not None,
        "stock_quantity": stock,
        "stock_status": "instock",
        "backorders": "no",
        "weight": "",
        "attributes": [],
        "variations": [],
        "meta_data": [],
    }
    store.products[product_id] = product
    return product


def variation_new(store: Store, product: dict, *, sku: str, option: str, price: str, stock: int) -> dict:
    variation_id = store.next_id()
    local = site_stamp(store.clock.now())
    variation = {
        "id": variation_id,
        "date_created": local,
        "date_modified": local,
        "sku": sku,
        "price": price,
        "regular_price": price,
        "sale_price": "",
        "status": "publish",
        "tax_status": "taxable",
        "tax_class": "",
        "manage_stock": True,
        "stock_quantity": stock,
        "stock_status": "instock",
        "backorders": "no",
        "weight": "",
        "attributes": [{"id": 0, "name": "Colour", "option": option}],
        "meta_data": [],
        "type": "variation",
        "_parent_id": product["id"],
        "_option": option,
        "name": product["name"],
    }
    store.variations[variation_id] = variation
    product["variations"].append(variation_id)
    product["attributes"][0]["options"].append(option)
    return variation


def seed(store: Store) -> None:
    with store.lock:
        for sku, name, price, stock in SIMPLE:
            product_new(store, name=name, sku=sku, price=price, stock=stock)
        chair = product_new(
            store, name="Guest Chair", sku="GUEST-CHAIR", price=CHAIR_PRICE, stock=None, kind="variable"
        )
        chair["attributes"] = [
            {"id": 0, "name": "Colour", "position": 0, "visible": True, "variation": True, "options": []}
        ]
        for sku, option, stock in CHAIR_VARIATIONS:
            variation_new(store, chair, sku=sku, option=option, price=CHAIR_PRICE, stock=stock)
        for customer_id, values in CUSTOMERS.items():
            created, local = stamp(START - dt.timedelta(days=30)), site_stamp(START - dt.timedelta(days=30))
            address = _address(values)
            store.customers[customer_id] = {
                "id": customer_id,
                "date_created": local,
                "date_created_gmt": created,
                "date_modified": local,
                "date_modified_gmt": created,
                "email": address["email"],
                "first_name": address["first_name"],
                "last_name": address["last_name"],
                "role": "customer",
                "username": address["first_name"].lower(),
                "billing": address,
                "shipping": {k: v for k, v in address.items() if k != "email"},
                "is_paying_customer": True,
                "meta_data": [],
            }

        def day(n: int) -> dt.datetime:
            return START + dt.timedelta(days=n, hours=1)

        erik = {"first_name": "Erik", "last_name": "Lind", "email": "erik@example.se", "city": "Uppsala"}
        specs = [
            OrderSpec(1001, day(0), "SE", [("1896-S", 1)], customer_id=2, billing=_address(CUSTOMERS[2])),
            OrderSpec(1002, day(1), "SE", [("1928-S", 2), ("1900-S", 1)], billing=erik, coupon=WELCOME10,
                      status="completed"),
            OrderSpec(1003, day(2), "DE", [("1908-S", 1), ("1928-S", 2)], customer_id=3,
                      billing=_address(CUSTOMERS[3]), shipping=DHL),
            OrderSpec(1004, day(3), "FI", [("1920-S", 1)], customer_id=4, billing=_address(CUSTOMERS[4]),
                      currency="EUR", shipping=DHL, payment_method=("klarna", "Klarna")),
            OrderSpec(1005, day(4), "SE", [("1972-S", 2)], customer_id=2, billing=_address(CUSTOMERS[2]),
                      status="completed"),
            OrderSpec(1006, day(5), "SE", [("1928-S", 1)], billing=erik, status="on-hold",
                      payment_method=("bacs", "Direct bank transfer")),
            OrderSpec(1007, day(6), "SE", [("1906-S", 1)], billing=erik, status="cancelled"),
            OrderSpec(1008, day(7), "SE", [("1936-S", 1)], customer_id=2, billing=_address(CUSTOMERS[2]),
                      shipping=FREE),
        ]  # fmt: skip
        for spec in specs:
            order_build(store, spec)
        store.clock.advance(8 * 86400 + 7200)
        refund_whole_lines(store, store.orders[1005], {"1972-S": 1}, reason="Returned: wrong colour")
        store.clock.advance(3600)
