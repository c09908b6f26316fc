"""The orders run's context (integration, BC client, settings, what was read once per run) and result."""

from __future__ import annotations

from dataclasses import dataclass, field

from integrations.models import Integration
from syncs.clients import BCClient
from syncs.mapping.lines import ItemRef
from syncs.mapping.settings import MappingSettings, mapping_settings_load
from syncs.models import SyncRun
from syncs.services.customers import CustomerCache
from syncs.services.documents import Checkpoint, Sending


@dataclass
class OrdersContext:
    integration: Integration
    client: BCClient
    settings: MappingSettings
    run: SyncRun | None = None
    checkpoint: Checkpoint | None = None
    items: dict[str, ItemRef | None] = field(default_factory=dict)
    customers: CustomerCache = field(default_factory=CustomerCache)
    shipment_methods: dict[str, str] | None = None  # BC code (upper case) -> id, read once per run
    location_id: str | None = None  # the integration's location code resolved to BC's id, once per run
    salesperson_ok: bool | None = None  # the salesperson code exists and is not blocked (read once per run)
    dimension_values: dict[str, set[str]] | None = None  # dimension code -> its value codes, once per run
    sending: Sending = field(default_factory=Sending)

    @property
    def items_found(self) -> dict[str, ItemRef]:
        return {key: ref for key, ref in self.items.items() if ref is not None}


@dataclass
class OrdersSyncResult:
    seen: int = 0
    created: int = 0
    linked: int = 0
    skipped: int = 0
    failed: int = 0
    conflicts: int = 0
    states: dict[str, str] = field(default_factory=dict)  # order name -> link state
    refunds: OrdersSyncResult | None = None

    def add(self, other: OrdersSyncResult) -> None:
        for name in ("seen", "created", "linked", "skipped", "failed", "conflicts"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.states.update(other.states)
        if other.refunds is not None:
            self.refunds = self.refunds or OrdersSyncResult()
            self.refunds.add(other.refunds)


def orders_context(
    *,
    integration: Integration,
    client: BCClient,
    run: SyncRun | None = None,
    checkpoint: Checkpoint | None = None,
    sending: Sending | None = None,
) -> OrdersContext:
    return OrdersContext(
        integration=integration,
        client=client,
        settings=mapping_settings_load(integration=integration),
        run=run,
        checkpoint=checkpoint,
        sending=sending or Sending(),
    )
