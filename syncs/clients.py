"""The seams between the core and the vendors: what the core calls on a BC client, and who builds
the clients a flow or service works with.

``BCClient`` is the Business Central client as the core uses it (BusinessCentralClient implements
it). ``ClientFactory`` builds, for one integration, the BC client, the shop platform
(integrations/commerce/platform.py) and the payout providers (syncs/payouts/providers/base.py).
Every flow and every service that builds clients takes one as ``clients=``; ``ConnectionClients``
(the default) builds them from the integration's stored connections. ``SYNC_CLIENT_FACTORY`` names
the default for the executor (a dotted path to a factory class or object), so a worker process can
be pointed at another factory (simulators, a benchmark) without touching the code.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, Protocol, TypeVar

from django.conf import settings
from django.utils.module_loading import import_string

from integrations.commerce.platform import RequestCounts, ShopPlatform
from integrations.connectors.businesscentral import BatchOperation, BatchResult, client_for_connection
from integrations.connectors.businesscentral.entities import EntitySet
from integrations.connectors.businesscentral.payloads import (
    NewCustomerPayment,
    NewGeneralJournalPageLine,
    Payload,
)
from integrations.connectors.businesscentral.records import (
    Company,
    CompanyInformation,
    CustomerPayment,
    DimensionValueRow,
    GeneralLedgerSetup,
    ItemLedgerEntryRow,
    JournalBatchRow,
    JournalTemplateRow,
    NoSeries,
    NoSeriesLine,
    PostedShipmentRow,
    VatPostingSetupRow,
)
from integrations.models import Integration
from integrations.services.bc_auth import bc_credentials
from integrations.services.shop_clients import shop_client_build
from syncs.payouts.providers import provider_build
from syncs.payouts.providers.base import PayoutProvider

R = TypeVar("R")
Parent = tuple[EntitySet, str]
Changes = Mapping[str, Any] | Payload

DEFAULT_FACTORY = "syncs.clients.ConnectionClients"


class BCRequestCounts(RequestCounts, Protocol):
    """A BC client's counters: also every operation it sent (a $batch of 40 = 40)."""

    operations: int


class BCClient(Protocol):
    """What the core calls on a Business Central client (records, $batch, ODataV4 pages, actions)."""

    @property
    def stats(self) -> BCRequestCounts: ...

    def entity_path(self, entity: EntitySet, *, id: str | None = None, parent: Parent | None = None) -> str: ...  # noqa: A002

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
    ) -> Iterator[R]: ...

    def list_records(self, entity: EntitySet[R], **options: Any) -> list[R]: ...

    def find_by_external_document_numbers(
        self,
        entity: EntitySet[R],
        numbers: Iterable[str],
        *,
        select: Iterable[str] | None = None,
        expand: Iterable[str] | str | None = None,
    ) -> dict[str, list[R]]: ...

    def create_record(self, entity: EntitySet[R], payload: Changes, *, parent: Parent | None = None) -> R: ...

    def create_customer_payment(self, *, journal_id: str, payment: NewCustomerPayment) -> CustomerPayment: ...

    def post_journal(self, journal_id: str) -> None: ...

    def batch(self, operations: Sequence[BatchOperation], *, isolation_snapshot: bool = False) -> list[BatchResult]: ...

    def batch_get(
        self,
        entity: EntitySet,
        *,
        id: str | None = None,  # noqa: A002
        filter: str | None = None,  # noqa: A002
        parent: Parent | None = None,
    ) -> BatchOperation: ...

    def batch_create(self, entity: EntitySet, payload: Changes, *, parent: Parent | None = None) -> BatchOperation: ...

    def batch_update(self, entity: EntitySet, id: str, *, etag: str, changes: Changes) -> BatchOperation: ...  # noqa: A002

    def batch_action(self, entity: EntitySet, id: str, action: str) -> BatchOperation: ...  # noqa: A002

    def list_companies(self) -> list[Company]: ...

    def company_information(self) -> CompanyInformation: ...

    def general_ledger_setup(self) -> GeneralLedgerSetup: ...

    def iter_page_rows(
        self,
        page: str,
        *,
        filter: str | None = None,  # noqa: A002
        select: Iterable[str] | None = None,
        page_size: int | None = None,
    ) -> Iterator[dict[str, Any]]: ...

    def general_journal_line_create(self, line: NewGeneralJournalPageLine) -> dict[str, Any]: ...

    def vat_posting_setup(self) -> list[VatPostingSetupRow]: ...

    def posted_shipment_rows(self, numbers: Iterable[str]) -> list[PostedShipmentRow]: ...

    def dimension_value_rows(self) -> list[DimensionValueRow]: ...

    def no_series(self) -> list[NoSeries]: ...

    def no_series_lines(self) -> list[NoSeriesLine]: ...

    def journal_templates(self) -> list[JournalTemplateRow]: ...

    def journal_batches(self) -> list[JournalBatchRow]: ...

    def open_item_ledger_entries(
        self, *, location_codes: Iterable[str], page_size: int | None = None, variants: bool = False
    ) -> Iterator[ItemLedgerEntryRow]: ...


class ClientFactory(Protocol):
    """Builds the clients of one integration. Each call builds anew: a flow asks once per run."""

    def bc(self, *, integration: Integration) -> BCClient: ...

    def shop(self, *, integration: Integration) -> ShopPlatform: ...

    def payout_providers(self, *, integration: Integration) -> list[PayoutProvider]: ...


class ConnectionClients:
    """The production factory: clients from the integration's stored (encrypted) connections."""

    def bc(self, *, integration: Integration) -> BCClient:
        connection = integration.bc_connection
        return client_for_connection(connection, credentials=bc_credentials(connection=connection))

    def shop(self, *, integration: Integration) -> ShopPlatform:
        # The shop platform is chosen in one place (Shopify or WooCommerce).
        return shop_client_build(connection=integration.shop_connection)

    def payout_providers(self, *, integration: Integration) -> list[PayoutProvider]:
        return [provider_build(connection=provider) for provider in integration.payment_providers.all()]


def client_factory_default() -> ClientFactory:
    """The factory named by ``SYNC_CLIENT_FACTORY``: a dotted path to a factory class (built with no
    arguments) or object; an object set there directly (in-process) is used as it is."""
    configured = getattr(settings, "SYNC_CLIENT_FACTORY", DEFAULT_FACTORY) or DEFAULT_FACTORY
    if not isinstance(configured, str):
        return configured
    factory = import_string(configured)
    return factory() if isinstance(factory, type) else factory
