"""BC items -> shop products (and, as an option, shop-only products -> BC items).

Delta by ``lastModifiedDateTime`` (SyncCursor, read back with an overlap) plus a content digest
on the item's RecordLink: an item re-read by the overlap, or touched in BC without a change the
shop shows, costs no write. Links that are not ``synced`` (failed, or set back to pending by a
retry) are re-read by id on the next run, so a failure is retried without moving the cursor back.

Conflict rule (also in Integration.product_item_template's help text and docs/flows.md): for a
linked item Business Central wins every field it pushes (title, description, price, SKU, barcode,
weight, blocked -> status); shop edits to those fields are overwritten and never copied back. A
shop product whose SKU matches no BC item creates one (both-ways mode only); a matching SKU links.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from integrations.commerce import (
    Product,
    ProductInput,
    ProductOption,
    SelectedOption,
    ShopAuthError,
    ShopError,
    ShopRefused,
    VariantInput,
)
from integrations.commerce.platform import ShopCatalogue
from integrations.connectors.businesscentral import entities, odata
from integrations.connectors.businesscentral.writes import FieldTooLong, payload_fit
from integrations.models import Flow, Integration
from syncs.clients import BCClient
from syncs.errors import ProductError, classify_exception
from syncs.mapping import codes
from syncs.mapping.products import (
    VARIANT_OPTION_NAME,
    ItemTemplate,
    MissingSku,
    ProductSpec,
    description_html,
    item_payload_from_product,
    product_digest,
    product_spec,
)
from syncs.models import EntityType, RecordLink, SourceSystem, SyncCursor, SyncLogEntry, SyncRun
from syncs.services.runs import sync_log

logger = logging.getLogger(__name__)

# BC's lastModifiedDateTime is set when the transaction commits, so a row can appear "in the
# past" of a run that already read that period; re-reading a window costs nothing (digest).
CURSOR_OVERLAP = timedelta(minutes=10)
ITEM_IDS_PER_FILTER = 20
CODE_NO_GTIN = "MAP-401"
CODE_PRODUCT_REJECTED = "SHOP-401"


@dataclass
class ProductsSyncResult:
    seen: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    bc_items_created: int = 0
    shop_products_linked: int = 0
    failed_item_ids: list[str] = field(default_factory=list)


# --- BC reads ------------------------------------------------------------------------------------


def bc_items_iter(*, bc_client: BCClient, modified_since=None) -> Iterator[Any]:
    """Items (with their variants expanded) changed after ``modified_since``, or all of them."""
    flt = odata.gt("lastModifiedDateTime", modified_since) if modified_since else None
    yield from bc_client.iter_records(entities.ITEMS, filter=flt, expand="itemVariants")


def bc_variant_item_ids(*, bc_client: BCClient, modified_since) -> set[str]:
    """Items whose variants changed: adding a variant in BC does not touch the item's timestamp."""
    flt = odata.gt("lastModifiedDateTime", modified_since)
    return {str(v.item_id) for v in bc_client.iter_records(entities.ITEM_VARIANTS, filter=flt, select=("id", "itemId"))}


def bc_items_by_ids(*, bc_client: BCClient, item_ids: Iterable[str]) -> Iterator[Any]:
    ids = sorted(set(item_ids))
    for start in range(0, len(ids), ITEM_IDS_PER_FILTER):
        chunk = [odata.guid(value) for value in ids[start : start + ITEM_IDS_PER_FILTER]]
        yield from bc_client.iter_records(entities.ITEMS, filter=odata.any_of("id", chunk), expand="itemVariants")


# --- Links ----------------------------------------------------------------------------------------


def _item_links(*, integration: Integration, source_ids: Iterable[str]) -> dict[str, RecordLink]:
    links = RecordLink.objects.filter(
        integration=integration,
        entity_type=EntityType.ITEM,
        source_system=SourceSystem.BUSINESS_CENTRAL,
        source_id__in=list(source_ids),
    )
    return {link.source_id: link for link in links}


