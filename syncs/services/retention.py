"""Retention: the sync log is append-only and large, so old entries are deleted in batches."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

from syncs.models import SyncLogEntry


def sync_logs_prune(*, days: int, batch_size: int = 5000, progress: Callable[[str], None] | None = None) -> int:
    """Delete log entries older than ``days``; short batches keep locks and transactions small."""
    if days < 1:
        raise ValueError("Retention must be at least one day.")
    cutoff = timezone.now() - timedelta(days=days)
    deleted = 0
    while True:
        ids = list(SyncLogEntry.objects.filter(created_at__lt=cutoff).values_list("pk", flat=True)[:batch_size])
        if not ids:
            return deleted
        deleted += SyncLogEntry.objects.filter(pk__in=ids).delete()[0]
        if progress:
            progress(f"{deleted} log entries deleted")
