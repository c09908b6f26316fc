"""Sandbox first: a Production integration that never passed a Sandbox test is flagged."""

from __future__ import annotations

from syncs.preflight.types import BCSnapshot, CheckResult, IntegrationFacts, Status


def check_sandbox_tested(facts: IntegrationFacts, snap: BCSnapshot) -> list[CheckResult]:
    name = "environment.sandbox_tested"
    if snap.on_premises:
        # No sandboxes on-premises (a test copy runs on its own server instance); going live on
        # Production without a test still asks the merchant to confirm.
        return [CheckResult.ok(name, "On-premises server: there are no sandbox environments to test in.")]
    environment_type = snap.environment_type or facts.environment_type
    if environment_type == "Production" and facts.sandbox_test_passed_at is None:
        return [
            CheckResult.problem(name, Status.WARN, "BC-602", [snap.environment_name], environment=snap.environment_name)
        ]
    if environment_type == "Production":
        return [CheckResult.ok(name, f"Sandbox test passed on {facts.sandbox_test_passed_at:%Y-%m-%d}.")]
    return [CheckResult.ok(name, f"Connected to a {environment_type or 'Sandbox'} environment.")]