def _variant_ids_by_key(*, spec: ProductSpec, product: Product) -> dict[str, Any]:
    """Shop variant per spec variant: by SKU, else by option value, else one variant each side."""
    by_sku = {variant.sku: variant for variant in product.variants if variant.sku}
    by_option = {
        option.value: variant
        for variant in product.variants
        for option in variant.selected_options
        if option.name == VARIANT_OPTION_NAME
    }
    found: dict[str, Any] = {}
    used: set[str] = set()
    for wanted in spec.variants:
        variant = by_sku.get(wanted.sku)
        if variant is None and wanted.option:
            variant = by_option.get(wanted.option)
        if variant is None and len(spec.variants) == 1 and len(product.variants) == 1:
            variant = product.variants[0]  # one variant each side: the same thing, SKU being changed
        if variant is not None and variant.id not in used:
            found[wanted.key] = variant
            used.add(variant.id)
    return found


@transaction.atomic
def item_links_save(
    *, integration: Integration, item: Any, spec: ProductSpec, digest: str, product: Product, origin: str = "bc"
) -> RecordLink:
    """One link for item <-> product, and one per BC item variant <-> shop variant."""
    variants = _variant_ids_by_key(spec=spec, product=product)
    now = timezone.now()
    single = variants.get(spec.item_id)
    details = {
        "product_id": product.id,
        "origin": origin,
        "variants": {
            key: {"variant_id": v.id, "inventory_item_id": v.inventory_item_id} for key, v in variants.items()
        },
    }
    if single is not None:
        details.update(variant_id=single.id, inventory_item_id=single.inventory_item_id)
    link, _ = RecordLink.objects.update_or_create(
        integration=integration,
        entity_type=EntityType.ITEM,
        source_system=SourceSystem.BUSINESS_CENTRAL,
        source_id=spec.item_id,
        defaults={
            "source_reference": spec.item_number,
            "target_id": product.id,
            "target_number": spec.variants[0].sku[:40] if spec.variants else "",
            "state": RecordLink.State.SYNCED,
            "payload_digest": digest,
            "last_error_code": "",
            "last_error_message": "",
            "attempts": 0,
            "details": details,
            "synced_at": now,
        },
    )
    for wanted in spec.variants:
        if wanted.key == spec.item_id or wanted.key not in variants:
            continue
        variant = variants[wanted.key]
        RecordLink.objects.update_or_create(
            integration=integration,
            entity_type=EntityType.ITEM,
            source_system=SourceSystem.BUSINESS_CENTRAL,
            source_id=wanted.key,
            defaults={
                "source_reference": f"{spec.item_number}/{wanted.option}",
                "target_id": variant.id,
                "target_number": wanted.sku[:40],
                "state": RecordLink.State.SYNCED,
                "last_error_code": "",
                "last_error_message": "",
                "details": {
                    "item_id": spec.item_id,
                    "variant_code": wanted.option,
                    "product_id": product.id,
                    "variant_id": variant.id,
                    "inventory_item_id": variant.inventory_item_id,
                },
                "synced_at": now,
            },
        )
    return link


def _link_failed(
    *,
    integration: Integration,
    run: SyncRun | None,
    item: Any,
    code: str,
    message: str,
    flow: str = Flow.PRODUCTS,
    product_id: str = "",
) -> None:
    link, _ = RecordLink.objects.get_or_create(
        integration=integration,
        entity_type=EntityType.ITEM,
        source_system=SourceSystem.BUSINESS_CENTRAL,
        source_id=str(item.id),
        defaults={"source_reference": item.number},
    )
    link.state = RecordLink.State.FAILED
    link.last_error_code, link.last_error_message = code, message[:2000]
    link.attempts += 1
    fields = ["state", "last_error_code", "last_error_message", "attempts", "updated_at"]
    if product_id and not link.target_id:
        # The product exists in the shop without its variants: the retry completes it, never a second one.
        link.target_id = product_id
        link.details = {**(link.details or {}), "product_id": product_id}
        fields += ["target_id", "details"]
    link.save(update_fields=fields)
    sync_log(
        run=run,
        integration_id=integration.pk,
        flow=flow,
        level=SyncLogEntry.Level.ERROR,
        message=f"Item {item.number} was not synced to the shop: {message}",
        error_code=code,
        record_link=link,
    )


# --- Shop writes ----------------------------------------------------------------------------------


