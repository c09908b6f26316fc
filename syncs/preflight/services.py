"""Preflight entry points: run (and store) the health check, enqueue it, tell owners about new failures."""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django_q.tasks import async_task

from integrations.models import Integration
from syncs.clients import BCClient, ClientFactory, client_factory_default
from syncs.errors import classify_exception
from syncs.models import PreflightCheckResult, PreflightRun
from syncs.preflight.collector import bc_snapshot_collect
from syncs.preflight.facts import preflight_facts_get, stock_location_codes_get
from syncs.preflight.runner import checks_run
from syncs.preflight.types import BCSnapshot, CheckResult, ProbePlan, Status
from syncs.services.notifications import tenant_notification_recipients

logger = logging.getLogger(__name__)


def preflight_snapshot_get(
    *,
    integration: Integration,
    client: BCClient | None = None,
    connection: Any | None = None,
    header_codes: bool = False,
    probe: ProbePlan | None = None,
    clients: ClientFactory | None = None,
) -> BCSnapshot | None:
    """``connection`` (unsaved) checks another company than the connected one: the move to Production
    checks the Production company before switching (``client`` must then be that company's).
    Otherwise the BC client comes from ``clients`` (default: the factory SYNC_CLIENT_FACTORY names).
    ``header_codes``: also read what the document settings name (dimensions, salesperson, location)."""
    connection = connection or getattr(integration, "bc_connection", None)
    if connection is None or not connection.company_id:
        return None
    client = client or (clients or client_factory_default()).bc(integration=integration)
    try:
        return bc_snapshot_collect(
            client=client,
            environment_name=connection.environment_name,
            environment_type=connection.environment_type,
            company_name=connection.company_name,
            on_premises=connection.is_on_premises,
            probe=probe,
            header_codes=header_codes,
            stock_per_location=bool(stock_location_codes_get(integration=integration)),
        )
    except Exception as exc:  # noqa: BLE001 - a sign-in failure surfaces here; it is the check's finding
        logger.info("Preflight for integration %s could not reach BC: %s", integration.pk, exc)
        snap = BCSnapshot(
            environment_name=connection.environment_name,
            environment_type=connection.environment_type,
            company_name=connection.company_name,
            on_premises=connection.is_on_premises,
        )
        snap.errors["token"] = classify_exception(exc)
        return snap


def preflight_run(
    *,
    integration_id: int,
    trigger: str,
    client: BCClient | None = None,
    connection: Any | None = None,
    clients: ClientFactory | None = None,
) -> PreflightRun:
    """Run every check, store the results as a new run, e-mail owners about failures that are new."""
    integration = Integration.objects.select_related("tenant").get(pk=integration_id)
    previous = PreflightRun.objects.filter(integration=integration).exclude(status=PreflightRun.Status.RUNNING).first()
    run = PreflightRun.objects.create(integration=integration, trigger=trigger)
    facts = preflight_facts_get(integration=integration)
    snapshot = preflight_snapshot_get(
        integration=integration,
        client=client,
        connection=connection,
        clients=clients,
        header_codes=facts.needs_header_codes,
        probe=facts.probe,
    )
    results = checks_run(facts=facts, snapshot=snapshot)
    _results_store(run=run, results=results)
    new_failures = _new_failures(run=run, previous=previous)
    if new_failures:
        transaction.on_commit(partial(_failures_mail, run_id=run.pk, check_names=new_failures))
    return run


def _results_store(*, run: PreflightRun, results: list[CheckResult]) -> None:
    PreflightCheckResult.objects.bulk_create(
        PreflightCheckResult(
            run=run,
            check_name=r.name,
            status=r.status.value,
            message=r.message,
            objects_json=r.objects,
            error_code=r.error_code,
        )
        for r in results
    )
    counts = {status: sum(1 for r in results if r.status == status) for status in Status}
    if counts[Status.FAIL]:
        status = PreflightRun.Status.FAILED
    elif counts[Status.WARN]:
        status = PreflightRun.Status.WARNINGS
    else:
        status = PreflightRun.Status.PASSED
    run.status = status
    run.passed_count = counts[Status.PASS]
    run.warning_count = counts[Status.WARN]
    run.failed_count = counts[Status.FAIL]
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "passed_count", "warning_count", "failed_count", "finished_at"])


def _new_failures(*, run: PreflightRun, previous: PreflightRun | None) -> list[str]:
    """Checks failing now that passed, warned or did not exist in the previous run."""
    failing = list(run.results.filter(status=Status.FAIL).values_list("check_name", flat=True))
    if previous is None:
        return failing
    failed_before = set(previous.results.filter(status=Status.FAIL).values_list("check_name", flat=True))
    return [name for name in failing if name not in failed_before]


def _failures_mail(*, run_id: int, check_names: list[str]) -> None:
    run = PreflightRun.objects.select_related("integration__tenant").get(pk=run_id)
    recipients = tenant_notification_recipients(tenant=run.integration.tenant)
    if not recipients:
        return
    lines = []
    for result in run.results.filter(check_name__in=check_names):
        help_link = f" ({settings.SITE_URL}/help/errors/{result.error_code}/)" if result.error_code else ""
        lines.append(f"- {result.check_name}: {result.message}{help_link}")
    body = (
        f"The health check of {run.integration} found new problems in Business Central:\n\n"
        + "\n".join(lines)
        + "\n\nFix them before the next sync to avoid failed documents."
    )
    send_mail(
        subject=f"Action needed: {run.integration} health check failed",
        message=body,
        from_email=None,
        recipient_list=recipients,
    )


def preflight_enqueue(*, integration_id: int, trigger: str) -> None:
    """Run the preflight in the background, once the caller's transaction has committed."""

    transaction.on_commit(
        lambda: async_task("syncs.tasks.preflight_run_task", integration_id, trigger, task_name="preflight")
    )


def preflight_blocking_failures(run: PreflightRun) -> list[PreflightCheckResult]:
    """The failures that must block go-live (warnings do not)."""
    return list(run.results.filter(status=Status.FAIL))


def preflight_enqueue_all(*, trigger: str) -> int:
    """Enqueue a preflight for every integration that syncs or is about to (the daily schedule)."""
    active = (Integration.Status.LIVE, Integration.Status.TESTING, Integration.Status.PAUSED)
    ids = list(Integration.objects.filter(status__in=active).values_list("pk", flat=True))
    for integration_id in ids:
        preflight_enqueue(integration_id=integration_id, trigger=trigger)
    return len(ids)
