"""Expiring offline tokens: refreshed ahead of expiry under a row lock, a lost answer recovered,
a refused refresh turned into needs-reauth (flows paused, merchant e-mailed, Reconnect offered)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection as db_connection
from django.utils import timezone

from integrations.connectors.shopify.exceptions import ShopifyRefreshRefused, ShopifyUnavailable
from integrations.models import Integration, ShopConnection
from integrations.services.shopify_tokens import (
    shop_access_token_acquire,
    shop_client_for,
    shop_tokens_refresh_all,
)
from syncs.models import SyncRun
from syncs.services.runs import sync_run_create, sync_run_execute
from tests.shopify_app.conftest import install


def _expire(connection: ShopConnection, sim, *, minutes: float = 1) -> None:
    """The stored token has ``minutes`` left (and the simulator agrees it is dead if past)."""
    ShopConnection.objects.filter(pk=connection.pk).update(
        access_token_expires_at=timezone.now() + dt.timedelta(minutes=minutes)
    )
    sim.app.expire_access_tokens()


def test_a_token_with_time_left_is_used_as_stored(installed, shopify_app):
    before = installed.access_token.reveal()

    token = shop_access_token_acquire(connection_id=installed.pk)

    assert token.token == before and shopify_app.sim.stats["token_refreshes"] == 0


def test_flows_get_a_client_that_refreshes_the_expiring_token(installed, shopify_app):
    old_token, old_refresh = installed.access_token.reveal(), installed.refresh_token.reveal()
    _expire(installed, shopify_app.sim)

    shop = shop_client_for(connection=installed).shop_get()  # a real call with the refreshed token

    installed.refresh_from_db()
    assert shop.currency_code == "SEK" and shopify_app.sim.stats["token_refreshes"] == 1
    new_token, new_refresh = installed.access_token.reveal(), installed.refresh_token.reveal()
    assert new_token != old_token and new_refresh != old_refresh  # the pair rotated and was stored
    assert installed.access_token_expires_at - timezone.now() > dt.timedelta(minutes=55)
    assert old_token not in str(ShopConnection.objects.filter(pk=installed.pk).values().get())  # encrypted


def test_a_second_worker_reads_the_pair_the_first_stored(installed, shopify_app):
    _expire(installed, shopify_app.sim)

    first = shop_access_token_acquire(connection_id=installed.pk)
    second = shop_access_token_acquire(connection_id=installed.pk)

    assert first.token == second.token and shopify_app.sim.stats["token_refreshes"] == 1


def test_a_lost_refresh_answer_is_recovered_with_the_stored_refresh_token(installed, shopify_app, monkeypatch):
    _expire(installed, shopify_app.sim, minutes=-1)
    stored_refresh = installed.refresh_token.reveal()
    # Shopify rotated the pair, but the answer was lost on the way back.
    status, _body = shopify_app.sim.app.token(
        {
            "client_id": shopify_app.sim.app.client_id,
            "client_secret": shopify_app.sim.app.client_secret,
            "grant_type": "refresh_token",
            "refresh_token": stored_refresh,
        }
    )
    assert status == 200

    # The next refresh uses the stored (previous) refresh token: still usable, since the new access
    # token was never used.
    token = shop_access_token_acquire(connection_id=installed.pk)

    installed.refresh_from_db()
    assert token.token == installed.access_token.reveal() and installed.refresh_token.reveal() != stored_refresh
    assert shop_client_for(connection=installed).shop_get().currency_code == "SEK"
    assert Integration.objects.get(pk=installed.integration_id).status != Integration.Status.NEEDS_REAUTH


def test_no_answer_keeps_the_stored_pair_and_raises_a_retryable_error(installed, shopify_app, settings):
    _expire(installed, shopify_app.sim, minutes=-1)
    stored = (installed.access_token.reveal(), installed.refresh_token.reveal())
    settings.SHOPIFY_API_ROOT = "http://127.0.0.1:9"  # nothing listens: the refresh gets no answer

    with pytest.raises(ShopifyUnavailable):
        shop_access_token_acquire(connection_id=installed.pk)

    installed.refresh_from_db()
    assert (installed.access_token.reveal(), installed.refresh_token.reveal()) == stored
    assert Integration.objects.get(pk=installed.integration_id).status != Integration.Status.NEEDS_REAUTH


def test_a_refused_refresh_needs_reauth_pauses_flows_and_emails_the_merchant(installed, shopify_app):
    Integration.objects.filter(pk=installed.integration_id).update(status=Integration.Status.LIVE, live_mode=True)
    _expire(installed, shopify_app.sim, minutes=-1)
    shopify_app.sim.app.refuse_refresh = True
    mail.outbox.clear()

    with pytest.raises(ShopifyRefreshRefused) as refused:
        shop_client_for(connection=installed).shop_get()
    with pytest.raises(ShopifyRefreshRefused):  # again: no second e-mail
        shop_access_token_acquire(connection_id=installed.pk)

    assert refused.value.code == "SHOP-021"
    integration = Integration.objects.get(pk=installed.integration_id)
    installed.refresh_from_db()
    assert integration.status == Integration.Status.NEEDS_REAUTH and installed.last_auth_error_code == "SHOP-021"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["owner@shop.example"]
    assert f"/integrations/{integration.pk}/setup/connect/" in mail.outbox[0].body
    assert installed.refresh_token.reveal() not in mail.outbox[0].body
    # Flows are paused: a scheduled run is skipped, nothing is lost (the sweep catches up later).
    run = sync_run_create(integration_id=integration.pk, flow="orders", trigger=SyncRun.Trigger.SCHEDULE)
    sync_run_execute(run_id=run.pk)
    assert SyncRun.objects.get(pk=run.pk).status == SyncRun.Status.SKIPPED


def test_reconnecting_resumes_the_integration(installed, shopify_app):
    Integration.objects.filter(pk=installed.integration_id).update(
        status=Integration.Status.NEEDS_REAUTH, went_live_at=timezone.now()
    )
    ShopConnection.objects.filter(pk=installed.pk).update(last_auth_error_code="SHOP-021")

    install(installed.integration, shopify_app)

    assert Integration.objects.get(pk=installed.integration_id).status == Integration.Status.LIVE
    assert ShopConnection.objects.get(pk=installed.pk).last_auth_error_code == ""


def test_the_background_job_refreshes_only_expiring_tokens(installed, shopify_app):
    assert shop_tokens_refresh_all().skipped == 1
    _expire(installed, shopify_app.sim, minutes=10)

    summary = shop_tokens_refresh_all()

    assert summary.refreshed == 1 and shopify_app.sim.stats["token_refreshes"] == 1


def test_a_custom_app_token_is_used_as_stored(integration, shopify_app):
    connection = ShopConnection.objects.create(
        integration=integration, shop_domain="demo-shop.myshopify.com", access_token="shpat_test"
    )

    assert shop_access_token_acquire(connection_id=connection.pk).token == "shpat_test"
    assert shop_client_for(connection=connection).shop_get().currency_code == "SEK"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_refreshing_at_once_spend_the_refresh_token_once(installed, shopify_app):
    if db_connection.vendor == "sqlite":
        pytest.skip("SQLite's shared in-memory test database cannot wait on a row lock; runs on PostgreSQL.")
    _expire(installed, shopify_app.sim, minutes=-1)
    start = threading.Barrier(2)
    tokens: list[str] = []
    errors: list[Exception] = []

    def worker():
        start.wait()
        try:
            tokens.append(shop_access_token_acquire(connection_id=installed.pk).token)
        except Exception as error:  # noqa: BLE001 - collected for the assertion
            errors.append(error)
        finally:
            db_connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == [] and len(set(tokens)) == 1  # the second waited on the lock, then read the new pair
    assert shopify_app.sim.stats["token_refreshes"] == 1


def test_the_merchant_is_offered_reconnect_after_a_refused_refresh(client, merchant, installed, shopify_app):
    _expire(installed, shopify_app.sim, minutes=-1)
    shopify_app.sim.app.refuse_refresh = True
    with pytest.raises(ShopifyRefreshRefused):
        shop_access_token_acquire(connection_id=installed.pk)
    client.force_login(merchant)

    page = client.get(f"/integrations/{installed.integration_id}/").content.decode()
    connect = client.get(f"/integrations/{installed.integration_id}/setup/connect/").content.decode()

    assert "SHOP-021" in page and "Reconnect Shopify" in page and "setup/connect/" in page
    assert "Shopify no longer accepts the connection" in connect and "Connect Shopify" in connect
