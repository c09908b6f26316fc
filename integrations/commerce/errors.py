"""The errors every shop connector's own exceptions derive from, so the core can catch a shop
failure without naming a platform: ``ShopError`` for any failure talking to the shop,
``ShopRefused`` for data the shop refused (a validation answer, not a transport failure)."""

from __future__ import annotations


class ShopError(Exception):
    """Any failure talking to a shop platform."""


class ShopRefused(ShopError):
    """The shop refused the data sent (its validation answer); sending it again changes nothing."""
