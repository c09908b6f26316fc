"""Merchant reconciliation pages for payouts: thin views over syncs.payouts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from integrations.selectors import integration_get_for_user
from syncs.payouts.csv_export import payout_csv_filename, payout_csv_render
from syncs.payouts.reconciliation import payout_report
from syncs.payouts.selectors import payout_get_for_user, payout_list
from syncs.payouts.services import payouts_retry


@login_required
def payouts(request, integration_id: int):
    integration = integration_get_for_user(user=request.user, integration_id=integration_id)
    rows = payout_list(integration=integration)[:200]
    return render(request, "payouts/list.html", {"integration": integration, "payouts": rows})


@login_required
def payout_detail(request, integration_id: int, payout_id: int):
    payout = payout_get_for_user(user=request.user, integration_id=integration_id, payout_id=payout_id)
    args = [integration_id, payout.pk]
    return render(
        request,
        "payouts/detail.html",
        {
            "integration": payout.integration,
            "report": payout_report(payout=payout),
            "base_template": "base.html",
            "csv_url": reverse("payouts:csv", args=args),
            "retry_url": reverse("payouts:retry", args=args),
        },
    )


@login_required
def payout_csv(request, integration_id: int, payout_id: int):
    payout = payout_get_for_user(user=request.user, integration_id=integration_id, payout_id=payout_id)
    language = get_language()
    response = HttpResponse(payout_csv_render(payout=payout, language=language), content_type="text/csv; charset=utf-8")
    filename = payout_csv_filename(payout=payout, language=language)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["POST"])
def payout_retry(request, integration_id: int, payout_id: int):
    payout = payout_get_for_user(user=request.user, integration_id=integration_id, payout_id=payout_id)
    payouts_retry(payout_ids=[payout.pk])
    messages.success(request, _("The payout will be matched and booked again in a moment."))
    return redirect("payouts:detail", integration_id=integration_id, payout_id=payout.pk)
