"""The Klarna Settlements API v1: payouts, one payout, transactions by payment reference, paged.

The host depends on the merchant's region (EU, NA, OC) and environment (production, playground);
``api_root`` (settings.KLARNA_API_ROOT, or a simulator) replaces it. URLs are host +
``settlements/v1`` + the endpoint path. Lists page with ``size`` (at most 500) and ``offset``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from integrations.connectors.klarna.records import KlarnaPayout, KlarnaTransaction
from integrations.connectors.klarna.transport import Transport

HOSTS: dict[str, dict[str, str]] = {
    "EU": {"production": "https://api.klarna.com/", "playground": "https://api.playground.klarna.com/"},
    "NA": {"production": "https://api-na.klarna.com/", "playground": "https://api-na.playground.klarna.com/"},
    "OC": {"production": "https://api-oc.klarna.com/", "playground": "https://api-oc.playground.klarna.com/"},
}
PREFIX = "settlements/v1"
PAGE_SIZE = 500  # the API's maximum


def base_url(*, region: str, environment: str = "production", api_root: str = "") -> str:
    """``https://api-na.playground.klarna.com/settlements/v1`` (or the override root + the prefix)."""
    host = api_root or HOSTS[region.upper()][environment]
    return host.rstrip("/") + "/" + PREFIX


def _timestamp(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class KlarnaClient:
    def __init__(
        self, *, transport: Transport, region: str = "EU", environment: str = "production", api_root: str = ""
    ) -> None:
        self.transport = transport
        self.base = base_url(region=region, environment=environment, api_root=api_root)

    @property
    def stats(self):
        return self.transport.stats

    def _pages(self, path: str, key: str, params: dict) -> Iterator[dict]:
        offset = 0
        while True:
            body = self.transport.get(f"{self.base}{path}", params={**params, "size": PAGE_SIZE, "offset": offset})
            items = body.get(key) or []
            yield from items
            pagination = body.get("pagination") or {}
            count = int(pagination.get("count") or len(items))
            total = pagination.get("total")
            offset += count
            if not items or not pagination.get("next") or (total is not None and offset >= int(total)):
                return

    def payouts_iter(
        self, *, start: dt.datetime | None = None, end: dt.datetime | None = None, currency: str = ""
    ) -> Iterator[KlarnaPayout]:
        params: dict[str, str] = {}
        if start:
            params["start_date"] = _timestamp(start)
        if end:
            params["end_date"] = _timestamp(end)
        if currency:
            params["currency_code"] = currency.upper()
        for data in self._pages("/payouts", "payouts", params):
            yield KlarnaPayout.from_api(data)

    def payout(self, payment_reference: str) -> KlarnaPayout:
        return KlarnaPayout.from_api(self.transport.get(f"{self.base}/payouts/{payment_reference}"))

    def transactions(self, *, payment_reference: str) -> list[KlarnaTransaction]:
        pages = self._pages("/transactions", "transactions", {"payment_reference": payment_reference})
        return [KlarnaTransaction.from_api(data) for data in pages]
