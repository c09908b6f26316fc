"""Wizard step 4: test with one real shop order."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from integrations.models import (
    BusinessCentralConnection,
    Integration,
    ShopConnection,
)
from integrations.services.onboarding.errors import (
    OnboardingError,
)
from syncs.services.order_test import order_test_preview, order_test_run


def integration_test_order(*, integration: Integration, order_name: str, write: bool = False, clients=None):
    """Test one real shop order: a preview everywhere; with ``write`` in a Sandbox company the document
    is really created (and posted, when so configured), exactly once. In a Production company a
    write is refused with BC-801 and the preview stays. Returns the outcome (preview, document, errors)."""
    bc = BusinessCentralConnection.objects.filter(integration=integration).first()
    if bc is None or not bc.is_connected or not ShopConnection.objects.filter(integration=integration).exists():
        raise OnboardingError(_("Connect Business Central and the shop in step 2 first, then preview a test order."))
    runner = order_test_run if write else order_test_preview
    outcome = runner(integration=integration, order_name=order_name.strip(), clients=clients)
    sandbox = bc.environment_type == BusinessCentralConnection.EnvironmentType.SANDBOX
    if not outcome.preview.ok or (write and sandbox and not outcome.written):
        return outcome  # shown with its errors; not a passed test
    integration.test_order_passed_at = timezone.now()
    updates = ["updated_at", "test_order_passed_at"]
    if sandbox:
        integration.sandbox_test_passed_at = timezone.now()
        updates.append("sandbox_test_passed_at")
    if integration.status == Integration.Status.DRAFT:
        integration.status = Integration.Status.TESTING
        updates.append("status")
    integration.save(update_fields=updates)
    return outcome
