"""VAT Posting Setup covers every (country's VAT business group) x (VAT product group in use) (page 472)."""

from __future__ import annotations

from syncs.preflight.checks._util import combine
from syncs.preflight.types import BCSnapshot, CheckResult, IntegrationFacts, Status

NAME = "vat.posting_setup"


def business_groups(facts: IntegrationFacts) -> set[str]:
    """The VAT business posting group of every country mapped or sold to (unmapped countries: mappings check)."""
    countries = set(facts.country_vat_groups) | facts.order_countries
    return {facts.country_vat_groups[c] for c in countries if facts.country_vat_groups.get(c)}


def product_groups(facts: IntegrationFacts, snap: BCSnapshot) -> set[str]:
    items = {group for sku, group in snap.item_vat_groups.items() if group and sku in facts.order_skus}
    return {g for g in facts.tax_class_vat_groups | facts.shipping_vat_groups | items if g}


def check_vat_posting_setup(facts: IntegrationFacts, snap: BCSnapshot) -> list[CheckResult]:
    if snap.vat_setup is None or "VATPostingSetup" in snap.unpublished_pages:
        return [
            CheckResult.problem(
                NAME,
                Status.FAIL,
                "BC-601",
                [{"page": "472", "service_name": "VATPostingSetup"}],
                page_id="472",
                service_name="VATPostingSetup",
            )
        ]
    problems = []
    combos = sorted((bus, prod) for bus in business_groups(facts) for prod in product_groups(facts, snap))
    for bus, prod in combos:
        objects = [{"vat_bus_posting_group": bus, "vat_prod_posting_group": prod}]
        if (bus, prod) not in snap.vat_setup:
            problems.append(
                CheckResult.problem(NAME, Status.FAIL, "BC-101", objects, vat_bus_group=bus, vat_prod_group=prod)
            )
        elif snap.vat_setup[(bus, prod)]:
            problems.append(
                CheckResult.problem(NAME, Status.FAIL, "BC-102", objects, vat_bus_group=bus, vat_prod_group=prod)
            )
    ok = f"VAT Posting Setup has all {len(combos)} combinations in use."
    return [combine(NAME, problems, ok, [f"{b}/{p}" for b, p in combos])]
