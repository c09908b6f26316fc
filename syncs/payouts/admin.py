"""Payout admin additions: a re-match action and the reconciliation report with the admin chrome."""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from integrations.admin import ProjectPermissionsMixin
from syncs.admin import PayoutAdmin
from syncs.models import Payout
from syncs.payouts.reconciliation import payout_report, payout_report_csv
from syncs.payouts.services import payouts_retry


class ReconciliationPayoutAdmin(ProjectPermissionsMixin, PayoutAdmin):
    list_display = [*PayoutAdmin.list_display, "report_link"]
    list_filter = [*PayoutAdmin.list_filter, "provider", "market", "currency"]
    # PayoutAdmin is an unparametrised ModelAdmin: mypy cannot tell which model its actions are for.
    actions = [*(PayoutAdmin.actions or []), "rematch"]  # type: ignore[misc]

    @admin.display(description="report")
    def report_link(self, obj) -> str:
        return format_html('<a href="{}">report</a>', reverse("admin:syncs_payout_report", args=[obj.pk]))

    @admin.action(permissions=["run_sync"], description="Re-match and book again (after mappings or orders were fixed)")
    def rematch(self, request, queryset):
        runs = payouts_retry(payout_ids=list(queryset.values_list("pk", flat=True)), trigger="manual")
        self.message_user(request, f"Queued {len(runs)} payouts run(s).", messages.SUCCESS)

    def get_urls(self):
        own = [
            path("<int:payout_id>/report/", self.admin_site.admin_view(self.report_view), name="syncs_payout_report"),
            path("<int:payout_id>/report/csv/", self.admin_site.admin_view(self.csv_view), name="syncs_payout_csv"),
        ]
        return own + super().get_urls()

    def report_view(self, request, payout_id: int):
        payout = get_object_or_404(Payout.objects.select_related("integration"), pk=payout_id)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Payout {payout.provider_payout_id}",
            "report": payout_report(payout=payout),
            "base_template": "admin/base_site.html",
            "csv_url": reverse("admin:syncs_payout_csv", args=[payout.pk]),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "payouts/detail.html", context)

    def csv_view(self, request, payout_id: int):
        payout = get_object_or_404(Payout, pk=payout_id)
        response = HttpResponse(payout_report_csv(payout=payout), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="payout-{payout.pk}.csv"'
        return response


admin.site.unregister(Payout)
admin.site.register(Payout, ReconciliationPayoutAdmin)
