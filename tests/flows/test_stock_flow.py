# ruff: noqa: F811 - pytest fixtures imported from tests.flows.catalogue_fakes
"""The products and stock flows through the run executor and the management commands."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from syncs.flows import products as products_flow
from syncs.models import SyncRun
from tests.flows.catalogue_fakes import bc, integration, shop  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture
def clients(monkeypatch, bc, shop):
    monkeypatch.setattr(products_flow, "flow_clients", lambda integration: (bc, shop))
    return bc, shop


def test_commands_run_products_then_stock_and_record_the_runs(integration, clients):
    bc, shop = clients
    bc.add_item("1928-S", inventory=4)
    bc.add_item("1929-S", inventory=-1)
    out = StringIO()

    call_command("sync_products", integration.pk, stdout=out)
    call_command("sync_stock", integration.pk, stdout=out)

    products_run, stock_run = SyncRun.objects.filter(integration=integration).order_by("pk")
    assert (products_run.flow, products_run.status, products_run.records_created) == ("products", "succeeded", 2)
    assert (stock_run.flow, stock_run.status, stock_run.records_updated) == ("stock", "succeeded", 2)
    assert stock_run.trigger == SyncRun.Trigger.COMMAND
    assert sorted(shop.levels.values()) == [0, 4]
    assert "stock run" in out.getvalue()


def test_a_rejected_item_makes_the_stock_run_partial(integration, clients):
    bc, shop = clients
    bc.add_item("A", inventory=1)
    bc.add_item("B", inventory=2)
    call_command("sync_products", integration.pk, stdout=StringIO())
    shop.reject_inventory_items.add(shop.variant_by_sku("B").inventory_item_id)

    call_command("sync_stock", integration.pk, stdout=StringIO())

    run = SyncRun.objects.get(flow="stock")
    assert (run.status, run.records_updated, run.records_failed) == ("partial", 1, 1)


def test_missing_location_mapping_fails_the_run_with_its_code(integration, clients):
    integration.location_mappings.all().delete()

    call_command("sync_stock", integration.pk, stdout=StringIO())

    run = SyncRun.objects.get(flow="stock")
    assert (run.status, run.error_code) == ("failed", "MAP-402")
