import io
import json

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection
from django.template import Context, Template
from django.test import override_settings

from integrations.crypto import MASK, Secret, SecretDecryptionError
from integrations.models import BusinessCentralConnection, PaymentProviderConnection, ShopConnection
from integrations.services.secrets import encrypted_fields, secrets_rotate
from tests.factories import (
    BC_TOKEN_CACHE,
    FACTORY_SECRETS,
    PROVIDER_API_KEY,
    SHOP_ACCESS_TOKEN,
    SHOP_WEBHOOK_SECRET,
    BusinessCentralConnectionFactory,
    PaymentProviderConnectionFactory,
    ShopConnectionFactory,
)

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()


def raw_column(model, pk, column):
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {connection.ops.quote_name(column)} FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_secret_never_shows_its_value():
    secret = Secret("sk_live_abc")
    assert str(secret) == MASK and "sk_live_abc" not in repr(secret)
    assert f"{secret}" == MASK
    rendered = Template("{{ s }} {{ s|safe }} {{ d }}").render(Context({"s": secret, "d": {"k": secret}}))
    assert "sk_live_abc" not in rendered
    assert secret.reveal() == "sk_live_abc"


@pytest.mark.django_db
def test_the_column_holds_ciphertext_and_the_model_a_secret():
    shop = ShopConnectionFactory()
    stored = raw_column(ShopConnection, shop.pk, "access_token")
    assert stored.startswith("gAAAAA") and SHOP_ACCESS_TOKEN not in stored
    shop = ShopConnection.objects.get(pk=shop.pk)
    assert isinstance(shop.access_token, Secret) and shop.access_token.reveal() == SHOP_ACCESS_TOKEN


@pytest.mark.django_db
def test_dumpdata_masks_every_secret():
    BusinessCentralConnectionFactory()
    ShopConnectionFactory()
    PaymentProviderConnectionFactory()
    out = io.StringIO()
    call_command("dumpdata", "integrations", stdout=out)
    dumped = out.getvalue()
    assert not any(secret in dumped for secret in FACTORY_SECRETS)
    assert "gAAAAA" not in dumped
    shop = next(o for o in json.loads(dumped) if o["model"] == "integrations.shopconnection")
    assert shop["fields"]["access_token"] == MASK


@pytest.mark.django_db
def test_dumpdata_masks_an_on_premises_access_key():
    key = "Tx9Vb2Wc7Yd4Ae6Gh0Jp8sUoReKtNiMZk3n8AQm1Lr5="
    BusinessCentralConnectionFactory(
        deployment=BusinessCentralConnection.Deployment.ON_PREMISES,
        auth_method=BusinessCentralConnection.AuthMethod.ACCESS_KEY,
        on_premises_root="https://bc.contoso.com:7048/BC",
        access_key_username="WEBSHOP",
        web_service_access_key=key,
    )
    out = io.StringIO()
    call_command("dumpdata", "integrations", stdout=out)
    dumped = out.getvalue()
    assert key not in dumped and "gAAAAA" not in dumped
    connection = next(o for o in json.loads(dumped) if o["model"] == "integrations.businesscentralconnection")
    assert connection["fields"]["web_service_access_key"] == MASK


def test_every_encrypted_field_is_found():
    found = {model: {f.name for f in fields} for model, fields in encrypted_fields()}
    assert found[BusinessCentralConnection] == {"token_cache", "web_service_access_key"}
    assert found[ShopConnection] == {
        "access_token",
        "refresh_token",
        "webhook_secret",
        "consumer_key",
        "consumer_secret",
    }
    assert found[PaymentProviderConnection] == {"api_key", "webhook_hmac_key"}


@pytest.mark.django_db
def test_rotate_keys_reencrypts_so_the_old_key_can_be_removed():
    with override_settings(FIELD_ENCRYPTION_KEYS=[OLD_KEY]):
        bc = BusinessCentralConnectionFactory()
        shops = [ShopConnectionFactory() for _ in range(3)]
        provider = PaymentProviderConnectionFactory()
        empty = ShopConnectionFactory(webhook_secret="")
    before = raw_column(ShopConnection, shops[0].pk, "access_token")

    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW_KEY, OLD_KEY]):
        out = io.StringIO()
        call_command("rotate_keys", "--batch-size", "2", stdout=out)
    output = out.getvalue()
    # 1 token cache + 4 shops x (token + secret) - 1 empty secret + 1 api key
    assert "Done: 9 value(s) re-encrypted" in output
    assert "integrations.ShopConnection: 4 row(s) read" in output
    assert not any(secret in output for secret in FACTORY_SECRETS)
    assert raw_column(ShopConnection, shops[0].pk, "access_token") != before
    assert raw_column(ShopConnection, empty.pk, "webhook_secret") == ""

    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW_KEY]):
        assert BusinessCentralConnection.objects.get(pk=bc.pk).token_cache.reveal() == BC_TOKEN_CACHE
        shop = ShopConnection.objects.get(pk=shops[2].pk)
        assert (shop.access_token.reveal(), shop.webhook_secret.reveal()) == (SHOP_ACCESS_TOKEN, SHOP_WEBHOOK_SECRET)
        assert PaymentProviderConnection.objects.get(pk=provider.pk).api_key.reveal() == PROVIDER_API_KEY


@pytest.mark.django_db
def test_without_rotation_removing_the_old_key_breaks_decryption():
    with override_settings(FIELD_ENCRYPTION_KEYS=[OLD_KEY]):
        shop = ShopConnectionFactory()
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW_KEY]), pytest.raises(SecretDecryptionError) as excinfo:
        ShopConnection.objects.get(pk=shop.pk)
    assert SHOP_ACCESS_TOKEN not in str(excinfo.value)


@pytest.mark.django_db
def test_rotate_keys_reports_values_no_key_decrypts_and_keeps_going():
    with override_settings(FIELD_ENCRYPTION_KEYS=[OLD_KEY]):
        lost = ShopConnectionFactory()
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW_KEY]):
        kept = ShopConnectionFactory()
        report = secrets_rotate(batch_size=10)
        assert report.rotated["integrations.ShopConnection"] == 2
        assert sorted(report.failed) == [
            f"integrations.ShopConnection pk={lost.pk} access_token",
            f"integrations.ShopConnection pk={lost.pk} webhook_secret",
        ]
        with pytest.raises(CommandError, match="could not be decrypted"):
            call_command("rotate_keys", stdout=io.StringIO(), stderr=io.StringIO())
        assert ShopConnection.objects.get(pk=kept.pk).access_token.reveal() == SHOP_ACCESS_TOKEN


def test_rotate_keys_explains_missing_keys():
    with override_settings(FIELD_ENCRYPTION_KEYS=[]), pytest.raises(CommandError, match="FIELD_ENCRYPTION_KEYS"):
        call_command("rotate_keys", stdout=io.StringIO())
