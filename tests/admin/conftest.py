import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from syncs import flows
from syncs.models import RecordLink, SyncRun
from syncs.services.support_groups import OPERATOR_GROUP, READ_ONLY_GROUP
from tests import factories as f


@pytest.fixture
def world(db):
    """One object of every project model, all hanging off one integration."""
    tenant = f.TenantFactory(with_owner=True)
    integration = f.IntegrationFactory(tenant=tenant, name="Nordic Webshop")
    f.BusinessCentralConnectionFactory(integration=integration)
    f.ShopConnectionFactory(integration=integration)
    f.PaymentProviderConnectionFactory(integration=integration)
    f.PaymentMethodMappingFactory(integration=integration)
    f.ShippingMethodMappingFactory(integration=integration)
    f.CountryMappingFactory(integration=integration)
    f.TaxClassMappingFactory(integration=integration)
    f.PayoutAccountMappingFactory(integration=integration)
    f.LocationMappingFactory(integration=integration)
    link = f.RecordLinkFactory(
        integration=integration, source_reference="#1001", target_number="SI-1001", state=RecordLink.State.FAILED
    )
    run = f.SyncRunFactory(
        integration=integration, trigger=SyncRun.Trigger.SCHEDULE, status=SyncRun.Status.FAILED, error_message="x"
    )
    f.SyncLogEntryFactory(integration=integration, run=run, record_link=link, level="error", error_code="MAP-001")
    f.SyncCursorFactory(integration=integration)
    f.FlowLeaseFactory(integration=integration)
    f.WebhookEventFactory(integration=integration)
    f.ComplianceRequestFactory(integration=integration)
    f.PayoutTransactionFactory(payout=f.PayoutFactory(integration=integration))
    f.PreflightCheckResultFactory(run=f.PreflightRunFactory(integration=integration))
    return integration


@pytest.fixture
def superuser(db):
    return f.SuperUserFactory()


def _support_user(group_name: str):
    call_command("setup_groups", stdout=io.StringIO())
    user = f.StaffUserFactory()
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def read_only_user(db):
    return _support_user(READ_ONLY_GROUP)


@pytest.fixture
def operator(db):
    return _support_user(OPERATOR_GROUP)


@pytest.fixture
def no_flow_handlers(monkeypatch):
    """A registry where no flow has a handler, whatever flows exist in the code base."""
    monkeypatch.setattr(flows, "FLOW_HANDLERS", {})
    monkeypatch.setattr(flows, "_discovered", True)
