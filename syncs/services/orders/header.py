"""What the header settings name in BC (shipment methods, location, salesperson, dimensions): read
once per run, checked on every draft."""

from __future__ import annotations

from dataclasses import replace

from integrations.connectors.businesscentral import entities, odata
from syncs.mapping import codes
from syncs.mapping.types import DocumentDraft, MappingError, Problem
from syncs.services.orders.context import OrdersContext


def shipment_methods_resolve(*, ctx: OrdersContext) -> dict[str, str]:
    """BC's shipment methods (code -> id), one list read per run, only when a mapping names a code."""
    if ctx.shipment_methods is None:
        if not any(rule.shipment_method_code for rule in ctx.settings.shipping.values()):
            ctx.shipment_methods = {}
        else:
            ctx.shipment_methods = {
                row.code.upper(): row.id
                for row in ctx.client.iter_records(entities.SHIPMENT_METHODS, select=["id", "code"])
            }
    return ctx.shipment_methods


def draft_with_shipment_method(*, ctx: OrdersContext, draft: DocumentDraft) -> DocumentDraft:
    """The draft with its shipment method's BC id; an unknown code raises MappingError (MAP-015)."""
    code = draft.shipment_method_code
    if not code:
        return draft
    method_id = shipment_methods_resolve(ctx=ctx).get(code.upper())
    if not method_id:
        raise MappingError([Problem(codes.SHIPMENT_METHOD_UNKNOWN, {"code": code})])
    return replace(draft, shipment_method_id=method_id)


def header_lookups_resolve(*, ctx: OrdersContext) -> None:
    """Read once per run what the header settings name: the location, the salesperson, the dimensions."""
    settings = ctx.settings
    if settings.location_code and ctx.location_id is None:
        found = ctx.client.list_records(
            entities.LOCATIONS, filter=odata.eq("code", settings.location_code), select=["id", "code"]
        )
        ctx.location_id = found[0].id if found else ""
    if settings.salesperson_code and ctx.salesperson_ok is None:
        salespeople = ctx.client.list_records(
            entities.SALESPEOPLE, filter=odata.eq("code", settings.salesperson_code), select=["code", "blocked"]
        )
        ctx.salesperson_ok = bool(salespeople) and not salespeople[0].blocked
    if settings.dimensions:
        dimension_values_resolve(ctx=ctx)


def draft_with_header_defaults(*, ctx: OrdersContext, draft: DocumentDraft) -> DocumentDraft:
    """Location on item lines, salesperson and dimensions checked against what BC holds (read by
    ``header_lookups_resolve``); an unknown code raises MappingError (MAP-023, MAP-024, MAP-020)."""
    settings = ctx.settings
    header_lookups_resolve(ctx=ctx)
    problems: list[Problem] = []
    if settings.location_code:
        if not ctx.location_id:
            problems.append(Problem(codes.LOCATION_UNKNOWN, {"code": settings.location_code}))
        else:
            lines = tuple(
                replace(line, location_id=ctx.location_id) if line.line_type == "Item" else line for line in draft.lines
            )
            draft = replace(draft, lines=lines)
    if settings.salesperson_code and not ctx.salesperson_ok:
        problems.append(Problem(codes.SALESPERSON_UNKNOWN, {"code": settings.salesperson_code}))
    if draft.dimensions:
        values = dimension_values_resolve(ctx=ctx)
        for code, value in draft.dimensions:
            if value.upper() not in values.get(code.upper(), set()):
                problems.append(Problem(codes.DIMENSION_UNKNOWN, {"dimension_code": code, "value": value}))
    if problems:
        raise MappingError(problems)
    return draft


def dimension_values_resolve(*, ctx: OrdersContext) -> dict[str, set[str]]:
    """BC's dimensions and their value codes, read once per run (only when a mapping names one)."""
    if ctx.dimension_values is None:
        dimensions = {
            row.id: row.code.upper() for row in ctx.client.iter_records(entities.DIMENSIONS, select=["id", "code"])
        }
        values: dict[str, set[str]] = {code: set() for code in dimensions.values()}
        for row in ctx.client.iter_records(entities.DIMENSION_VALUES, select=["code", "dimensionId"]):
            if row.dimension_id in dimensions:
                values[dimensions[row.dimension_id]].add(row.code.upper())
        ctx.dimension_values = values
    return ctx.dimension_values
