"""Destructive actions ask first; a paused integration says why and how to resume; a reconnect
finds the company connected before already chosen."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from integrations.models import BusinessCentralConnection, Integration
from integrations.services.lifecycle import integration_pause, integration_reconnect_link_send
from integrations.services.onboarding.bc_company import bc_companies_list, bc_company_select
from tests.onboarding.conftest import microsoft_sign_in


@pytest.fixture
def connected(merchant_client, integration, identity_server, bc_world):
    assert microsoft_sign_in(merchant_client, identity_server.sim, integration).status_code == 302
    companies = bc_companies_list(integration=integration, environment_name="sandbox")
    bc_company_select(integration=integration, environment_name="sandbox", company_id=companies[-1].id)
    Integration.objects.filter(pk=integration.pk).update(status=Integration.Status.LIVE, live_mode=True)
    return integration


def test_disconnect_asks_first_and_acts_only_on_the_confirmation(merchant_client, connected):
    url = reverse("merchant:bc_disconnect", args=[connected.pk])

    page = merchant_client.get(reverse("merchant:integration_detail", args=[connected.pk])).content.decode()
    assert f'href="{url}"' in page  # a link to the question, not a one-click form
    question = merchant_client.post(url)  # a POST without the confirmation only asks
    assert question.status_code == 200 and "Disconnect Business Central?" in question.content.decode()
    assert BusinessCentralConnection.objects.get(integration=connected).is_connected

    merchant_client.post(url, {"confirm": "yes"})

    connected.refresh_from_db()
    assert not BusinessCentralConnection.objects.get(integration=connected).is_connected
    assert connected.status == Integration.Status.PAUSED
    assert connected.pause_reason == Integration.PauseReason.BC_DISCONNECTED and connected.paused_at


def test_paused_after_disconnect_the_banner_offers_reconnect(merchant_client, connected):
    merchant_client.post(reverse("merchant:bc_disconnect", args=[connected.pk]), {"confirm": "yes"})

    for name in ("merchant:integration_detail", "merchant:records", "merchant:runs"):
        page = merchant_client.get(reverse(name, args=[connected.pk])).content.decode()
        assert 'id="paused-banner"' in page and "Business Central was disconnected" in page
        assert reverse("merchant:reconnect", args=[connected.pk]) in page


def test_paused_by_support_the_merchant_sees_why_and_resumes(merchant_client, connected):
    integration_pause(integration_id=connected.pk)

    page = merchant_client.get(reverse("merchant:integration_detail", args=[connected.pk])).content.decode()
    assert "Our support team paused the syncs" in page and "Resume syncs" in page

    merchant_client.post(reverse("merchant:integration_resume", args=[connected.pk]))

    connected.refresh_from_db()
    assert connected.status == Integration.Status.TESTING  # never went live in this test
    assert connected.pause_reason == "" and connected.paused_at is None


def test_reconnect_finds_the_company_connected_before_chosen(merchant_client, connected):
    previous = BusinessCentralConnection.objects.get(integration=connected)

    page = merchant_client.get(reverse("merchant:bc_company", args=[connected.pk]))

    form = page.context["form"]
    assert form["company_id"].value() == previous.company_id
    assert page.context["environment"] == previous.environment_name


def test_the_reconnect_email_says_what_its_link_does(connected):
    integration_reconnect_link_send(integration_id=connected.pk)

    (message,) = mail.outbox
    assert "sign-in" in message.body and "already chosen" in message.body
    assert 'choose "Reconnect Business Central"' not in message.body
