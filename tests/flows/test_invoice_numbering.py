"""Sales documents are numbered by BC's series: the "shop number" mode wrote the read-only `number`."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from integrations.models import Integration
from tests.factories import IntegrationFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("integrations.migrations.0002_invoice_numbering_bc_series")


def test_existing_shop_number_integrations_move_to_bc_series():
    kept = IntegrationFactory()
    moved = IntegrationFactory()
    Integration.objects.filter(pk=moved.pk).update(invoice_numbering="shop_number")

    migration.shop_numbers_to_bc_series(apps, None)

    assert set(Integration.objects.values_list("invoice_numbering", flat=True)) == {"bc_series"}
    assert Integration.objects.filter(pk__in=[kept.pk, moved.pk]).count() == 2


def test_shop_number_is_no_longer_a_choice_for_invoices():
    integration = IntegrationFactory()
    integration.invoice_numbering = "shop_number"
    with pytest.raises(ValidationError) as refused:
        integration.full_clean()
    assert "invoice_numbering" in refused.value.message_dict
