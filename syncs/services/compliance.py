"""Shopify's mandatory compliance webhooks: customers/data_request, customers/redact, shop/redact.

Each verified delivery is recorded once (ComplianceRequest, by webhook id) and acted on:

- customers/redact: the customer's personal data leaves every stored payload (webhook events,
  record links' raw source), log entry and record of the shop's integrations. Records keep their
  ids and the Business Central document numbers (the accounting documents in BC stay as they are),
  so a later sync still finds them and never creates a duplicate.
- customers/data_request: an export of what is stored about the customer (records, stored payloads,
  log lines) is kept on the request for support to send to the merchant.
- shop/redact (48 hours after uninstall): the shop's stored payloads and tokens are removed; the
  record links stay as ids only (a reinstall must not duplicate documents in BC).

The customer's e-mail, needed to find log lines, is held on the request only until it is done.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_q.tasks import async_task

from integrations.models import Integration, ShopConnection
from syncs.models import ComplianceRequest, EntityType, RecordLink, SourceSystem, SyncLogEntry, WebhookEvent

logger = logging.getLogger(__name__)

REDACTED = "[redacted]"
# Fields whose values are a person's data in Shopify's payloads (REST and GraphQL shapes).
PERSONAL_FIELDS = frozenset(
    {
        "email",
        "contact_email",
        "phone",
        "first_name",
        "last_name",
        "firstName",
        "lastName",
        "address1",
        "address2",
        "city",
        "zip",
        "province",
        "latitude",
        "longitude",
        "note",
        "browser_ip",
        "emailAddress",
        "phoneNumber",
        "displayName",
        "user_agent",
    }
)
# Objects that describe a person: inside them ``name`` and ``company`` are theirs too (elsewhere a
# ``name`` is an order number or a product title and stays).
PERSON_OBJECTS = frozenset(
    {
        "customer",
        "billing_address",
        "shipping_address",
        "billingAddress",
        "shippingAddress",
        "defaultAddress",
        "default_address",
        "addresses",
        "client_details",
        "defaultEmailAddress",
        "defaultPhoneNumber",
    }
)


def _gid(kind: str, value) -> str:
    text = str(value or "")
    if not text:
        return ""
    return text if text.startswith("gid://") else f"gid://shopify/{kind}/{text}"


def scrub(value, *, person: bool = False):
    """``value`` with every personal field replaced; ids, amounts, SKUs, countries and numbers stay."""
    if isinstance(value, dict):
        cleaned = {}
        for key, item in value.items():
            if isinstance(item, dict | list):
                cleaned[key] = scrub(item, person=person or key in PERSON_OBJECTS)
            elif item not in (None, "") and (key in PERSONAL_FIELDS or (person and key in ("name", "company"))):
                cleaned[key] = REDACTED
            else:
                cleaned[key] = item
        return cleaned
    if isinstance(value, list):
        return [scrub(item, person=person) for item in value]
    return value


def _mentions(value, *, customer_gid: str, customer_id: str, email: str) -> bool:
    """True when a payload belongs to the customer (their id or e-mail anywhere in it)."""
    if isinstance(value, dict):
        return any(
            _mentions(v, customer_gid=customer_gid, customer_id=customer_id, email=email) for v in value.values()
        )
    if isinstance(value, list):
        return any(_mentions(v, customer_gid=customer_gid, customer_id=customer_id, email=email) for v in value)
    text = str(value) if value is not None else ""
    return bool(text) and (
        text == customer_gid
        or bool(customer_id and text == customer_id)
        or bool(email and text.lower() == email.lower())
    )


# --- intake -------------------------------------------------------------------------------------------


def compliance_request_receive(
    *, shop_domain: str, topic: str, webhook_id: str, payload: dict
) -> tuple[ComplianceRequest, bool]:
    """Record a verified compliance delivery once; queue acting on it."""
    customer = payload.get("customer")
    if not isinstance(customer, dict):
        customer = {}
    orders = payload.get("orders_to_redact") or payload.get("orders_requested") or []
    connection = ShopConnection.objects.filter(shop_domain=shop_domain).order_by("-pk").first()
    try:
        with transaction.atomic():
            request, created = ComplianceRequest.objects.get_or_create(
                webhook_id=webhook_id[:100],
                defaults={
                    "integration_id": connection.integration_id if connection else None,
                    "shop_domain": shop_domain[:255],
                    "topic": topic,
                    "customer_id": str(customer.get("id") or "")[:40],
                    "customer_email": str(customer.get("email") or "")[:254],
                    "order_ids": [str(o) for o in orders if isinstance(o, int | str)][:1000],
                },
            )
    except IntegrityError:
        return ComplianceRequest.objects.get(webhook_id=webhook_id[:100]), False
    if created:
        transaction.on_commit(partial(async_task, "syncs.tasks.compliance_request_process_task", request.pk))
    return request, created


# --- acting on it -------------------------------------------------------------------------------------


def compliance_request_process(*, request_id: int) -> ComplianceRequest:
    request = ComplianceRequest.objects.get(pk=request_id)
    if request.state == ComplianceRequest.State.DONE:
        return request
    integrations = list(
        Integration.objects.filter(shop_connection__shop_domain=request.shop_domain).values_list("pk", flat=True)
    )
    try:
        with transaction.atomic():
            if request.topic == ComplianceRequest.Topic.CUSTOMER_REDACT:
                summary, export = customer_redact(request=request, integration_ids=integrations), None
            elif request.topic == ComplianceRequest.Topic.DATA_REQUEST:
                export = customer_export(request=request, integration_ids=integrations)
                summary = {key: len(value) for key, value in export.items() if isinstance(value, list)}
            else:
                summary, export = shop_redact(shop_domain=request.shop_domain, integration_ids=integrations), None
            ComplianceRequest.objects.filter(pk=request.pk).update(
                state=ComplianceRequest.State.DONE,
                summary=summary,
                export=export,
                customer_email="",
                error_message="",
                processed_at=timezone.now(),
            )
    except Exception as error:  # recorded, loud, and retried by the task queue
        ComplianceRequest.objects.filter(pk=request.pk).update(
            state=ComplianceRequest.State.FAILED, error_message=f"{type(error).__name__}: {error}"[:2000]
        )
        logger.exception("Compliance request %s (%s) failed", request.pk, request.topic)
        raise
    request.refresh_from_db()
    return request


def _customer_scope(request: ComplianceRequest, integration_ids: Iterable[int]):
    customer_gid = _gid("Customer", request.customer_id)
    order_gids = {_gid("Order", order) for order in request.order_ids}
    links = RecordLink.objects.filter(integration_id__in=integration_ids, source_system=SourceSystem.SHOPIFY)
    customer_links = links.filter(entity_type=EntityType.CUSTOMER, source_id__in=[customer_gid, request.customer_id])
    order_links = links.filter(entity_type__in=(EntityType.ORDER, EntityType.REFUND)).filter(source_id__in=order_gids)
    return customer_gid, order_gids, customer_links, order_links


def _events_of(request: ComplianceRequest, integration_ids, customer_gid: str, order_gids: set[str]):
    email = request.customer_email
    for event in WebhookEvent.objects.filter(
        integration_id__in=integration_ids, source_system=SourceSystem.SHOPIFY
    ).iterator():
        payload = event.payload if isinstance(event.payload, dict) else {}
        order_gid = payload.get("admin_graphql_api_id") or _gid("Order", payload.get("id"))
        if order_gid in order_gids or _mentions(
            payload, customer_gid=customer_gid, customer_id=request.customer_id, email=email
        ):
            yield event


def _logs_of(request: ComplianceRequest, integration_ids):
    if not request.customer_email:
        return SyncLogEntry.objects.none()
    return SyncLogEntry.objects.filter(integration_id__in=integration_ids, message__icontains=request.customer_email)


def customer_redact(*, request: ComplianceRequest, integration_ids: list[int]) -> dict:
    customer_gid, order_gids, customer_links, order_links = _customer_scope(request, integration_ids)
    counts = {"records": 0, "webhook_events": 0, "log_entries": 0}
    for link in [*customer_links, *order_links]:
        link.raw_source = scrub(link.raw_source) if link.raw_source is not None else None
        link.details = scrub(link.details or {})
        if link.entity_type == EntityType.CUSTOMER:
            link.source_reference = ""  # it held the e-mail or phone; the id stays
        link.save(update_fields=["raw_source", "details", "source_reference", "updated_at"])
        counts["records"] += 1
    for event in _events_of(request, integration_ids, customer_gid, order_gids):
        WebhookEvent.objects.filter(pk=event.pk).update(payload=scrub(event.payload))
        counts["webhook_events"] += 1
    email = request.customer_email
    for entry in _logs_of(request, integration_ids):
        message = _replace_ci(entry.message, email)
        SyncLogEntry.objects.filter(pk=entry.pk).update(message=message, details=scrub(entry.details or {}))
        counts["log_entries"] += 1
    return counts


def _replace_ci(text: str, needle: str) -> str:
    if not needle:
        return text
    lower, target, out, start = text.lower(), needle.lower(), [], 0
    while (index := lower.find(target, start)) >= 0:
        out += [text[start:index], REDACTED]
        start = index + len(needle)
    return "".join([*out, text[start:]])


def customer_export(*, request: ComplianceRequest, integration_ids: list[int]) -> dict:
    customer_gid, order_gids, customer_links, order_links = _customer_scope(request, integration_ids)
    records = [
        {
            "type": link.entity_type,
            "shop_id": link.source_id,
            "reference": link.source_reference,
            "business_central_number": link.target_number,
            "state": link.state,
            "stored_data": link.raw_source,
        }
        for link in [*customer_links, *order_links]
    ]
    events = [
        {"topic": e.topic, "received_at": e.received_at.isoformat(), "data": e.payload}
        for e in _events_of(request, integration_ids, customer_gid, order_gids)
    ]
    logs = [
        {"at": entry.created_at.isoformat(), "message": entry.message} for entry in _logs_of(request, integration_ids)
    ]
    return {
        "shop": request.shop_domain,
        "customer_id": request.customer_id,
        "orders": sorted(request.order_ids),
        "records": records,
        "webhook_events": events,
        "log_entries": logs,
    }


def shop_redact(*, shop_domain: str, integration_ids: list[int]) -> dict:
    events = WebhookEvent.objects.filter(integration_id__in=integration_ids, source_system=SourceSystem.SHOPIFY)
    removed_events = events.count()
    events.delete()
    links = RecordLink.objects.filter(integration_id__in=integration_ids, source_system=SourceSystem.SHOPIFY)
    cleared = links.exclude(raw_source=None).update(raw_source=None, updated_at=timezone.now())
    links.filter(entity_type=EntityType.CUSTOMER).update(source_reference="")
    ShopConnection.objects.filter(shop_domain=shop_domain, integration_id__in=integration_ids).update(
        access_token="", refresh_token="", webhook_secret="", access_token_expires_at=None, updated_at=timezone.now()
    )
    return {"webhook_events": removed_events, "records_cleared": cleared}
