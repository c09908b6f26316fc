"""Adyen connector: settlement details reports (download, parse) and the REPORT_AVAILABLE HMAC."""

from integrations.connectors.adyen.client import AdyenReportsClient, batch_of, report_file_name
from integrations.connectors.adyen.exceptions import (
    AdyenAuthError,
    AdyenError,
    AdyenReportFormatError,
    AdyenReportNotFound,
    AdyenTransportError,
)
from integrations.connectors.adyen.records import BATCH_LEVEL_TYPES, SettlementLine, parse_report
from integrations.connectors.adyen.transport import Transport
from integrations.connectors.adyen.webhooks import hmac_signature, notification_verify, signing_string


def adyen_reports_client(
    *,
    merchant_account: str,
    username: str = "",
    password: str = "",
    api_key: str = "",
    environment: str,
    root: str = "",
) -> AdyenReportsClient:
    return AdyenReportsClient(
        transport=Transport(username=username, password=password, api_key=api_key),
        merchant_account=merchant_account,
        environment=environment,
        root=root,
    )


__all__ = [
    "BATCH_LEVEL_TYPES",
    "AdyenAuthError",
    "AdyenError",
    "AdyenReportFormatError",
    "AdyenReportNotFound",
    "AdyenReportsClient",
    "AdyenTransportError",
    "SettlementLine",
    "Transport",
    "adyen_reports_client",
    "batch_of",
    "hmac_signature",
    "notification_verify",
    "parse_report",
    "report_file_name",
    "signing_string",
]
