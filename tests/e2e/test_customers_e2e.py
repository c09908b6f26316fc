"""The customers flow: shop customers (Shopify simulator over HTTP) -> BC customers (BC simulator)."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from integrations.models import Flow, Integration
from syncs.mapping import codes
from syncs.models import EntityType, RecordLink, SyncCursor, SyncLogEntry, SyncRun
from tests.e2e.test_orders_e2e import company


@pytest.fixture
def customers_flow(shop, bc_integration):
    Integration.objects.filter(pk=bc_integration.pk).update(
        customer_strategy=Integration.CustomerStrategy.MATCH_EMAIL_PHONE
    )
    # The shop's customers were last updated in February 2025: the cursor is before that.
    SyncCursor.objects.create(
        integration=bc_integration, flow=Flow.CUSTOMERS, last_loaded_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    )
    return shop


def sync_customers(integration) -> SyncRun:
    try:
        call_command("sync", str(integration.pk), "--flow", "customers", stdout=StringIO())
    except CommandError as error:  # a run with failed records exits 1
        assert error.returncode == 1, error
    return SyncRun.objects.filter(flow=Flow.CUSTOMERS).latest("pk")


def customer_links() -> dict[str, RecordLink]:
    return {link.source_reference: link for link in RecordLink.objects.filter(entity_type=EntityType.CUSTOMER)}


def bc_customers(sim_bc) -> dict[str, dict]:
    return {row["email"]: row for row in company(sim_bc).rows("customers") if row.get("email")}


def test_shop_customers_are_matched_by_email_or_created_from_the_countrys_defaults(
    customers_flow, sim_bc, bc_integration
):
    # Anna is in BC already.
    anna = {"number": "30000", "displayName": "Anna S", "email": "anna.svensson@example.com"}
    company(sim_bc).insert("customers", anna)
    before = len(company(sim_bc).rows("customers"))

    run = sync_customers(bc_integration)

    assert run.status == SyncRun.Status.PARTIAL, run.error_message
    # SE, DE and FI are mapped; DK, FR and NL are not.
    assert (run.records_seen, run.records_updated, run.records_created, run.records_failed) == (10, 1, 6, 3)
    assert len(company(sim_bc).rows("customers")) == before + 6
    links = customer_links()
    assert links["anna.svensson@example.com"].target_number == "30000"
    jonas = bc_customers(sim_bc)["jonas.mueller@example.com"]
    assert (jonas["country"], jonas["currencyCode"], jonas["taxAreaDisplayName"]) == (
        "DE",
        "EUR",
        "OSS consumers Germany",
    )
    failed = [link for link in links.values() if link.state == RecordLink.State.FAILED]
    assert {link.last_error_code for link in failed} == {codes.COUNTRY_NOT_MAPPED}
    assert SyncCursor.objects.get(integration=bc_integration, flow=Flow.CUSTOMERS).last_loaded_at.year > 2025

    SyncCursor.objects.filter(flow=Flow.CUSTOMERS).update(last_loaded_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    again = sync_customers(bc_integration)  # a rerun creates nothing

    assert (again.records_created, again.records_skipped) == (0, 7)
    assert len(company(sim_bc).rows("customers")) == before + 6


def test_shop_numbering_makes_the_shop_customer_id_the_bc_number(customers_flow, sim_bc, bc_integration):
    Integration.objects.filter(pk=bc_integration.pk).update(customer_numbering=Integration.Numbering.SHOP_NUMBER)

    run = sync_customers(bc_integration)

    assert run.records_created == 7
    erik = next(c for c in customers_flow.sim.store.customers.values() if c["firstName"] == "Erik")
    assert bc_customers(sim_bc)["erik.johansson@example.com"]["number"] == erik["id"].rsplit("/", 1)[-1]


def test_without_manual_nos_bcs_refusal_surfaces_with_its_code(customers_flow, sim_bc, bc_integration):
    Integration.objects.filter(pk=bc_integration.pk).update(customer_numbering=Integration.Numbering.SHOP_NUMBER)
    company(sim_bc).number_series["CUST"].manual_nos = False

    run = sync_customers(bc_integration)

    assert (run.records_created, run.records_failed) == (0, 10)  # 7 refused by BC, 3 countries not mapped
    link = customer_links()["erik.johansson@example.com"]
    assert link.state == RecordLink.State.FAILED and link.last_error_code.startswith("BC-")
    assert "Manual Nos." in link.last_error_message


def test_with_collective_customers_the_flow_is_not_needed(shop, sim_bc, bc_integration):
    before = len(company(sim_bc).rows("customers"))

    run = sync_customers(bc_integration)

    assert run.records_seen == 0 and len(company(sim_bc).rows("customers")) == before
    entry = SyncLogEntry.objects.get(run=run, level=SyncLogEntry.Level.INFO)
    assert "not needed" in entry.message


@pytest.mark.parametrize("field", ["customers_enabled", "allow_writes"])
def test_switched_off_or_before_go_live_nothing_is_written(field, customers_flow, sim_bc, bc_integration):
    Integration.objects.filter(pk=bc_integration.pk).update(**{field: False})
    before = len(company(sim_bc).rows("customers"))

    run = sync_customers(bc_integration)

    assert run.records_seen == 0 and len(company(sim_bc).rows("customers")) == before
    assert not RecordLink.objects.filter(entity_type=EntityType.CUSTOMER).exists()


def test_a_matched_customer_with_another_vat_group_than_its_country_is_named(customers_flow, sim_bc, bc_integration):
    """OSS: BC takes the VAT group from the customer card; a matched customer keeps its own (it may be a
    business under reverse charge), so the mismatch is named, in the run's log and in preflight."""
    from syncs.preflight.facts import preflight_facts_get

    export = company(sim_bc).find("taxAreas", code="EXPORT")
    anna = {"number": "30000", "displayName": "Anna S", "email": "anna.svensson@example.com"}
    company(sim_bc).insert("customers", anna | {"taxAreaId": export["id"], "taxAreaDisplayName": "Export"})

    run = sync_customers(bc_integration)

    warning = SyncLogEntry.objects.get(run=run, error_code="MAP-027")
    assert warning.level == SyncLogEntry.Level.WARNING
    assert "Customer 30000" in warning.message and "EXPORT" in warning.message and "DOMESTIC" in warning.message
    assert customer_links()["anna.svensson@example.com"].details["matched_country"] == "SE"
    assert preflight_facts_get(integration=bc_integration).matched_customers == {"30000": "SE"}
