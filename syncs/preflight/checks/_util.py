"""Small helpers shared by the checks."""

from __future__ import annotations

from syncs.preflight.types import CheckResult, Status

_ORDER = {Status.PASS: 0, Status.WARN: 1, Status.FAIL: 2}


def combine(name: str, problems: list[CheckResult], ok_message: str, ok_objects: list | None = None) -> CheckResult:
    """Several findings of one check become one result: the worst status, every message and object."""
    if not problems:
        return CheckResult.ok(name, ok_message, ok_objects)
    worst = max(problems, key=lambda p: _ORDER[p.status])
    return CheckResult(
        name=name,
        status=worst.status,
        message=" ".join(p.message for p in problems),
        objects=[obj for p in problems for obj in p.objects],
        error_code=worst.error_code,
    )


def listing(values) -> str:
    return ", ".join(sorted(str(v) for v in values))
