"""Registry of flow handlers: flow name -> function that runs one SyncRun.

A flow module in this package registers itself::

    @register_flow(Flow.ORDERS)
    def orders_run(run: SyncRun) -> None: ...

The handler receives the run (with ``run.integration`` loaded and ``run.lease`` set), adds to the
``run.records_*`` / ``run.api_*`` counters in memory, calls ``run.lease.renew()`` between batches
and raises to fail the run. The executor (``syncs.services.runs.sync_run_execute``) persists the
counts and the outcome. Every module in this package is imported on first lookup, so a new flow
needs no wiring beyond its module.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from syncs.models import SyncRun

FlowHandler = Callable[["SyncRun"], None]

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
