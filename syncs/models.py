"""MOVING data: record links, cursors, runs, logs, payouts."""

from __future__ import annotations

from typing import Protocol

from django.db import models
from django.utils.translation import gettext_lazy as _

from integrations.models import Flow, Integration


class SourceSystem(models.TextChoices):
    SHOPIFY = "shopify", "Shopify"
    WOOCOMMERCE = "woocommerce", "WooCommerce"
    BUSINESS_CENTRAL = "business_central", "Business Central"
    STRIPE = "stripe", "Stripe"
    SHOPIFY_PAYMENTS = "shopify_payments", "Shopify Payments"
    ADYEN = "adyen", "Adyen"


class EntityType(models.TextChoices):
    ORDER = "order", _("Order")
    REFUND = "refund", _("Refund")
    CUSTOMER = "customer", _("Customer")
    ITEM = "item", _("Item / product")
    STOCK = "stock", _("Stock level")
    PAYOUT = "payout", _("Payout")
    PAYMENT = "payment", _("Payment")
    SHIPMENT = "shipment", _("Shipment")


class RecordLink(models.Model):
    """The binding of one source record to its BC record: the idempotency anchor."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SYNCED = "synced", _("Synced")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped")
        CONFLICT = "conflict", _("Conflict")

    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="record_links")
    entity_type = models.CharField(max_length=20, choices=EntityType.choices)
    source_system = models.CharField(max_length=20, choices=SourceSystem.choices)
    source_id = models.CharField(max_length=100)
    source_reference = models.CharField(max_length=100, blank=True, help_text=_("Human reference, e.g. #1001"))
    target_id = models.CharField(max_length=64, blank=True, help_text=_("BC SystemId (GUID)"))
    target_number = models.CharField(max_length=40, blank=True)
    target_etag = models.CharField(max_length=200, blank=True)
    state = models.CharField(max_length=20, choices=State.choices, default=State.PENDING)
    payload_digest = models.CharField(max_length=64, blank=True)
    last_error_code = models.CharField(max_length=20, blank=True)
    last_error_message = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    raw_source = models.JSONField(null=True, blank=True)
    raw_target = models.JSONField(null=True, blank=True)
    details = models.JSONField(default=dict, blank=True, help_text=_("Flow-specific facts (currency mode, diffs)"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    synced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["integration", "entity_type", "source_system", "source_id"], name="record_link_unique_source"
            )
        ]
        indexes = [
            models.Index(fields=["integration", "entity_type", "state"], name="link_integration_type_state"),
            models.Index(fields=["state", "updated_at"], name="link_state_updated"),
            models.Index(fields=["source_reference"], name="link_source_reference"),
            models.Index(fields=["source_id"], name="link_source_id"),
            models.Index(fields=["target_number"], name="link_target_number"),
            models.Index(fields=["last_error_code"], name="link_error_code"),
            # Admin changelist filters, ordered like the list.
            models.Index(fields=["integration", "-updated_at"], name="link_integration_updated"),
            models.Index(fields=["entity_type", "-updated_at"], name="link_type_updated"),
            models.Index(fields=["-updated_at"], name="link_updated"),
        ]
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return f"{self.entity_type} {self.source_reference or self.source_id}"


class SyncCursor(models.Model):
    """Per (integration, flow) "last loaded" time. Saved only after a successful fetch."""

    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="sync_cursors")
    flow = models.CharField(max_length=20, choices=Flow.choices)
    last_loaded_at = models.DateTimeField(null=True, blank=True)
    position = models.CharField(max_length=200, blank=True, help_text=_("Opaque vendor cursor, if any"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["integration", "flow"], name="sync_cursor_unique")]

    def __str__(self) -> str:
        return f"{self.integration_id}:{self.flow} @ {self.last_loaded_at}"


class RenewableLease(Protocol):
    """What a running flow does with its lease (syncs.services.locks.FlowLeaseHandle)."""

    def renew(self) -> None: ...


class SyncRun(models.Model):
    """One row per execution of a flow."""

    # Not a column: the flow lease, set on the in-memory run while its handler runs (run_execute).
    lease: RenewableLease

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", _("Schedule")
        WEBHOOK = "webhook", _("Webhook")
        MANUAL = "manual", _("Manual")
        COMMAND = "command", _("Command")
        RETRY = "retry", _("Retry")
        GO_LIVE = "go_live", _("Going live")
        SETTINGS = "settings", _("Settings saved")
        TEST_ORDER = "test_order", _("Test order")
        PROMOTION = "promotion", _("Moved to Production")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        PARTIAL = "partial", _("Partially failed")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped (locked)")

    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="sync_runs")
    flow = models.CharField(max_length=20, choices=Flow.choices)
    trigger = models.CharField(max_length=20, choices=Trigger.choices, default=Trigger.MANUAL)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    task_id = models.CharField(max_length=64, blank=True)
    parameters = models.JSONField(default=dict, blank=True)
    records_seen = models.PositiveIntegerField(default=0)
    records_created = models.PositiveIntegerField(default=0)
    records_updated = models.PositiveIntegerField(default=0)
    records_skipped = models.PositiveIntegerField(default=0)
    records_failed = models.PositiveIntegerField(default=0)
    api_requests = models.PositiveIntegerField(default=0)
    api_operations = models.PositiveIntegerField(default=0)
    error_code = models.CharField(max_length=20, blank=True)
    error_message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["integration", "flow", "-created_at"], name="run_integration_flow_created"),
            models.Index(fields=["status", "-created_at"], name="run_status_created"),
            models.Index(fields=["flow", "-created_at"], name="run_flow_created"),
            models.Index(fields=["-created_at"], name="run_created"),
        ]

    def __str__(self) -> str:
        return f"{self.flow} run #{self.pk} ({self.status})"

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None

    # A partly failed run has no error of its own: its first error log line stands in
    # (``logged_error_*`` are annotated by syncs.selectors.sync_runs_with_first_error).
    @property
    def first_error_code(self) -> str:
        return self.error_code or getattr(self, "logged_error_code", None) or ""

    @property
    def first_error_message(self) -> str:
        return self.error_message or getattr(self, "logged_error_message", None) or ""


class FailedSyncRun(SyncRun):
    """Proxy for the admin's "failed runs" screen."""

    class Meta:
        proxy = True
        verbose_name = "failed sync run"


