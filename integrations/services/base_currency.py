"""The integration's base currency is Business Central's local currency (LCY): read from the
company's General Ledger Setup, stored on the integration, shown to the merchant, never typed.

BC writes documents in LCY with a blank currency code, so the product must know which code that is;
a stored value that disagrees with BC would fail every foreign-currency check.
"""

from __future__ import annotations

from integrations.connectors.businesscentral import BusinessCentralClient
from integrations.models import Integration


class LocalCurrencyUnknown(Exception):
    """Business Central named no local currency (an empty LCY Code in General Ledger Setup)."""


def bc_local_currency_read(*, client: BusinessCentralClient) -> str:
    """BC's LCY code: generalLedgerSetup.localCurrencyCode, else companyInformation.currencyCode."""
    try:
        code = client.general_ledger_setup().local_currency_code
    except (ValueError, TypeError):  # a setup record the client cannot parse: the company names it too
        code = ""
    code = (code or client.company_information().currency_code or "").strip().upper()
    if not code:
        raise LocalCurrencyUnknown("Business Central's General Ledger Setup has no LCY Code.")
    return code


def integration_base_currency_refresh(*, integration: Integration, client: BusinessCentralClient) -> str:
    """Read BC's LCY and store it as the integration's base currency; returns it."""
    code = bc_local_currency_read(client=client)
    if integration.base_currency != code:
        integration.base_currency = code
        Integration.objects.filter(pk=integration.pk).update(base_currency=code)
    return code
