"""Token, environment, company and permissions."""

from __future__ import annotations

from syncs.preflight.checks._util import combine
from syncs.preflight.types import BCSnapshot, CheckResult, IntegrationFacts, Status

NAME = "connection"


def check_connection(facts: IntegrationFacts, snap: BCSnapshot) -> list[CheckResult]:  # noqa: ARG001
    return [_token(snap), _environment(snap), _company(snap), _permissions(snap)]


def _token(snap: BCSnapshot) -> CheckResult:
    name = f"{NAME}.token"
    error = snap.errors.get("token")
    if error:
        return CheckResult(name, Status.FAIL, error.message, [], error.entry.code)
    if snap.on_premises:
        return CheckResult.ok(name, "The on-premises server accepts the integration's credentials.")
    return CheckResult.ok(name, "The Business Central token is valid.")


def _environment(snap: BCSnapshot) -> CheckResult:
    name = f"{NAME}.environment"
    error = snap.errors.get("environment")
    if error:
        return CheckResult(name, Status.FAIL, error.message, [snap.environment_name], error.entry.code)
    if snap.on_premises:
        # A server instance has no environments or admin center: its API answering is the check.
        return CheckResult.ok(name, "The on-premises server's API answers (no environments on-premises).", [])
    if snap.environment_status != "Active":
        return CheckResult.problem(
            name,
            Status.FAIL,
            "BC-001",
            [{"environment": snap.environment_name}],
            environment=snap.environment_name,
            status=snap.environment_status or "not found",
        )
    return CheckResult.ok(
        name, f"Environment {snap.environment_name} ({snap.environment_type}) is active.", [snap.environment_name]
    )


def _company(snap: BCSnapshot) -> CheckResult:
    name = f"{NAME}.company"
    error = snap.errors.get("company")
    if error or not snap.company_reachable:
        code = error.entry.code if error else "BC-003"
        message = error.message if error else ""
        problem = CheckResult.problem(name, Status.FAIL, "BC-003", [snap.company_name], company=snap.company_name)
        return CheckResult(name, Status.FAIL, f"{problem.message} {message}".strip(), [snap.company_name], code)
    return CheckResult.ok(name, f"Company {snap.company_name} is reachable.", [snap.company_name])


def _permissions(snap: BCSnapshot) -> CheckResult:
    name = f"{NAME}.permissions"
    error = snap.errors.get("permissions")
    if error:
        return CheckResult(name, Status.FAIL, error.message, [], error.entry.code)
    problems = []
    for probe in snap.permissions:
        missing = [right for right, ok in (("read", probe.can_read), ("write", probe.can_write)) if not ok]
        if missing:
            problems.append(
                CheckResult.problem(
                    name,
                    Status.FAIL,
                    "BC-004",
                    [{"entity": probe.entity, "missing": missing}],
                    permission=" and ".join(missing),
                    object=probe.entity,
                )
            )
    entities = [p.entity for p in snap.permissions]
    return combine(name, problems, f"Read and write access to {', '.join(entities)} (probe rolled back).", entities)
