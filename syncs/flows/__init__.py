"""Registry of flow handlers: flow name -> function that runs one SyncRun.

A flow module in this package registers itself::

    @register_flow(Flow.ORDERS)
    def orders_run(run: SyncRun, *, clients: ClientFactory | None = None) -> None: ...

The handler receives the run (with ``run.integration`` loaded and ``run.lease`` set) and the
``ClientFactory`` it builds its clients with (syncs/clients.py; the executor passes the one
``SYNC_CLIENT_FACTORY`` names unless its caller passes another), adds to the
``run.records_*`` / ``run.api_*`` counters in memory, calls ``run.lease.renew()`` between batches
and raises to fail the run. The executor (``syncs.services.runs.sync_run_execute``) persists the
counts and the outcome. Every module in this package is imported on first lookup, so a new flow
needs no wiring beyond its module.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from syncs.clients import ClientFactory
    from syncs.models import SyncRun


class FlowHandler(Protocol):
    def __call__(self, run: SyncRun, *, clients: ClientFactory | None = None) -> None: ...


FLOW_HANDLERS: dict[str, FlowHandler] = {}
_discovered = False


def register_flow(flow: str) -> Callable[[FlowHandler], FlowHandler]:
    def decorator(handler: FlowHandler) -> FlowHandler:
        existing = FLOW_HANDLERS.get(flow)
        if existing is not None and existing.__qualname__ != handler.__qualname__:
            raise ValueError(f"Flow {flow!r} already has a handler: {existing.__module__}.{existing.__qualname__}")
        FLOW_HANDLERS[flow] = handler
        return handler

    return decorator


def flows_autodiscover() -> None:
    """Import every module of this package once, so their ``@register_flow`` decorators run."""
    global _discovered
    if _discovered:
        return
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    _discovered = True


def flow_handler_get(flow: str) -> FlowHandler | None:
    flows_autodiscover()
    return FLOW_HANDLERS.get(flow)
