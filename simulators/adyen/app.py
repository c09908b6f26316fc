"""A fake of Adyen's report download host and of its REPORT_AVAILABLE notification.

GET /reports/download/MerchantAccount/{merchantAccount}/{fileName} with HTTP Basic (the report
user) or ``X-API-Key`` answers the settlement details report as CSV, 404 while the batch is not
closed (or the file does not exist), 401 for wrong credentials. ``SimMerchantAccount`` builds a batch
from payment lines (Settled, Refunded, Chargeback, ChargebackReversed, RefundedReversed, ...) and
batch lines (Fee, MiscCosts, DepositCorrection, InvoiceDeduction, MerchantPayout) and closes it as
``settlement_detail_report_batch_{n}.csv`` in the new platform's default column order;
``notification`` builds the signed REPORT_AVAILABLE envelope Adyen would POST.
"""

from __future__ import annotations

import base64
import binascii
import csv
import hashlib
import hmac
import io
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import count
from urllib.parse import unquote

COLUMNS = (
    "Company Account",
    "Merchant Account",
    "Psp Reference",
    "Merchant Reference",
    "Payment Method",
    "Creation Date",
    "TimeZone",
    "Type",
    "Modification Reference",
    "Gross Currency",
    "Gross Debit (GC)",
    "Gross Credit (GC)",
    "Exchange Rate",
    "Net Currency",
    "Net Debit (NC)",
    "Net Credit (NC)",
    "Commission (NC)",
    "Markup (NC)",
    "Payment Method Variant",
    "Modification Merchant Reference",
    "Batch Number",
    "DCC Markup (NC)",
    "Surcharge Amount",
    "Merchant Order Reference",
    "Scheme Fees (NC)",
    "Interchange (NC)",
    "Payment Fees (NC)",
)
# Record types whose money goes to the merchant (credit side); the others are debits.
CREDIT_TYPES = frozenset({"Settled", "ChargebackReversed", "RefundedReversed", "PaidOutReversed"})
_psp = count(8815000000000001)


def _money(value: Decimal) -> str:
    return f"{value:.2f}" if value else ""


@dataclass
class SimMerchantAccount:
    company: str = "JunipeerCompany"
    merchant_account: str = "JunipeerSE"
    currency: str = "SEK"
    batch: int = 1
    open_lines: list[dict] = field(default_factory=list)
    reports: dict[str, str] = field(default_factory=dict)  # file name -> CSV text

    def line(
        self,
        record_type: str,
        amount: Decimal | str,
        *,
        merchant_reference: str = "",
        commission: Decimal | str = "0",
        psp_reference: str = "",
        payment_method: str = "visa",
        created: str = "2026-11-20 10:00:00",
    ) -> dict:
        """A line of the open batch; ``amount`` is the gross, positive; the side follows the type."""
        gross = Decimal(str(amount))
        cost = Decimal(str(commission))
        credit = record_type in CREDIT_TYPES
        net = gross - cost if credit else gross + cost
        batch_level = record_type in ("Fee", "MiscCosts", "MerchantPayout", "DepositCorrection", "InvoiceDeduction")
        row = dict.fromkeys(COLUMNS, "")
        row.update(
            {
                "Company Account": self.company,
                "Merchant Account": self.merchant_account,
                "Psp Reference": "" if batch_level else (psp_reference or str(next(_psp))),
                "Merchant Reference": merchant_reference,
                "Payment Method": "" if batch_level else payment_method,
                "Creation Date": created,
                "TimeZone": "CET",
                "Type": record_type,
                "Modification Reference": f"{record_type} batch {self.batch}" if batch_level else str(next(_psp)),
                "Gross Currency": self.currency,
                "Gross Debit (GC)": "" if credit else _money(gross),
                "Gross Credit (GC)": _money(gross) if credit else "",
                "Exchange Rate": "1",
                "Net Currency": self.currency,
                "Net Debit (NC)": "" if credit else _money(net),
                "Net Credit (NC)": _money(net) if credit else "",
                "Commission (NC)": _money(cost),
                "Batch Number": str(self.batch),
                "Merchant Order Reference": merchant_reference,
            }
        )
        self.open_lines.append(row)
        return row

    def batch_close(self, *, paid_on: str = "2026-11-25 06:00:00") -> str:
        """Close the batch: the MerchantPayout line pays out the batch's net; returns the file name."""
        net = sum(
            (Decimal(r["Net Credit (NC)"] or "0") - Decimal(r["Net Debit (NC)"] or "0") for r in self.open_lines),
            Decimal("0"),
        )
        if net > 0:
            self.line("MerchantPayout", net, created=paid_on)
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(self.open_lines)
        name = f"settlement_detail_report_batch_{self.batch}.csv"
        self.reports[name] = out.getvalue()
        self.open_lines = []
        self.batch += 1
        return name


