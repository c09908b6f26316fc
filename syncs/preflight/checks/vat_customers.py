"""OSS: the VAT business posting group of every customer the product books to matches its country.

BC takes the VAT Bus. Posting Group of an invoice from the customer card, not from the order: a German
collective customer set to DOMESTIC books Swedish VAT on German OSS sales. Collective customers are the
product's own choice, so a mismatch fails; a customer matched by e-mail or phone may rightly differ (a
business buyer under reverse charge), so it is named as a warning.
"""

from __future__ import annotations

from syncs.preflight.checks._util import combine
from syncs.preflight.types import BCSnapshot, CheckResult, IntegrationFacts, Status

NAME = "vat.customers"


def customer_vat_mismatches(
    *, customers: dict[str, str], country_vat_groups: dict[str, str], customer_groups: dict[str, str]
) -> list[tuple[str, str, str, str]]:
    """(customer, country, customer's group, country's group) for each customer -> country that differs."""
    found = []
    for number, country in sorted(customers.items()):
        expected = country_vat_groups.get(country.upper(), "")
        actual = customer_groups.get(number, "")
        if number and expected and actual and actual.upper() != expected.upper():
            found.append((number, country.upper(), actual, expected))
    return found


def check_customer_vat_groups(facts: IntegrationFacts, snap: BCSnapshot) -> list[CheckResult]:
    if snap.customers is None:
        return [CheckResult.ok(NAME, "Not checked: the customers could not be read (see the connection check).")]
    collective = {number: country for country, number in facts.collective_customers.items() if number}
    problems = []
    for status, customers in ((Status.FAIL, collective), (Status.WARN, facts.matched_customers)):
        for number, country, actual, expected in customer_vat_mismatches(
            customers=customers, country_vat_groups=facts.country_vat_groups, customer_groups=snap.customer_vat_groups
        ):
            objects = [{"customer": number, "country": country, "vat_bus_posting_group": actual, "expected": expected}]
            problems.append(
                CheckResult.problem(
                    NAME,
                    status,
                    "MAP-027",
                    objects,
                    customer_number=number,
                    country=country,
                    customer_group=actual,
                    vat_bus_group=expected,
                )
            )
    checked = len(set(collective) | set(facts.matched_customers))
    return [
        combine(NAME, problems, f"The {checked} customer(s) in use have their country's VAT business posting group.")
    ]
