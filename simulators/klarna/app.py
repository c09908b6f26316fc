"""A fake of the Klarna Settlements API v1 (HTTP Basic), served on loopback by simulators.server.

GET /settlements/v1/payouts (start_date, end_date, currency_code, size <= 500, offset),
/payouts/{payment_reference}, /payouts/summary (start_date and end_date required), /transactions
(payment_reference, order_id, size, offset). Lists carry the pagination object (count, total,
offset, next/prev as absolute URLs with offset and size). Errors use Klarna's envelope
``{error_code, error_messages, correlation_id}``. One merchant per API username; any host works, so
the client's regional host choice is tested by URL composition, not by the server.

Amounts are integers in minor units and non-negative: the transaction type gives the direction
(``SIGN`` below, the settlement-amount table of Klarna's settlement reports). Test helpers build a
payout from sales, returns, fees, corrections, holdbacks and releases (see ``SimMerchant``).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import uuid
from dataclasses import dataclass, field
from itertools import count
from urllib.parse import parse_qs, urlencode

MAX_SIZE = 500
SIGN = {
    "SALE": 1,
    "RETURN": -1,
    "REVERSAL": -1,
    "REVERSAL_MERCHANT_PROTECTION": 1,
    "FEE": -1,
    "FEE_REFUND": 1,
    "COMMISSION": 1,
    "TAX": -1,
    "CHARGE": -1,
    "CREDIT": 1,
    "HOLDBACK": -1,
    "RELEASE": 1,
    "CORRECTION": 1,
}
TOTAL_KEY = {
    "SALE": "sale_amount",
    "RETURN": "return_amount",
    "REVERSAL": "reversal_amount",
    "REVERSAL_MERCHANT_PROTECTION": "reversal_amount",
    "FEE": "fee_amount",
    "FEE_REFUND": "fee_refund_amount",
    "COMMISSION": "commission_amount",
    "TAX": "tax_amount",
    "CHARGE": "charge_amount",
    "CREDIT": "credit_amount",
    "HOLDBACK": "holdback_amount",
    "RELEASE": "release_amount",
    "CORRECTION": "fee_correction_amount",
}
_references = count(1)


@dataclass
class SimMerchant:
    merchant_id: str = "K100001"
    currency: str = "SEK"
    purchase_country: str = "SE"
    payouts: dict[str, dict] = field(default_factory=dict)
    transactions: list[dict] = field(default_factory=list)

    def transaction(
        self,
        type_: str,
        amount: int,
        *,
        order_reference: str = "",
        detailed_type: str = "",
        order_id: str | None = None,
    ) -> dict:
        """One settlement transaction (not yet paid out); ``amount`` in minor units, >= 0 unless CORRECTION."""
        now = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC).isoformat().replace("+00:00", "Z")
        txn = {
            "amount": amount,
            "capture_id": str(uuid.uuid4()) if type_ == "SALE" else None,
            "refund_id": str(uuid.uuid4()) if type_ == "RETURN" else None,
            "merchant_reference1": order_reference or None,
            "sale_date": now,
            "capture_date": now,
            "type": type_,
            "detailed_type": detailed_type or None,
            "order_id": order_id or str(uuid.uuid4()),
            "currency_code": self.currency,
            "purchase_country": self.purchase_country,
            "payment_reference": None,
        }
        self.transactions.append({key: value for key, value in txn.items() if value is not None})
        return self.transactions[-1]

    def payout_create(self, *, payout_date: str = "2026-11-25T06:00:00Z", settlement_type: str = "NET") -> dict:
        """Pay out every transaction not paid out yet; the totals follow Klarna's sign table."""
        reference = f"XISA{next(_references):08d}"
        swept = [txn for txn in self.transactions if not txn.get("payment_reference")]
        totals = dict.fromkeys(sorted(set(TOTAL_KEY.values())), 0)
        settlement = 0
        for txn in swept:
            txn["payment_reference"] = reference
            if txn["type"] != "CORRECTION":
                totals[TOTAL_KEY[txn["type"]]] += txn["amount"]
            else:
                totals["fee_correction_amount"] += txn["amount"]
            settlement += SIGN[txn["type"]] * txn["amount"]
        totals.update(
            settlement_amount=settlement,
            repay_amount=0,
            deposit_amount=0,
            opening_debt_balance_amount=0,
            closing_debt_balance_amount=0,
            tax_refund_amount=0,
        )
        payout = {
            "totals": totals,
            "payment_reference": reference,
            "payout_date": payout_date,
            "currency_code": self.currency,
            "merchant_settlement_type": settlement_type,
            "merchant_id": self.merchant_id,
        }
        self.payouts[reference] = payout
        return payout


