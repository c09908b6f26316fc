"""Several $batch requests of one integration in flight at once, each holding one of the BC user's slots.

``batches_send`` cuts the operations into $batch requests of at most ``batch_size`` and sends up to
``lanes.width`` of them at once. Each request's outcome stays its own: the answer is a result per
operation, or the request's error for each of its operations, so a caller decides per operation
exactly as it does for one request (a lost answer stays uncertain and is looked up again, never
resent blindly). Only HTTP runs in the threads: no database access.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings

from integrations.connectors.businesscentral import BCError, BCThrottled
from integrations.connectors.businesscentral.batch import MAX_BATCH_OPERATIONS, BatchOperation, BatchResult
from integrations.services.bc_slots import BCSlots, SlotWaitTimeout, bc_slots_for

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class Lanes:
    """How many requests one integration may have in flight, and the BC user's shared slots."""

    width: int = 1
    slots: BCSlots | None = None

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> list[R | BCError]:
        """``fn`` over ``items``, up to ``width`` at once; a BCError is returned in place of its result."""

        def call(item: T) -> R | BCError:
            try:
                if self.slots is None:
                    return fn(item)
                with self.slots.slot():
                    return fn(item)
            except SlotWaitTimeout as exc:
                return BCThrottled(str(exc), code="SlotWaitTimeout", status=429)
            except BCError as exc:
                return exc

        if self.width <= 1 or len(items) <= 1:
            return [call(item) for item in items]
        with ThreadPoolExecutor(max_workers=min(self.width, len(items)), thread_name_prefix="bc-batch") as pool:
            return list(pool.map(call, items))


SERIAL = Lanes()


def lanes_for(*, integration, width: int | None = None) -> Lanes:
    """The integration's lanes: ``BC_MAX_CONCURRENT_REQUESTS`` wide, slots shared per BC user."""
    width = settings.BC_MAX_CONCURRENT_REQUESTS if width is None else width
    return Lanes(width=max(1, width), slots=bc_slots_for(integration=integration))


def batches_send(
    *, client: Any, operations: Sequence[BatchOperation], lanes: Lanes = SERIAL, batch_size: int = MAX_BATCH_OPERATIONS
) -> list[BatchResult | BCError]:
    """One outcome per operation, in input order: BC's result, or the error of the request it was in."""
    groups = [list(operations[start : start + batch_size]) for start in range(0, len(operations), batch_size)]
    outcomes: list[BatchResult | BCError] = []
    for group, answer in zip(groups, lanes.map(client.batch, groups), strict=True):
        outcomes.extend([answer] * len(group) if isinstance(answer, BCError) else answer)
    return outcomes
