"""A merchant user never reaches another tenant's objects: every merchant URL with an id answers 404."""

from __future__ import annotations

import pytest
from django.urls import get_resolver, reverse

from integrations.models import BusinessCentralConnection
from integrations.services.onboarding.signup import integration_create, merchant_signup


def merchant_url_names_with_ids() -> list[str]:
    resolver = get_resolver()
    _namespace_prefix, sub_resolver = resolver.namespace_dict["merchant"]
    names = []
    for pattern in sub_resolver.url_patterns:
        if pattern.name and "integration_id" in pattern.pattern.converters:
            names.append(pattern.name)
    return names


URL_NAMES = merchant_url_names_with_ids()


def test_the_merchant_app_has_id_urls_to_check():
    assert {"integration_detail", "bc_signin", "bc_disconnect", "wizard_settings", "wizard_live"} <= set(URL_NAMES)


@pytest.fixture
def other_tenants_integration(db):
    other = merchant_signup(email="b@tenant-b.example", password="Tenant-B-pass-1", organisation_name="Tenant B")
    integration = integration_create(tenant=other.tenants.get(), name="B's integration")
    BusinessCentralConnection.objects.create(integration=integration, token_cache="secret-cache", company_id="c")
    return integration


@pytest.mark.parametrize("name", URL_NAMES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_other_tenants_objects_are_404(merchant_client, other_tenants_integration, name, method):
    response = getattr(merchant_client, method)(reverse(f"merchant:{name}", args=[other_tenants_integration.pk]))

    assert response.status_code in (404, 405)
    if response.status_code == 405:  # the method is not offered at all: try the one that is
        other = "post" if method == "get" else "get"
        assert (
            getattr(merchant_client, other)(
                reverse(f"merchant:{name}", args=[other_tenants_integration.pk])
            ).status_code
            == 404
        )
    other_tenants_integration.bc_connection.refresh_from_db()
    assert other_tenants_integration.bc_connection.token_cache.reveal() == "secret-cache"


def test_home_lists_only_own_integrations(merchant_client, integration, other_tenants_integration):
    body = merchant_client.get(reverse("merchant:home")).content.decode()

    assert integration.name in body and "B&#x27;s integration" not in body and "B's integration" not in body


def test_callback_with_another_tenants_pending_flow_is_404(merchant_client, other_tenants_integration):
    session = merchant_client.session
    session["bc_signin"] = {"integration_id": other_tenants_integration.pk, "flow": {"state": "s"}}
    session.save()

    response = merchant_client.get(reverse("merchant:bc_callback"), {"code": "c", "state": "s"})

    assert response.status_code == 404