class AdyenSimulator:
    USERNAME = "report_123456@Company.JunipeerCompany"
    PASSWORD = "adyen_sim_report_password"  # noqa: S105 - a simulator's fixed credential
    API_KEY = "AQE_sim_report_key"
    HMAC_KEY = "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056"  # the vendor's test key

    def __init__(self) -> None:
        self.accounts: dict[str, SimMerchantAccount] = {"JunipeerSE": SimMerchantAccount()}
        self.requests: list[str] = []

    def account(self, name: str = "JunipeerSE") -> SimMerchantAccount:
        if name not in self.accounts:
            self.accounts[name] = SimMerchantAccount(merchant_account=name)
        return self.accounts[name]

    def notification(self, *, merchant_account: str, file_name: str, root: str, hmac_key: str = "") -> dict:
        """The REPORT_AVAILABLE envelope for a closed report, signed with ``hmac_key`` (hex)."""
        item = {
            "amount": {"currency": self.accounts[merchant_account].currency, "value": 0},
            "eventCode": "REPORT_AVAILABLE",
            "eventDate": "2026-11-25T06:05:00+01:00",
            "merchantAccountCode": merchant_account,
            "merchantReference": "",
            "pspReference": file_name,
            "reason": f"{root.rstrip('/')}/reports/download/MerchantAccount/{merchant_account}/{file_name}",
            "success": "true",
        }
        item["additionalData"] = {"hmacSignature": sign(item, hmac_key or self.HMAC_KEY)}
        return {"live": "false", "notificationItems": [{"NotificationRequestItem": item}]}

    def __call__(self, environ, start_response):
        path = unquote(environ.get("PATH_INFO", ""))
        self.requests.append(f"{environ['REQUEST_METHOD']} {path}")
        if not self._authorised(environ):
            return _text(start_response, 401, "Unauthorized")
        parts = path.strip("/").split("/")
        if (
            environ["REQUEST_METHOD"] != "GET"
            or len(parts) != 5
            or parts[:3] != ["reports", "download", "MerchantAccount"]
        ):
            return _text(start_response, 404, "Not Found")
        account = self.accounts.get(parts[3])
        report = account.reports.get(parts[4]) if account else None
        if report is None:
            return _text(start_response, 404, "Not Found")
        return _text(start_response, 200, report, content_type="text/csv; charset=utf-8")

    def _authorised(self, environ) -> bool:
        if environ.get("HTTP_X_API_KEY") == self.API_KEY:
            return True
        header = environ.get("HTTP_AUTHORIZATION", "")
        if not header.startswith("Basic "):
            return False
        try:
            username, _, password = base64.b64decode(header[6:]).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return False
        return (username, password) == (self.USERNAME, self.PASSWORD)


def sign(item: dict, hmac_key_hex: str) -> str:
    """Adyen's classic HMAC (written here independently of the product's connector)."""
    amount = item.get("amount") or {}
    fields = [
        item.get("pspReference"),
        item.get("originalReference"),
        item.get("merchantAccountCode"),
        item.get("merchantReference"),
        amount.get("value"),
        amount.get("currency"),
        item.get("eventCode"),
        item.get("success"),
    ]
    payload = ":".join("" if value is None else str(value) for value in fields)
    digest = hmac.new(bytes.fromhex(hmac_key_hex), payload.encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def _text(start_response, status: int, body: str, *, content_type: str = "text/plain"):
    data = body.encode()
    reason = {200: "OK", 401: "Unauthorized", 404: "Not Found"}[status]
    start_response(f"{status} {reason}", [("Content-Type", content_type), ("Content-Length", str(len(data)))])
    return [data]
