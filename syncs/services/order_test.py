"""The wizard's test with a real order: preview it everywhere, really create it in a Sandbox.

A Sandbox test goes through the orders flow itself (`orders_sync`): the order's RecordLink is the
idempotency anchor, so pressing the button twice (or after a lost answer) links the document BC
already has instead of creating a second one. The orders flow's lease keeps two presses apart.
A Production company is never written from the test step: there it stays a preview.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils import timezone

from integrations.commerce import Order
from integrations.models import BusinessCentralConnection, Flow, Integration
from syncs.clients import BCClient, ClientFactory, client_factory_default
from syncs.errors import ClassifiedError, ProductError, classify_exception
from syncs.models import EntityType, RecordLink, SyncRun
from syncs.services.bc_links import bc_document_url
from syncs.services.locks import FlowLocked, flow_lock
from syncs.services.orders.context import OrdersSyncResult
from syncs.services.orders.preview import OrderPreview, order_preview
from syncs.services.orders.sync import orders_sync
from syncs.services.runs import sync_run_create, sync_run_finish
from syncs.services.shop_source import shop_source_system

# The test order is refused in a Production company (preview only there).
TEST_WRITE_PRODUCTION = "BC-801"
# Another run of the orders flow holds its lease: the test waits for it.
TEST_WRITE_BUSY = "BC-802"
LEASE_SECONDS = 300
CENT = Decimal("0.01")

logger = logging.getLogger(__name__)


@dataclass
class SandboxDocument:
    """The BC document of the test order, as the merchant sees it."""

    number: str
    kind: str  # "invoice" | "order"
    status: str
    bc_total: str
    shop_total: str
    currency: str
    url: str = ""


@dataclass
class OrderTestOutcome:
    preview: OrderPreview
    document: SandboxDocument | None = None
    created: bool = False
    errors: list[dict] = field(default_factory=list)

    @property
    def written(self) -> bool:
        return self.document is not None and not self.errors


def _coded(error: ClassifiedError) -> dict:
    return {
        "code": error.code,
        "title": str(error.entry.title),
        "message": error.message,
        "remedy": str(error.entry.remedy),
    }


def _is_production(integration: Integration) -> bool:
    connection = integration.bc_connection
    return connection.environment_type != BusinessCentralConnection.EnvironmentType.SANDBOX


def _money(value: str) -> str:
    try:
        return str(Decimal(value).quantize(CENT))
    except (InvalidOperation, TypeError):
        return ""


def _document(*, integration: Integration, link: RecordLink) -> SandboxDocument:
    details = link.details or {}
    kind = "order" if details.get("document_kind") == "order" else "invoice"
    posted = bool(details.get("status")) and details.get("status") != "Draft"
    return SandboxDocument(
        number=link.target_number,
        kind=kind,
        status=details.get("status", ""),
        bc_total=_money(details.get("bc_total", "")),
        shop_total=_money(details.get("shop_total", "")),
        currency=details.get("currency") or integration.base_currency,
        url=bc_document_url(connection=integration.bc_connection, kind=kind, posted=posted, number=link.target_number),
    )


def order_test_preview(
    *, integration: Integration, order_name: str, clients: ClientFactory | None = None
) -> OrderTestOutcome:
    """The preview only (writes nothing anywhere)."""
    clients = clients or client_factory_default()
    return OrderTestOutcome(preview=order_preview(integration=integration, order_name=order_name, clients=clients))


def order_test_run(
    *, integration: Integration, order_name: str, clients: ClientFactory | None = None
) -> OrderTestOutcome:
    """Preview the order; in a Sandbox company create (and post, when so configured) its document,
    exactly once. Returns the preview, the BC document and any coded error."""
    clients = clients or client_factory_default()
    preview = order_preview(integration=integration, order_name=order_name, clients=clients)
    outcome = OrderTestOutcome(preview=preview)
    if not preview.ok or preview.skip_reason or preview.order is None:
        return outcome
    if _is_production(integration):
        outcome.errors.append(
            _coded(
                classify_exception(ProductError(TEST_WRITE_PRODUCTION, company=integration.bc_connection.company_name))
            )
        )
        return outcome
    try:
        with flow_lock(integration_id=integration.pk, flow=Flow.ORDERS, holder="test-order", ttl_seconds=LEASE_SECONDS):
            run = sync_run_create(
                integration_id=integration.pk,
                flow=Flow.ORDERS,
                trigger=SyncRun.Trigger.TEST_ORDER,
                parameters={"order_names": [preview.order_name]},
            )
            SyncRun.objects.filter(pk=run.pk).update(status=SyncRun.Status.RUNNING, started_at=timezone.now())
            result = _run(
                run=run, integration=integration, order=preview.order, client=clients.bc(integration=integration)
            )
    except FlowLocked:
        outcome.errors.append(_coded(classify_exception(ProductError(TEST_WRITE_BUSY))))
        return outcome
    if isinstance(result, ClassifiedError):
        outcome.errors.append(_coded(result))
        return outcome
    outcome.created = result.created > 0
    link = RecordLink.objects.filter(
        integration=integration,
        entity_type=EntityType.ORDER,
        source_system=shop_source_system(integration=integration),
        source_id=preview.order.id,
    ).first()
    if link is None:
        return outcome
    if link.state == RecordLink.State.FAILED:
        outcome.errors.append(
            {"code": link.last_error_code, "title": "", "message": link.last_error_message, "remedy": ""}
        )
    if link.target_number:
        outcome.document = _document(integration=integration, link=link)
    return outcome


def _run(
    *, run: SyncRun, integration: Integration, order: Order, client: BCClient
) -> OrdersSyncResult | ClassifiedError:
    try:
        result = orders_sync(integration=integration, orders=[order], client=client, run=run, with_refunds=False)
    except Exception as exc:  # noqa: BLE001 - shown coded on the page and kept on the run, never a 500
        logger.exception("Test order of integration %s failed", integration.pk)
        error = classify_exception(exc)
        sync_run_finish(run_id=run.pk, status=SyncRun.Status.FAILED, error_code=error.code, error_message=error.message)
        return error
    status = SyncRun.Status.FAILED if result.failed else SyncRun.Status.SUCCEEDED
    sync_run_finish(
        run_id=run.pk,
        status=status,
        records_seen=result.seen,
        records_created=result.created,
        records_updated=result.linked,
        records_skipped=result.skipped,
        records_failed=result.failed,
        api_requests=client.stats.requests,
        api_operations=client.stats.operations,
    )
    return result
