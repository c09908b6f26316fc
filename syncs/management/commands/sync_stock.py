"""Run the stock flow for one integration now: ``manage.py sync_stock <integration id> [--full]``."""

from __future__ import annotations

from integrations.models import Flow
from syncs.management.commands.sync import EXIT_CODES_HELP
from syncs.management.commands.sync_products import Command as SyncProductsCommand


class Command(SyncProductsCommand):
    help = (
        f"Push changed BC stock quantities to the shop for one integration (everything with --full). {EXIT_CODES_HELP}"
    )
    flow = Flow.STOCK
