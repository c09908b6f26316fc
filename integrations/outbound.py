"""Where the product may send a merchant's credentials: https hosts on the public internet.

An API root (an on-premises Business Central) or a shop domain typed in by support must not point
the BC client (and its bearer token) at loopback, link-local or private addresses, or at plain
http, unless OUTBOUND_HOST_ALLOWLIST names the host (for example an on-premises BC on the
merchant's own network). http is accepted only with DEBUG (development against the simulators).
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError

_LOCAL_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")


def _allowed_host(host: str) -> bool:
    return host.lower() in {h.strip().lower() for h in settings.OUTBOUND_HOST_ALLOWLIST if h.strip()}


def host_is_internal(host: str) -> bool:
    """True for loopback, link-local, private, reserved or unspecified addresses and local names."""
    host = host.strip("[]").lower().rstrip(".")
    if host in _LOCAL_NAMES or host.endswith((".localhost", ".local", ".internal")):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return (
        address.is_loopback
        or address.is_link_local
        or address.is_private
        or address.is_reserved
        or address.is_unspecified
        or address.is_multicast
    )


def outbound_url_validate(value: str) -> None:
    """ValidationError unless ``value`` is an https URL to a public host (or an allow-listed one)."""
    parts = urlsplit(value.strip())
    host = parts.hostname or ""
    if parts.scheme not in ("https", "http") or not host:
        raise ValidationError("Enter a full https:// address, for example https://bc.example.com/BC/api.")
    if parts.scheme == "http" and not settings.DEBUG and not _allowed_host(host):
        raise ValidationError("Use https: Business Central receives the merchant's sign-in token at this address.")
    if parts.username or parts.password:
        raise ValidationError("The address must not contain a user name or password.")
    if host_is_internal(host) and not _allowed_host(host):
        raise ValidationError(
            f"{host} is a local or private address. Name it in OUTBOUND_HOST_ALLOWLIST to allow an on-premises server."
        )


def shop_domain_validate(value: str) -> None:
    """ValidationError unless ``value`` is a shop's myshopify.com domain (or an allow-listed host)."""
    host = value.strip().lower()
    if _allowed_host(host):
        return
    labels = host.split(".")
    if (
        len(labels) != 3
        or labels[1:] != ["myshopify", "com"]
        or not labels[0]
        or not all(c.isascii() and (c.isalnum() or c == "-") for c in labels[0])
        or labels[0].startswith("-")
    ):
        raise ValidationError("Enter the shop's myshopify.com domain, for example my-shop.myshopify.com.")
