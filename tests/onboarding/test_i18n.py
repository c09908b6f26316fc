"""English and Swedish merchant pages; the switch posts to /i18n/setlang/."""

from __future__ import annotations

from django.urls import reverse


def test_language_switch_renders_swedish(merchant_client, integration):
    response = merchant_client.post(
        reverse("set_language"), {"language": "sv", "next": reverse("merchant:wizard_connect", args=[integration.pk])}
    )
    assert response.status_code == 302

    page = merchant_client.get(response["Location"]).content.decode()

    assert 'lang="sv"' in page
    assert "Logga in med Microsoft" in page and "Koppla system" in page


def test_english_by_default(merchant_client, integration):
    page = merchant_client.get(reverse("merchant:wizard_connect", args=[integration.pk])).content.decode()

    assert 'lang="en"' in page and "Sign in with Microsoft" in page


def test_error_codes_are_translated(merchant_client, integration, settings):
    from django.utils import translation

    from integrations.connectors.entra.errors import CONSENT_REQUIRED

    with translation.override("sv"):
        assert str(CONSENT_REQUIRED.title) == "Din IT-administratör måste godkänna Junipeer"
