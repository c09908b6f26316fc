"""Find or create the BC customers of a page of orders (match by e-mail, then phone).

Per page: one query for known customer links, one filtered BC read per 40 e-mails (then phones)
for the rest, and one $batch creating the customers nobody matched, from the country's defaults.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from integrations.connectors.businesscentral import BCError, entities, odata
from integrations.connectors.businesscentral.writes import FieldTooLong, payload_fit
from integrations.models import Flow, Integration
from syncs.errors import ClassifiedError, ProductError, classify_exception, problems_error
from syncs.mapping import codes
from syncs.mapping.customers import email_normalize, phone_normalize, shop_customer_plan
from syncs.mapping.types import CustomerPlan
from syncs.models import EntityType, RecordLink, SyncLogEntry, SyncRun
from syncs.services.runs import sync_log, sync_log_error
from syncs.services.shop_source import shop_source_system

LOOKUP_CHUNK = 40


@dataclass
class CustomerCache:
    """Per run: customer numbers by source id, and BC code -> id tables for new customers."""

    numbers: dict[str, str] = field(default_factory=dict)
    code_ids: dict[str, dict[str, str]] = field(default_factory=dict)
    created: set[str] = field(default_factory=set)  # source ids whose customer this run created
    # source id -> (country, the matched customer's VAT business posting group) of customers matched in BC
    matched_vat: dict[str, tuple[str, str]] = field(default_factory=dict)

    def ids_for(self, client, entity) -> dict[str, str]:
        if entity.name not in self.code_ids:
            self.code_ids[entity.name] = {row.code: row.id for row in client.iter_records(entity)}
        return self.code_ids[entity.name]


def _match(*, client, plans: list[CustomerPlan], bc_field: str, value_of, cache: CustomerCache) -> dict[str, str]:
    """source id -> customer number for plans whose value equals BC's field. The matched customer's VAT
    business posting group is noted with the order's country (OSS: BC takes it from the customer card)."""
    wanted: dict[str, list[CustomerPlan]] = {}
    for plan in plans:
        if value := value_of(plan):
            wanted.setdefault(value, []).append(plan)
    matched: dict[str, str] = {}
    values = sorted(wanted)
    group_by_id = (
        {area_id: code for code, area_id in cache.ids_for(client, entities.TAX_AREAS).items()} if values else {}
    )
    for start in range(0, len(values), LOOKUP_CHUNK):
        group = values[start : start + LOOKUP_CHUNK]
        for customer in client.iter_records(
            entities.CUSTOMERS,
            filter=odata.any_of(bc_field, group),
            select=["id", "number", "email", "phoneNumber", "taxAreaId"],
        ):
            raw = customer.email if bc_field == "email" else customer.phone_number
            key = email_normalize(raw) if bc_field == "email" else phone_normalize(raw)
            for plan in wanted.get(key, []):
                if plan.source_id not in matched:
                    matched[plan.source_id] = customer.number
                    country = plan.draft.country.upper() if plan.draft else ""
                    cache.matched_vat[plan.source_id] = (country, group_by_id.get(customer.tax_area_id, ""))
    return matched


def vat_mismatches(
    *, integration: Integration, matched: dict[str, tuple[str, str]], numbers: dict[str, str]
) -> list[ProductError]:
    """MAP-027 for each matched customer whose VAT business posting group is not its order country's."""
    mapped = {m.country_code.upper(): m.vat_business_group for m in integration.country_mappings.all()}
    problems = []
    for source_id, (country, group) in sorted(matched.items()):
        expected = mapped.get(country, "")
        if country and group and expected and group.upper() != expected.upper() and source_id in numbers:
            problems.append(
                ProductError(
                    "MAP-027",
                    customer_number=numbers[source_id],
                    country=country,
                    customer_group=group,
                    vat_bus_group=expected,
                )
            )
    return problems


def _create_payload(*, client, plan: CustomerPlan, cache: CustomerCache) -> dict:
    draft = plan.draft
    if draft is None:
        raise ValueError("Only a customer plan that creates a customer has a draft.")
    ids = {
        "taxAreaId": cache.ids_for(client, entities.TAX_AREAS).get(draft.vat_business_group, ""),
        "paymentTermsId": cache.ids_for(client, entities.PAYMENT_TERMS).get(draft.payment_terms_code, "")
        if draft.payment_terms_code
        else "",
        "paymentMethodId": cache.ids_for(client, entities.PAYMENT_METHODS).get(draft.payment_method_code, "")
        if draft.payment_method_code
        else "",
    }
    return draft.to_payload(ids=ids)


