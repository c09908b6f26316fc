"""A small fake of the Stripe REST API: GET /v1/account and GET /v1/balance with Bearer keys."""

from __future__ import annotations

import json
from dataclasses import dataclass, field


@dataclass
class SimAccount:
    id: str = "acct_1SimJunipeer00001"
    country: str = "SE"
    default_currency: str = "sek"
    balances: dict[str, int] = field(default_factory=lambda: {"sek": 125_000, "eur": 4_200})


class StripeSimulator:
    VALID_KEY = "sk_test_simulated_key_123"

    def __init__(self) -> None:
        self.accounts: dict[str, SimAccount] = {self.VALID_KEY: SimAccount()}
        self.requests: list[str] = []

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        self.requests.append(f"{environ['REQUEST_METHOD']} {path}")
        auth = environ.get("HTTP_AUTHORIZATION", "")
        account = self.accounts.get(auth.removeprefix("Bearer ").strip())
        if account is None:
            return _json(start_response, 401, _error("invalid_request_error", "Invalid API Key provided."))
        if environ["REQUEST_METHOD"] == "GET" and path == "/v1/account":
            return _json(
                start_response,
                200,
                {
                    "id": account.id,
                    "object": "account",
                    "country": account.country,
                    "default_currency": account.default_currency,
                    "charges_enabled": True,
                    "payouts_enabled": True,
                },
            )
        if environ["REQUEST_METHOD"] == "GET" and path == "/v1/balance":
            money = [{"amount": amount, "currency": cur, "source_types": {"card": amount}} for cur, amount in
                     account.balances.items()]
            return _json(
                start_response,
                200,
                {"object": "balance", "available": money, "pending": [dict(m, amount=0) for m in money],
                 "livemode": False},
            )
        return _json(start_response, 404, _error("invalid_request_error", f"Unrecognized request URL ({path})."))


def _error(kind: str, message: str) -> dict:
    return {"error": {"type": kind, "message": message}}


def _json(start_response, status: int, body: dict):
    data = json.dumps(body).encode()
    reason = {200: "OK", 401: "Unauthorized", 404: "Not Found"}[status]
    start_response(f"{status} {reason}", [("Content-Type", "application/json"), ("Content-Length", str(len(data))),
                                          ("Request-Id", "req_sim")])
    return [data]
