"""django-q2 schedules, derived from the integrations' settings.

`schedules_sync()` is the single source of truth (run by `manage.py setup_schedules` on every
deploy, on go-live, and every five minutes by its own schedule so settings changed in the admin
take effect): one schedule per integration and enabled flow, plus the
housekeeping schedules. django-q2's Schedule.name is not unique, so rows are matched by name here.
Missed slots are not replayed (Q_CLUSTER catch_up=False).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django_q.models import Schedule

from integrations.models import Flow, Integration
from syncs.models import SyncRun
from syncs.services.dispatch import flow_enqueue

SCHEDULE_PREFIX = "jbc:"
FLOW_TASK = "syncs.tasks.scheduled_flow_task"

# (flow, switch field, interval field). Customers and refunds ride on the orders flow.
SCHEDULED_FLOWS: tuple[tuple[str, str, str], ...] = (
    (Flow.ORDERS, "orders_enabled", "orders_interval_minutes"),
    (Flow.PRODUCTS, "products_enabled", "products_interval_minutes"),
    (Flow.STOCK, "stock_enabled", "stock_interval_minutes"),
    (Flow.PAYOUTS, "payouts_enabled", "payouts_interval_minutes"),
)

# name -> (func, schedule type, minutes or None)
HOUSEKEEPING: dict[str, tuple[str, str, int | None]] = {
    f"{SCHEDULE_PREFIX}refresh-tokens": ("integrations.tasks.bc_tokens_refresh_task", Schedule.HOURLY, None),
    f"{SCHEDULE_PREFIX}shop-tokens": ("integrations.tasks.shop_tokens_refresh_task", Schedule.MINUTES, 15),
    f"{SCHEDULE_PREFIX}shop-webhooks-daily": ("syncs.tasks.shop_webhooks_reconcile_task", Schedule.DAILY, None),
    f"{SCHEDULE_PREFIX}preflight-daily": ("syncs.tasks.preflight_all_task", Schedule.DAILY, None),
    f"{SCHEDULE_PREFIX}error-digest-daily": ("syncs.tasks.error_digest_task", Schedule.DAILY, None),
    f"{SCHEDULE_PREFIX}prune-logs-daily": ("syncs.tasks.prune_logs_task", Schedule.DAILY, None),
    # Settings changed in the admin (a flow switched on, a new interval) take effect within minutes.
    f"{SCHEDULE_PREFIX}schedules-sync": ("syncs.tasks.schedules_sync_task", Schedule.MINUTES, 5),
}


@dataclass(frozen=True)
class ScheduleSyncResult:
    created: int
    updated: int
    deleted: int


def flow_schedule_name(*, integration_id: int, flow: str) -> str:
    return f"{SCHEDULE_PREFIX}integration-{integration_id}-{flow}"


def _wanted_flow_schedules() -> dict[str, dict]:
    wanted: dict[str, dict] = {}
    stopped = (Integration.Status.DISABLED, Integration.Status.ARCHIVED)
    integrations = Integration.objects.exclude(status__in=stopped).only(
        "pk", *[f for _, switch, interval in SCHEDULED_FLOWS for f in (switch, interval)]
    )
    for integration in integrations:
        for flow, switch, interval in SCHEDULED_FLOWS:
            if not getattr(integration, switch):
                continue
            wanted[flow_schedule_name(integration_id=integration.pk, flow=flow)] = {
                "func": FLOW_TASK,
                "args": f"{integration.pk}, {str(flow)!r}",  # literal_eval-able, not Flow.X
                "schedule_type": Schedule.MINUTES,
                "minutes": max(1, getattr(integration, interval)),
            }
    return wanted


def _wanted_housekeeping() -> dict[str, dict]:
    return {
        name: {"func": func, "args": "", "schedule_type": schedule_type, "minutes": minutes}
        for name, (func, schedule_type, minutes) in HOUSEKEEPING.items()
    }


@transaction.atomic
def schedules_sync() -> ScheduleSyncResult:
    """Create, update and delete this product's schedules so they match the settings. Idempotent."""
    wanted = {**_wanted_housekeeping(), **_wanted_flow_schedules()}
    existing = {s.name: s for s in Schedule.objects.filter(name__startswith=SCHEDULE_PREFIX)}
    created = updated = 0
    for name, fields in wanted.items():
        schedule = existing.pop(name, None)
        if schedule is None:
            Schedule.objects.create(name=name, repeats=-1, next_run=timezone.now(), **fields)
            created += 1
        elif any(getattr(schedule, key) != value for key, value in fields.items()):
            for key, value in fields.items():
                setattr(schedule, key, value)
            schedule.save()
            updated += 1
    deleted = len(existing)
    Schedule.objects.filter(pk__in=[s.pk for s in existing.values()]).delete()
    return ScheduleSyncResult(created=created, updated=updated, deleted=deleted)


def scheduled_flow_enqueue(*, integration_id: int, flow: str) -> int | None:
    """A schedule tick: enqueue a run only for a live integration whose flow is on.

    Paused, needs-reauth and not-yet-live integrations lose nothing: their cursors stay where they
    were, and the first tick after they resume picks up from there.
    """

    switch = {flow_name: field for flow_name, field, _ in SCHEDULED_FLOWS}.get(flow)
    integration = Integration.objects.filter(pk=integration_id).first()
    if integration is None or switch is None:
        return None
    if not (integration.live_mode and integration.status == Integration.Status.LIVE and getattr(integration, switch)):
        return None
    return flow_enqueue(integration_id=integration_id, flow=flow, trigger=SyncRun.Trigger.SCHEDULE).pk
