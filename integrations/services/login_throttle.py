"""Sign-in throttling per account and per address, counted in the cache.

After LOGIN_FAILURES_PER_ACCOUNT failed attempts on one account, or LOGIN_FAILURES_PER_ADDRESS
from one address, within LOGIN_LOCKOUT_SECONDS, further attempts are refused (even with the right
password) until the window has passed. A successful sign-in clears the account's count.
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode("utf-8", "replace")).hexdigest()[:32]
    return f"login-failures:{kind}:{digest}"


def _keys(*, username: str, address: str) -> list[tuple[str, int]]:
    keys = [(_key("account", username), settings.LOGIN_FAILURES_PER_ACCOUNT)] if username else []
    if address:
        keys.append((_key("address", address), settings.LOGIN_FAILURES_PER_ADDRESS))
    return keys


def login_locked(*, username: str, address: str) -> bool:
    """True while the account or the address has used up its failed attempts."""
    return any((cache.get(key) or 0) >= limit for key, limit in _keys(username=username, address=address))


def login_failure_record(*, username: str, address: str) -> None:
    for key, _limit in _keys(username=username, address=address):
        if cache.add(key, 1, timeout=settings.LOGIN_LOCKOUT_SECONDS):
            continue
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=settings.LOGIN_LOCKOUT_SECONDS)
    if login_locked(username=username, address=address):
        # The account name is the merchant's e-mail: not logged, only that a lock started.
        logger.warning("Sign-in attempts locked for %s minutes after repeated failures.", _minutes())


def login_success_record(*, username: str) -> None:
    cache.delete(_key("account", username))


def _minutes() -> int:
    return max(1, round(settings.LOGIN_LOCKOUT_SECONDS / 60))


def login_lockout_minutes() -> int:
    return _minutes()