def _create(
    *, client, plans: list[CustomerPlan], cache: CustomerCache, cuts: dict[str, list[dict]] | None = None
) -> dict[str, str | ClassifiedError]:
    """Create the customers; ``cuts`` collects, per source id, the texts shortened to BC's lengths."""
    outcome: dict[str, str | ClassifiedError] = {}
    payloads = {}
    for plan in plans:
        try:
            fitted = payload_fit(entities.CUSTOMERS.name, _create_payload(client=client, plan=plan, cache=cache))
        except FieldTooLong as exc:
            too_long = ProductError(codes.VALUE_TOO_LONG, field=exc.field, value=exc.value, length=exc.length)
            outcome[plan.source_id] = classify_exception(too_long)
            continue
        payloads[plan.source_id] = fitted.payload
        if fitted.cuts and cuts is not None:
            cuts[plan.source_id] = [cut.as_dict() for cut in fitted.cuts]
    plans = [plan for plan in plans if plan.source_id in payloads]
    if not plans:
        return outcome
    operations = [client.batch_create(entities.CUSTOMERS, payloads[p.source_id]) for p in plans]
    try:
        results = client.batch(operations)
    except BCError as exc:
        error = classify_exception(exc)
        return outcome | {plan.source_id: error for plan in plans}
    for plan, result in zip(plans, results, strict=True):
        if result.ok:
            outcome[plan.source_id] = result.record(entities.CUSTOMERS.record).number
        else:
            outcome[plan.source_id] = classify_exception(result.error or BCError("Customer not created"))
    return outcome


def _links_store(
    *,
    integration: Integration,
    plans: dict[str, CustomerPlan],
    numbers: dict[str, str],
    cuts: dict[str, list[dict]] | None = None,
    matched: dict[str, tuple[str, str]] | None = None,
) -> None:
    """``matched``: source id -> (order country, VAT group) of customers matched in BC, kept in the link's
    details so preflight compares them with the country mapping."""
    cuts = cuts or {}
    matched = matched or {}
    if not numbers:
        return
    rows = RecordLink.objects.filter(
        integration=integration,
        entity_type=EntityType.CUSTOMER,
        source_system=shop_source_system(integration=integration),
        source_id__in=list(numbers),
    )
    existing = {link.source_id: link for link in rows}
    now = timezone.now()
    # A link left failed or pending by an earlier attempt becomes synced.
    retried = [link for link in existing.values() if link.state != RecordLink.State.SYNCED]
    for link in retried:
        link.target_number = numbers[link.source_id]
        link.state = RecordLink.State.SYNCED
        link.synced_at = link.updated_at = now
        link.last_error_code = link.last_error_message = ""
    RecordLink.objects.bulk_update(
        retried, ["target_number", "state", "synced_at", "updated_at", "last_error_code", "last_error_message"]
    )
    RecordLink.objects.bulk_create(
        [
            RecordLink(
                integration=integration,
                entity_type=EntityType.CUSTOMER,
                source_system=shop_source_system(integration=integration),
                source_id=source_id,
                source_reference=(plans[source_id].email or plans[source_id].phone)[:100],
                target_number=number,
                state=RecordLink.State.SYNCED,
                synced_at=now,
                details=_link_details(cuts.get(source_id), matched.get(source_id)),
            )
            for source_id, number in numbers.items()
            if source_id not in existing
        ],
        ignore_conflicts=True,
    )


def _link_details(cuts: list[dict] | None, matched: tuple[str, str] | None) -> dict:
    details: dict = {}
    if cuts:
        details["cuts"] = cuts
    if matched and matched[0]:
        details["matched_country"] = matched[0]
    return details


