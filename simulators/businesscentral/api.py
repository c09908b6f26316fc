"""Routing and dispatch below ``{env}/api/v2.0/``: companies, entity sets, navigation, bound
actions; etag checks; collection responses with server paging."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import parse_qsl, quote, urlencode

from . import documents, journals, odata, resources, shipments
from .entities import DOCUMENT_LINES, LINE_DOCUMENTS, NAVIGATIONS, SPECS
from .errors import ENTITY_CHANGED, MISSING_IF_MATCH, BCError, envelope, not_found_route
from .http import ApiRequest, ApiResponse
from .posting import run_document_action
from .store import CompanyStore, Environment

_SEGMENT = re.compile(r"^(?P<name>[A-Za-z][A-Za-z0-9_.]*)(?:\((?P<key>[^)]*)\))?$")
_JSON_HEADERS = {"Content-Type": "application/json; odata.metadata=minimal; odata.streaming=true"}

Create = Callable[[CompanyStore, str, dict, dict], dict]
Update = Callable[[CompanyStore, str, dict, dict], None]
Delete = Callable[[CompanyStore, str, dict], None]

_CREATE: dict[str, Create] = {
    "customers": lambda s, _, v, p: resources.customer_create(s, v, p),
    "items": lambda s, _, v, p: resources.item_create(s, v, p),
    "customerPayments": lambda s, _, v, p: journals.payment_create(s, v, p),
    "journalLines": lambda s, _, v, p: journals.journal_line_create(s, v, p),
    "customerPaymentJournals": journals.batch_create,
    "journals": journals.batch_create,
    "dimensionSetLines": shipments.dimension_set_line_create,
    **{name: documents.document_create for name in DOCUMENT_LINES},
    **{name: documents.line_create for name in LINE_DOCUMENTS},
}
_UPDATE: dict[str, Update] = {
    "customers": lambda s, _, r, v: resources.customer_update(s, r, v),
    "items": lambda s, _, r, v: resources.item_update(s, r, v),
    "customerPayments": lambda s, _, r, v: journals.payment_update(s, r, v),
    "journalLines": lambda s, _, r, v: journals.journal_line_update(s, r, v),
    "customerPaymentJournals": journals.batch_update,
    "journals": journals.batch_update,
    **{name: documents.document_update for name in DOCUMENT_LINES},
    **{name: documents.line_update for name in LINE_DOCUMENTS},
}
_DELETE: dict[str, Delete] = {
    **{name: documents.document_delete for name in DOCUMENT_LINES},
    **{name: documents.line_delete for name in LINE_DOCUMENTS},
}


def split_path(path: str) -> list[str]:
    segments, depth, current = [], 0, []
    for char in path.strip("/"):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        if char == "/" and depth == 0:
            segments.append("".join(current))
            current = []
        else:
            current.append(char)
    if current:
        segments.append("".join(current))
    return [segment for segment in segments if segment]


def _parse_segment(segment: str, request: ApiRequest) -> tuple[str, str | None]:
    match = _SEGMENT.match(segment)
    if not match:
        raise not_found_route(f"{request.base_url}/{request.path}")
    key = match.group("key")
    return match.group("name"), (key.strip("'").lower() if key is not None else None)


def handle(environment: Environment, request: ApiRequest) -> ApiResponse:
    """One API request (also one operation inside $batch); BC errors become the envelope."""
    try:
        return _route(environment, request)
    except BCError as error:
        return ApiResponse(error.status, envelope(error.code, error.message), dict(_JSON_HEADERS))


def _route(environment: Environment, request: ApiRequest) -> ApiResponse:
    segments = split_path(request.path)
    if not segments:
        return _json(200, {"@odata.context": f"{request.base_url}/$metadata", "value": []})
    name, key = _parse_segment(segments[0], request)
    if name == "companies":
        if key is None:
            if len(segments) > 1:
                raise not_found_route(f"{request.base_url}/{request.path}")
            return _companies(environment, request)
        company = environment.companies.get(key)
        if company is None:
            raise BCError("Internal_CompanyNotFound", f"Cannot open company '{key}'.")
        if len(segments) == 1:
            return _companies(environment, request, only=company)
        return _company_route(company, segments[1:], request)
    company_ref = request.query.get("company") or request.header("company")
    if company_ref:
        company = environment.companies.get(company_ref.lower()) or environment.company_by_name(company_ref)
        if company is None:
            raise BCError("Internal_CompanyNotFound", f"Cannot open company '{company_ref}'.")
        return _company_route(company, segments, request)
    raise not_found_route(f"{request.base_url}/{request.path}")


def _companies(environment: Environment, request: ApiRequest, only: CompanyStore | None = None) -> ApiResponse:
    if request.method != "GET":
        raise BCError(
            "BadRequest_MethodNotAllowed",
            f"'{request.method}' requests for 'companies' of EdmType 'Entity' are not allowed within Dynamics 365 "
            "Business Central OData web services.",
        )
    rows = [company_record(c) for c in (environment.companies.values() if only is None else [only])]
    options = request.query
    spec = SPECS["companies"]
    if options.get("$filter"):
        tree = odata.parse_filter(options["$filter"], set(spec.fields), spec.type_name)
        rows = [row for row in rows if odata.matches(tree, row)]
    select = odata.parse_select(options.get("$select"))
    values = [{k: v for k, v in row.items() if select is None or k in select or k == "@odata.etag"} for row in rows]
    context = f"{request.base_url}/$metadata#companies"
    if only is not None:
        return _json(200, {"@odata.context": context + "/$entity", **values[0]})
    return _json(200, {"@odata.context": context, "value": values})


def company_record(company: CompanyStore) -> dict:
    return {
        "@odata.etag": 'W/"JzE5OzEyMzQ1Njc4OTAxMjM0NTY3ODkxOzAwOyc="',
        "id": company.id,
        "systemVersion": "26.0.30643.32481",
        "timestamp": 1234,
        "name": company.name,
        "displayName": company.name,
        "businessProfileId": "",
        "systemCreatedAt": company.created_at,
        "systemCreatedBy": "00000000-0000-0000-0000-000000000001",
        "systemModifiedAt": company.created_at,
        "systemModifiedBy": "00000000-0000-0000-0000-000000000001",
    }


def _company_route(company: CompanyStore, segments: list[str], request: ApiRequest) -> ApiResponse:
    entity_set, key = _parse_segment(segments[0], request)
    if entity_set not in SPECS or entity_set == "companies":
        raise not_found_route(f"{request.base_url}/{request.path}")
    constraint: dict = {}
    record = None
    rest = segments[1:]
    if key is not None:
        record = company.get(entity_set, key)
        if record is None:
            is_journal_action = entity_set == "journals" and rest and rest[0].startswith("Microsoft.NAV.")
            if not is_journal_action:
                raise _record_not_found(entity_set, key)
    while rest:
        segment = rest.pop(0)
        if segment.startswith("Microsoft.NAV."):
            if rest or request.method != "POST":
                raise not_found_route(f"{request.base_url}/{request.path}")
            return _action(company, entity_set, record, key, segment.removeprefix("Microsoft.NAV."))
        if record is None:
            raise not_found_route(f"{request.base_url}/{request.path}")
        name, child_key = _parse_segment(segment, request)
        navigation = NAVIGATIONS.get((entity_set, name))
        if navigation is None:
            raise not_found_route(f"{request.base_url}/{request.path}")
        if navigation.many:
            constraint = {navigation.remote_field: record[navigation.local_field]}
            entity_set, record = navigation.target, None
            if child_key is not None:
                record = company.get(entity_set, child_key)
                if record is None or any(record.get(k) != v for k, v in constraint.items()):
                    raise _record_not_found(entity_set, child_key)
        else:
            if child_key is not None:
                raise not_found_route(f"{request.base_url}/{request.path}")
            target = company.find(navigation.target, **{navigation.remote_field: record.get(navigation.local_field)})
            if target is None:
                return _json(204, None)
            entity_set, record = navigation.target, target
    if record is None:
        return _collection(company, entity_set, constraint, request)
    return _entity(company, entity_set, record, request)


def _record_not_found(entity_set: str, key: str) -> BCError:
    return BCError(
        "Internal_RecordNotFound",
        f"The {SPECS[entity_set].type_name} does not exist. Identification fields and values: Id='{key}'",
    )


def _json(status: int, body: dict | None, extra: dict | None = None) -> ApiResponse:
    headers = dict(_JSON_HEADERS) if body is not None else {}
    headers.update(extra or {})
    return ApiResponse(status, body, headers)


def _context(request: ApiRequest, company: CompanyStore, entity_set: str, single: bool = False) -> str:
    return f"{request.base_url}/$metadata#companies({company.id})/{entity_set}" + ("/$entity" if single else "")


def _collection(company: CompanyStore, entity_set: str, constraint: dict, request: ApiRequest) -> ApiResponse:
    spec = SPECS[entity_set]
    if request.method == "GET":
        _check_permission(company, entity_set, "Read")
        return _list(company, entity_set, constraint, request)
    if request.method == "POST" and spec.insertable:
        _check_permission(company, entity_set, "Insert")
        values = resources.check_body(spec, request.body, extra=frozenset(_deep_insert_keys(entity_set)))
        create = _CREATE.get(entity_set) or resources.generic_create
        record = create(company, entity_set, values, constraint)
        body = resources.shape(company, entity_set, record, request.query)
        body = {"@odata.context": _context(request, company, entity_set, single=True), **body}
        return _json(201, body, {"ETag": record["_etag"]})
    raise BCError(
        "BadRequest_MethodNotAllowed",
        f"'{request.method}' requests for '{entity_set}' of EdmType 'Collection' are not allowed within Dynamics 365 "
        "Business Central OData web services.",
    )


def _deep_insert_keys(entity_set: str) -> list[str]:
    return [DOCUMENT_LINES[entity_set]] if entity_set in DOCUMENT_LINES else []


def _list(company: CompanyStore, entity_set: str, constraint: dict, request: ApiRequest) -> ApiResponse:
    options = request.query
    rows = company.filter(entity_set, **constraint) if constraint else company.rows(entity_set)
    rows = resources.query_rows(company, entity_set, rows, options)
    max_page = odata.max_page_size_from(request.header("prefer"))
    page_size = max_page or request.page_size
    page = odata.paginate(
        rows,
        top=odata.parse_int_option("$top", options.get("$top")),
        skip=odata.parse_int_option("$skip", options.get("$skip")),
        skiptoken=options.get("$skiptoken"),
        page_size=page_size,
    )
    body: dict = {
        "@odata.context": _context(request, company, entity_set),
        "value": [resources.shape(company, entity_set, row, options) for row in page.rows],
    }
    if page.next_offset is not None:
        body["@odata.nextLink"] = next_link(request, odata.encode_skiptoken(page.next_offset))
    extra = {"Preference-Applied": f"odata.maxpagesize={max_page}"} if max_page else {}
    return _json(200, body, extra)


def next_link(request: ApiRequest, token: str) -> str:
    pairs = [(k, v) for k, v in parse_qsl(request.query_string, keep_blank_values=True) if k != "$skiptoken"]
    pairs.append(("$skiptoken", token))
    return f"{request.base_url}/{request.path.strip('/')}?" + urlencode(pairs, quote_via=quote, safe="$'(),")


# TableData behind each entity set, for BC's permission message.
_TABLE_DATA = {
    "customers": "Customer",
    "items": "Item",
    "salesInvoices": "Sales Header",
    "salesOrders": "Sales Header",
    "salesCreditMemos": "Sales Header",
    "customerPayments": "Gen. Journal Line",
    "journalLines": "Gen. Journal Line",
}


def _check_permission(company: CompanyStore, entity_set: str, permission: str) -> None:
    # Message as BC 22+ words it; the Authorization_ code and 403 are this simulator's choice.
    if (entity_set, permission) in company.denied_permissions:
        table = _TABLE_DATA.get(entity_set, entity_set)
        raise BCError(
            "Authorization_InsufficientPermissions",
            f"Sorry, the current permissions prevented the action. (TableData {table} {permission}: Base Application)",
            status=403,
        )


def _check_etag(record: dict, request: ApiRequest) -> None:
    sent = request.header("if-match")
    if not sent:
        raise BCError("BadRequest_InvalidToken", MISSING_IF_MATCH)
    if sent.strip() != "*" and sent.strip() != record["_etag"]:
        raise BCError("Request_EntityChanged", ENTITY_CHANGED)


def _entity(company: CompanyStore, entity_set: str, record: dict, request: ApiRequest) -> ApiResponse:
    spec = SPECS[entity_set]
    if request.method == "GET":
        body = resources.shape(company, entity_set, record, request.query)
        return _json(200, {"@odata.context": _context(request, company, entity_set, True), **body})
    if request.method == "PATCH" and spec.updatable:
        _check_permission(company, entity_set, "Modify")
        _check_etag(record, request)
        values = resources.check_body(spec, request.body)
        update = _UPDATE.get(entity_set)
        if update is None:
            resources.generic_update(company, entity_set, record, values)
        else:
            update(company, entity_set, record, values)
        company.touch(record)
        body = resources.shape(company, entity_set, record, request.query)
        return _json(200, {"@odata.context": _context(request, company, entity_set, True), **body})
    if request.method == "DELETE" and spec.deletable:
        _check_permission(company, entity_set, "Delete")
        _check_etag(record, request)
        delete = _DELETE.get(entity_set)
        if delete is None:
            company.delete(entity_set, record["id"])
        else:
            delete(company, entity_set, record)
        return _json(204, None)
    raise BCError(
        "BadRequest_MethodNotAllowed",
        f"'{request.method}' requests for '{entity_set}' of EdmType 'Entity' are not allowed within Dynamics 365 "
        "Business Central OData web services.",
    )


def _action(company: CompanyStore, entity_set: str, record: dict | None, key: str | None, action: str) -> ApiResponse:
    if entity_set == "journals" and action == "post":  # customerPaymentJournals has no action in v2.0
        journals.post_journal(company, key or "")
    elif entity_set in DOCUMENT_LINES and record is not None:
        run_document_action(company, entity_set, record, action)
    else:
        raise BCError(
            "BadRequest_MethodNotImplemented", f"Entity '{entity_set}' does not support the bound action '{action}'."
        )
    return _json(204, None)


__all__ = ["handle", "split_path", "company_record"]
