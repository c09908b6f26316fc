"""Every payment method, shipping method and country seen in recent orders is mapped."""

from __future__ import annotations

from integrations.models import ShippingMethodMapping
from syncs.preflight.checks._util import combine, listing
from syncs.preflight.types import BCSnapshot, CheckResult, IntegrationFacts, Status


def _unmapped(name: str, seen: set[str], mapped: set[str], code: str, param: str) -> list[CheckResult]:
    problems = [
        CheckResult.problem(name, Status.FAIL, code, [value], **{param: value}) for value in sorted(seen - mapped)
    ]
    return [combine(name, problems, f"All mapped: {listing(seen) or '-'}.")]


def check_payment_methods(facts: IntegrationFacts, snap: BCSnapshot) -> list[CheckResult]:  # noqa: ARG001
    return _unmapped(
        "mappings.payment_methods", facts.order_payment_methods, facts.mapped_payment_methods, "MAP-013", "gateway"
    )


def check_shipping_methods(facts: IntegrationFacts, snap: BCSnapshot) -> list[CheckResult]:  # noqa: ARG001
    mapped = facts.mapped_shipping_methods
    if ShippingMethodMapping.CATCH_ALL in mapped:
        mapped = mapped | facts.order_shipping_methods  # the catch-all row covers every method
    return _unmapped("mappings.shipping_methods", facts.order_shipping_methods, mapped, "MAP-004", "code")


def check_countries(facts: IntegrationFacts, snap: BCSnapshot) -> list[CheckResult]:  # noqa: ARG001
    return _unmapped("mappings.countries", facts.order_countries, set(facts.country_vat_groups), "MAP-002", "country")
