"""Wizard step 5: preflight, then live mode and the flows' schedules."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integrations.models import (
    BusinessCentralConnection,
    Integration,
)
from integrations.selectors import wizard_state
from integrations.services.onboarding.errors import (
    ConfirmationRequired,
    OnboardingError,
    PreflightBlocked,
)
from syncs.models import SyncRun
from syncs.preflight.services import preflight_blocking_failures, preflight_run
from syncs.services.schedules import schedules_sync
from syncs.services.sync_now import integration_runs_enqueue_now


def _preflight_gate(*, integration: Integration, bc_client=None) -> None:
    # The preflight writes its own run row (history), so it runs outside the go-live transaction.
    run = preflight_run(integration_id=integration.pk, trigger="wizard", client=bc_client)
    failures = preflight_blocking_failures(run)
    if failures:
        raise PreflightBlocked(
            _("The health check found %(count)s problem(s) in Business Central. Fix them, then go live.")
            % {"count": len(failures)},
            preflight_run_id=run.pk,
            failures=failures,
        )


def integration_go_live(*, integration: Integration, confirm_production: bool = False, bc_client=None) -> Integration:
    """Run the preflight (blocking on failures), then switch live mode on and schedule the flows."""
    _go_live_preconditions(integration=integration, confirm_production=confirm_production)
    _preflight_gate(integration=integration, bc_client=bc_client)
    integration = _go_live_switch(integration=integration)

    transaction.on_commit(schedules_sync)
    # The first invoice should not wait for the first tick of the schedule.
    integration_runs_enqueue_now(integration_id=integration.pk, trigger=SyncRun.Trigger.GO_LIVE)
    return integration


def _go_live_preconditions(*, integration: Integration, confirm_production: bool) -> None:
    state = wizard_state(integration=integration)
    # Flows, connections, settings and a real order that previews cleanly come before live mode.
    blocking = [step for step in state.steps[:4] if not step.done]
    if blocking:
        raise OnboardingError(_("Finish “%(step)s” first.") % {"step": blocking[0].title})
    connection = integration.bc_connection
    untested_production = (
        connection.environment_type == BusinessCentralConnection.EnvironmentType.PRODUCTION
        and integration.sandbox_test_passed_at is None
    )
    if untested_production and not confirm_production:
        raise ConfirmationRequired(
            _(
                "You are going live on a Production environment without a successful test in a Sandbox. "
                "Confirm that you want to write to your live books."
            )
        )


@transaction.atomic
def _go_live_switch(*, integration: Integration) -> Integration:
    now = timezone.now()
    integration.live_mode = True
    integration.allow_writes = True
    integration.status = Integration.Status.LIVE
    integration.went_live_at = integration.went_live_at or now
    # Only orders from now on: history is backfilled on purpose, not by accident. Shops report an
    # order's time in whole seconds, so the cut-off starts at the whole second: an order placed in the
    # same second as go-live is not lost.
    integration.order_exclusion_date = integration.order_exclusion_date or now.replace(microsecond=0)
    integration.save()
    return integration