def _product_input(*, spec: ProductSpec, product_id: str | None, variant_ids: dict[str, str]) -> ProductInput:
    """The shop write for a spec. Several BC variants need a product option: one value per variant."""
    variants = []
    for wanted in spec.variants:
        variant_id = variant_ids.get(wanted.key)
        # Option values go with new variants (the option gains the value); existing ones keep theirs.
        values = (SelectedOption(VARIANT_OPTION_NAME, wanted.option),) if wanted.option and not variant_id else ()
        variants.append(
            VariantInput(
                id=variant_id,
                sku=wanted.sku,
                barcode=wanted.barcode,
                price=wanted.price,
                weight=wanted.weight,
                option_values=values,
            )
        )
    options: tuple[ProductOption, ...] = ()
    if spec.has_options and not product_id:
        options = (ProductOption(VARIANT_OPTION_NAME, tuple(v.option for v in spec.variants)),)
    return ProductInput(
        id=product_id,
        title=spec.title,
        status=spec.status,
        description_html=description_html(spec.description),
        options=options,
        variants=tuple(variants),
    )


def _shop_product_by_sku(*, shop_client: ShopCatalogue, sku: str) -> Product | None:
    """An existing shop product carrying this SKU, so connecting a populated shop never duplicates."""
    quoted = sku.replace("\\", "\\\\").replace('"', '\\"')
    for product in shop_client.products_iter(query=f'sku:"{quoted}"'):
        if any(variant.sku == sku for variant in product.variants):
            return product
    return None


def product_push(
    *, integration: Integration, item: Any, link: RecordLink | None, shop_client: ShopCatalogue, force: bool = False
) -> tuple[str, RecordLink | None]:
    """Create or update the shop product of one BC item. Returns (outcome, link): created/updated/unchanged."""
    try:
        spec = product_spec(
            item=item,
            variants=getattr(item, "item_variants", None) or (),
            sku_rule=integration.sku_rule,
            blocked_item_product_status=integration.blocked_item_product_status,
        )
    except MissingSku:
        raise ProductError(CODE_NO_GTIN, item=item.number)
    digest = product_digest(spec)
    if (
        not force
        and link
        and link.target_id
        and link.state == RecordLink.State.SYNCED
        and link.payload_digest == digest
    ):
        return "unchanged", link

    product_id = link.target_id if link and link.target_id else None
    known = (link.details or {}).get("variants", {}) if link and product_id else {}
    variant_ids = {key: value.get("variant_id") for key, value in known.items() if value.get("variant_id")}
    if product_id is None:
        existing = _shop_product_by_sku(shop_client=shop_client, sku=spec.variants[0].sku)
        if existing is not None:
            product_id = existing.id
            variant_ids = {key: variant.id for key, variant in _variant_ids_by_key(spec=spec, product=existing).items()}
    elif any(wanted.key not in variant_ids for wanted in spec.variants):
        # Relinked by hand, or a create that stopped half way: read the product once and match its
        # variants, so none is duplicated. A new BC variant simply stays unmatched and is created.
        existing = shop_client.product_get(product_id)
        matched = _variant_ids_by_key(spec=spec, product=existing)
        variant_ids = {**{key: variant.id for key, variant in matched.items()}, **variant_ids}
    payload = _product_input(spec=spec, product_id=product_id, variant_ids=variant_ids)
    try:
        product = shop_client.product_update(payload) if product_id else shop_client.product_create(payload)
    except ShopRefused as exc:
        raise ProductError(CODE_PRODUCT_REJECTED, item=item.number, vendor_message=str(exc)) from exc
    link = item_links_save(integration=integration, item=item, spec=spec, digest=digest, product=product)
    return ("updated" if product_id else "created"), link


# --- Shop -> BC (both ways) ----------------------------------------------------------------------


def _linked_shop_product_ids(*, integration: Integration) -> set[str]:
    return set(
        RecordLink.objects.filter(
            integration=integration, entity_type=EntityType.ITEM, source_system=SourceSystem.BUSINESS_CENTRAL
        )
        .exclude(target_id="")
        .values_list("details__product_id", flat=True)
    ) - {None}


