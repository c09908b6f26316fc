"""Per (integration, flow) lease so two workers never run the same flow of one integration at once.

A flow runs for minutes, longer than any DB transaction should stay open, so the lock is a lease
row: taken in a short transaction when free or expired, renewed while the flow runs, released at
the end. A worker killed mid-run leaves a lease that simply expires. Call it outside a transaction:
the taking must be committed for other workers to see it.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from syncs.models import FlowLease


class FlowLocked(Exception):
    """Another holder has the lease of this (integration, flow)."""


class FlowLeaseLost(Exception):
    """The lease expired and another holder took it; the current holder must stop."""


@dataclass
class FlowLeaseHandle:
    lease_id: int
    holder: str
    ttl_seconds: int
    expires_at: datetime

    def renew(self) -> None:
        """Push the expiry out by the TTL. Call between batches of a long flow."""
        expires_at = timezone.now() + timedelta(seconds=self.ttl_seconds)
        if not FlowLease.objects.filter(pk=self.lease_id, holder=self.holder).update(expires_at=expires_at):
            raise FlowLeaseLost("The flow lease expired and was taken by another worker.")
        self.expires_at = expires_at


def _free(now: datetime) -> Q:
    return Q(holder="") | Q(expires_at__isnull=True) | Q(expires_at__lt=now)


def _take(*, lease_id: int, holder: str, expires_at: datetime) -> bool:
    now = timezone.now()
    if connection.vendor == "postgresql":
        # skip_locked: a row another worker is taking right now counts as taken, without waiting.
        with transaction.atomic():
            lease = FlowLease.objects.select_for_update(skip_locked=True).filter(_free(now), pk=lease_id).first()
            if lease is None:
                return False
            lease.holder, lease.expires_at = holder, expires_at
            lease.save(update_fields=["holder", "expires_at"])
            return True
    # Elsewhere one conditional UPDATE is atomic: exactly one taker sees a row count of 1.
    return bool(FlowLease.objects.filter(_free(now), pk=lease_id).update(holder=holder, expires_at=expires_at))


@contextmanager
def flow_lock(*, integration_id: int, flow: str, holder: str, ttl_seconds: int) -> Iterator[FlowLeaseHandle]:
    """Hold the (integration, flow) lease for the block; raise FlowLocked when someone else has it."""
    lease, _ = FlowLease.objects.get_or_create(integration_id=integration_id, flow=flow)
    # A random suffix makes every taking unique, so a stale holder can never renew or release a
    # lease that was taken again under the same name.
    token = f"{holder[:90]}#{secrets.token_hex(4)}"
    expires_at = timezone.now() + timedelta(seconds=ttl_seconds)
    if not _take(lease_id=lease.pk, holder=token, expires_at=expires_at):
        raise FlowLocked(f"The {flow} flow of integration {integration_id} is already running.")
    handle = FlowLeaseHandle(lease_id=lease.pk, holder=token, ttl_seconds=ttl_seconds, expires_at=expires_at)
    try:
        yield handle
    finally:
        FlowLease.objects.filter(pk=lease.pk, holder=token).update(holder="", expires_at=None)
