"""The errors every shop connector's own exceptions derive from, so the core catches a shop failure
without naming a platform. A connector's exception class names one of these as a second base."""

from __future__ import annotations


class ShopError(Exception):
    """Any failure talking to a shop platform."""


class ShopAuthError(ShopError):
    """The shop refused the credentials (invalid, revoked, or missing a permission)."""


class ShopRefused(ShopError):
    """The shop refused the data sent (its validation answer); sending it again changes nothing.

    ``user_errors`` are the platform's validation errors, each ``{"field": [path...], "message": str}``
    where the platform names the field (a batch position is a path part), else empty."""

    user_errors: list[dict] | tuple = ()


class ShopStockConflict(ShopError):
    """The shop's stock kept changing under a compare-and-set write; ``attempts`` writes were tried."""

    attempts: int = 0
