"""Connecting a WooCommerce store (wizard step 2, the WooCommerce choice).

The merchant enters the store's address and a REST API key pair (WooCommerce > Settings >
Advanced > REST API). Before anything is stored the product proves them with real calls:

1. a read (``GET /wp-json/wc/v3/orders?per_page=1``): a wrong key answers 401 (WOO-001), a site
   without the REST API (WooCommerce off, "Plain" permalinks, a blocking plugin) 404 (WOO-011),
   a plain http address is refused before anything is sent (WOO-007);
2. a write: the integration's webhooks are saved in the store (WooCommerce pings the delivery
   address, which answers 200). A key with Read permission only is refused here (WOO-010).

The key pair and the webhooks' secret are stored encrypted and never shown back. The webhooks
the product created are remembered by id; connecting again replaces them.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integrations.connectors.http import RetryPolicy
from integrations.connectors.woocommerce import (
    WooAuthError,
    WooCommerceClient,
    WooError,
    WooInsecureStoreUrl,
    WooNotFound,
)
from integrations.crypto import Secret
from integrations.models import Integration, ShopConnection
from integrations.outbound import outbound_url_validate
from integrations.services.onboarding.errors import OnboardingError
from integrations.services.woocommerce_webhooks import woo_webhook_topics, woo_webhooks_replace
from syncs.errors import get_error
from syncs.errors.classify import classify_woo_error

# The merchant waits on the page: a store that does not answer is reported within seconds, not minutes.
CONNECT_RETRY = RetryPolicy(max_attempts=2, max_seconds=10.0, base_delay=0.5)


@dataclass(frozen=True)
class WooConnectResult:
    connection: ShopConnection
    webhooks: tuple[str, ...]  # the topics the store now delivers to the integration


def _coded(code: str, **params) -> OnboardingError:
    entry = get_error(code)
    return OnboardingError(f"{code}: {entry.render(**params)} {entry.remedy}")


def woo_store_url_normalise(value: str) -> str:
    """``shop.example.se`` or ``https://Shop.example.se/`` -> ``https://shop.example.se`` (a WordPress
    in a folder keeps its path). Raises OnboardingError (WOO-007 for plain http)."""
    text = value.strip()
    if not text:
        raise OnboardingError(_("Enter the address of your WooCommerce store, for example https://shop.example.com."))
    if "://" not in text:
        text = f"https://{text}"
    parts = urlsplit(text)
    if parts.scheme == "http":
        raise _coded("WOO-007", store=text.rstrip("/"))
    try:
        port = parts.port
    except ValueError:  # "https://shop.example.com:abc"
        port, parts = None, parts._replace(netloc="")
    if parts.scheme != "https" or not parts.hostname or parts.username or parts.password:
        raise OnboardingError(_("Enter the address of your WooCommerce store, for example https://shop.example.com."))
    host = parts.hostname.lower() + (f":{port}" if port else "")
    path = parts.path.rstrip("/")
    for suffix in ("/wp-admin", "/wp-json"):  # what merchants paste from the browser
        if suffix in path:
            path = path[: path.index(suffix)]
    url = urlunsplit(("https", host, path, "", ""))
    try:
        outbound_url_validate(url)
    except ValidationError:
        raise OnboardingError(
            _("%(store)s is a local or private network address: enter the store's public address.") % {"store": url}
        ) from None
    return url


def _read_check(client: WooCommerceClient) -> None:
    try:
        client.orders_count()
    except WooAuthError:
        raise _coded("WOO-001", store=client.store_url, vendor_message=_("the key or secret is wrong")) from None
    except WooNotFound:
        raise _coded("WOO-011", store=client.store_url) from None
    except WooError as error:
        classified = classify_woo_error(error)
        raise OnboardingError(f"{classified.code}: {classified.message} {classified.entry.remedy}") from None


def woo_store_connect(
    *,
    integration: Integration,
    store_url: str,
    consumer_key: str,
    consumer_secret: str,
    client: WooCommerceClient | None = None,
) -> WooConnectResult:
    """Prove the key pair (a read, then the webhooks as a write) and store the connection.

    ``client`` replaces the one built from the typed values (tests). Raises OnboardingError whose
    message starts with the error code.
    """
    url = woo_store_url_normalise(store_url)
    consumer_key, consumer_secret = consumer_key.strip(), consumer_secret.strip()
    if not consumer_key or not consumer_secret:
        raise OnboardingError(_("Enter both the consumer key and the consumer secret of the REST API key."))
    try:
        client = client or WooCommerceClient(
            store_url=url, consumer_key=consumer_key, consumer_secret=consumer_secret, retry_policy=CONNECT_RETRY
        )
    except WooInsecureStoreUrl:
        raise _coded("WOO-007", store=url) from None
    _read_check(client)
    webhook_secret = secrets.token_urlsafe(32)
    previous = ShopConnection.objects.filter(integration=integration).values_list("store_webhook_ids", flat=True)
    topics = woo_webhook_topics(integration=integration)
    try:
        created = woo_webhooks_replace(
            integration=integration,
            client=client,
            secret=webhook_secret,
            known_ids=list(previous.first() or []),
            topics=topics,
        )
    except WooAuthError:
        raise _coded("WOO-010", store=client.store_url) from None
    except WooError as error:
        raise _coded("WOO-012", store=client.store_url, vendor_message=error.message) from None
    connection = _connection_store(
        integration=integration,
        url=url,
        consumer_key=consumer_key,
        consumer_secret=consumer_secret,
        webhook_secret=webhook_secret,
        webhook_ids=[webhook.id for webhook in created],
    )
    return WooConnectResult(connection=connection, webhooks=tuple(webhook.topic for webhook in created))


@transaction.atomic
def _connection_store(
    *,
    integration: Integration,
    url: str,
    consumer_key: str,
    consumer_secret: str,
    webhook_secret: str,
    webhook_ids: list[int],
) -> ShopConnection:
    connection, _created = ShopConnection.objects.select_for_update().get_or_create(
        integration=integration, defaults={"shop_domain": urlsplit(url).hostname or url}
    )
    if integration.went_live_at and connection.verified_at and connection.store_url not in ("", url):
        raise OnboardingError(_("This integration is live; connect another store as a new integration."))
    connection.platform = ShopConnection.Platform.WOOCOMMERCE
    connection.shop_domain = (urlsplit(url).hostname or url)[:255]
    connection.store_url = url
    connection.consumer_key = Secret(consumer_key)
    connection.consumer_secret = Secret(consumer_secret)
    connection.webhook_secret = Secret(webhook_secret)
    connection.store_webhook_ids = webhook_ids
    # Nothing of a Shopify connection stays behind (a merchant who switched platforms).
    connection.install_mode = ShopConnection.InstallMode.CUSTOM_APP
    connection.access_token = ""
    connection.refresh_token = ""
    connection.access_token_expires_at = None
    connection.refresh_token_expires_at = None
    connection.scopes = []
    connection.uninstalled_at = None
    connection.verified_at = timezone.now()
    connection.webhooks_checked_at = timezone.now()
    connection.webhook_error_code = ""
    connection.last_auth_error_code = ""
    connection.last_error = ""
    connection.save()
    return connection
