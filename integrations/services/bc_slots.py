"""Business Central's concurrent requests per user, shared fairly by the integrations using one user.

BC online serves at most five requests at once per user (more queue, then answer 429). The product
keeps ``BC_MAX_CONCURRENT_REQUESTS`` (default 4) in flight per BC user, leaving one for the
merchant's own use, whatever the number of integrations and workers that sign in as that user.

A slot is a cache key (``SET NX`` with an expiry on Redis), so every worker process sees the same
slots and a slot held by a killed worker frees itself after ``BC_SLOT_LEASE_SECONDS``. Fairness: an
integration that holds its share (the user's slots divided by the integrations using or waiting
for them) waits while another integration waits; alone, it may use them all.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import BaseCache, cache

PREFIX = "bcslots"


def bc_user_key(*, connection) -> str:
    """Who BC counts the limit for: the signed-in user (or access-key user) of one BC tenant."""
    if getattr(connection, "deployment", "") == "on_premises":
        return f"onprem:{connection.on_premises_root}:{connection.access_key_username}".lower()
    user = connection.user_principal or connection.home_account_id or f"integration-{connection.integration_id}"
    return f"online:{connection.entra_tenant_id}:{user}".lower()


class SlotWaitTimeout(Exception):
    """No slot came free in time (slots leaked by a killed worker free themselves at the lease's end)."""


@dataclass
class BCSlots:
    user_key: str
    holder: str  # one integration
    limit: int = field(default_factory=lambda: settings.BC_MAX_CONCURRENT_REQUESTS)
    lease_seconds: int = field(default_factory=lambda: settings.BC_SLOT_LEASE_SECONDS)
    wait_seconds: float = field(default_factory=lambda: settings.BC_SLOT_WAIT_SECONDS)
    poll_seconds: float = 0.02
    store: BaseCache = field(default_factory=lambda: cache)
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic

    def _key(self, index: int) -> str:
        return f"{PREFIX}:{self.user_key}:slot:{index}"

    @property
    def _waiting_key(self) -> str:
        return f"{PREFIX}:{self.user_key}:waiting"

    def holders(self) -> dict[int, str]:
        """Slot index -> the integration holding it."""
        keys = [self._key(index) for index in range(self.limit)]
        values = self.store.get_many(keys)
        return {index: values[key].split("|")[0] for index, key in enumerate(keys) if key in values}

    def _waiting(self, *, add: bool) -> set[str]:
        """Integrations waiting for a slot (a hint for fairness, refreshed on every poll)."""
        wall = time.time()
        waiting = {
            holder: seen for holder, seen in (self.store.get(self._waiting_key) or {}).items() if seen > wall - 2
        }
        if add:
            waiting[self.holder] = wall
            self.store.set(self._waiting_key, waiting, timeout=self.lease_seconds)
        elif self.holder in waiting:
            waiting.pop(self.holder)
            self.store.set(self._waiting_key, waiting, timeout=self.lease_seconds)
        return set(waiting)

    def share(self, *, holders: dict[int, str], waiting: set[str]) -> int:
        active = set(holders.values()) | waiting | {self.holder}
        return max(1, self.limit // len(active))

    def try_acquire(self, *, waiting: set[str] | None = None) -> str | None:
        """A slot's key when one is free and this integration is within its share, else None."""
        holders = self.holders()
        others_waiting = (waiting or set()) - {self.holder}
        mine = sum(1 for holder in holders.values() if holder == self.holder)
        if others_waiting and mine >= self.share(holders=holders, waiting=others_waiting):
            return None
        token = f"{self.holder}|{uuid.uuid4().hex}"
        for index in range(self.limit):
            if index not in holders and self.store.add(self._key(index), token, timeout=self.lease_seconds):
                return self._key(index)
        return None

    def release(self, key: str) -> None:
        self.store.delete(key)

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Hold one of the user's slots while the block sends one request."""
        deadline = self.clock() + self.wait_seconds
        key = self.try_acquire(waiting=self._waiting(add=False))
        waited = key is None
        while key is None:
            if self.clock() > deadline:
                self._waiting(add=False)
                raise SlotWaitTimeout(f"No Business Central request slot came free in {self.wait_seconds:.0f} s.")
            waiting = self._waiting(add=True)
            self.sleep(self.poll_seconds)
            key = self.try_acquire(waiting=waiting)
        if waited:
            self._waiting(add=False)
        try:
            yield
        finally:
            self.release(key)


def bc_slots_for(*, integration) -> BCSlots:
    return BCSlots(user_key=bc_user_key(connection=integration.bc_connection), holder=str(integration.pk))
