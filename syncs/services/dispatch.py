"""Enqueue flow runs and support's record operations (retry, unlink). Everything returns at once:
the work itself happens in a django-q worker (``syncs.tasks.flow_run_task``)."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction
from django_q.tasks import async_task

from integrations.models import Flow, Integration
from syncs.models import EntityType, RecordLink, SyncLogEntry, SyncRun
from syncs.services.runs import sync_log, sync_run_create

# Which records each flow writes, so a retry of failed records knows which run to start.
FLOW_ENTITY_TYPES: dict[str, tuple[str, ...]] = {
    Flow.ORDERS: (EntityType.ORDER, EntityType.SHIPMENT),  # BC shipments are fulfilled by the orders run
    Flow.REFUNDS: (EntityType.REFUND,),
    Flow.CUSTOMERS: (EntityType.CUSTOMER,),
    Flow.PRODUCTS: (EntityType.ITEM,),
    Flow.STOCK: (EntityType.STOCK,),
    Flow.PAYOUTS: (EntityType.PAYOUT, EntityType.PAYMENT),
}
ENTITY_TYPE_FLOWS = {entity: flow for flow, entities in FLOW_ENTITY_TYPES.items() for entity in entities}
# A retry run names its records only when few were picked; otherwise it takes every pending one.
MAX_RETRY_IDS = 1000


def flow_switched_off(*, integration: Integration, flow: str) -> bool:
    """True when the merchant has switched this flow off for the integration."""
    return not getattr(integration, f"{flow}_enabled", True)


@transaction.atomic
def flow_enqueue_for_support(
    *,
    integration_id: int,
    flow: str,
    requested_by: str,
    override: bool = False,
    parameters: dict[str, Any] | None = None,
) -> SyncRun | None:
    """Support's "Sync now" or backfill: None for a flow the merchant switched off, unless support
    confirmed an override, which is logged on the integration with who asked."""
    integration = Integration.objects.get(pk=integration_id)
    parameters = {**(parameters or {}), "requested_by": requested_by}
    if flow_switched_off(integration=integration, flow=flow):
        if not override:
            return None
        parameters["override_switched_off_flow"] = True
    run = flow_enqueue(integration_id=integration_id, flow=flow, trigger=SyncRun.Trigger.MANUAL, parameters=parameters)
    if parameters.get("override_switched_off_flow"):
        sync_log(
            run=run,
            integration_id=integration_id,
            flow=flow,
            level=SyncLogEntry.Level.WARNING,
            message=f"{requested_by} ran the {flow} flow although the merchant has switched it off (confirmed).",
            details={"requested_by": requested_by, "override_switched_off_flow": True},
        )
    return run


def _run_enqueue(*, run_id: int, flow: str) -> None:
    task_id = async_task("syncs.tasks.flow_run_task", run_id, group=f"sync-{flow}")
    SyncRun.objects.filter(pk=run_id, task_id="").update(task_id=task_id or "")


def flow_enqueue(*, integration_id: int, flow: str, trigger: str, parameters: dict[str, Any] | None = None) -> SyncRun:
    """Create a queued run and hand it to a worker once the surrounding transaction commits."""
    run = sync_run_create(integration_id=integration_id, flow=flow, trigger=trigger, parameters=parameters)
    # After commit: a worker (or Redis) must never see a run id that does not exist yet.
    transaction.on_commit(partial(_run_enqueue, run_id=run.pk, flow=flow))
    return run


def flows_switched_off(*, integration_id: int) -> set[str]:
    """The flows the merchant has switched off for this integration."""
    integration = Integration.objects.get(pk=integration_id)
    return {flow for flow in FLOW_ENTITY_TYPES if flow_switched_off(integration=integration, flow=flow)}


def flows_switched_off_with_failed_records(*, integration_id: int) -> list[str]:
    """Switched-off flows that have failed records (support's retry leaves them alone)."""
    return [
        flow
        for flow in sorted(flows_switched_off(integration_id=integration_id))
        if RecordLink.objects.filter(
            integration_id=integration_id, entity_type__in=FLOW_ENTITY_TYPES[flow], state=RecordLink.State.FAILED
        ).exists()
    ]


def record_links_flows_switched_off(*, record_link_ids: list[int]) -> list[str]:
    """The switched-off flows the picked records belong to (support's retry leaves those alone)."""
    return sorted(
        {
            flow
            for integration_id, flow in _links_by_flow(record_link_ids)
            if flow in flows_switched_off(integration_id=integration_id)
        }
    )


@transaction.atomic
def records_retry_failed(
    *, integration_id: int, flow: str | None = None, skip_switched_off: bool = False
) -> list[SyncRun]:
    """Failed records -> pending, and one retry run per flow that had any.

    With ``skip_switched_off`` (support's actions), flows the merchant switched off keep their
    failed records: retrying them would run the flow.
    """
    runs = []
    skipped = flows_switched_off(integration_id=integration_id) if skip_switched_off else set()
    for each_flow in [flow] if flow else list(FLOW_ENTITY_TYPES):
        if each_flow in skipped:
            continue
        entity_types = FLOW_ENTITY_TYPES[each_flow]
        failed = RecordLink.objects.filter(
            integration_id=integration_id, entity_type__in=entity_types, state=RecordLink.State.FAILED
        )
        if failed.update(state=RecordLink.State.PENDING):
            parameters = {"retry": True, "entity_types": list(entity_types)}
            runs.append(
                flow_enqueue(
                    integration_id=integration_id, flow=each_flow, trigger=SyncRun.Trigger.RETRY, parameters=parameters
                )
            )
    return runs


def _links_by_flow(record_link_ids: list[int]) -> dict[tuple[int, str], list[int]]:
    groups: dict[tuple[int, str], list[int]] = {}
    rows = RecordLink.objects.filter(pk__in=record_link_ids).values_list("pk", "integration_id", "entity_type")
    for pk, integration_id, entity_type in rows.order_by("pk"):
        groups.setdefault((integration_id, ENTITY_TYPE_FLOWS[entity_type]), []).append(pk)
    return groups


@transaction.atomic
def record_links_retry(*, record_link_ids: list[int], skip_switched_off: bool = False) -> list[SyncRun]:
    """Picked records -> pending, and one retry run per (integration, flow) naming them.

    With ``skip_switched_off`` (support's actions), records of a flow the merchant switched off
    stay as they are.
    """
    runs = []
    for (integration_id, flow), ids in _links_by_flow(record_link_ids).items():
        if skip_switched_off and flow in flows_switched_off(integration_id=integration_id):
            continue
        RecordLink.objects.filter(pk__in=ids).update(state=RecordLink.State.PENDING)
        parameters: dict[str, Any] = {"retry": True, "entity_types": list(FLOW_ENTITY_TYPES[flow])}
        if len(ids) <= MAX_RETRY_IDS:
            parameters["record_link_ids"] = ids
        runs.append(
            flow_enqueue(integration_id=integration_id, flow=flow, trigger=SyncRun.Trigger.RETRY, parameters=parameters)
        )
    return runs


@transaction.atomic
def record_links_unlink(*, record_link_ids: list[int], actor: str) -> int:
    """Forget the BC side of the picked records; the next sync looks them up in BC again.

    The rows stay (their history matters); the flow's lookup by external document number keeps a
    document that does exist in BC from being created twice.
    """
    unlinked = 0
    for (integration_id, flow), ids in _links_by_flow(record_link_ids).items():
        unlinked += RecordLink.objects.filter(pk__in=ids).update(
            target_id="",
            target_number="",
            target_etag="",
            payload_digest="",
            raw_target=None,
            state=RecordLink.State.PENDING,
            last_error_code="",
            last_error_message="",
        )
        sync_log(
            integration_id=integration_id,
            flow=flow,
            level=SyncLogEntry.Level.WARNING,
            message=f"{len(ids)} record(s) unlinked from Business Central by {actor}.",
            details={"record_link_ids": ids[:MAX_RETRY_IDS], "actor": actor},
        )
    return unlinked
