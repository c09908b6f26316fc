"""Every payment method, shipping method and country seen in recent orders is mapped, and every
country has a collective customer that exists in BC when the customer strategy needs one."""

from __future__ import annotations

from integrations.models import ShippingMethodMapping
from syncs.mapping import codes
from syncs.preflight.checks._util import combine, listing
from syncs.preflight.types import BCSnapshot, CheckResult, IntegrationFacts, Status


def _looked_at(facts: IntegrationFacts, seen: set[str]) -> str:
    """Says what the check compared, so a pass before any order synced is not read as "all mapped"."""
    if not facts.orders_looked_at:
        return (
            f"No orders synced in the last {facts.lookback_days} days yet, so there was nothing to compare; "
            "checked again once orders sync."
        )
    return (
        f"Looked at {facts.orders_looked_at} synced order(s) of the last {facts.lookback_days} days: "
        f"all mapped ({listing(seen) or '-'})."
    )


def _unmapped(
    facts: IntegrationFacts, name: str, seen: set[str], mapped: set[str], code: str, param: str
) -> list[CheckResult]:
    problems = [
        CheckResult.problem(name, Status.FAIL, code, [value], **{param: value}) for value in sorted(seen - mapped)
    ]
    return [combine(name, problems, _looked_at(facts, seen))]


def check_payment_methods(facts: IntegrationFacts, snap: BCSnapshot) -> list[CheckResult]:  # noqa: ARG001
    return _unmapped(
        facts,
        "mappings.payment_methods",
        facts.order_payment_methods,
        facts.mapped_payment_methods,
        "MAP-013",
        "gateway",
    )


def check_shipping_methods(facts: IntegrationFacts, snap: BCSnapshot) -> list[CheckResult]:  # noqa: ARG001
    mapped = facts.mapped_shipping_methods
    if ShippingMethodMapping.CATCH_ALL in mapped:
        mapped = mapped | facts.order_shipping_methods  # the catch-all row covers every method
    return _unmapped(facts, "mappings.shipping_methods", facts.order_shipping_methods, mapped, "MAP-004", "code")


def check_countries(facts: IntegrationFacts, snap: BCSnapshot) -> list[CheckResult]:  # noqa: ARG001
    return _unmapped(
        facts, "mappings.countries", facts.order_countries, set(facts.country_vat_groups), "MAP-002", "country"
    )


def check_collective_customers(facts: IntegrationFacts, snap: BCSnapshot) -> list[CheckResult]:
    """With one collective customer per country, each mapped country needs one, unblocked in BC.

    A collective customer chosen under the e-mail/phone strategy (for orders without contact details)
    is checked against BC too. ``snap.customers`` is None when BC could not be read: only the local
    part runs then (the connection check reports why).
    """
    name = "mappings.collective_customers"
    problems = []
    if facts.collective_strategy:
        problems += [
            CheckResult.problem(name, Status.FAIL, codes.NO_COLLECTIVE_CUSTOMER, [country], country=country)
            for country in sorted(facts.country_vat_groups)
            if not facts.collective_customers.get(country)
        ]
    configured = {country: number for country, number in facts.collective_customers.items() if number}
    if snap.customers is not None:
        for country, number in sorted(configured.items()):
            objects = [{"country": country, "customer": number}]
            if number not in snap.customers:
                record = f"customer {number} (collective customer for {country})"
                problems.append(CheckResult.problem(name, Status.FAIL, "BC-006", objects, record=record))
            elif snap.customers[number]:
                problems.append(
                    CheckResult.problem(
                        name, Status.FAIL, "BC-401", objects, customer_number=number, blocked=snap.customers[number]
                    )
                )
    if not facts.collective_strategy and not configured:
        return [CheckResult.ok(name, "Not applicable: customers are matched by e-mail, then phone.")]
    ok = ", ".join(f"{country} {number}" for country, number in sorted(configured.items()))
    return [combine(name, problems, f"Collective customers: {ok or '-'}.", sorted(configured))]
