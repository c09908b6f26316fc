"""A small fake of the Stripe REST API with Bearer keys.

GET /v1/account, /v1/balance, /v1/payouts (+ /{id}), /v1/balance_transactions (``payout`` filter,
``expand[]=data.source``, ``data.source.charge``, ``data.source.payment_intent``), cursor paging with ``limit`` /
``starting_after`` / ``has_more``, newest first as Stripe lists. Test helpers build charges,
refunds, disputes and their reversals, failed refunds, FX fees, minimum-balance holds and
releases, failed payouts and payouts (see ``SimAccount``); amounts are in minor units like Stripe's.
Every balance transaction has a real Stripe ``type`` and ``reporting_category`` (disputes,
dispute reversals and failed refunds are all ``adjustment``, told apart by the category); a payout
carries ``automatic`` and ``reconciliation_status`` (``completed`` unless a test says otherwise).
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from itertools import count
from urllib.parse import parse_qs

_ids = count(1)
# created timestamps: strictly increasing, starting a day before the simulator was imported
_clock = count(int(time.time()) - 86_400)


# Balance transaction type -> its reporting_category (an adjustment names its own).
REPORTING_CATEGORY = {
    "charge": "charge",
    "payment": "charge",
    "refund": "refund",
    "payment_refund": "refund",
    "stripe_fee": "fee",
    "stripe_fx_fee": "fee",
    "application_fee_refund": "fee",
    "payout": "payout",
    "payout_failure": "payout_reversal",
    "payout_cancel": "payout_reversal",
    "payout_minimum_balance_hold": "payout_minimum_balance_hold",
    "payout_minimum_balance_release": "payout_minimum_balance_release",
    "refund_failure": "refund_failure",
}


def _id(prefix: str) -> str:
    return f"{prefix}_1Sim{next(_ids):020d}"


@dataclass
class SimAccount:
    id: str = "acct_1SimJunipeer00001"
    country: str = "SE"
    default_currency: str = "sek"
    balances: dict[str, int] = field(default_factory=lambda: {"sek": 125_000, "eur": 4_200})
    charges: dict[str, dict] = field(default_factory=dict)
    refunds: dict[str, dict] = field(default_factory=dict)
    payment_intents: dict[str, dict] = field(default_factory=dict)
    balance_transactions: dict[str, dict] = field(default_factory=dict)
    payouts: dict[str, dict] = field(default_factory=dict)

    # --- helpers for tests and the demo -----------------------------------------------------------

    def _txn(self, *, type_: str, amount: int, fee: int, currency: str, source: str | None, category: str = "") -> dict:
        txn = {
            "id": _id("txn"),
            "object": "balance_transaction",
            "type": type_,
            "reporting_category": category or REPORTING_CATEGORY.get(type_, "other_adjustment"),
            "amount": amount,
            "fee": fee,
            "net": amount - fee,
            "currency": currency,
            "source": source,
            "status": "available",
            "created": next(_clock),
            "_payout": None,
        }
        self.balance_transactions[txn["id"]] = txn
        return txn

    def charge_create(
        self,
        *,
        amount: int,
        currency: str = "sek",
        fee: int = 0,
        metadata: dict | None = None,
        description: str | None = None,
        payment_intent_description: str | None = None,
    ) -> dict:
        intent = {
            "id": _id("pi"),
            "object": "payment_intent",
            "amount": amount,
            "currency": currency,
            "description": payment_intent_description,
        }
        self.payment_intents[intent["id"]] = intent
        charge = {
            "id": _id("ch"),
            "object": "charge",
            "amount": amount,
            "currency": currency,
            "description": description,
            "metadata": dict(metadata or {}),
            "payment_intent": intent["id"],
            "paid": True,
            "status": "succeeded",
        }
        self.charges[charge["id"]] = charge
        charge["balance_transaction"] = self._txn(
            type_="charge", amount=amount, fee=fee, currency=currency, source=charge["id"]
        )["id"]
        return charge

    def refund_create(self, *, charge_id: str, amount: int, metadata: dict | None = None) -> dict:
        charge = self.charges[charge_id]
        refund = {
            "id": _id("re"),
            "object": "refund",
            "amount": amount,
            "currency": charge["currency"],
            "charge": charge_id,
            "metadata": dict(metadata or {}),
            "status": "succeeded",
        }
        self.refunds[refund["id"]] = refund
        refund["balance_transaction"] = self._txn(
            type_="refund", amount=-amount, fee=0, currency=charge["currency"], source=refund["id"]
        )["id"]
        return refund

    def balance_transaction_create(
        self, *, type_: str, amount: int, fee: int = 0, currency: str = "sek", category: str = ""
    ) -> dict:
        """Any other money movement (stripe_fx_fee, payout_minimum_balance_hold, an adjustment with
        its ``category``, or a type the product may not know)."""
        return self._txn(type_=type_, amount=amount, fee=fee, currency=currency, source=None, category=category)

    def dispute_create(self, *, charge_id: str, fee: int = 1500) -> dict:
        """A dispute withdraws the charge and a dispute fee: type adjustment, category dispute."""
        charge = self.charges[charge_id]
        dispute = {"id": _id("dp"), "object": "dispute", "charge": charge_id, "amount": charge["amount"]}
        dispute["balance_transaction"] = self._txn(
            type_="adjustment",
            amount=-charge["amount"],
            fee=fee,
            currency=charge["currency"],
            source=dispute["id"],
            category="dispute",
        )["id"]
        return dispute

    def dispute_reverse(self, *, dispute: dict, fee_refund: int = 1500) -> dict:
        """The merchant won: the amount and the dispute fee come back (category dispute_reversal)."""
        return self._txn(
            type_="adjustment",
            amount=dispute["amount"],
            fee=-fee_refund,
            currency=self.charges[dispute["charge"]]["currency"],
            source=dispute["id"],
            category="dispute_reversal",
        )

    def refund_fail(self, *, refund_id: str) -> dict:
        """A refund the bank returned: the money comes back (type adjustment, category refund_failure)."""
        refund = self.refunds[refund_id]
        refund["status"] = "failed"
        return self._txn(
            type_="adjustment",
            amount=refund["amount"],
            fee=0,
            currency=refund["currency"],
            source=refund["id"],
            category="refund_failure",
        )

    def payout_fail(self, *, payout_id: str) -> dict:
        """A paid payout the bank returned: status failed, and a payout_failure brings the money back."""
        payout = self.payouts[payout_id]
        payout["status"] = "failed"
        return self._txn(
            type_="payout_failure", amount=payout["amount"], fee=0, currency=payout["currency"], source=payout_id
        )

    def payout_create(
        self,
        *,
        currency: str = "sek",
        status: str = "paid",
        automatic: bool = True,
        reconciliation_status: str = "completed",
    ) -> dict:
        """Sweep every not-yet-paid-out transaction in ``currency`` into one payout."""
        swept = [
            txn
            for txn in self.balance_transactions.values()
            if txn["_payout"] is None and txn["currency"] == currency and txn["type"] != "payout"
        ]
        net = sum(txn["net"] for txn in swept)
        created = next(_clock)
        payout = {
            "id": _id("po"),
            "object": "payout",
            "amount": net,
            "currency": currency,
            "status": status,
            "arrival_date": created + 86_400,
            "created": created,
            "method": "standard",
            "type": "bank_account",
            "automatic": automatic,
            "reconciliation_status": reconciliation_status if automatic else "not_applicable",
        }
        own = self._txn(type_="payout", amount=-net, fee=0, currency=currency, source=payout["id"])
        payout["balance_transaction"] = own["id"]
        for txn in [*swept, own]:
            # Stripe links transactions to automatic payouts only: the payout= filter of a manual
            # payout lists nothing.
            txn["_payout"] = payout["id"] if automatic else f"manual:{payout['id']}"
        self.payouts[payout["id"]] = payout
        return payout


class StripeSimulator:
    VALID_KEY = "sk_test_simulated_key_123"

    def __init__(self) -> None:
        self.accounts: dict[str, SimAccount] = {self.VALID_KEY: SimAccount()}
        self.requests: list[str] = []

    @property
    def account(self) -> SimAccount:
        return self.accounts[self.VALID_KEY]

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        self.requests.append(f"{environ['REQUEST_METHOD']} {path}")
        auth = environ.get("HTTP_AUTHORIZATION", "")
        account = self.accounts.get(auth.removeprefix("Bearer ").strip())
        if account is None:
            return _json(start_response, 401, _error("invalid_request_error", "Invalid API Key provided."))
        if environ["REQUEST_METHOD"] != "GET":
            return _json(start_response, 404, _error("invalid_request_error", f"Unrecognized request URL ({path})."))
        query = {key: values[-1] for key, values in parse_qs(environ.get("QUERY_STRING", "")).items()}
        expand = {value for key, value in query.items() if key.startswith("expand[")}
        if path == "/v1/account":
            return _json(start_response, 200, _account(account))
        if path == "/v1/balance":
            return _json(start_response, 200, _balance(account))
        if path == "/v1/payouts":
            rows = list(account.payouts.values())
            if "created[gte]" in query:
                rows = [row for row in rows if row["created"] >= int(query["created[gte]"])]
            return _json(start_response, 200, _page(rows, query, "/v1/payouts"))
        if match := re.fullmatch(r"/v1/payouts/([\w]+)", path):
            payout = account.payouts.get(match.group(1))
            if payout is None:
                return _json(start_response, 404, _error("invalid_request_error", "No such payout."))
            return _json(start_response, 200, payout)
        if path == "/v1/balance_transactions":
            rows = list(account.balance_transactions.values())
            if "payout" in query:
                rows = [row for row in rows if row["_payout"] == query["payout"]]
            page = _page(rows, query, "/v1/balance_transactions")
            page["data"] = [_expanded(account, row, expand) for row in page["data"]]
            return _json(start_response, 200, page)
        return _json(start_response, 404, _error("invalid_request_error", f"Unrecognized request URL ({path})."))


def _account(account: SimAccount) -> dict:
    return {
        "id": account.id,
        "object": "account",
        "country": account.country,
        "default_currency": account.default_currency,
        "charges_enabled": True,
        "payouts_enabled": True,
    }


def _balance(account: SimAccount) -> dict:
    money = [
        {"amount": amount, "currency": cur, "source_types": {"card": amount}}
        for cur, amount in account.balances.items()
    ]
    return {
        "object": "balance",
        "available": money,
        "pending": [dict(m, amount=0) for m in money],
        "livemode": False,
    }


def _public(row: dict) -> dict:
    return {key: value for key, value in row.items() if not key.startswith("_")}


def _page(rows: list[dict], query: dict, url: str) -> dict:
    rows = sorted(rows, key=lambda row: (row["created"], row["id"]), reverse=True)  # newest first
    if query.get("starting_after"):
        ids = [row["id"] for row in rows]
        cut = ids.index(query["starting_after"]) + 1 if query["starting_after"] in ids else len(rows)
        rows = rows[cut:]
    limit = max(1, min(int(query.get("limit") or 10), 100))
    return {
        "object": "list",
        "url": url,
        "has_more": len(rows) > limit,
        "data": [_public(row) for row in rows[:limit]],
    }


def _expanded(account: SimAccount, txn: dict, expand: set[str]) -> dict:
    if "data.source" not in expand or not txn.get("source"):
        return txn
    source_id = txn["source"]
    source = account.charges.get(source_id) or account.refunds.get(source_id) or account.payouts.get(source_id)
    if source is None:
        return txn
    source = _public(dict(source))
    wants_intent = "data.source.payment_intent" in expand
    if wants_intent and source.get("object") == "charge" and source.get("payment_intent") in account.payment_intents:
        source["payment_intent"] = dict(account.payment_intents[source["payment_intent"]])
    if source.get("object") == "refund" and "data.source.charge" in expand:
        source["charge"] = _public(dict(account.charges[source["charge"]]))
    return {**txn, "source": source}


def _error(kind: str, message: str) -> dict:
    return {"error": {"type": kind, "message": message}}


def _json(start_response, status: int, body: dict):
    data = json.dumps(body).encode()
    reason = {200: "OK", 401: "Unauthorized", 404: "Not Found"}[status]
    start_response(
        f"{status} {reason}",
        [("Content-Type", "application/json"), ("Content-Length", str(len(data))), ("Request-Id", "req_sim")],
    )
    return [data]
