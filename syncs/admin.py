"""Support's read-only screens over the large sync tables.

Every changelist here names its joins (``list_select_related``), skips the unfiltered COUNT
(``show_full_result_count``) and facets, and filters through indexed columns; filters on
unbounded values (integration, error code) are text boxes, not option lists built by a query.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html

from integrations.admin import InputFilter, IntegrationIdFilter, ProjectPermissionsMixin, integration_link
from syncs.admin_display import json_pretty, record_link_history
from syncs.admin_forms import ItemRelinkForm
from syncs.errors import find_error
from syncs.models import (
    ComplianceRequest,
    EntityType,
    FailedSyncRun,
    FlowLease,
    Payout,
    PayoutTransaction,
    RecordLink,
    SyncCursor,
    SyncLogEntry,
    SyncRun,
    WebhookEvent,
)
from syncs.selectors import sync_runs_with_first_error
from syncs.services.dispatch import (
    flow_enqueue,
    record_links_flows_switched_off,
    record_links_retry,
    record_links_unlink,
)
from syncs.services.products import item_relink
from syncs.templatetags.error_codes import error_link

# Records support may send again: a failed one, or one stuck waiting or in conflict.
RETRYABLE_STATES = (RecordLink.State.FAILED, RecordLink.State.PENDING, RecordLink.State.CONFLICT)


class ReadOnlyAdminMixin:
    """Logs and staged data: viewable, never added, edited or deleted by hand."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_readonly_fields(self, request, obj=None):
        return [*(f.name for f in self.model._meta.fields), *self.readonly_fields]


class EstimatedCountPaginator(Paginator):
    """On PostgreSQL an unfiltered changelist takes the planner's row estimate instead of COUNT(*).

    COUNT(*) over millions of rows costs ~100 ms per page load; the page count only needs to be
    roughly right. Filtered lists (small, indexed) are still counted exactly.
    """

    ESTIMATE_ABOVE = 100_000

    @cached_property
    def count(self) -> int:
        query = getattr(self.object_list, "query", None)
        if query is not None and not query.where and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [query.model._meta.db_table]
                )
                row = cursor.fetchone()
            if row and row[0] > self.ESTIMATE_ABOVE:
                return row[0]
        return super().count


class LargeTableAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    list_per_page = 50
    # Exact matches on indexed columns; a term also matches with a leading "#" (shop order names).
    exact_search_fields: tuple[str, ...] = ()

    # Every error code shown links to its entry in the reference (cause and remedy).
    @admin.display(description="error code", ordering="error_code")
    def error_code_link(self, obj) -> str:
        return error_link(obj.error_code)

    @admin.display(description="last error code", ordering="last_error_code")
    def last_error_code_link(self, obj) -> str:
        return error_link(obj.last_error_code)

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term or not self.exact_search_fields:
            return super().get_search_results(request, queryset, search_term)
        terms = {term, f"#{term.lstrip('#')}"}
        exact = Q()
        for field in self.exact_search_fields:
            exact |= Q(**{f"{field}__in": terms})
        if self.search_fields:
            contains, may_have_duplicates = super().get_search_results(request, queryset, search_term)
            return queryset.filter(exact) | contains, may_have_duplicates
        return queryset.filter(exact), False


class ErrorCodeFilter(InputFilter):
    title = "error code"
    parameter_name = "error_code"
    field = "error_code"

    def queryset(self, request, queryset):
        value = (self.value() or "").strip().upper()
        return queryset.filter(**{self.field: value}) if value else queryset


class LastErrorCodeFilter(ErrorCodeFilter):
    field = "last_error_code"


def _run_link(run_id: int | None) -> str:
    if run_id is None:
        return "-"
    return format_html('<a href="{}">#{}</a>', reverse("admin:syncs_syncrun_change", args=[run_id]), run_id)


