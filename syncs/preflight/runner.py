"""Run every check over (facts, snapshot) and return the results in display order."""

from __future__ import annotations

from syncs.preflight.checks import BC_CHECKS, CONNECTION_CHECKS, LOCAL_CHECKS
from syncs.preflight.types import BCSnapshot, CheckResult, IntegrationFacts, Status


def checks_run(*, facts: IntegrationFacts, snapshot: BCSnapshot | None) -> list[CheckResult]:
    """``snapshot=None`` means BC is not connected: only the product-side checks run."""
    results: list[CheckResult] = []
    if snapshot is None:
        results.append(CheckResult.problem("connection", Status.FAIL, "BC-010", []))
    else:
        for check in CONNECTION_CHECKS:
            results += check(facts, snapshot)
        # Without a reachable company every BC check would fail for the same reason: report it once.
        if snapshot.company_reachable:
            for check in BC_CHECKS:
                results += check(facts, snapshot)
    for check in LOCAL_CHECKS:
        results += check(facts, snapshot or BCSnapshot())
    return results
