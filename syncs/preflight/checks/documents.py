"""What the settings put on every document: dimensions (exist, not blocked), the salesperson and the
location (exist, not blocked), and a document-number prefix of its own when shops share a company."""

from __future__ import annotations

from syncs.mapping import codes
from syncs.preflight.checks._util import combine, listing
from syncs.preflight.types import BCSnapshot, CheckResult, IntegrationFacts, Status

DIMENSIONS = "documents.dimensions"
SALESPERSON = "documents.salesperson"
LOCATION = "documents.location"
PREFIX = "documents.number_prefix"


def check_dimensions(facts: IntegrationFacts, snap: BCSnapshot) -> list[CheckResult]:
    if not facts.mapped_dimension_values:
        return []
    if snap.dimension_values is None:
        return [CheckResult(DIMENSIONS, Status.WARN, "Dimensions could not be read from Business Central.")]
    problems = []
    for dimension, value in sorted(facts.mapped_dimension_values):
        objects = [{"dimension": dimension, "value": value}]
        if value not in snap.dimension_values.get(dimension, set()):
            problems.append(
                CheckResult.problem(
                    DIMENSIONS, Status.FAIL, codes.DIMENSION_UNKNOWN, objects, dimension_code=dimension, value=value
                )
            )
        elif snap.blocked_dimension_values is not None and (dimension, value) in snap.blocked_dimension_values:
            problems.append(
                CheckResult.problem(DIMENSIONS, Status.FAIL, "MAP-022", objects, dimension_code=dimension, value=value)
            )
    if snap.blocked_dimension_values is None and not problems:
        problems.append(
            CheckResult.problem(
                DIMENSIONS,
                Status.WARN,
                "BC-601",
                [{"page": "537", "service_name": "DimensionValues"}],
                page_id="537",
                service_name="DimensionValues",
            )
        )
    found = listing(f"{d}={v}" for d, v in facts.mapped_dimension_values)
    return [combine(DIMENSIONS, problems, f"Every mapped dimension value exists and is not blocked ({found}).")]


def check_salesperson(facts: IntegrationFacts, snap: BCSnapshot) -> list[CheckResult]:
    code = facts.salesperson_code
    if not code or snap.salespeople is None:
        return []
    if snap.salespeople.get(code, True):  # unknown (None -> True) or blocked
        return [CheckResult.problem(SALESPERSON, Status.FAIL, codes.SALESPERSON_UNKNOWN, [{"code": code}], code=code)]
    return [CheckResult.ok(SALESPERSON, f"Salesperson {code} exists and is not blocked.")]


def check_location(facts: IntegrationFacts, snap: BCSnapshot) -> list[CheckResult]:
    code = facts.location_code
    if not code or snap.locations is None:
        return []
    if code not in snap.locations:
        return [CheckResult.problem(LOCATION, Status.FAIL, codes.LOCATION_UNKNOWN, [{"code": code}], code=code)]
    return [CheckResult.ok(LOCATION, f"Location {code} exists.")]


def check_number_prefix(facts: IntegrationFacts, snap: BCSnapshot) -> list[CheckResult]:  # noqa: ARG001
    if not facts.prefix_shared_with:
        return []
    names = listing(facts.prefix_shared_with)
    prefix = facts.document_number_prefix or "(none)"
    return [
        CheckResult.problem(
            PREFIX,
            Status.FAIL,
            codes.DOCUMENT_PREFIX_SHARED,
            [{"prefix": prefix, "integrations": names}],
            prefix=prefix,
            integrations=names,
        )
    ]
