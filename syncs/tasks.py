"""django-q tasks: thin entry points that take ids and call one service."""

from integrations.services.shopify_subscriptions import shop_webhooks_reconcile_all
from syncs.preflight.services import preflight_enqueue_all, preflight_run
from syncs.services.compliance import compliance_request_process
from syncs.services.notifications import error_digest_send
from syncs.services.retention import sync_logs_prune
from syncs.services.runs import sync_run_execute
from syncs.services.schedules import scheduled_flow_enqueue, schedules_sync
from syncs.services.webhook_events import webhook_event_process


def flow_run_task(run_id: int) -> None:
    sync_run_execute(run_id=run_id)


def webhook_event_process_task(event_id: int) -> None:
    webhook_event_process(event_id=event_id)


def compliance_request_process_task(request_id: int) -> None:
    compliance_request_process(request_id=request_id)


def shop_webhooks_reconcile_task() -> dict:
    """Daily: every connected shop's webhook subscriptions made right (missing or wrong ones)."""

    return shop_webhooks_reconcile_all()


def scheduled_flow_task(integration_id: int, flow: str) -> int | None:
    return scheduled_flow_enqueue(integration_id=integration_id, flow=flow)


def error_digest_task() -> int:
    return error_digest_send()


def prune_logs_task(days: int = 90) -> int:
    return sync_logs_prune(days=days)


def preflight_run_task(integration_id: int, trigger: str = "schedule") -> int:
    return preflight_run(integration_id=integration_id, trigger=trigger).pk


def preflight_all_task(trigger: str = "schedule") -> int:
    """Daily: one preflight per integration that is live or being tested."""

    return preflight_enqueue_all(trigger=trigger)


def schedules_sync_task() -> str:
    result = schedules_sync()
    return f"{result.created} created, {result.updated} updated, {result.deleted} deleted"
