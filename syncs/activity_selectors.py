"""What each flow of an integration is doing: running now, queued, the last finished run and the
next scheduled run (django-q2's Schedule). Read by the merchant's Records and Runs pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, Subquery
from django_q.models import Schedule

from integrations.models import Flow, Integration
from syncs.models import SyncRun
from syncs.services.schedules import flow_schedule_name
from syncs.services.sync_now import ACTIVE, integration_flows_scheduled


@dataclass(frozen=True)
class FlowActivity:
    flow: str
    label: str
    active: SyncRun | None  # running, or queued when none runs
    last_finished: SyncRun | None
    next_run_at: datetime | None  # None: not scheduled (not live, paused)

    @property
    def running(self) -> bool:
        return self.active is not None and self.active.status == SyncRun.Status.RUNNING


@dataclass(frozen=True)
class IntegrationActivity:
    flows: list[FlowActivity]
    scheduled: bool  # live and running: the schedules tick

    @property
    def busy(self) -> bool:
        return any(flow.active for flow in self.flows)


def integration_activity_get(*, integration: Integration) -> IntegrationActivity:
    flows = integration_flows_scheduled(integration=integration)
    scheduled = integration.live_mode and integration.status == Integration.Status.LIVE
    names = {flow_schedule_name(integration_id=integration.pk, flow=flow): flow for flow in flows}
    next_runs = {}
    if scheduled:
        for name, next_run in Schedule.objects.filter(name__in=list(names)).values_list("name", "next_run"):
            next_runs[names[name]] = next_run
    runs = SyncRun.objects.filter(integration=integration, flow__in=flows)
    active: dict[str, SyncRun] = {}
    for run in runs.filter(status__in=ACTIVE).order_by("created_at"):
        current = active.get(run.flow)
        if current is None or (run.status == SyncRun.Status.RUNNING and current.status != SyncRun.Status.RUNNING):
            active[run.flow] = run
    # The last finished run of each flow in one query, whatever the number of flows.
    latest = Q(pk__in=[])
    for flow in flows:
        finished = runs.filter(flow=flow, finished_at__isnull=False).exclude(status__in=ACTIVE)
        latest |= Q(pk=Subquery(finished.order_by("-finished_at").values("pk")[:1]))
    last_finished = {run.flow: run for run in SyncRun.objects.filter(latest)} if flows else {}
    return IntegrationActivity(
        flows=[
            FlowActivity(
                flow=flow,
                label=str(Flow(flow).label),
                active=active.get(flow),
                last_finished=last_finished.get(flow),
                next_run_at=next_runs.get(flow),
            )
            for flow in flows
        ],
        scheduled=scheduled,
    )