def customers_resolve(
    *,
    integration: Integration,
    client,
    plans: list[CustomerPlan],
    cache: CustomerCache,
    run: SyncRun | None = None,
    create: bool = True,
) -> dict[str, str | ClassifiedError]:
    """source id -> BC customer number (or the coded error why there is none)."""
    by_source = {plan.source_id: plan for plan in plans if plan.source_id not in cache.numbers}
    outcome: dict[str, str | ClassifiedError] = {}
    if by_source:
        links = RecordLink.objects.filter(
            integration=integration,
            entity_type=EntityType.CUSTOMER,
            source_system=shop_source_system(integration=integration),
            source_id__in=list(by_source),
            state=RecordLink.State.SYNCED,
        ).exclude(target_number="")
        for source_id, number in links.values_list("source_id", "target_number"):
            cache.numbers[source_id] = number
        rest = [plan for source_id, plan in by_source.items() if source_id not in cache.numbers]
        try:
            found = _match(client=client, plans=rest, bc_field="email", value_of=lambda p: p.email, cache=cache)
            rest = [plan for plan in rest if plan.source_id not in found]
            found |= _match(client=client, plans=rest, bc_field="phoneNumber", value_of=lambda p: p.phone, cache=cache)
        except BCError as exc:
            error = classify_exception(exc)
            return {plan.source_id: error for plan in plans} | {
                p.source_id: cache.numbers[p.source_id] for p in plans if p.source_id in cache.numbers
            }
        rest = [plan for plan in rest if plan.source_id not in found]
        # Two orders of one new buyer in a page create one customer.
        unique_rest = list({(plan.email or plan.phone): plan for plan in rest}.values())
        cuts: dict[str, list[dict]] = {}
        created = _create(client=client, plans=unique_rest, cache=cache, cuts=cuts) if create and unique_rest else {}
        by_contact = {(plan.email or plan.phone): created.get(plan.source_id) for plan in unique_rest}
        cache.created |= {source_id for source_id, value in created.items() if isinstance(value, str)}
        for plan in rest:
            value = by_contact.get(plan.email or plan.phone)
            if isinstance(value, str):
                found[plan.source_id] = value
            elif value is not None:
                outcome[plan.source_id] = value
        if created and run is not None:
            count = sum(isinstance(v, str) for v in created.values())
            sync_log(
                run=run,
                integration_id=integration.pk,
                flow=Flow.CUSTOMERS,
                level=SyncLogEntry.Level.INFO,
                message=f"{count} new customer(s) created in Business Central.",
            )
        cache.numbers.update(found)
        matched_vat = {source_id: cache.matched_vat[source_id] for source_id in found if source_id in cache.matched_vat}
        if run is not None:  # a B2B customer may rightly differ (EU reverse charge): named, not refused
            for problem in vat_mismatches(integration=integration, matched=matched_vat, numbers=found):
                sync_log(
                    run=run,
                    integration_id=integration.pk,
                    flow=Flow.CUSTOMERS,
                    level=SyncLogEntry.Level.WARNING,
                    message=problem.message,
                    error_code=problem.code,
                )
        if create:  # a preview writes nothing, not even links
            _links_store(integration=integration, plans=by_source, numbers=found, cuts=cuts, matched=matched_vat)
    for plan in plans:
        if plan.source_id in cache.numbers:
            outcome[plan.source_id] = cache.numbers[plan.source_id]
    return outcome


# --- the customers flow ------------------------------------------------------------------------------


@dataclass
class CustomersSyncResult:
    seen: int = 0
    created: int = 0
    linked: int = 0
    skipped: int = 0
    failed: int = 0


def _link_fail(*, integration: Integration, run: SyncRun | None, plan_or_customer, error: ClassifiedError) -> None:
    source_id, reference = plan_or_customer
    link, _ = RecordLink.objects.get_or_create(
        integration=integration,
        entity_type=EntityType.CUSTOMER,
        source_system=shop_source_system(integration=integration),
        source_id=source_id,
        defaults={"source_reference": reference[:100]},
    )
    link.state = RecordLink.State.FAILED
    link.last_error_code = error.code
    link.last_error_message = error.message
    if error.vendor_message and error.vendor_message not in link.last_error_message:
        link.last_error_message += f" Business Central said: {error.vendor_message}"
    link.attempts += 1
    link.save()
    sync_log_error(
        run=run,
        integration_id=integration.pk,
        flow=Flow.CUSTOMERS,
        error=error,
        message=f"{reference}: {link.last_error_message}",
        record_link=link,
    )


def customers_page_sync(
    *, integration: Integration, client, customers: list, settings, cache: CustomerCache, run: SyncRun | None = None
) -> CustomersSyncResult:
    """One page of shop customers -> matched or created BC customers, a RecordLink each."""
    result = CustomersSyncResult(seen=len(customers))
    known = set(
        RecordLink.objects.filter(
            integration=integration,
            entity_type=EntityType.CUSTOMER,
            source_system=shop_source_system(integration=integration),
            source_id__in=[customer.id for customer in customers],
            state=RecordLink.State.SYNCED,
        )
        .exclude(target_number="")
        .values_list("source_id", flat=True)
    )
    plans = []
    for customer in customers:
        if customer.id in known:
            result.skipped += 1  # matched or created before; BC's customer card is the accountant's
            continue
        plan = shop_customer_plan(customer=customer, settings=settings)
        reference = customer.email or customer.phone or customer.display_name or customer.id
        if isinstance(plan, CustomerPlan):
            plans.append(plan)
        else:
            _link_fail(integration=integration, run=run, plan_or_customer=(customer.id, reference),
                       error=problems_error([plan]))  # fmt: skip
            result.failed += 1
    if not plans:
        return result
    outcome = customers_resolve(integration=integration, client=client, plans=plans, cache=cache, run=run)
    for plan in plans:
        value = outcome.get(plan.source_id)
        if isinstance(value, str):
            if plan.source_id in cache.created:
                result.created += 1
            else:
                result.linked += 1
        else:
            error = value or classify_exception(BCError("Business Central did not return the customer."))
            _link_fail(integration=integration, run=run, plan_or_customer=(plan.source_id, plan.email or plan.phone),
                       error=error)  # fmt: skip
            result.failed += 1
    return result