def shop_products_to_bc(
    *,
    integration: Integration,
    bc_client: BCClient,
    shop_client: ShopCatalogue,
    run: SyncRun | None = None,
    updated_since=None,
    result: ProductsSyncResult | None = None,
) -> ProductsSyncResult:
    """Shop products without a BC item: link by SKU, else create the item from the template.

    Only products not linked yet are considered (the conflict rule: BC wins for linked items).
    A product with several variants is reported, not created: BC needs the item and its variants
    made together, which support does by hand.
    """
    result = result or ProductsSyncResult()
    template = ItemTemplate.from_settings(integration.product_item_template)
    linked = _linked_shop_product_ids(integration=integration)
    for product in shop_client.products_iter(updated_since=updated_since):
        if product.id in linked or not product.variants:
            continue
        if len(product.variants) > 1:
            sync_log(
                run=run,
                integration_id=integration.pk,
                flow=Flow.PRODUCTS,
                level=SyncLogEntry.Level.WARNING,
                message=f"Shop product '{product.title}' has several variants and no BC item; create it in BC.",
                details={"product_id": product.id},
            )
            continue
        variant = product.variants[0]
        sku = variant.sku or variant.barcode
        if not sku:
            continue
        field_name = "gtin" if integration.sku_rule == "gtin" else "number"
        item = next(iter(bc_client.iter_records(entities.ITEMS, filter=odata.eq(field_name, sku))), None)
        origin = "shop-linked"
        if item is None:
            if not integration.allow_writes:
                sync_log(
                    run=run,
                    integration_id=integration.pk,
                    flow=Flow.PRODUCTS,
                    level=SyncLogEntry.Level.INFO,
                    message=f"Dry run: would create BC item {sku} from shop product '{product.title}'.",
                    details={"product_id": product.id},
                )
                continue
            payload = item_payload_from_product(
                product=product, variant=variant, template=template, sku_rule=integration.sku_rule
            )
            try:
                fitted = payload_fit(entities.ITEMS.name, payload)
            except FieldTooLong as exc:
                refused = classify_exception(
                    ProductError(codes.VALUE_TOO_LONG, field=exc.field, value=exc.value, length=exc.length)
                )
                sync_log(
                    run=run,
                    integration_id=integration.pk,
                    flow=Flow.PRODUCTS,
                    level=SyncLogEntry.Level.ERROR,
                    message=f"BC item for shop product '{product.title}' was not created: {refused.message}",
                    error_code=refused.code,
                    details={"product_id": product.id},
                )
                result.failed += 1
                continue
            if fitted.cuts:
                sync_log(
                    run=run,
                    integration_id=integration.pk,
                    flow=Flow.PRODUCTS,
                    level=SyncLogEntry.Level.WARNING,
                    message=f"Shop product '{product.title}': text shortened to fit the BC item.",
                    error_code=codes.TEXT_SHORTENED,
                    details={"product_id": product.id, "cuts": [cut.as_dict() for cut in fitted.cuts]},
                )
            try:
                item = bc_client.create_record(entities.ITEMS, fitted.payload)
            except Exception as exc:  # one product never stops the others
                classified = classify_exception(exc)
                sync_log(
                    run=run,
                    integration_id=integration.pk,
                    flow=Flow.PRODUCTS,
                    level=SyncLogEntry.Level.ERROR,
                    message=f"BC item for shop product '{product.title}' was not created: {classified.message}",
                    error_code=classified.code,
                    details={"product_id": product.id},
                )
                result.failed += 1
                continue
            origin = "shop"
            result.bc_items_created += 1
        else:
            result.shop_products_linked += 1
        spec = product_spec(
            item=item,
            sku_rule=integration.sku_rule,
            blocked_item_product_status=integration.blocked_item_product_status,
        )
        # The digest stays empty: the next BC -> shop pass pushes BC's version (BC wins from now on).
        item_links_save(integration=integration, item=item, spec=spec, digest="", product=product, origin=origin)
        linked.add(product.id)
    return result


# --- The run --------------------------------------------------------------------------------------