@admin.register(RecordLink)
class RecordLinkAdmin(ProjectPermissionsMixin, LargeTableAdmin):
    list_display = [
        "id",
        "integration_ref",
        "entity_type",
        "source_reference",
        "source_id",
        "target_number",
        "state",
        "attempts",
        "last_error_code_link",
        "updated_at",
    ]
    list_select_related = ["integration"]
    list_filter = [IntegrationIdFilter, "entity_type", "state", LastErrorCodeFilter, "updated_at"]
    search_fields = []
    exact_search_fields = ("source_reference", "target_number", "source_id")
    search_help_text = "Exact shop reference (#1001), BC document number or source id."
    actions = ["retry_records", "unlink_records"]
    # Detail page: raw payloads pretty-printed and the record's own log lines as its history.
    readonly_fields = ["raw_source_pretty", "raw_target_pretty", "history", "relink", "error_help", "retry"]
    fieldsets = [
        (None, {"fields": ["integration", "entity_type", "source_system", "source_id", "source_reference", "state"]}),
        ("Business Central", {"fields": ["target_id", "target_number", "target_etag", "synced_at", "relink"]}),
        (
            "Last attempt",
            {
                "fields": [
                    "attempts",
                    "last_error_code",
                    "error_help",
                    "last_error_message",
                    "retry",
                    "payload_digest",
                ]
            },
        ),
        ("History", {"fields": ["history"]}),
        ("Raw data", {"fields": ["raw_source_pretty", "raw_target_pretty", "details", "created_at", "updated_at"]}),
    ]

    @admin.display(description="integration", ordering="integration_id")
    def integration_ref(self, obj) -> str:
        return integration_link(obj.integration)

    @admin.display(description="source payload (raw)")
    def raw_source_pretty(self, obj) -> str:
        return json_pretty(obj.raw_source)

    @admin.display(description="Business Central response (raw)")
    def raw_target_pretty(self, obj) -> str:
        return json_pretty(obj.raw_target)

    @admin.display(description="log entries of this record")
    def history(self, obj) -> str:
        return record_link_history(obj.pk)

    @admin.display(description="what it means and what to do")
    def error_help(self, obj) -> str:
        entry = find_error(obj.last_error_code or "")
        if entry is None:
            return "-"
        return format_html(
            "<strong>{}</strong><br>{}<br><strong>Remedy:</strong> {}<br>"
            '<a href="{}" target="_blank" rel="noopener">Help page for {}</a>',
            entry.title,
            entry.cause,
            entry.remedy,
            entry.help_url,
            entry.code,
        )

    @admin.display(description="retry")
    def retry(self, obj) -> str:
        if obj.state not in RETRYABLE_STATES:
            return "-"
        url = reverse("admin:syncs_recordlink_retry", args=[obj.pk])
        return format_html('<a class="button" href="{}">Retry this record…</a>', url)

    @admin.display(description="shop product")
    def relink(self, obj) -> str:
        if obj.entity_type != EntityType.ITEM:
            return "-"
        url = reverse("admin:syncs_recordlink_relink", args=[obj.pk])
        return format_html('<a href="{}">Relink to another shop product…</a>', url)

    def get_urls(self):
        custom = [
            path(
                "<int:link_id>/relink/",
                self.admin_site.admin_view(self.relink_view),
                name="syncs_recordlink_relink",
            ),
            path(
                "<int:link_id>/retry/",
                self.admin_site.admin_view(self.retry_view),
                name="syncs_recordlink_retry",
            ),
        ]
        return custom + super().get_urls()

    def retry_view(self, request, link_id: int):
        """Confirm, then queue a retry run for this one record (as the list's "Retry" action does)."""
        link = get_object_or_404(RecordLink.objects.select_related("integration"), pk=link_id)
        if not self.has_run_sync_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            record_links_retry(record_link_ids=[link.pk])
            self.message_user(request, f"{link.source_reference or link.source_id}: a retry run is queued.")
            return redirect("admin:syncs_recordlink_change", link.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Retry {link.get_entity_type_display().lower()} {link.source_reference or link.source_id}",
            "link": link,
            "entry": find_error(link.last_error_code or ""),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/record_retry_confirm.html", context)

    def relink_view(self, request, link_id: int):
        link = get_object_or_404(RecordLink, pk=link_id, entity_type=EntityType.ITEM)
        if not self.has_run_sync_permission(request):
            raise PermissionDenied
        form = ItemRelinkForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            with transaction.atomic():
                item_relink(link_id=link.pk, **form.cleaned_data)
            self.message_user(request, "Relinked; the next products run pushes the item onto that product.")
            return redirect("admin:syncs_recordlink_change", link.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": "Relink item to a shop product",
            "form": form,
            "link": link,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/item_relink.html", context)

    @admin.action(permissions=["run_sync"], description="Retry selected records")
    def retry_records(self, request, queryset) -> None:
        ids = list(queryset.values_list("pk", flat=True))
        # Records of a flow the merchant switched off stay as they are: retrying would run the flow.
        skipped = record_links_flows_switched_off(record_link_ids=ids)
        runs = record_links_retry(record_link_ids=ids, skip_switched_off=True)
        self.message_user(request, f"Queued {len(runs)} retry run(s).")
        for flow in skipped:
            self.message_user(
                request,
                f"Left the picked records of the {flow} flow as they are: the merchant has switched the {flow} flow "
                "off. Use Sync now on the integration to run it anyway (you will be asked to confirm).",
                messages.WARNING,
            )

    @admin.action(permissions=["run_sync"], description="Unlink selected records from Business Central")
    def unlink_records(self, request, queryset):
        if request.POST.get("confirm") != "yes":  # destructive: ask first, listing what it touches
            context = {
                **self.admin_site.each_context(request),
                "title": "Unlink records from Business Central?",
                "links": queryset.select_related("integration")[:200],
                "count": queryset.count(),
                "selected": list(queryset.values_list("pk", flat=True)),
                "action": "unlink_records",
                "opts": self.model._meta,
            }
            return TemplateResponse(request, "admin/record_unlink_confirm.html", context)
        count = record_links_unlink(
            record_link_ids=list(queryset.values_list("pk", flat=True)), actor=request.user.get_username()
        )
        self.message_user(request, f"Unlinked {count} record(s); the next sync looks them up in BC again.")


@admin.register(SyncRun)
class SyncRunAdmin(ProjectPermissionsMixin, LargeTableAdmin):
    list_display = [
        "id",
        "integration_ref",
        "flow",
        "trigger",
        "status",
        "records_seen",
        "records_created",
        "records_updated",
        "records_failed",
        "api_requests",
        "first_error",
        "created_at",
        "duration",
    ]
    list_select_related = ["integration"]
    list_filter = [IntegrationIdFilter, "flow", "status", "created_at"]
    actions = ["rerun"]

    def get_queryset(self, request):
        return sync_runs_with_first_error(super().get_queryset(request))

    @admin.display(description="first error")
    def first_error(self, obj) -> str:
        """The run's error, or the first error it logged (a partly failed run has none of its own)."""
        if not obj.first_error_code and not obj.first_error_message:
            return "-"
        message = obj.first_error_message
        short = message if len(message) <= 120 else f"{message[:119]}…"
        return format_html("{} {}", error_link(obj.first_error_code), short)

    @admin.display(description="integration", ordering="integration_id")
    def integration_ref(self, obj) -> str:
        return integration_link(obj.integration)

    @admin.display(description="seconds")
    def duration(self, obj) -> str:
        seconds = obj.duration_seconds
        return "-" if seconds is None else f"{seconds:.1f}"

    @admin.action(permissions=["run_sync"], description="Run the selected runs' flows again")
    def rerun(self, request, queryset) -> None:
        rows = queryset.values_list("integration_id", "flow", "parameters")
        for integration_id, flow, parameters in rows:
            flow_enqueue(
                integration_id=integration_id,
                flow=flow,
                trigger=SyncRun.Trigger.MANUAL,
                parameters={**(parameters or {}), "requested_by": request.user.get_username()},
            )
        self.message_user(request, f"Queued {len(rows)} run(s).")


@admin.register(FailedSyncRun)
class FailedSyncRunAdmin(SyncRunAdmin):
    list_filter = [IntegrationIdFilter, "flow", "created_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(status__in=[SyncRun.Status.FAILED, SyncRun.Status.PARTIAL])


@admin.register(SyncLogEntry)
class SyncLogEntryAdmin(LargeTableAdmin):
    list_display = [
        "created_at",
        "level",
        "integration_ref",
        "flow",
        "error_code_link",
        "short_message",
        "run_ref",
        "record",
    ]
    list_select_related = ["integration", "record_link"]
    # A date_hierarchy would run DISTINCT date_trunc over the whole table; the date filter runs nothing.
    list_filter = [IntegrationIdFilter, "flow", "level", ErrorCodeFilter, "created_at"]
    search_fields = ["message"]
    exact_search_fields = ("record_link__source_reference", "record_link__target_number")
    search_help_text = "Exact shop reference or BC number of the record, or words in the message."

    @admin.display(description="integration", ordering="integration_id")
    def integration_ref(self, obj) -> str:
        return integration_link(obj.integration)

    @admin.display(description="message")
    def short_message(self, obj) -> str:
        return obj.message if len(obj.message) <= 140 else f"{obj.message[:139]}…"

    @admin.display(description="run")
    def run_ref(self, obj) -> str:
        return _run_link(obj.run_id)

    @admin.display(description="record")
    def record(self, obj) -> str:
        link = obj.record_link
        if link is None:
            return "-"
        url = reverse("admin:syncs_recordlink_change", args=[link.pk])
        return format_html('<a href="{}">{}</a>', url, link.source_reference or link.source_id)


@admin.register(WebhookEvent)
class WebhookEventAdmin(LargeTableAdmin):
    list_display = ["received_at", "integration_ref", "source_system", "topic", "webhook_id", "state", "processed_at"]
    list_select_related = ["integration"]
    list_filter = [IntegrationIdFilter, "state", "received_at"]
    ordering = ["-received_at"]

    @admin.display(description="integration", ordering="integration_id")
    def integration_ref(self, obj) -> str:
        return integration_link(obj.integration)


@admin.register(ComplianceRequest)
class ComplianceRequestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Shopify's privacy requests: proof of receipt and action; a data request's export for support
    to send to the merchant (who answers the customer)."""

    list_display = ["received_at", "topic", "shop_domain", "integration_ref", "state", "processed_at"]
    list_select_related = ["integration"]
    list_filter = ["topic", "state", "received_at"]
    search_fields = ["shop_domain", "customer_id"]
    ordering = ["-received_at"]
    hidden = ("customer_email", "export", "summary")  # the e-mail is never shown; the JSON shown pretty
    readonly_fields = ["summary_pretty", "export_pretty"]

    def get_readonly_fields(self, request, obj=None):
        return [name for name in super().get_readonly_fields(request, obj) if name not in self.hidden]

    def get_fields(self, request, obj=None):
        return self.get_readonly_fields(request, obj)

    @admin.display(description="integration", ordering="integration_id")
    def integration_ref(self, obj) -> str:
        return integration_link(obj.integration) if obj.integration_id else "-"

    @admin.display(description="what was done")
    def summary_pretty(self, obj) -> str:
        return json_pretty(obj.summary)

    @admin.display(description="export (send it to the merchant, who answers the customer)")
    def export_pretty(self, obj) -> str:
        return json_pretty(obj.export)


class PayoutTransactionInline(admin.TabularInline):
    model = PayoutTransaction
    extra = 0
    can_delete = False
    fields = [
        "provider_transaction_id",
        "raw_type",
        "mapped_type",
        "amount",
        "fee",
        "net",
        "currency",
        "order_reference",
        "match_state",
        "bc_document_number",
        "error_code_link",
        "error_message",
    ]
    readonly_fields = fields

    @admin.display(description="error code")
    def error_code_link(self, obj) -> str:
        return error_link(obj.error_code)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Payout)
class PayoutAdmin(LargeTableAdmin):
    list_display = [
        "provider_payout_id",
        "integration_ref",
        "provider",
        "market",
        "status",
        "currency",
        "amount",
        "fees",
        "arrival_date",
        "booking_state",
        "clearing_ledger_balance",
        "last_error_code_link",
    ]
    list_select_related = ["integration"]
    list_filter = [IntegrationIdFilter, "status", "booking_state", "arrival_date"]
    exact_search_fields = ("provider_payout_id",)
    search_help_text = "Exact payout id (po_...)."
    inlines = [PayoutTransactionInline]

    @admin.display(description="integration", ordering="integration_id")
    def integration_ref(self, obj) -> str:
        return integration_link(obj.integration)


@admin.register(FlowLease)
class FlowLeaseAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["integration", "flow", "holder", "expires_at"]
    list_select_related = ["integration", "integration__tenant"]
    list_filter = [IntegrationIdFilter, "flow"]


@admin.register(SyncCursor)
class SyncCursorAdmin(admin.ModelAdmin):
    """Editable on purpose: moving a cursor back makes the next run backfill from there."""

    list_display = ["integration", "flow", "last_loaded_at", "position", "updated_at"]
    list_select_related = ["integration", "integration__tenant"]
    list_filter = [IntegrationIdFilter, "flow"]
    fields = ["integration", "flow", "last_loaded_at", "position", "updated_at"]
    readonly_fields = ["integration", "flow", "updated_at"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False
