"""Runs that start now instead of at the next scheduled tick: the first run of each flow when an
integration goes live (or its settings change while live), and the merchant's "Sync now".

A flow that already has a queued or running run gets no second one (the lease would skip it
anyway); the merchant's button is rate-limited per flow and every press is in the run log.
"""

from __future__ import annotations

import math
from datetime import timedelta

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from integrations.models import Integration
from syncs.models import SyncLogEntry, SyncRun
from syncs.services.dispatch import flow_enqueue
from syncs.services.runs import sync_log
from syncs.services.schedules import SCHEDULED_FLOWS

# One "Sync now" per flow and integration in this many seconds.
SYNC_NOW_COOLDOWN_SECONDS = 60
ACTIVE = (SyncRun.Status.QUEUED, SyncRun.Status.RUNNING)


class SyncNowRefused(Exception):
    """The merchant's "Sync now" does not start a run; the message says why and what to do."""


def integration_flows_scheduled(*, integration: Integration) -> list[str]:
    """The scheduled flows the merchant has switched on, in schedule order."""
    return [str(flow) for flow, switch, _interval in SCHEDULED_FLOWS if getattr(integration, switch)]


def _flow_active(*, integration_id: int, flow: str) -> bool:
    return SyncRun.objects.filter(integration_id=integration_id, flow=flow, status__in=ACTIVE).exists()


@transaction.atomic
def integration_runs_enqueue_now(*, integration_id: int, trigger: str) -> list[SyncRun]:
    """One run of each enabled flow of a live integration, unless that flow already has one waiting."""
    integration = Integration.objects.select_for_update().get(pk=integration_id)
    if not (integration.live_mode and integration.status == Integration.Status.LIVE):
        return []
    runs = []
    for flow in integration_flows_scheduled(integration=integration):
        if _flow_active(integration_id=integration_id, flow=flow):
            continue
        runs.append(flow_enqueue(integration_id=integration_id, flow=flow, trigger=trigger))
    if runs:
        with translation.override("en"):  # the run log is support's record: one language
            reason = SyncRun.Trigger(trigger).label
            message = f"{reason}: first run of {', '.join(run.flow for run in runs)} queued at once."
        sync_log(
            integration_id=integration_id,
            flow=runs[0].flow,
            level=SyncLogEntry.Level.INFO,
            message=message,
            details={"trigger": trigger, "run_ids": [run.pk for run in runs]},
        )
    return runs


@transaction.atomic
def flow_sync_now(*, integration_id: int, flow: str, requested_by: str) -> SyncRun:
    """The merchant's "Sync now" for one flow: a manual run, at most one per cooldown."""
    integration = Integration.objects.select_for_update().get(pk=integration_id)
    if flow not in integration_flows_scheduled(integration=integration):
        raise SyncNowRefused(_("This flow is switched off. Switch it on in the setup first."))
    if not (integration.live_mode and integration.status == Integration.Status.LIVE):
        raise SyncNowRefused(_("Syncs start once the integration is live and running. Go live (or resume) first."))
    if _flow_active(integration_id=integration_id, flow=flow):
        raise SyncNowRefused(_("This flow is already syncing. Its result appears here in a moment."))
    last = (
        SyncRun.objects.filter(integration_id=integration_id, flow=flow, trigger=SyncRun.Trigger.MANUAL)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if last is not None:
        wait = (last + timedelta(seconds=SYNC_NOW_COOLDOWN_SECONDS) - timezone.now()).total_seconds()
        if wait > 0:
            raise SyncNowRefused(
                _("This flow was synced on request a moment ago. Try again in %(seconds)d seconds.")
                % {"seconds": math.ceil(wait)}
            )
    run = flow_enqueue(
        integration_id=integration_id,
        flow=flow,
        trigger=SyncRun.Trigger.MANUAL,
        parameters={"requested_by": requested_by},
    )
    sync_log(
        run=run,
        integration_id=integration_id,
        flow=flow,
        level=SyncLogEntry.Level.INFO,
        message=f"{requested_by} asked to sync {flow} now.",
        details={"requested_by": requested_by},
    )
    return run
