"""Connect Klarna and Adyen payout accounts, one per market: check the credentials, store them encrypted.

Klarna: the market's API username and password (region EU / NA / OC, production or playground),
checked by listing the last day's payouts. Adyen: the merchant account, the report user (or a
report API key) and the webhook's HMAC key, checked by asking for the first settlement report (a
404 means the credentials work and no batch has closed yet).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from integrations.connectors.adyen import AdyenAuthError, AdyenError, AdyenReportNotFound, adyen_reports_client
from integrations.connectors.adyen import report_file_name as adyen_report_file_name
from integrations.connectors.klarna import HOSTS, KlarnaAuthError, KlarnaError, klarna_client
from integrations.crypto import Secret
from integrations.models import Integration, PaymentProviderConnection
from integrations.services.onboarding.errors import OnboardingError

Provider = PaymentProviderConnection.Provider
KLARNA_ENVIRONMENTS = ("production", "playground")
ADYEN_ENVIRONMENTS = ("live", "test")


def klarna_connect(
    *,
    integration: Integration,
    market: str,
    username: str,
    password: str,
    region: str = "EU",
    environment: str = "production",
    currency: str = "",
) -> PaymentProviderConnection:
    region, username = region.strip().upper(), username.strip()
    if region not in HOSTS or environment not in KLARNA_ENVIRONMENTS:
        raise OnboardingError(_("Choose Klarna's region (EU, NA or OC) and environment."))
    client = klarna_client(
        username=username,
        password=password.strip(),
        region=region,
        environment=environment,
        api_root=settings.KLARNA_API_ROOT,
    )
    now = timezone.now()
    try:
        next(iter(client.payouts_iter(start=now - dt.timedelta(days=1), end=now)), None)
    except KlarnaAuthError:
        raise OnboardingError(_("Klarna refused the API credentials of this market.")) from None
    except KlarnaError as error:
        raise OnboardingError(_("Klarna could not be reached: %(error)s") % {"error": error.message}) from None
    connection, _created = PaymentProviderConnection.objects.update_or_create(
        integration=integration,
        provider=Provider.KLARNA,
        market=market.strip().upper(),
        defaults={
            "username": username,
            "api_key": Secret(password.strip()),
            "region": region,
            "environment": environment,
            "currencies": [currency.upper()] if currency else [],
            "verified_at": timezone.now(),
            "last_error": "",
        },
    )
    return connection


def adyen_connect(
    *,
    integration: Integration,
    market: str,
    merchant_account: str,
    hmac_key: str,
    username: str = "",
    password: str = "",
    api_key: str = "",
    environment: str = "live",
    currency: str = "",
) -> PaymentProviderConnection:
    merchant_account, hmac_key = merchant_account.strip(), hmac_key.strip()
    if environment not in ADYEN_ENVIRONMENTS:
        raise OnboardingError(_("Choose Adyen's environment (live or test)."))
    if len(hmac_key) != 64 or any(char not in "0123456789abcdefABCDEF" for char in hmac_key):
        raise OnboardingError(_("The HMAC key is the 64-character hexadecimal key of the webhook in Adyen."))
    secret = (password if username else api_key).strip()
    if not merchant_account or not secret:
        raise OnboardingError(_("Enter the merchant account and the report user's password or API key."))
    client = adyen_reports_client(
        merchant_account=merchant_account,
        username=username.strip(),
        password=secret if username else "",
        api_key="" if username else secret,
        environment=environment,
        root=settings.ADYEN_REPORTS_ROOT,
    )
    try:
        client.settlement_report(adyen_report_file_name(1))
    except AdyenReportNotFound:
        pass  # the credentials work; the first batch is not closed (or long gone)
    except AdyenAuthError:
        raise OnboardingError(_("Adyen refused the report user's credentials.")) from None
    except AdyenError as error:
        raise OnboardingError(_("Adyen could not be reached: %(error)s") % {"error": error.message}) from None
    connection, _created = PaymentProviderConnection.objects.update_or_create(
        integration=integration,
        provider=Provider.ADYEN,
        market=market.strip().upper(),
        defaults={
            "account_id": merchant_account,
            "username": username.strip(),
            "api_key": Secret(secret),
            "webhook_hmac_key": Secret(hmac_key),
            "environment": environment,
            "currencies": [currency.upper()] if currency else [],
            "verified_at": timezone.now(),
            "last_error": "",
        },
    )
    return connection
