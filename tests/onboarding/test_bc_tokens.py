"""Tokens for the BC client: silent acquisition, rotation, concurrent refresh, re-auth, refresh schedule."""

from __future__ import annotations

import datetime as dt
import json
import threading

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection as db_connection
from django.utils import timezone

from integrations.connectors.entra.exceptions import ConsentRequired, MfaRequired, ReauthRequired
from integrations.models import BusinessCentralConnection, Integration
from integrations.services.bc_auth import (
    bc_access_token_acquire,
    bc_disconnect,
    bc_signin_complete,
    bc_signin_start,
    bc_token_provider,
    bc_tokens_refresh_all,
)
from integrations.tasks import bc_tokens_refresh_task
from simulators.identity import CONTOSO_TENANT_ID, DEFAULT_CLIENT_ID
from tests.onboarding.conftest import query


def sign_in(integration, identity_sim) -> BusinessCentralConnection:
    session: dict = {}
    url = bc_signin_start(
        integration=integration, redirect_uri="https://app.example/cb", session=session, organisation=CONTOSO_TENANT_ID
    )
    back = identity_sim.sign_in(url, username="admin@contoso.example")
    return bc_signin_complete(integration=integration, request_params=query(back), session=session)


def stored_refresh_token(connection) -> str:
    connection.refresh_from_db()
    (entry,) = json.loads(connection.token_cache.reveal())["RefreshToken"].values()
    return entry["secret"]


@pytest.fixture
def connected(integration, identity_server, entra_settings):
    return sign_in(integration, identity_server.sim)


class TestTokenProvider:
    def test_token_is_accepted_by_the_bc_api_validator(self, connected, identity_server):
        token = bc_token_provider(connection=connected)()

        principal = identity_server.sim.validate_access_token(token)
        assert principal.tenant_id == CONTOSO_TENANT_ID and principal.username == "admin@contoso.example"

    def test_cached_token_is_reused_without_calling_microsoft(self, connected, identity_server):
        provide = bc_token_provider(connection=connected)
        before = len(identity_server.sim.token_requests)

        assert provide() == provide()
        assert len(identity_server.sim.token_requests) == before

    def test_short_lived_token_is_refreshed_and_the_rotated_refresh_token_persisted(self, connected, identity_server):
        first_rt = stored_refresh_token(connected)

        token = bc_access_token_acquire(connection_id=connected.pk, force_refresh=True)

        new_rt = stored_refresh_token(connected)
        assert new_rt != first_rt
        assert identity_server.sim.refresh_token_is_valid(new_rt)
        assert not identity_server.sim.refresh_token_is_valid(first_rt)  # rotation: the old one is spent
        assert identity_server.sim.validate_access_token(token.token)
        assert connected.token_refreshed_at is not None

    def test_expired_access_token_is_not_accepted_by_bc(self, connected, identity_server):
        token = bc_token_provider(connection=connected)()
        identity_server.sim.advance(3601)

        assert identity_server.sim.validate_access_token(token) is None


class TestRefreshRace:
    def test_a_worker_holding_a_stale_copy_reads_the_rotated_cache_under_the_lock(self, connected, identity_server):
        # Two workers loaded the connection before either refreshed (both hold refresh token 1).
        worker_a = BusinessCentralConnection.objects.get(pk=connected.pk)
        worker_b = BusinessCentralConnection.objects.get(pk=connected.pk)

        bc_access_token_acquire(connection_id=worker_a.pk, force_refresh=True)
        bc_access_token_acquire(connection_id=worker_b.pk, force_refresh=True)

        refreshes = [r for r in identity_server.sim.token_requests if r["grant_type"] == "refresh_token"]
        assert [r["error_code"] for r in refreshes] == [None, None]  # nobody replayed a spent refresh token
        assert identity_server.sim.refresh_token_is_valid(stored_refresh_token(connected))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
class TestConcurrentRefresh:
    def test_two_threads_refreshing_at_once_keep_a_valid_refresh_token(
        self, integration, identity_server, entra_settings
    ):
        if db_connection.vendor == "sqlite":
            pytest.skip("SQLite's shared in-memory test database cannot wait on a row lock; runs on PostgreSQL.")
        connection = sign_in(integration, identity_server.sim)
        start = threading.Barrier(2)
        errors: list[Exception] = []

        def worker():
            start.wait()
            try:
                bc_access_token_acquire(connection_id=connection.pk, force_refresh=True)
            except Exception as error:  # noqa: BLE001 - collected for the assertion
                errors.append(error)
            finally:
                db_connection.close()

        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        assert errors == []
        refreshes = [r for r in identity_server.sim.token_requests if r["grant_type"] == "refresh_token"]
        assert [r["error_code"] for r in refreshes] == [None, None]
        assert identity_server.sim.refresh_token_is_valid(stored_refresh_token(connection))
        integration.refresh_from_db()
        assert integration.status != Integration.Status.NEEDS_REAUTH