class KlarnaSimulator:
    USERNAME = "K100001_5c7a9e0b1d2f"
    PASSWORD = "klarna_sim_password"  # noqa: S105 - a simulator's fixed credential

    def __init__(self) -> None:
        self.merchants: dict[tuple[str, str], SimMerchant] = {(self.USERNAME, self.PASSWORD): SimMerchant()}
        self.requests: list[str] = []

    @property
    def merchant(self) -> SimMerchant:
        return self.merchants[(self.USERNAME, self.PASSWORD)]

    def merchant_add(self, *, username: str, password: str, **fields) -> SimMerchant:
        merchant = SimMerchant(**fields)
        self.merchants[(username, password)] = merchant
        return merchant

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        query_string = environ.get("QUERY_STRING", "")
        self.requests.append(f"{environ['REQUEST_METHOD']} {path}?{query_string}")
        merchant = self.merchants.get(_basic(environ.get("HTTP_AUTHORIZATION", "")))
        if merchant is None:
            return _json(start_response, 401, _error("UNAUTHORIZED", "Invalid credentials."))
        if environ["REQUEST_METHOD"] != "GET" or not path.startswith("/settlements/v1/"):
            return _json(start_response, 404, _error("NOT_FOUND", "Not found."))
        query = {key: values[-1] for key, values in parse_qs(query_string).items()}
        root = f"{environ.get('wsgi.url_scheme', 'http')}://{environ.get('HTTP_HOST', 'localhost')}"
        endpoint = path.removeprefix("/settlements/v1")
        try:
            if endpoint == "/payouts":
                rows = _in_range(merchant.payouts.values(), query, required=False)
                if query.get("currency_code"):
                    rows = [p for p in rows if p["currency_code"] == query["currency_code"]]
                page, pagination = _page(rows, query, f"{root}{path}")
                return _json(
                    start_response, 200, {"payouts": [_linked(p, root) for p in page], "pagination": pagination}
                )
            if endpoint == "/payouts/summary":
                rows = _in_range(merchant.payouts.values(), query, required=True)
                return _json(start_response, 200, _summaries(rows))
            if endpoint.startswith("/payouts/"):
                payout = merchant.payouts.get(endpoint.removeprefix("/payouts/"))
                if payout is None:
                    return _json(start_response, 404, _error("NOT_FOUND", "Payout not found."))
                return _json(start_response, 200, _linked(payout, root))
            if endpoint == "/transactions":
                rows = [t for t in merchant.transactions if t.get("payment_reference")]
                if query.get("payment_reference"):
                    rows = [t for t in rows if t["payment_reference"] == query["payment_reference"]]
                if query.get("order_id"):
                    rows = [t for t in rows if t["order_id"] == query["order_id"]]
                page, pagination = _page(rows, query, f"{root}{path}")
                body = {"transactions": [_txn_linked(t, root) for t in page], "pagination": pagination}
                return _json(start_response, 200, body)
        except ValueError as error:
            return _json(start_response, 400, _error("BAD_VALUE", str(error)))
        return _json(start_response, 404, _error("NOT_FOUND", "Not found."))


def _basic(header: str) -> tuple[str, str] | None:
    if not header.startswith("Basic "):
        return None
    try:
        username, _, password = base64.b64decode(header[6:]).decode().partition(":")
    except ValueError:
        return None
    return username, password


def _date(value: str, name: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"{name} is not a date-time.") from None


def _in_range(payouts, query: dict, *, required: bool) -> list[dict]:
    if required and not (query.get("start_date") and query.get("end_date")):
        raise ValueError("start_date and end_date are required.")
    rows = sorted(payouts, key=lambda p: (p["payout_date"], p["payment_reference"]))
    if query.get("start_date"):
        start = _date(query["start_date"], "start_date")
        rows = [p for p in rows if _date(p["payout_date"], "payout_date") >= start]
    if query.get("end_date"):
        end = _date(query["end_date"], "end_date")
        rows = [p for p in rows if _date(p["payout_date"], "payout_date") <= end]
    return rows


def _page(rows: list[dict], query: dict, url: str) -> tuple[list[dict], dict]:
    try:
        size = int(query.get("size") or 20)
        offset = int(query.get("offset") or 0)
    except ValueError:
        raise ValueError("size and offset must be integers.") from None
    if size < 1 or size > MAX_SIZE or offset < 0:
        raise ValueError(f"size must be 1..{MAX_SIZE} and offset >= 0.")
    page = rows[offset : offset + size]
    pagination = {"count": len(page), "total": len(rows), "offset": offset}
    others = {k: v for k, v in query.items() if k not in ("size", "offset")}
    if offset + size < len(rows):
        pagination["next"] = f"{url}?{urlencode({**others, 'offset': offset + size, 'size': size})}"
    if offset > 0:
        pagination["prev"] = f"{url}?{urlencode({**others, 'offset': max(0, offset - size), 'size': size})}"
    return page, pagination


def _linked(payout: dict, root: str) -> dict:
    link = f"{root}/settlements/v1/transactions?payment_reference={payout['payment_reference']}"
    return {**payout, "transactions": link}


def _txn_linked(txn: dict, root: str) -> dict:
    return {**txn, "payout": f"{root}/settlements/v1/payouts/{txn['payment_reference']}"}


def _summaries(payouts: list[dict]) -> list[dict]:
    by_currency: dict[str, list[dict]] = {}
    for payout in payouts:
        by_currency.setdefault(payout["currency_code"], []).append(payout)
    summaries = []
    for currency, rows in sorted(by_currency.items()):

        def total(key: str, rows=rows) -> int:
            return sum(p["totals"].get(key, 0) for p in rows)

        summaries.append(
            {
                "summary_settlement_currency": currency,
                "summary_payout_date_start": rows[0]["payout_date"],
                "summary_payout_date_end": rows[-1]["payout_date"],
                **{
                    f"summary_total_{key}": total(key)
                    for key in (
                        "fee_correction_amount",
                        "release_amount",
                        "tax_amount",
                        "settlement_amount",
                        "holdback_amount",
                        "reversal_amount",
                        "return_amount",
                        "fee_amount",
                        "commission_amount",
                        "sale_amount",
                        "repay_amount",
                    )
                },
            }
        )
    return summaries


def _error(code: str, message: str) -> dict:
    return {"error_code": code, "error_messages": [message], "correlation_id": str(uuid.uuid4())}


def _json(start_response, status: int, body):
    data = json.dumps(body).encode()
    reason = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found"}[status]
    start_response(f"{status} {reason}", [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]