class SyncLogEntry(models.Model):
    """Append-only events of a run. Large: indexed for the admin's filters, pruned by retention."""

    class Level(models.TextChoices):
        INFO = "info", _("Info")
        WARNING = "warning", _("Warning")
        ERROR = "error", _("Error")

    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="log_entries")
    run = models.ForeignKey(SyncRun, null=True, blank=True, on_delete=models.CASCADE, related_name="log_entries")
    record_link = models.ForeignKey(
        RecordLink, null=True, blank=True, on_delete=models.SET_NULL, related_name="log_entries"
    )
    flow = models.CharField(max_length=20, choices=Flow.choices)
    level = models.CharField(max_length=10, choices=Level.choices, default=Level.INFO)
    error_code = models.CharField(max_length=20, blank=True)
    message = models.TextField()
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "sync log entries"
        indexes = [
            models.Index(fields=["integration", "-created_at"], name="log_integration_created"),
            models.Index(fields=["flow", "-created_at"], name="log_flow_created"),
            models.Index(fields=["level", "-created_at"], name="log_level_created"),
            models.Index(fields=["error_code", "-created_at"], name="log_error_code_created"),
            models.Index(fields=["-created_at"], name="log_created"),
        ]

    def __str__(self) -> str:
        return f"[{self.level}] {self.message[:80]}"


class FlowLease(models.Model):
    """Per (integration, flow) lock so overlapping runs never process the same records twice."""

    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="flow_leases")
    flow = models.CharField(max_length=20, choices=Flow.choices)
    holder = models.CharField(max_length=100, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["integration", "flow"], name="flow_lease_unique")]

    def __str__(self) -> str:
        return f"lease {self.integration_id}:{self.flow}"


