"""BusinessCentralClient: typed reads and writes against BC's API v2.0 for one company.

URLs come from an Endpoint (endpoints.py, the one place that knows BC's URL shapes): BC online
(API root, Entra tenant, environment) or an on-premises server instance; the simulator serves both.
"""

from __future__ import annotations

import dataclasses
import random
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any, Protocol, TypeVar
from urllib.parse import quote, urljoin, urlsplit

import requests

from integrations.connectors.businesscentral import entities as e
from integrations.connectors.businesscentral.batch import (
    MAX_BATCH_OPERATIONS,
    BatchOperation,
    BatchResult,
    chunks,
    parse_results,
    request_body,
)
from integrations.connectors.businesscentral.endpoints import (
    ENVIRONMENTS_API_VERSION,
    ON_PREMISES_ENVIRONMENT,
    Endpoint,
    on_premises_endpoint,
    online_endpoint,
)
from integrations.connectors.businesscentral.entities import EntitySet
from integrations.connectors.businesscentral.exceptions import (
    BCConflict,
    BCError,
    BCNotFound,
    BCPagingLimitExceeded,
    PageNotPublished,
)
from integrations.connectors.businesscentral.jsonmap import from_json, to_json
from integrations.connectors.businesscentral.odata import all_of, any_of, encode_query, ge, guid, le, query_params
from integrations.connectors.businesscentral.payloads import (
    NewCustomerPayment,
    NewGeneralJournalPageLine,
    NewJournalLine,
    NewSalesCreditMemo,
    NewSalesDocument,
    NewSalesInvoice,
    NewSalesOrder,
    Payload,
)
from integrations.connectors.businesscentral.records import (
    Company,
    CompanyInformation,
    CustomerPayment,
    DimensionValueRow,
    Environment,
    GeneralLedgerSetup,
    ItemLedgerEntryRow,
    JournalBatchRow,
    JournalLine,
    JournalTemplateRow,
    NoSeries,
    NoSeriesLine,
    PostedShipmentRow,
    Record,
    SalesCreditMemo,
    SalesInvoice,
    SalesOrder,
    VatPostingSetupRow,
)
from integrations.connectors.businesscentral.transport import (
    ClientStats,
    CredentialsProvider,
    RetryPolicy,
    TokenProvider,
    Transport,
    parse_json,
)

R = TypeVar("R")


class _ExternallyNumbered(Protocol):
    """A record with BC's externalDocumentNumber (sales documents, payments, journal lines)."""

    @property
    def external_document_number(self) -> str: ...


N = TypeVar("N", bound=_ExternallyNumbered)
E = TypeVar("E", bound=Record)  # any record: it carries its etag
Parent = tuple[EntitySet, str]
Changes = Mapping[str, Any] | Payload

__all__ = ["ENVIRONMENTS_API_VERSION", "BusinessCentralClient", "document_body"]

DEFAULT_MAX_PAGES = 5000
# Keep lookup URLs far below the ~2 KB that proxies and gateways accept.
MAX_LOOKUP_FILTER_CHARS = 1500
MAX_LOOKUP_VALUES = 50
# A range read answers for a page of consecutive order names in one request; it is trusted only
# when it holds at most this many documents per number asked for (else the exact lookups run).
RANGE_READ_SLACK = 2
_NUMBERED = re.compile(r"^(.*\D)?(\d+)$")


