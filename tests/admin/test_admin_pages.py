"""Every admin page of every project model renders, and no page ever shows a secret."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from integrations.services.secrets import encrypted_fields
from tests import factories
from tests.factories import FACTORY_SECRETS

FERNET_PREFIX = "gAAAAA"  # every Fernet token starts with version byte 0x80 and a zero-led timestamp


def project_admins() -> list:
    base = Path(settings.BASE_DIR).resolve()
    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if Path(model._meta.app_config.path).resolve().parent == base
    ]


def stored_ciphertexts() -> list[str]:
    values = []
    with connection.cursor() as cursor:
        for model, fields in encrypted_fields():
            for field in fields:
                cursor.execute(f"SELECT {field.column} FROM {model._meta.db_table}")  # noqa: S608
                values += [row[0] for row in cursor.fetchall() if row[0]]
    return values


def admin_request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def assert_no_secret(response, ciphertexts):
    content = response.content.decode()
    leaked = [s for s in FACTORY_SECRETS if s in content] + [c for c in ciphertexts if c in content]
    assert not leaked, f"{response.wsgi_request.path} shows a secret"
    assert FERNET_PREFIX not in content, f"{response.wsgi_request.path} shows ciphertext"


def test_the_project_registers_its_models():
    labels = {model._meta.label for model, _ in project_admins()}
    assert {"integrations.Integration", "integrations.Tenant", "syncs.SyncLogEntry", "syncs.FailedSyncRun"} <= labels


def test_every_registered_page_renders_without_secrets(client, world, superuser):
    client.force_login(superuser)
    ciphertexts = stored_ciphertexts()
    assert len(ciphertexts) == 4  # the world really stores encrypted secrets
    request = admin_request(superuser)
    for model, model_admin in project_admins():
        info = f"{model._meta.app_label}_{model._meta.model_name}"
        changelist = client.get(reverse(f"admin:{info}_changelist"))
        assert changelist.status_code == 200, model
        assert_no_secret(changelist, ciphertexts)

        obj = model_admin.get_queryset(request).first()
        assert obj is not None, f"no object for {model._meta.label}: add one to the world fixture"
        change = client.get(reverse(f"admin:{info}_change", args=[obj.pk]))
        assert change.status_code == 200, model
        assert_no_secret(change, ciphertexts)

        if model_admin.has_add_permission(request):
            add = client.get(reverse(f"admin:{info}_add"))
            assert add.status_code == 200, model
            assert_no_secret(add, ciphertexts)


def test_connection_inlines_say_stored_instead_of_showing_secrets(client, world, superuser):
    client.force_login(superuser)
    response = client.get(reverse("admin:integrations_integration_change", args=[world.pk]))
    content = response.content.decode()
    assert content.count(">stored<") >= 4  # token cache, access token, webhook secret, API key
    for name in ("token_cache", "access_token", "webhook_secret", "api_key"):
        assert f'name="bc_connection-0-{name}"' not in content
        assert f"-0-{name}" not in content


def test_read_only_support_sees_every_page_but_no_actions_or_delete(client, world, read_only_user):
    client.force_login(read_only_user)
    for model, _ in project_admins():
        info = f"{model._meta.app_label}_{model._meta.model_name}"
        response = client.get(reverse(f"admin:{info}_changelist"))
        assert response.status_code == 200, model
        assert 'name="action"' not in response.content.decode(), model
    change = client.get(reverse("admin:integrations_integration_change", args=[world.pk]))
    assert change.status_code == 200 and 'name="_save"' not in change.content.decode()
    delete = client.get(reverse("admin:integrations_integration_delete", args=[world.pk]))
    assert delete.status_code == 403


@pytest.mark.parametrize(
    ("url_name", "factory"),
    [
        ("admin:syncs_synclogentry_changelist", "SyncLogEntryFactory"),
        ("admin:syncs_recordlink_changelist", "RecordLinkFactory"),
        ("admin:syncs_syncrun_changelist", "SyncRunFactory"),
        ("admin:syncs_webhookevent_changelist", "WebhookEventFactory"),
        ("admin:syncs_payout_changelist", "PayoutFactory"),
    ],
)
def test_large_changelists_run_a_constant_number_of_queries(client, superuser, url_name, factory):
    make = getattr(factories, factory)
    client.force_login(superuser)
    make()
    client.get(reverse(url_name))  # warm up session and content types

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(url_name)).status_code == 200
        return len(captured.captured_queries)

    few = queries()
    for _ in range(5):
        integration = factories.IntegrationFactory()
        # Log entries point at a record: the record column must not cost a query per row.
        extra = {"record_link": factories.RecordLinkFactory(integration=integration)} if "Log" in factory else {}
        make(integration=integration, **extra)
    assert queries() == few
