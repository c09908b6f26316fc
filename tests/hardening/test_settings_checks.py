"""`check --deploy` parses every encryption key; API roots and shop domains cannot point the token anywhere."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.core.checks import run_checks
from django.core.exceptions import ValidationError

from integrations.models import BusinessCentralConnection, ShopConnection
from integrations.outbound import outbound_url_validate, shop_domain_validate
from tests.admin.test_integration_form import post_data_from


def _messages():
    return [m for m in run_checks(include_deployment_checks=True) if m.id == "junipeer_bc.E003"]


def test_every_key_is_parsed_and_a_bad_one_is_named_by_position_only(settings):
    good = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [good, "not-a-fernet-key-but-secret", good[:-2]]

    messages = _messages()

    assert [m.msg for m in messages] == [
        "FIELD_ENCRYPTION_KEYS: key number 2 is not a Fernet key.",
        "FIELD_ENCRYPTION_KEYS: key number 3 is not a Fernet key.",
    ]
    assert not any("not-a-fernet-key-but-secret" in f"{m.msg} {m.hint}" for m in messages)


def test_valid_keys_pass(settings):
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), Fernet.generate_key().decode()]

    assert not _messages()


# --- API roots and shop domains --------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://bc.example.com/BC/api",
        "ftp://bc.example.com/",
        "bc.example.com",
        "https://127.0.0.1:7048/BC/api",
        "https://localhost/BC/api",
        "https://169.254.169.254/latest/meta-data",
        "https://10.0.0.5/BC/api",
        "https://192.168.1.10/BC/api",
        "https://[::1]/BC/api",
        "https://[fe80::1]/BC/api",
        "https://0.0.0.0/",
        "https://user:pass@bc.example.com/",
    ],
)
def test_api_roots_that_would_leak_the_token_are_refused(url, settings):
    settings.DEBUG = False
    settings.OUTBOUND_HOST_ALLOWLIST = []
    with pytest.raises(ValidationError):
        outbound_url_validate(url)


def test_a_public_https_root_passes_and_the_allow_list_admits_an_on_premises_server(settings):
    settings.OUTBOUND_HOST_ALLOWLIST = ["10.0.0.5"]
    outbound_url_validate("https://bc.example.com/BC/api")
    outbound_url_validate("https://10.0.0.5:7048/BC/api")


def test_http_only_with_debug(settings):
    settings.DEBUG = True
    outbound_url_validate("http://bc.example.com/BC/api")


@pytest.mark.parametrize(
    "domain", ["evil.com", "127.0.0.1", "a.myshopify.com.evil.com", "-x.myshopify.com", "ä.myshopify.com", ""]
)
def test_shop_domains_are_myshopify_domains(domain, settings):
    settings.OUTBOUND_HOST_ALLOWLIST = []
    with pytest.raises(ValidationError):
        shop_domain_validate(domain)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [("bc_connection-0-api_root_override", "https://169.254.169.254/"), ("shop_connection-0-shop_domain", "127.0.0.1")],
)
def test_the_admin_refuses_them(client, world, superuser, field, value):
    client.force_login(superuser)
    url = f"/admin/integrations/integration/{world.pk}/change/"
    data = post_data_from(client.get(url))
    data[field] = value

    response = client.post(url, data)

    assert response.status_code == 200  # the form again, with the error
    assert not BusinessCentralConnection.objects.filter(api_root_override=value).exists()
    assert not ShopConnection.objects.filter(shop_domain=value).exists()