class BusinessCentralClient:
    def __init__(
        self,
        *,
        api_root: str,
        tenant_id: str = "",
        environment: str = "",
        token_provider: TokenProvider | None = None,
        credentials: CredentialsProvider | None = None,
        on_premises: bool = False,
        company_id: str = "",
        company_name: str = "",
        session: requests.Session | None = None,
        timeout: tuple[float, float] | None = None,
        retry_policy: RetryPolicy | None = None,
        max_pages: int = DEFAULT_MAX_PAGES,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
    ) -> None:
        self.endpoint: Endpoint = (
            on_premises_endpoint(root=api_root)
            if on_premises
            else online_endpoint(root=api_root, tenant_id=tenant_id, environment=environment)
        )
        self.api_root = self.endpoint.root
        self.tenant_id = tenant_id
        self.environment = self.endpoint.environment
        self.company_id = company_id
        self.company_name = company_name
        self.max_pages = max_pages
        self._transport = Transport(
            token_provider=token_provider,
            credentials=credentials,
            session=session,
            timeout=timeout,
            retry_policy=retry_policy,
            sleep=sleep,
            clock=clock,
            rng=rng,
        )

    def __repr__(self) -> str:
        where = self.api_root if self.on_premises else f"{self.tenant_id}/{self.environment}"
        return f"<BusinessCentralClient {where} company={self.company_id or '-'}>"

    @property
    def on_premises(self) -> bool:
        return self.endpoint.on_premises

    @property
    def stats(self) -> ClientStats:
        return self._transport.stats

    # --- URLs ----------------------------------------------------------------------------------

    @property
    def environment_url(self) -> str:
        """Everything before ``api/v2.0`` and ``ODataV4`` (online: the environment; on-premises: the instance)."""
        return self.endpoint.base_url

    @property
    def api_url(self) -> str:
        return self.endpoint.api_url

    def entity_path(self, entity: EntitySet, *, id: str | None = None, parent: Parent | None = None) -> str:  # noqa: A002
        """Path relative to the API root, e.g. ``companies(<cid>)/items(<id>)/itemVariants``."""
        segments = []
        if entity.company_scoped:
            if not self.company_id:
                raise ValueError("This client has no company: build it with company_id for company data.")
            segments.append(f"companies({guid(self.company_id)})")
        if parent is not None:
            parent_set, parent_id = parent
            segments.append(f"{parent_set.name}({guid(parent_id)})")
        segments.append(entity.name if id is None else f"{entity.name}({guid(id)})")
        return "/".join(segments)

    def _url(self, path: str) -> str:
        return f"{self.api_url}/{path}"

    # --- Reads -----------------------------------------------------------------------------------

    def iter_pages(
        self, url: str, *, params: Mapping[str, str] | None = None, page_size: int | None = None
    ) -> Iterator[list[dict[str, Any]]]:
        """Yield each page's ``value`` list, following ``@odata.nextLink`` verbatim up to the page cap."""
        headers = {"Prefer": f"odata.maxpagesize={page_size}"} if page_size else None
        origin = self.endpoint.origin
        next_url: str | None = url
        pages = 0
        while next_url:
            if pages >= self.max_pages:
                raise BCPagingLimitExceeded(f"More than {self.max_pages} pages at {urlsplit(url).path}.")
            response = self._transport.request("GET", next_url, params=params if pages == 0 else None, headers=headers)
            pages += 1
            body = parse_json(response) or {}
            yield body.get("value", [])
            link = body.get("@odata.nextLink")
            if link:
                link = urljoin(next_url, link)
                # The bearer token goes only to the API's own origin, never to a host named in a response.
                if urlsplit(link)[:2] != origin:
                    raise BCError("Business Central returned a nextLink to another host; refusing to follow it.")
            next_url = link

    def iter_records(
        self,
        entity: EntitySet[R],
        *,
        filter: str | None = None,  # noqa: A002 - the OData option's own name
        select: Iterable[str] | None = None,
        expand: Iterable[str] | str | None = None,
        orderby: str | None = None,
        parent: Parent | None = None,
        page_size: int | None = None,
    ) -> Iterator[R]:
        params = query_params(filter=filter, select=select, expand=expand, orderby=orderby)
        url = self._url(self.entity_path(entity, parent=parent))
        for page in self.iter_pages(url, params=params, page_size=page_size):
            for row in page:
                yield from_json(entity.record, row)

    def list_records(self, entity: EntitySet[R], **options: Any) -> list[R]:
        return list(self.iter_records(entity, **options))

    def get_record(
        self,
        entity: EntitySet[R],
        id: str,  # noqa: A002
        *,
        select: Iterable[str] | None = None,
        expand: Iterable[str] | str | None = None,
        parent: Parent | None = None,
    ) -> R:
        params = query_params(select=select, expand=expand)
        response = self._transport.request(
            "GET", self._url(self.entity_path(entity, id=id, parent=parent)), params=params
        )
        return from_json(entity.record, parse_json(response) or {})

    def _singleton(self, entity: EntitySet[R]) -> R:
        rows = self.list_records(entity)
        if not rows:
            raise BCNotFound(f"Business Central returned no {entity.name}.")
        return rows[0]

    def list_companies(self) -> list[Company]:
        return self.list_records(e.COMPANIES)

    def company_information(self) -> CompanyInformation:
        return self._singleton(e.COMPANY_INFORMATION)

    def general_ledger_setup(self) -> GeneralLedgerSetup:
        return self._singleton(e.GENERAL_LEDGER_SETUP)

    def find_by_external_document_numbers(
        self,
        entity: EntitySet[N],
        numbers: Iterable[str],
        *,
        select: Iterable[str] | None = None,
        expand: Iterable[str] | str | None = None,
    ) -> dict[str, list[N]]:
        """Documents by externalDocumentNumber (the lost-acknowledgement check).

        One ``or`` filter per chunk of numbers; when the numbers need several chunks and are one
        prefix with digits of one length ("#1001" ... "#1400"), one range read first (``ge`` lowest
        and ``le`` highest): every asked-for number lies inside it in any collation. It is kept
        only when it holds at most ``RANGE_READ_SLACK`` documents per number, else (other numbers
        in between, such as "#10010") the chunked reads run."""
        wanted = list(dict.fromkeys(n for n in numbers if n))
        groups = list(_filter_chunks("externalDocumentNumber", wanted))
        if len(groups) > 1 and (bounds := numbered_range(wanted)) is not None:
            found = self._range_read(entity, bounds, cap=RANGE_READ_SLACK * len(wanted), select=select, expand=expand)
            if found is not None:
                return found
        found = {}
        for group in groups:
            for record in self.iter_records(
                entity, filter=any_of("externalDocumentNumber", group), select=select, expand=expand
            ):
                found.setdefault(record.external_document_number, []).append(record)
        return found

    def _range_read(
        self,
        entity: EntitySet[N],
        bounds: tuple[str, str],
        *,
        cap: int,
        select: Iterable[str] | None,
        expand: Iterable[str] | str | None,
    ) -> dict[str, list[N]] | None:
        lowest, highest = bounds
        params = query_params(
            filter=all_of(ge("externalDocumentNumber", lowest), le("externalDocumentNumber", highest)),
            select=select,
            expand=expand,
            top=cap + 1,
        )
        rows = [row for page in self.iter_pages(self._url(self.entity_path(entity)), params=params) for row in page]
        if len(rows) > cap:
            return None
        found: dict[str, list[N]] = {}
        for row in rows:
            record = from_json(entity.record, row)
            found.setdefault(record.external_document_number, []).append(record)
        return found

    # --- Writes ----------------------------------------------------------------------------------

    def create_record(self, entity: EntitySet[R], payload: Changes, *, parent: Parent | None = None) -> R:
        response = self._transport.request(
            "POST", self._url(self.entity_path(entity, parent=parent)), body=_body(payload)
        )
        return from_json(entity.record, parse_json(response) or {})

    def update_record(
        self,
        entity: EntitySet[R],
        id: str,  # noqa: A002
        *,
        etag: str,
        changes: Changes,
        parent: Parent | None = None,
    ) -> R:
        """PATCH with If-Match: the record's etag, or ``"*"`` for deliberate last-writer-wins."""
        response = self._transport.request(
            "PATCH",
            self._url(self.entity_path(entity, id=id, parent=parent)),
            body=_body(changes),
            headers={"If-Match": _require_etag(etag)},
        )
        return from_json(entity.record, parse_json(response) or {})

    def update_record_merging(
        self,
        entity: EntitySet[E],
        id: str,  # noqa: A002
        *,
        etag: str,
        changes: Changes,
        merge: Callable[[E, Changes], Changes] | None = None,
        parent: Parent | None = None,
    ) -> E:
        """PATCH; on a 409 re-GET, merge (default: re-apply ``changes``) and PATCH once more."""
        try:
            return self.update_record(entity, id, etag=etag, changes=changes, parent=parent)
        except BCConflict:
            current = self.get_record(entity, id, parent=parent)
            merged = merge(current, changes) if merge else changes
            return self.update_record(entity, id, etag=current.etag, changes=merged, parent=parent)

    def delete_record(
        self,
        entity: EntitySet,
        id: str,  # noqa: A002
        *,
        etag: str,
        parent: Parent | None = None,
    ) -> None:
        self._transport.request(
            "DELETE",
            self._url(self.entity_path(entity, id=id, parent=parent)),
            headers={"If-Match": _require_etag(etag)},
        )

    def invoke_action(self, entity: EntitySet, id: str, action: str) -> None:  # noqa: A002
        """A bound action (``Microsoft.NAV.<action>``): empty body, 204 on success."""
        self._transport.request("POST", self._url(f"{self.entity_path(entity, id=id)}/Microsoft.NAV.{action}"))

    def create_sales_invoice(self, document: NewSalesInvoice) -> SalesInvoice:
        return self.create_record(e.SALES_INVOICES, document_body(document))

    def create_sales_order(self, document: NewSalesOrder) -> SalesOrder:
        return self.create_record(e.SALES_ORDERS, document_body(document))

    def create_sales_credit_memo(self, document: NewSalesCreditMemo) -> SalesCreditMemo:
        return self.create_record(e.SALES_CREDIT_MEMOS, document_body(document))

    def post_sales_invoice(self, invoice_id: str) -> None:
        self.invoke_action(e.SALES_INVOICES, invoice_id, "post")

    def ship_and_invoice_sales_order(self, order_id: str) -> None:
        self.invoke_action(e.SALES_ORDERS, order_id, "shipAndInvoice")

    def post_sales_credit_memo(self, credit_memo_id: str) -> None:
        self.invoke_action(e.SALES_CREDIT_MEMOS, credit_memo_id, "post")

    def post_journal(self, journal_id: str) -> None:
        """Posts a general journal batch, and a customer payment journal (it has no action of its own)."""
        self.invoke_action(e.JOURNALS, journal_id, "post")

    def create_customer_payment(self, *, journal_id: str, payment: NewCustomerPayment) -> CustomerPayment:
        return self.create_record(e.CUSTOMER_PAYMENTS, payment, parent=(e.CUSTOMER_PAYMENT_JOURNALS, journal_id))

    def create_journal_line(self, *, journal_id: str, line: NewJournalLine) -> JournalLine:
        return self.create_record(e.JOURNAL_LINES, line, parent=(e.JOURNALS, journal_id))

    # --- $batch ------------------------------------------------------------------------------------

    def batch(self, operations: Sequence[BatchOperation], *, isolation_snapshot: bool = False) -> list[BatchResult]:
        """Run operations in $batch requests of at most 100; results come back in input order.

        With ``isolation_snapshot`` BC runs the batch in one transaction (all or nothing), which
        cannot span two requests, so more than 100 operations are refused.
        """
        if isolation_snapshot and len(operations) > MAX_BATCH_OPERATIONS:
            raise ValueError(f"An atomic batch holds at most {MAX_BATCH_OPERATIONS} operations.")
        headers = {"Isolation": "snapshot"} if isolation_snapshot else None
        results: list[BatchResult] = []
        offset = 0
        for chunk in chunks(operations):
            ids = [op.id or str(offset + index + 1) for index, op in enumerate(chunk)]
            offset += len(chunk)
            response = self._transport.request(
                "POST",
                f"{self.api_url}/$batch",
                body=request_body(list(zip(ids, chunk, strict=True))),
                headers=headers,
                write=any(op.is_write for op in chunk),
                operations=len(chunk),
            )
            results.extend(parse_results(parse_json(response), ids))
        return results

    def batch_get(
        self,
        entity: EntitySet,
        *,
        id: str | None = None,  # noqa: A002
        filter: str | None = None,  # noqa: A002
        parent: Parent | None = None,
    ) -> BatchOperation:
        path = self.entity_path(entity, id=id, parent=parent)
        query = encode_query(query_params(filter=filter))
        return BatchOperation("GET", f"{path}?{query}" if query else path)

    def batch_create(self, entity: EntitySet, payload: Changes, *, parent: Parent | None = None) -> BatchOperation:
        body = document_body(payload) if isinstance(payload, NewSalesDocument) else _body(payload)
        return BatchOperation("POST", self.entity_path(entity, parent=parent), body=body)

    def batch_update(self, entity: EntitySet, id: str, *, etag: str, changes: Changes) -> BatchOperation:  # noqa: A002
        return BatchOperation(
            "PATCH", self.entity_path(entity, id=id), body=_body(changes), headers={"If-Match": _require_etag(etag)}
        )

    def batch_action(self, entity: EntitySet, id: str, action: str) -> BatchOperation:  # noqa: A002
        return BatchOperation("POST", f"{self.entity_path(entity, id=id)}/Microsoft.NAV.{action}")

    # --- ODataV4 pages and the environments list --------------------------------------------------------

    def iter_page_rows(
        self,
        page: str,
        *,
        filter: str | None = None,  # noqa: A002
        select: Iterable[str] | None = None,
        page_size: int | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Rows of a UI page published as an ODataV4 web service; PageNotPublished when it is not."""
        if not self.company_name:
            raise ValueError("ODataV4 pages are addressed by company name: build the client with company_name.")
        company = quote(self.company_name.replace("'", "''"), safe="")
        url = f"{self.endpoint.odata_url}/Company('{company}')/{quote(page, safe='')}"
        params = query_params(filter=filter, select=select)
        try:
            for rows in self.iter_pages(url, params=params, page_size=page_size):
                yield from rows
        except BCNotFound as exc:
            if exc.code not in ("", "BadRequest_NotFound"):  # e.g. Internal_CompanyNotFound: not about the page
                raise
            raise PageNotPublished(page, code=exc.code, correlation_id=exc.correlation_id) from None

    def page_row_create(self, page: str, row: dict[str, Any]) -> dict[str, Any]:
        """Insert one row through a UI page published as an ODataV4 web service (POST); BC runs the
        page's validation as in the client. PageNotPublished when the page is not published."""
        if not self.company_name:
            raise ValueError("ODataV4 pages are addressed by company name: build the client with company_name.")
        company = quote(self.company_name.replace("'", "''"), safe="")
        url = f"{self.endpoint.odata_url}/Company('{company}')/{quote(page, safe='')}"
        try:
            response = self._transport.request("POST", url, body=row)
        except BCNotFound as exc:
            if exc.code not in ("", "BadRequest_NotFound"):
                raise
            raise PageNotPublished(page, code=exc.code, correlation_id=exc.correlation_id) from None
        return parse_json(response) or {}

    def general_journal_line_create(self, line: NewGeneralJournalPageLine) -> dict[str, Any]:
        """A general journal line with a Currency Code, through the General Journal page (39)."""
        return self.page_row_create(e.GENERAL_JOURNAL_PAGE, line.page_json())

    def vat_posting_setup(self) -> list[VatPostingSetupRow]:
        return [from_json(VatPostingSetupRow, row) for row in self.iter_page_rows(e.VAT_POSTING_SETUP_PAGE)]

    def posted_shipment_rows(self, numbers: Iterable[str]) -> list[PostedShipmentRow]:
        """Tracking of posted shipments by number (page 130); PageNotPublished when it is not published."""
        rows = []
        for group in _filter_chunks("No", list(dict.fromkeys(n for n in numbers if n))):
            rows += [
                from_json(PostedShipmentRow, row)
                for row in self.iter_page_rows(e.POSTED_SALES_SHIPMENT_PAGE, filter=any_of("No", group))
            ]
        return rows

    def dimension_value_rows(self) -> list[DimensionValueRow]:
        return [from_json(DimensionValueRow, row) for row in self.iter_page_rows(e.DIMENSION_VALUES_PAGE)]

    def no_series(self) -> list[NoSeries]:
        return [from_json(NoSeries, row) for row in self.iter_page_rows(e.NO_SERIES_PAGE)]

    def no_series_lines(self) -> list[NoSeriesLine]:
        return [from_json(NoSeriesLine, row) for row in self.iter_page_rows(e.NO_SERIES_LINES_PAGE)]

    def journal_templates(self) -> list[JournalTemplateRow]:
        return [from_json(JournalTemplateRow, row) for row in self.iter_page_rows(e.JOURNAL_TEMPLATES_PAGE)]

    def journal_batches(self) -> list[JournalBatchRow]:
        return [from_json(JournalBatchRow, row) for row in self.iter_page_rows(e.JOURNAL_BATCHES_PAGE)]

    def open_item_ledger_entries(
        self, *, location_codes: Iterable[str], page_size: int | None = None, variants: bool = False
    ) -> Iterator[ItemLedgerEntryRow]:
        """Open entries of page 38 at the given locations (every location when none is given), three
        fields each (four with ``variants``: the variant code): their remaining quantities summed per
        item and location (and variant) are the stock there."""
        codes = sorted(set(location_codes))
        query = all_of("Open eq true", any_of("Location_Code", codes) if codes else None)
        fields = ("Item_No", "Location_Code", "Remaining_Quantity")
        rows = self.iter_page_rows(
            e.ITEM_LEDGER_ENTRIES_PAGE,
            filter=query,
            select=(*fields, "Variant_Code") if variants else fields,
            page_size=page_size,
        )
        # Read by the hundred thousand: built directly (three fields), not through from_json.
        for row in rows:
            quantity = row.get("Remaining_Quantity")
            yield ItemLedgerEntryRow(
                item_number=row.get("Item_No") or "",
                location_code=row.get("Location_Code") or "",
                variant_code=row.get("Variant_Code") or "",
                remaining_quantity=quantity if isinstance(quantity, Decimal) else Decimal(str(quantity or 0)),
                raw=row,
            )

    def list_environments(self) -> list[Environment]:
        """The environments the signed-in user can reach (``GET {api root}/environments/v1.2``).

        This is the connect-app endpoint: any BC user may call it. The admin center API lists the
        same environments but only for administrators, which the merchant's user need not be.
        On-premises there is none: the one environment "default" is returned without a call.
        """
        url = self.endpoint.environments_url
        if url is None:
            # On-premises: no environments and no admin center; the server instance is the one
            # environment, recorded as "default" (no HTTP call).
            return [Environment(name=ON_PREMISES_ENVIRONMENT)]
        return [from_json(Environment, row) for page in self.iter_pages(url) for row in page]


def document_body(document: NewSalesDocument) -> dict[str, Any]:
    """Deep-insert JSON: header plus lines under the entity's navigation property."""
    body = to_json(document)
    lines = body.pop("lines", [])
    if lines:
        body[document.LINES_KEY] = lines
    return body


def _body(payload: Changes) -> dict[str, Any]:
    if dataclasses.is_dataclass(payload):
        return document_body(payload) if isinstance(payload, NewSalesDocument) else to_json(payload)
    return dict(payload)


def _require_etag(etag: str) -> str:
    if not etag:
        raise ValueError('PATCH and DELETE need an etag (or "*" for last-writer-wins).')
    return etag


def numbered_range(values: list[str]) -> tuple[str, str] | None:
    """(lowest, highest) when every value is the same prefix followed by digits of the same length."""
    shapes = set()
    for value in values:
        match = _NUMBERED.match(value)
        if match is None:
            return None
        shapes.add((match.group(1) or "", len(match.group(2))))
        if len(shapes) > 1:
            return None
    return (min(values), max(values)) if values else None


def _filter_chunks(field: str, values: list[str]) -> Iterator[list[str]]:
    group: list[str] = []
    for value in values:
        candidate = [*group, value]
        too_long = len(encode_query({"$filter": any_of(field, candidate)})) > MAX_LOOKUP_FILTER_CHARS
        if group and (too_long or len(candidate) > MAX_LOOKUP_VALUES):
            yield group
            group = [value]
        else:
            group = candidate
    if group:
        yield group
