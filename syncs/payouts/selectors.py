"""Read side of payouts for merchant pages: every read is scoped to the user's tenant."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from integrations.models import Integration
from integrations.selectors import integration_get_for_user
from syncs.models import Payout


def payout_list(*, integration: Integration) -> QuerySet[Payout]:
    return Payout.objects.filter(integration=integration).order_by("-arrival_date", "-pk")


def payout_get_for_user(*, user, integration_id: int, payout_id: int) -> Payout:
    """The payout of one of the user's integrations, or Http404 (another tenant's ids are not revealed)."""
    integration = integration_get_for_user(user=user, integration_id=integration_id)
    payout = payout_list(integration=integration).filter(pk=payout_id).select_related("integration").first()
    if payout is None:
        raise Http404("No such payout.")
    return payout