class WebhookEvent(models.Model):
    """A verified inbound webhook, stored raw and deduplicated by the vendor's webhook id."""

    class State(models.TextChoices):
        RECEIVED = "received", _("Received")
        PROCESSED = "processed", _("Processed")
        FAILED = "failed", _("Failed")

    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="webhook_events")
    source_system = models.CharField(max_length=20, choices=SourceSystem.choices)
    webhook_id = models.CharField(max_length=100)
    topic = models.CharField(max_length=100)
    payload = models.JSONField()
    state = models.CharField(max_length=20, choices=State.choices, default=State.RECEIVED)
    error_message = models.TextField(blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # Per integration: one shop's delivery never hides another's with the same id.
        constraints = [
            models.UniqueConstraint(
                fields=["integration", "source_system", "webhook_id"], name="webhook_event_unique_per_integration"
            )
        ]
        indexes = [
            models.Index(fields=["state", "received_at"], name="webhook_state_received"),
            models.Index(fields=["integration", "-received_at"], name="webhook_integration_received"),
            models.Index(fields=["-received_at"], name="webhook_received"),
        ]

    def __str__(self) -> str:
        return f"{self.topic} {self.webhook_id}"


class ComplianceRequest(models.Model):
    """A mandatory privacy webhook (customers/data_request, customers/redact, shop/redact), kept as
    proof that it was received and acted on. Ids only: the customer's e-mail is held until done."""

    class Topic(models.TextChoices):
        DATA_REQUEST = "customers/data_request", _("Customer data request")
        CUSTOMER_REDACT = "customers/redact", _("Customer data erasure")
        SHOP_REDACT = "shop/redact", _("Shop data erasure")

    class State(models.TextChoices):
        RECEIVED = "received", _("Received")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    integration = models.ForeignKey(
        Integration, on_delete=models.SET_NULL, null=True, blank=True, related_name="compliance_requests"
    )
    shop_domain = models.CharField(max_length=255, db_index=True)
    topic = models.CharField(max_length=40, choices=Topic.choices)
    webhook_id = models.CharField(max_length=100, unique=True)
    customer_id = models.CharField(max_length=40, blank=True)
    customer_email = models.CharField(max_length=254, blank=True)  # emptied once acted on
    order_ids = models.JSONField(default=list, blank=True)
    state = models.CharField(max_length=20, choices=State.choices, default=State.RECEIVED)
    summary = models.JSONField(default=dict, blank=True, help_text=_("What was removed or exported (counts)"))
    export = models.JSONField(null=True, blank=True, help_text=_("The customer's data, for support to send"))
    error_message = models.TextField(blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.topic} {self.shop_domain}"


class Payout(models.Model):
    """Staged provider payout. Only paid payouts are booked."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending at provider")
        PAID = "paid", _("Paid")
        FAILED = "failed", _("Failed at provider")
        CANCELED = "canceled", _("Canceled")

    class BookingState(models.TextChoices):
        NEW = "new", _("Not booked")
        PARTIAL = "partial", _("Partially booked")
        BOOKED = "booked", _("Booked")
        POSTED = "posted", _("Posted")
        FAILED = "failed", _("Failed")

    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="payouts")
    provider = models.CharField(max_length=30)
    # The provider connection's market (Klarna and Adyen connect per market); picks the configuration.
    market = models.CharField(max_length=20, blank=True)
    provider_payout_id = models.CharField(max_length=100)
    status = models.CharField(max_length=20, choices=Status.choices)
    currency = models.CharField(max_length=3)
    amount = models.DecimalField(max_digits=18, decimal_places=2, help_text=_("Net amount paid out"))
    gross = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    fees = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    arrival_date = models.DateField(null=True, blank=True)
    booking_state = models.CharField(max_length=20, choices=BookingState.choices, default=BookingState.NEW)
    last_error_code = models.CharField(max_length=20, blank=True)
    last_error_message = models.TextField(blank=True)
    raw = models.JSONField(null=True, blank=True)
    # Line tag -> BC journal line id of every line written for this payout: a line posted (and so
    # gone from the journal) is still known as booked, so it is never written twice.
    booked_lines = models.JSONField(default=dict, blank=True)
    booked_at = models.DateTimeField(null=True, blank=True)
    # The zero check from BC's ledger: the payout's G/L entries on the clearing account, read back
    # after posting (debit - credit, LCY); empty until checked.
    clearing_ledger_balance = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    clearing_ledger_checked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-arrival_date", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["integration", "provider", "provider_payout_id"], name="payout_unique")
        ]
        indexes = [
            models.Index(fields=["integration", "booking_state"], name="payout_integration_booking"),
            models.Index(fields=["status", "-arrival_date"], name="payout_status_arrival"),
            models.Index(fields=["booking_state", "-arrival_date"], name="payout_booking_arrival"),
            models.Index(fields=["-arrival_date"], name="payout_arrival"),
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.provider_payout_id}"


class PayoutTransaction(models.Model):
    class MappedType(models.TextChoices):
        CHARGE = "charge", _("Charge")
        REFUND = "refund", _("Refund")
        FEE = "fee", _("Fee")
        ADJUSTMENT = "adjustment", _("Adjustment")
        PAYOUT = "payout", _("Payout transfer")
        UNKNOWN = "unknown", _("Unknown")

    class Category(models.TextChoices):
        """What the money is, as an accountant books it (syncs/payouts/categories.py maps each
        provider's types to one of these, and each of these to the MappedType posting reads)."""

        CHARGE = "charge", _("Charge")
        REFUND = "refund", _("Refund")
        REFUND_FAILURE = "refund_failure", _("Failed refund")
        FEE = "fee", _("Fee")
        FEE_REFUND = "fee_refund", _("Fee refund")
        DISPUTE = "dispute", _("Dispute or chargeback")
        DISPUTE_REVERSAL = "dispute_reversal", _("Dispute reversal")
        FX_FEE = "fx_fee", _("Currency conversion fee")
        RESERVE = "reserve", _("Reserve or hold")
        TRANSFER = "transfer", _("Transfer to bank")
        PAYOUT_REVERSAL = "payout_reversal", _("Failed payout reversal")
        ADJUSTMENT = "adjustment", _("Other adjustment")
        UNKNOWN = "unknown", _("Unknown")

    class MatchState(models.TextChoices):
        UNMATCHED = "unmatched", _("Unmatched")
        MATCHED = "matched", _("Matched")
        BOOKED = "booked", _("Booked")
        NOT_APPLICABLE = "n/a", _("Not applicable")

    payout = models.ForeignKey(Payout, on_delete=models.CASCADE, related_name="transactions")
    provider_transaction_id = models.CharField(max_length=100)
    raw_type = models.CharField(max_length=60)
    mapped_type = models.CharField(max_length=20, choices=MappedType.choices)
    category = models.CharField(max_length=20, choices=Category.choices, blank=True)
    amount = models.DecimalField(max_digits=18, decimal_places=2)
    fee = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    net = models.DecimalField(max_digits=18, decimal_places=2)
    currency = models.CharField(max_length=3)
    order_reference = models.CharField(max_length=100, blank=True)
    source_reference = models.CharField(max_length=100, blank=True, help_text=_("Charge / refund id"))
    match_state = models.CharField(max_length=20, choices=MatchState.choices, default=MatchState.UNMATCHED)
    bc_document_number = models.CharField(max_length=40, blank=True)
    bc_line_id = models.CharField(max_length=64, blank=True)
    error_code = models.CharField(max_length=20, blank=True)
    error_message = models.TextField(blank=True)
    raw = models.JSONField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["payout", "provider_transaction_id"], name="payout_transaction_unique")
        ]

    def __str__(self) -> str:
        return f"{self.raw_type} {self.amount} {self.currency}"


