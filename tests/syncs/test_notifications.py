import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from syncs.models import SyncLogEntry
from syncs.services.notifications import error_digest_send
from tests.factories import IntegrationFactory, SyncLogEntryFactory, TenantFactory, TenantMembershipFactory

pytestmark = pytest.mark.django_db


def test_digest_groups_errors_per_tenant_and_goes_to_owners():
    tenant_a = TenantFactory()
    owner = TenantMembershipFactory(tenant=tenant_a, role="owner").user
    TenantMembershipFactory(tenant=tenant_a, role="member")
    integration_a = IntegrationFactory(tenant=tenant_a, name="Shop A")
    quiet = IntegrationFactory(name="Quiet shop")
    for _ in range(3):
        SyncLogEntryFactory(integration=integration_a, level=SyncLogEntry.Level.ERROR, error_code="MAP-001")
    SyncLogEntryFactory(integration=integration_a, level=SyncLogEntry.Level.ERROR, error_code="BC-101")
    SyncLogEntryFactory(integration=integration_a, level=SyncLogEntry.Level.INFO, error_code="")
    SyncLogEntryFactory(integration=quiet, level=SyncLogEntry.Level.WARNING)

    sent = error_digest_send()

    assert sent == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [owner.email]
    assert "4 error(s)" in message.subject + message.body
    assert "Shop A: MAP-001 x 3" in message.body
    assert "Shop A: BC-101 x 1" in message.body
    assert "/help/errors/" in message.body


def test_digest_covers_only_the_window_and_falls_back_to_contact_email():
    tenant = TenantFactory(contact_email="books@example.com")
    integration = IntegrationFactory(tenant=tenant)
    old = SyncLogEntryFactory(integration=integration, level=SyncLogEntry.Level.ERROR, error_code="MAP-001")
    SyncLogEntry.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=2))

    assert error_digest_send() == 0
    SyncLogEntryFactory(integration=integration, level=SyncLogEntry.Level.ERROR, error_code="MAP-001")
    assert error_digest_send() == 1
    assert mail.outbox[-1].to == ["books@example.com"]