def products_sync(
    *,
    integration: Integration,
    bc_client: BCClient,
    shop_client: ShopCatalogue,
    run: SyncRun | None = None,
    full: bool = False,
    item_ids: Iterable[str] | None = None,
    item_push: Callable[..., tuple[str, RecordLink | None]] = product_push,
    shop_to_bc: bool = True,
) -> ProductsSyncResult:
    """One products pass: changed BC items (+ links awaiting retry) to the shop, then shop -> BC.

    ``item_push`` writes one item to the shop (Shopify's ``product_push`` unless the platform has
    its own); ``shop_to_bc=False`` leaves out the shop -> BC pass on platforms that have none."""
    result = ProductsSyncResult()
    cursor, _ = SyncCursor.objects.get_or_create(integration=integration, flow=Flow.PRODUCTS)
    started = timezone.now()
    if item_ids is not None:
        items = list(bc_items_by_ids(bc_client=bc_client, item_ids=item_ids))
    else:
        since = None if full or cursor.last_loaded_at is None else cursor.last_loaded_at - CURSOR_OVERLAP
        items = list(bc_items_iter(bc_client=bc_client, modified_since=since))
        waiting = set(
            RecordLink.objects.filter(
                integration=integration,
                entity_type=EntityType.ITEM,
                source_system=SourceSystem.BUSINESS_CENTRAL,
                state__in=[RecordLink.State.FAILED, RecordLink.State.PENDING],
            )
            .exclude(details__has_key="item_id")  # variant links follow their item
            .values_list("source_id", flat=True)
        )
        if since is not None:
            waiting |= bc_variant_item_ids(bc_client=bc_client, modified_since=since)
        waiting -= {str(item.id) for item in items}
        if waiting:
            items += list(bc_items_by_ids(bc_client=bc_client, item_ids=waiting))

    links = _item_links(integration=integration, source_ids=[str(item.id) for item in items])
    for item in items:
        result.seen += 1
        try:
            outcome, _link = item_push(
                integration=integration, item=item, link=links.get(str(item.id)), shop_client=shop_client, force=full
            )
        except ShopAuthError:
            raise  # the whole shop is unreachable: fail the run, not each item
        except (ProductError, ShopError) as exc:
            classified = classify_exception(exc)
            _link_failed(
                integration=integration,
                run=run,
                item=item,
                code=classified.code,
                message=classified.message,
                product_id=getattr(exc.__cause__, "product_id", "") or getattr(exc, "product_id", ""),
            )
            result.failed += 1
            result.failed_item_ids.append(str(item.id))
            continue
        setattr(result, outcome, getattr(result, outcome) + 1)
        if run is not None and getattr(run, "lease", None) is not None and result.seen % 50 == 0:
            run.lease.renew()

    if integration.products_bidirectional and shop_to_bc and item_ids is None:
        shop_since = parse_datetime(cursor.position) if cursor.position else None
        shop_products_to_bc(
            integration=integration,
            bc_client=bc_client,
            shop_client=shop_client,
            run=run,
            updated_since=shop_since - CURSOR_OVERLAP if shop_since else None,
            result=result,
        )
        cursor.position = started.isoformat()

    if item_ids is None:
        # Saved only after the fetch and the pass succeeded; failed items wait on their links.
        cursor.last_loaded_at = started
        cursor.save(update_fields=["last_loaded_at", "position", "updated_at"])
    return result


@transaction.atomic
def item_relink(*, link_id: int, shop_product_id: str, shop_variant_id: str = "") -> RecordLink:
    """Support: bind a BC item's link to another shop product/variant by hand.

    The digest is cleared so the next products run pushes the item onto the new product (BC wins),
    and stock for the item is pushed again to the new inventory item.
    """
    link = RecordLink.objects.select_for_update().get(pk=link_id, entity_type=EntityType.ITEM)
    details = dict(link.details or {})
    is_variant_link = "item_id" in details
    details["product_id"] = shop_product_id
    if shop_variant_id:
        details["variant_id"] = shop_variant_id
        details.pop("inventory_item_id", None)  # learnt again from the shop on the next push
        if not is_variant_link:
            details["variants"] = {link.source_id: {"variant_id": shop_variant_id}}
    elif not is_variant_link:
        details.pop("variants", None)
        details.pop("variant_id", None)
        details.pop("inventory_item_id", None)
    details["relinked_at"] = timezone.now().isoformat()
    link.details = details
    link.target_id = shop_variant_id if is_variant_link and shop_variant_id else shop_product_id
    link.payload_digest = ""
    link.state = RecordLink.State.PENDING
    link.last_error_code, link.last_error_message = "", ""
    link.save()
    item_id = details.get("item_id", link.source_id)
    RecordLink.objects.filter(
        integration_id=link.integration_id,
        entity_type=EntityType.STOCK,
        source_system=SourceSystem.BUSINESS_CENTRAL,
        source_id__startswith=f"{item_id}@",
    ).update(state=RecordLink.State.PENDING)
    return link
