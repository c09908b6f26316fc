"""Shop vs presentment currency, and the rounding a currency allows when comparing totals."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from integrations.commerce import MoneyBag, Order
from integrations.models import Integration

# ISO 4217 minor units that are not 2 (the common ones a shop may present).
_MINOR_UNITS = {"JPY": 0, "KRW": 0, "ISK": 0, "CLP": 0, "VND": 0, "HUF": 2, "BHD": 3, "KWD": 3, "JOD": 3, "OMR": 3}


def currency_precision(code: str) -> Decimal:
    return Decimal(1).scaleb(-_MINOR_UNITS.get(code.upper(), 2))


def money_round(amount: Decimal, code: str) -> Decimal:
    return amount.quantize(currency_precision(code), rounding=ROUND_HALF_UP)


def order_currency(*, order: Order, mode: str) -> str:
    """The currency the BC document is written in, per the integration's currency mode."""
    if mode == Integration.CurrencyMode.PRESENTMENT:
        return order.presentment_currency or order.currency
    return order.currency


def money_pick(bag: MoneyBag, mode: str) -> Decimal:
    """One amount out of Shopify's (shop, presentment) pair."""
    if mode == Integration.CurrencyMode.PRESENTMENT:
        return bag.presentment.amount
    return bag.shop.amount


def bc_currency_code(currency: str, *, base_currency: str) -> str:
    """BC stores the local currency as blank; sending the LCY code on a document is avoided."""
    return "" if currency.upper() == base_currency.upper() else currency.upper()


def total_tolerance(*, currency: str, line_count: int) -> Decimal:
    """BC rounds each line's VAT; the total may differ by up to one rounding unit per line."""
    return currency_precision(currency) * max(1, line_count)