class TestReauth:
    def test_expired_refresh_token_sets_needs_reauth_stores_error_and_emails(
        self, connected, identity_server, integration
    ):
        integration.status = Integration.Status.LIVE
        integration.save()
        identity_server.sim.errors.refresh_token_expired = True

        with pytest.raises(ReauthRequired) as caught:
            bc_access_token_acquire(connection_id=connected.pk, force_refresh=True)

        assert caught.value.aadsts == 700082
        integration.refresh_from_db()
        connected.refresh_from_db()
        assert integration.status == Integration.Status.NEEDS_REAUTH
        assert connected.last_auth_error_code == "AUTH-005"
        assert "AADSTS700082" in connected.last_auth_error
        assert len(mail.outbox) == 1
        assert mail.outbox[0].to == ["owner@shop.example"]
        assert f"/integrations/{integration.pk}/bc/reconnect/" in mail.outbox[0].body

    def test_a_second_failure_does_not_email_again(self, connected, identity_server):
        identity_server.sim.errors.refresh_token_expired = True
        for _ in range(2):
            with pytest.raises(ReauthRequired):
                bc_access_token_acquire(connection_id=connected.pk, force_refresh=True)

        assert len(mail.outbox) == 1

    def test_a_paused_integration_stays_paused_and_is_mailed_once(self, connected, identity_server, integration):
        integration.status = Integration.Status.PAUSED
        integration.went_live_at = timezone.now()
        integration.save()
        identity_server.sim.errors.refresh_token_expired = True

        for _ in range(2):
            with pytest.raises(ReauthRequired):
                bc_access_token_acquire(connection_id=connected.pk, force_refresh=True)

        integration.refresh_from_db()
        connected.refresh_from_db()
        assert integration.status == Integration.Status.PAUSED
        assert connected.last_auth_error_code == "AUTH-005"
        assert len(mail.outbox) == 1

    def test_idle_for_90_days_is_invalid_grant(self, connected, identity_server):
        identity_server.sim.advance(91 * 24 * 3600)

        with pytest.raises(ReauthRequired) as caught:
            bc_access_token_acquire(connection_id=connected.pk, force_refresh=True)

        assert caught.value.aadsts == 700082

    def test_mfa_during_refresh_needs_reauth(self, connected, identity_server, integration):
        identity_server.sim.errors.mfa_required = True

        with pytest.raises(MfaRequired):
            bc_access_token_acquire(connection_id=connected.pk, force_refresh=True)

        integration.refresh_from_db()
        assert integration.status == Integration.Status.NEEDS_REAUTH

    def test_revoked_consent_during_refresh(self, connected, identity_server):
        identity_server.sim.revoke_consent(tenant_id=CONTOSO_TENANT_ID, client_id=DEFAULT_CLIENT_ID)

        with pytest.raises(ConsentRequired) as caught:
            bc_access_token_acquire(connection_id=connected.pk, force_refresh=True)

        assert "/adminconsent?client_id=" in caught.value.admin_consent_url

    def test_signing_in_again_restores_the_integration(self, connected, identity_server, integration):
        identity_server.sim.errors.refresh_token_expired = True
        with pytest.raises(ReauthRequired):
            bc_access_token_acquire(connection_id=connected.pk, force_refresh=True)
        identity_server.sim.errors.refresh_token_expired = False

        sign_in(integration, identity_server.sim)

        integration.refresh_from_db()
        connected.refresh_from_db()
        assert integration.status == Integration.Status.TESTING
        assert connected.last_auth_error_code == ""
        assert bc_access_token_acquire(connection_id=connected.pk).token


class TestRefreshAll:
    def test_refreshes_stale_and_expiring_connections_only(self, connected, identity_server):
        now = timezone.now()
        BusinessCentralConnection.objects.filter(pk=connected.pk).update(
            token_refreshed_at=now, token_expires_at=now + dt.timedelta(hours=1)
        )
        assert bc_tokens_refresh_all().skipped == 1

        BusinessCentralConnection.objects.filter(pk=connected.pk).update(token_refreshed_at=now - dt.timedelta(days=8))
        summary = bc_tokens_refresh_all()

        assert (summary.refreshed, summary.failed) == (1, [])
        connected.refresh_from_db()
        assert connected.token_refreshed_at > now

    def test_expiring_soon_is_refreshed(self, connected):
        BusinessCentralConnection.objects.filter(pk=connected.pk).update(
            token_refreshed_at=timezone.now(), token_expires_at=timezone.now() + dt.timedelta(minutes=10)
        )

        assert bc_tokens_refresh_all().refreshed == 1

    def test_task_and_command_report_failures(self, connected, identity_server):
        BusinessCentralConnection.objects.filter(pk=connected.pk).update(token_refreshed_at=None)
        identity_server.sim.errors.refresh_token_expired = True

        assert bc_tokens_refresh_task()["failed"] == [(connected.pk, "AUTH-005")]
        # Now needs_reauth: not retried, so the command succeeds with nothing to do.
        call_command("refresh_tokens")

    def test_command_fails_loudly_when_a_refresh_fails(self, connected, identity_server):
        BusinessCentralConnection.objects.filter(pk=connected.pk).update(token_refreshed_at=None)
        identity_server.sim.errors.refresh_token_expired = True

        with pytest.raises(CommandError):
            call_command("refresh_tokens")


class TestDisconnect:
    def test_disconnect_deletes_the_cache_and_pauses(self, connected, integration):
        integration.status = Integration.Status.LIVE
        integration.save()

        bc_disconnect(integration=integration)

        connected.refresh_from_db()
        integration.refresh_from_db()
        assert not connected.token_cache
        assert integration.status == Integration.Status.PAUSED
        with pytest.raises(ReauthRequired):
            bc_access_token_acquire(connection_id=connected.pk)
