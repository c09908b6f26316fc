"""Preflight runs in the admin: read-only history with results inline, and "Run again"."""

from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from syncs.errors import find_error
from syncs.models import PreflightCheckResult, PreflightRun
from syncs.preflight.services import preflight_enqueue


class PreflightCheckResultInline(admin.TabularInline):
    model = PreflightCheckResult
    extra = 0
    can_delete = False
    fields = readonly_fields = ("check_name", "status", "message", "objects_json", "error_link")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("Error code"))
    def error_link(self, obj: PreflightCheckResult) -> str:
        entry = find_error(obj.error_code)
        if entry is None:
            return obj.error_code
        return format_html('<a href="{}" title="{}">{}</a>', entry.help_url, entry.title, entry.code)


@admin.register(PreflightRun)
class PreflightRunAdmin(admin.ModelAdmin):
    list_display = ["id", "integration", "trigger", "status", "failed_count", "warning_count", "started_at"]
    list_filter = ["status", "trigger"]
    list_select_related = ["integration__tenant"]
    search_fields = ["integration__name", "integration__tenant__name"]
    show_full_result_count = False
    inlines = [PreflightCheckResultInline]
    actions = ["run_again"]
    fields = readonly_fields = (
        "integration",
        "trigger",
        "status",
        "started_at",
        "finished_at",
        "passed_count",
        "warning_count",
        "failed_count",
    )

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_run_preflight_permission(self, request) -> bool:
        return request.user.has_perm("integrations.run_preflight")

    @admin.action(permissions=["run_preflight"], description=_("Run again"))
    def run_again(self, request, queryset) -> None:
        integration_ids = sorted(set(queryset.values_list("integration_id", flat=True)))
        for integration_id in integration_ids:
            preflight_enqueue(integration_id=integration_id, trigger=PreflightRun.Trigger.MANUAL)
        self.message_user(
            request, _("Preflight queued for %(count)d integration(s).") % {"count": len(integration_ids)}
        )
