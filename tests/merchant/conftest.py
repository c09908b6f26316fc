"""Two tenants, each with an integration: the signed-in owner of A, and B's objects A must never reach."""

from __future__ import annotations

import pytest

from tests.factories import IntegrationFactory, TenantFactory


@pytest.fixture
def integration(db):
    return IntegrationFactory(tenant=TenantFactory(with_owner=True), name="Webshop A")


@pytest.fixture
def owner(integration):
    return integration.tenant.memberships.get().user


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


@pytest.fixture
def other_integration(db):
    return IntegrationFactory(tenant=TenantFactory(with_owner=True), name="Webshop B")