class PreflightRun(models.Model):
    """One health check of an integration's BC setup; results kept as history."""

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", _("Schedule")
        MANUAL = "manual", _("Manual")
        COMMAND = "command", _("Command")
        WIZARD = "wizard", _("Go-live wizard")
        PROMOTION = "promotion", _("Move to Production")

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        PASSED = "pass", _("Passed")
        WARNINGS = "warn", _("Passed with warnings")
        FAILED = "fail", _("Failed")

    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="preflight_runs")
    trigger = models.CharField(max_length=20, choices=Trigger.choices, default=Trigger.MANUAL)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    passed_count = models.PositiveIntegerField(default=0)
    warning_count = models.PositiveIntegerField(default=0)
    failed_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["integration", "-started_at"], name="preflight_integration_started")]

    def __str__(self) -> str:
        return f"preflight #{self.pk} ({self.status})"


class PreflightCheckResult(models.Model):
    class Status(models.TextChoices):
        PASSED = "pass", _("Pass")
        WARNING = "warn", _("Warning")
        FAILED = "fail", _("Fail")

    run = models.ForeignKey(PreflightRun, on_delete=models.CASCADE, related_name="results")
    check_name = models.CharField(max_length=60)
    status = models.CharField(max_length=10, choices=Status.choices)
    message = models.TextField(blank=True)
    objects_json = models.JSONField(default=list, blank=True, help_text=_("The exact BC objects concerned"))
    error_code = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["run", "pk"]

    def __str__(self) -> str:
        return f"{self.check_name}: {self.status}"
