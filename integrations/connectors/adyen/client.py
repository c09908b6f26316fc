"""Adyen settlement details reports: where each file is, and its lines.

A report is ``settlement_detail_report_batch_{n}.csv`` under
``https://ca-{live|test}.adyen.com/reports/download/MerchantAccount/{merchantAccount}/``; the
REPORT_AVAILABLE notification names the file (pspReference) and its URL (reason). ``root``
(settings.ADYEN_REPORTS_ROOT, or a simulator) replaces the host.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from integrations.connectors.adyen.records import SettlementLine, parse_report
from integrations.connectors.adyen.transport import Transport

HOSTS = {"live": "https://ca-live.adyen.com", "test": "https://ca-test.adyen.com"}
FILE_PATTERN = "settlement_detail_report_batch_{batch}.csv"
_BATCH_RE = re.compile(r"^settlement_detail_report_batch_(\d+)(?:[_-][^/]*)?\.csv$")


def report_file_name(batch: int) -> str:
    return FILE_PATTERN.format(batch=batch)


def batch_of(file_name: str) -> int | None:
    """The batch number in a settlement details report's file name; None for other reports."""
    match = _BATCH_RE.match(file_name)
    return int(match.group(1)) if match else None


class AdyenReportsClient:
    def __init__(
        self, *, transport: Transport, merchant_account: str, environment: str = "live", root: str = ""
    ) -> None:
        self.transport = transport
        self.merchant_account = merchant_account
        self.root = (root or HOSTS[environment]).rstrip("/")

    @property
    def stats(self):
        return self.transport.stats

    def report_url(self, file_name: str) -> str:
        account = quote(self.merchant_account, safe="")
        return f"{self.root}/reports/download/MerchantAccount/{account}/{quote(file_name, safe='')}"

    def settlement_report(self, file_name: str) -> list[SettlementLine]:
        return parse_report(self.transport.get_text(self.report_url(file_name)))
