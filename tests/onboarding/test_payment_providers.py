"""Klarna and Adyen connections per market: credentials checked against the simulators, stored encrypted."""

from __future__ import annotations

import pytest

from integrations.models import PaymentProviderConnection
from integrations.services.onboarding.errors import OnboardingError
from integrations.services.payment_providers import adyen_connect, klarna_connect
from simulators.adyen import AdyenSimulator
from simulators.klarna import KlarnaSimulator
from simulators.server import serve
from tests.factories import IntegrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def klarna(settings):
    sim = KlarnaSimulator()
    sim.merchant_add(username="K_NO", password="no-password", currency="NOK")
    with serve(sim) as running:
        settings.KLARNA_API_ROOT = running.url
        yield sim


@pytest.fixture
def adyen(settings):
    sim = AdyenSimulator()
    with serve(sim) as running:
        settings.ADYEN_REPORTS_ROOT = running.url
        yield sim


def test_klarna_connects_one_connection_per_market(klarna):
    integration = IntegrationFactory()
    se = klarna_connect(
        integration=integration,
        market="se",
        username=KlarnaSimulator.USERNAME,
        password=KlarnaSimulator.PASSWORD,
        environment="playground",
        currency="sek",
    )
    no = klarna_connect(integration=integration, market="NO", username="K_NO", password="no-password", currency="NOK")
    again = klarna_connect(
        integration=integration, market="SE", username=KlarnaSimulator.USERNAME, password=KlarnaSimulator.PASSWORD
    )

    assert again.pk == se.pk and no.pk != se.pk
    stored = PaymentProviderConnection.objects.get(pk=no.pk)
    assert (stored.market, stored.username, stored.region, stored.currencies) == ("NO", "K_NO", "EU", ["NOK"])
    assert stored.api_key.reveal() == "no-password" and "no-password" not in repr(stored.api_key)
    assert stored.verified_at is not None


def test_klarna_refuses_wrong_credentials_and_unknown_regions(klarna):
    integration = IntegrationFactory()
    with pytest.raises(OnboardingError, match="refused"):
        klarna_connect(integration=integration, market="SE", username="K_NO", password="wrong")
    with pytest.raises(OnboardingError, match="region"):
        klarna_connect(integration=integration, market="SE", username="u", password="p", region="APAC")
    assert not PaymentProviderConnection.objects.exists()


def test_adyen_connects_with_basic_auth_or_an_api_key_and_checks_the_hmac_key(adyen):
    integration = IntegrationFactory()
    basic = adyen_connect(
        integration=integration,
        market="SE",
        merchant_account="JunipeerSE",
        username=AdyenSimulator.USERNAME,
        password=AdyenSimulator.PASSWORD,
        hmac_key=AdyenSimulator.HMAC_KEY,
        environment="test",
    )
    keyed = adyen_connect(
        integration=integration,
        market="NO",
        merchant_account="JunipeerNO",
        api_key=AdyenSimulator.API_KEY,
        hmac_key=AdyenSimulator.HMAC_KEY,
        environment="test",
    )
    assert basic.pk != keyed.pk
    stored = PaymentProviderConnection.objects.get(pk=basic.pk)
    assert stored.webhook_hmac_key.reveal() == AdyenSimulator.HMAC_KEY and stored.account_id == "JunipeerSE"
    with pytest.raises(OnboardingError, match="refused"):
        adyen_connect(
            integration=integration,
            market="DK",
            merchant_account="JunipeerDK",
            api_key="wrong",
            hmac_key=AdyenSimulator.HMAC_KEY,
            environment="test",
        )
    with pytest.raises(OnboardingError, match="HMAC"):
        adyen_connect(
            integration=integration,
            market="DK",
            merchant_account="JunipeerDK",
            api_key=AdyenSimulator.API_KEY,
            hmac_key="not-hex",
            environment="test",
        )
    assert PaymentProviderConnection.objects.count() == 2
