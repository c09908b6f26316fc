"""Benchmark (not a test): orders from the Shopify simulator into the BC simulator with BC's
limits and latency on: the product's orders sync beside a naive one-request-per-entity sync, and
the shop's side read under a Standard and a Plus plan's cost budget.

    .venv/bin/python -m bench.orders_sync [--orders 10000] [--naive-orders 2000] [--scale 20]
                                          [--plan-orders 600] [--lanes 4]

Both simulators run in a child process (served over loopback HTTP), so the figures for memory
are the product's own process. BC has its limits on (6,000 requests per 5 minutes per user,
5 requests at once) and simulated latency: 120 ms per request plus 15 ms per operation (a $batch
of 100 pays 120 ms + 100 x 15 ms), roughly what BC online answers a small API call in. The BC
clock runs ``--scale`` times faster than wall time, so latency sleeps are short (the throttle
window slides on that clock too).

The Shopify simulator generates the orders (``sim.generate_orders``: 1-4 lines, 60 % Swedish,
the rest EU with OSS VAT, some with a discount code). During the two syncs its cost throttle is
opened wide (the BC side is measured there); its requested and actual query cost are counted all
the same. The product's run reads every order in full (a backfill, or a sweep whose webhooks never
came). Then the steady state's sweep runs over the synced orders: it lists them (id and last
change) and reads none in full again; its points per order listed are counted. Then
``--plan-orders`` orders are read again under each plan's budget (restore rate as shopify.dev
lists it; the bucket size is an assumption), the bucket empty at the start (a long read's steady
state), on a shop clock at wall speed (the throttle waits are real seconds), in two ways: read in
full, and built from their orders/create bodies plus the one small read of what a body lacks (the
steady state: that read plus the sweep's listing is what an order costs). Points are counted; the
orders per minute are measured in wall time and modelled as restore rate / points per order.
Customers are the seeded collective customers per country and every SKU is a seeded BC item: the
steady state.

Product: ``orders_sync`` as the flow runs it: pages of 100 orders per lane, ``--lanes`` $batch
requests in flight at once (BC_MAX_CONCURRENT_REQUESTS, default 4 of BC's 5 per user), the page
looked up and read back by external document number in one range read each, on a throwaway
SQLite database. Naive: the same mapping, one order at a time, one request per entity: look the
order up, create the invoice with its lines (deep insert), post it. The collective customer is
known from the settings, so it is not read. It writes into the second seeded company, so both
start from the same state.

Counted (exact, at the simulators' HTTP layer and Django's query wrapper): orders, BC requests,
BC operations, 429 answers, Shopify query cost points, database queries, memory. Modelled: time.
"BC time" = processing (wall time minus the latency sleeps) + latency, where the latency is
requests x ms per request + operations x ms per operation, the product's $batch requests shared
by its lanes (the page's batches run side by side), its reads one at a time. The latency split is
an ASSUMPTION with no vendor source (Microsoft publishes limits, not answer times), so the run
prints the same counts under three splits, and the ceiling of BC's five slots per user (all the
latency shared by five requests at once, the processing unchanged).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SHOP_DOMAIN = "bench-shop.myshopify.com"
SHOP_TOKEN = "shpat_bench"
BC_TOKEN = "test-token"
PER_REQUEST = 0.120  # BC seconds per HTTP request (assumed, see the docstring)
PER_OPERATION = 0.015  # BC seconds per operation (each one inside a $batch) (assumed)
# Other splits of roughly the same cost for a small request; the sensitivity table uses them.
LATENCY_SPLITS = ((0.020, 0.115), (0.060, 0.075), (0.120, 0.015))
BC_SLOTS_PER_USER = 5  # requests at once per user (Microsoft's documented limit)
PLANS = ("standard", "plus")
COUNTED = (
    "requests",
    "operations",
    "batch_requests",
    "batch_operations",
    "throttled",
    "shop_requests",
    "points_requested",
    "points_actual",
)  # Shopify plans whose cost budget the shop read runs under
PRODUCT_COMPANY = "CRONUS Sverige AB"
NAIVE_COMPANY = "My Company"
COUNTRIES = {  # country -> (VAT business posting group, collective customer, customer currency)
    "SE": ("DOMESTIC", "10000", ""),
    "DE": ("OSS-DE", "10010", "EUR"),
    "FI": ("OSS-FI", "10020", "EUR"),
    "DK": ("OSS-DK", "10030", "DKK"),
    "FR": ("OSS-FR", "10040", "EUR"),
    "NL": ("OSS-NL", "10050", "EUR"),
}


# --- the simulators' process ----------------------------------------------------------------------


def _simulators(conn, *, orders: int, scale: float) -> None:
    """Serve both simulators until told to stop; answer counter requests over ``conn``."""
    from simulators.businesscentral import BusinessCentralSimulator
    from simulators.server import serve
    from simulators.shopify import ShopifySimulator

    bc = BusinessCentralSimulator()
    shop = ShopifySimulator(shop_domain=SHOP_DOMAIN, access_token=SHOP_TOKEN, seed=42)  # shop clock: wall speed
    shop.set_throttle(maximum=1e12, restore_rate=1e12)
    first_created = shop.clock.now()
    order_ids = shop.generate_orders(orders, seed=7)
    bc.throttle.configure(enabled=True, requests_per_window=6000, window_seconds=300, max_concurrent=5)
    bc.latency.configure(per_request=PER_REQUEST, per_operation=PER_OPERATION)
    bc.clock.scale = scale
    with serve(bc) as bc_server, serve(shop) as shop_server:
        conn.send(
            {
                "bc_url": bc_server.url,
                "shop_url": shop_server.url,
                "tenant_id": bc.tenant_id,
                "companies": {name: bc.company_id("sandbox", name) for name in (PRODUCT_COMPANY, NAIVE_COMPANY)},
                "first_created": first_created.isoformat(),
            }
        )
        while (command := conn.recv()) != "stop":
            if command.startswith("plan:"):
                shop.set_plan(command.removeprefix("plan:"), empty=True)  # steady state: the burst is spent
                conn.send("ok")
            elif command.startswith("bodies:"):  # orders/create bodies (REST shape) of the first n orders
                conn.send([shop.webhooks.order_payload(order_id) for order_id in order_ids[: int(command[7:])]])
            elif command == "counters":
                batches = [entry for entry in list(bc.request_log) if entry.path.endswith("/$batch")]
                conn.send(
                    {
                        "requests": bc.request_count,
                        "operations": bc.operation_count,
                        "batch_requests": len(batches),
                        "batch_operations": sum(entry.operations for entry in batches),
                        "max_in_flight": bc.max_in_flight,
                        "shop_requests": shop.stats["requests"],
                        "points_requested": shop.stats["points_requested"],
                        "points_actual": shop.stats["points_actual"],
                        "bc_seconds": bc.clock.timestamp(),
                        "throttled": bc.throttle.rejected,
                        "documents": {
                            name: len(bc.company("sandbox", name).rows("salesInvoices"))
                            for name in (PRODUCT_COMPANY, NAIVE_COMPANY)
                        },
                    }
                )


# --- measuring ------------------------------------------------------------------------------------


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


@dataclass
class Figures:
    label: str
    orders: int
    synced: int
    scale: float
    lanes: int  # $batch requests in flight at once
    bc_clock_seconds: float  # what the simulator's clock moved
    wall_seconds: float
    requests: int
    operations: int
    batch_requests: int
    batch_operations: int
    queries: int
    throttled: int
    max_in_flight: int
    points_requested: int
    points_actual: int
    shop_requests: int
    rss_before: float
    rss_peak: float

    def latency(
        self, *, per_request: float = PER_REQUEST, per_operation: float = PER_OPERATION, slots: int = 0
    ) -> float:
        """BC seconds spent answering under a split. Reads go one at a time; $batch requests share
        the lanes. ``slots`` > 0: everything shared by that many requests at once (the ceiling)."""
        reads = (self.requests - self.batch_requests) * (per_request + per_operation)
        batches = self.batch_requests * per_request + self.batch_operations * per_operation
        if slots:
            return (reads + batches) / slots
        return reads + batches / max(self.lanes, 1)

    @property
    def latency_seconds(self) -> float:
        return self.latency()

    @property
    def processing_seconds(self) -> float:
        """Wall time minus the latency sleeps (which ran ``scale`` times fast)."""
        return max(self.wall_seconds - self.latency_seconds / self.scale, 0.0)

    @property
    def bc_seconds(self) -> float:
        """The run's length at BC's real speed under the stated split: processing + latency."""
        return self.processing_seconds + self.latency_seconds

    @property
    def per_minute(self) -> float:
        return self.synced / self.bc_seconds * 60 if self.bc_seconds else 0.0

    def modelled_per_minute(self, *, per_request: float, per_operation: float, slots: int = 0) -> float:
        """Orders per minute if BC answered with this split."""
        seconds = self.processing_seconds + self.latency(
            per_request=per_request, per_operation=per_operation, slots=slots
        )
        return self.synced / seconds * 60 if seconds else 0.0

    def report(self, *, memory: bool = True) -> str:
        n = max(self.synced, 1)
        lines = [
            f"{self.label}: {self.synced:,} of {self.orders:,} orders as posted invoices",
            f"  counted: BC HTTP requests per order {self.requests / n:.3f} ({self.requests:,}, of them "
            f"{self.batch_requests:,} $batch); BC operations per order {self.operations / n:.3f} "
            f"({self.operations:,}); 429s {self.throttled:,}"
            + (f"; most requests in flight at once {self.max_in_flight}" if self.lanes > 1 else ""),
            f"  counted: database queries per order {self.queries / n:.3f} ({self.queries:,})",
            f"  counted: Shopify points per order {self.points_actual / n:.1f} actual, "
            f"{self.points_requested / n:.1f} requested ({self.shop_requests:,} queries)",
            f"  measured: wall {self.wall_seconds:,.0f} s, of it processing {self.processing_seconds:,.0f} s",
            f"  modelled ({PER_REQUEST * 1000:.0f} ms/request + {PER_OPERATION * 1000:.0f} ms/operation, "
            f"{self.lanes} lane(s)): {self.per_minute:,.0f} orders per minute in BC time "
            f"({self.bc_seconds / 60:,.1f} min: {self.latency_seconds / 60:,.1f} min latency)",
        ]
        if memory:
            lines.append(f"  counted: memory (RSS) {self.rss_before:,.0f} MB before, peak {self.rss_peak:,.0f} MB")
        return "\n".join(lines)


class QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class Progress:
    def __init__(self, label: str, total: int, every: int) -> None:
        self.label, self.total, self.every = label, total, every
        self.done, self.next_at, self.started = 0, every, time.perf_counter()

    def add(self, count: int) -> None:
        self.done += count
        if self.done >= self.next_at or self.done >= self.total:
            rate = self.done / max(time.perf_counter() - self.started, 1e-9)
            print(f"  {self.label}: {self.done:,} / {self.total:,} ({rate:,.0f} per wall second)", flush=True)
            self.next_at += self.every


# --- the naive sync (bench only: never in the product) ----------------------------------------------


def naive_sync(*, client, orders, settings, progress: Progress) -> int:
    """One order at a time, one request per entity; returns the number of posted invoices."""
    from integrations.connectors.businesscentral import BCError, entities
    from syncs.mapping.customers import order_country
    from syncs.mapping.lines import ItemRef, order_item_keys
    from syncs.mapping.orders import order_document_build

    posted = 0
    for order in orders:
        progress.add(1)
        if client.find_by_external_document_numbers(entities.SALES_INVOICES, [order.name]).get(order.name):
            continue
        # The collective customer is in the settings: no read needed (the naive sync is not handicapped).
        number = settings.country(order_country(order)).collective_customer_number
        # Trusts that every SKU is an item number: BC refuses the insert otherwise.
        items = {key: ItemRef(number=key) for key in order_item_keys(order, sku_rule=settings.sku_rule)}
        draft = order_document_build(order=order, settings=settings, items=items, customer_number=number)
        try:
            invoice = client.create_record(entities.SALES_INVOICES, draft.to_payload())
            client.invoke_action(entities.SALES_INVOICES, invoice.id, "post")
        except BCError as exc:
            print(f"  {order.name}: {exc}", flush=True)
            continue
        posted += 1
    return posted


# --- setup ---------------------------------------------------------------------------------------


def _integration(*, info: dict, company: str, document_options: bool = False):
    from integrations.models import DimensionMapping, Integration, ShippingMethodMapping
    from tests.factories import (
        BusinessCentralConnectionFactory,
        CountryMappingFactory,
        IntegrationFactory,
        ShippingMethodMappingFactory,
        ShopConnectionFactory,
    )

    integration = IntegrationFactory(
        status=Integration.Status.LIVE, allow_writes=True, base_currency="SEK", gift_card_gl_account="2420"
    )
    BusinessCentralConnectionFactory(
        integration=integration,
        entra_tenant_id=info["tenant_id"],
        environment_name="sandbox",
        company_id=info["companies"][company],
        company_name=company,
        api_root_override=info["bc_url"],
    )
    ShopConnectionFactory(integration=integration, shop_domain=SHOP_DOMAIN, access_token=SHOP_TOKEN)
    for country, (group, customer, currency) in COUNTRIES.items():
        CountryMappingFactory(
            integration=integration,
            country_code=country,
            vat_business_group=group,
            collective_customer_number=customer,
            currency_code=currency,
        )
    for code in ("postnord-standard", "dhl-express"):
        ShippingMethodMappingFactory(
            integration=integration,
            shop_shipping_code=code,
            bc_shipment_method_code="",
            line_type=ShippingMethodMapping.LineType.ACCOUNT,
            line_number="3540",
            vat_product_group="STANDARD",
        )
    if document_options:
        # What every document then carries: salesperson, location on item lines, two header dimensions.
        Integration.objects.filter(pk=integration.pk).update(salesperson_code="JO", location_code="MAIN")
        for source, value, dimension, code in (
            (DimensionMapping.Source.SHOP, "", "AREA", "EU"),
            (DimensionMapping.Source.SALES_CHANNEL, "Online Store", "SALESCHANNEL", "WEB"),
        ):
            DimensionMapping.objects.create(
                integration=integration,
                source=source,
                source_value=value,
                dimension_code=dimension,
                dimension_value_code=code,
            )
        integration.refresh_from_db()
    return integration


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=10_000, help="orders the product syncs")
    # 10,000 naive orders take about 8 minutes of wall time on two cores: a sample is enough.
    parser.add_argument("--naive-orders", type=int, default=2_000, help="orders the naive sync does")
    parser.add_argument("--scale", type=float, default=20.0, help="BC (and shop) seconds per wall second")
    parser.add_argument("--plan-orders", type=int, default=120, help="orders read under each plan's budget")
    parser.add_argument("--lanes", type=int, default=4, help="$batch requests in flight at once (product)")
    parser.add_argument(
        "--document-options",
        action="store_true",
        help="the product's documents carry a salesperson, a location and two header dimensions",
    )
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "junipeer_bc.settings_test")
    os.environ["SQLITE_PATH"] = str(Path(tempfile.mkdtemp(prefix="bench-")) / "bench.sqlite3")

    import multiprocessing

    print(f"Generating {args.orders:,} orders in the Shopify simulator ...", flush=True)
    ours, theirs = multiprocessing.Pipe()
    # Forked before Django or any thread starts; the child only ever imports the simulators.
    child = multiprocessing.get_context("fork").Process(
        target=_simulators, args=(theirs,), kwargs={"orders": args.orders, "scale": args.scale}, daemon=True
    )
    child.start()
    info = ours.recv()

    def counters() -> dict:
        ours.send("counters")
        return ours.recv()

    import datetime as dt

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)

    from integrations.connectors.businesscentral import client_for_connection
    from integrations.connectors.shopify import ShopifyClient
    from integrations.models import Flow
    from simulators.shopify.bucket import PLANS as PLAN_BUDGETS
    from syncs.mapping.settings import mapping_settings_load
    from syncs.models import SyncRun
    from syncs.services.batches import lanes_for
    from syncs.services.discovery import orders_discover
    from syncs.services.orders.sync import orders_sync
    from syncs.services.runs import sync_run_create

    first_created = dt.datetime.fromisoformat(info["first_created"])
    shop = ShopifyClient(shop_domain=SHOP_DOMAIN, access_token=SHOP_TOKEN, api_root=info["shop_url"])

    integrations = {}

    def measure(label: str, total: int, company: str, run, lanes: int) -> Figures:
        document_options = args.document_options and company == PRODUCT_COMPANY
        integration = integrations[company] = _integration(
            info=info, company=company, document_options=document_options
        )
        bc = client_for_connection(integration.bc_connection, token_provider=lambda: BC_TOKEN)
        queries = QueryCounter()
        before, rss_before = counters(), _rss_mb()
        print(f"{label} ...", flush=True)
        started = time.perf_counter()
        with connection.execute_wrapper(queries):
            synced = run(integration=integration, bc=bc, total=total)
        wall = time.perf_counter() - started
        after = counters()
        delta = {key: after[key] - before[key] for key in COUNTED}
        return Figures(
            label=label,
            orders=total,
            synced=synced,
            scale=args.scale,
            lanes=lanes,
            bc_clock_seconds=after["bc_seconds"] - before["bc_seconds"],
            wall_seconds=wall,
            queries=queries.count,
            max_in_flight=after["max_in_flight"],
            rss_before=rss_before,
            rss_peak=_peak_rss_mb(),
            **delta,
        )

    def product(*, integration, bc, total) -> int:
        progress = Progress("product", total, every=1_000)
        run = sync_run_create(integration_id=integration.pk, flow=Flow.ORDERS, trigger=SyncRun.Trigger.MANUAL)
        result = orders_sync(
            integration=integration,
            orders=shop.orders_iter(created_since=first_created),
            client=bc,
            run=run,
            on_page=lambda page: progress.add(page.seen),
            lanes=lanes_for(integration=integration, width=args.lanes),
        )
        if result.failed:
            print(f"  failed: {result.failed:,}", flush=True)
        return result.created + result.linked

    def naive(*, integration, bc, total) -> int:
        def first_orders():
            for n, order in enumerate(shop.orders_iter(created_since=first_created)):
                if n >= total:
                    return
                yield order

        progress = Progress("naive", total, every=max(total // 10, 1))
        settings = mapping_settings_load(integration=integration)
        return naive_sync(client=bc, orders=first_orders(), settings=settings, progress=progress)

    ours_figures = measure("Product", args.orders, PRODUCT_COMPANY, product, lanes=args.lanes)
    print(ours_figures.report(), flush=True)
    naive_figures = None
    if args.naive_orders:
        naive_figures = measure("Naive", min(args.naive_orders, args.orders), NAIVE_COMPANY, naive, lanes=1)
        # The peak RSS is the process's lifetime peak: the product's run set it.
        print(naive_figures.report(memory=False), flush=True)

    # The steady state's sweep: the product's orders are synced, so the sweep lists them (id and last
    # change) and reads none in full again. The shop's throttle is still open here; points are counted.
    before = counters()
    swept = sum(
        1
        for _ in orders_discover(
            integration=integrations[PRODUCT_COMPANY],
            shop_client=shop,
            parameters={"since": first_created.isoformat()},
        )
    )
    after = counters()
    listing = {
        "listed": args.orders,
        "read_in_full": swept,
        "queries": after["shop_requests"] - before["shop_requests"],
        "points": (after["points_actual"] - before["points_actual"]) / max(args.orders, 1),
    }
    print(
        f"Sweep over the {args.orders:,} synced orders: {listing['queries']:,} queries, "
        f"{listing['points']:.2f} actual points per order listed, {swept:,} read in full again",
        flush=True,
    )

    plans = []
    bodies = []
    if args.plan_orders:
        ours.send(f"bodies:{args.plan_orders}")
        bodies = ours.recv()
    for plan in PLANS if args.plan_orders else ():
        for path in ("full read", "webhook body"):
            ours.send(f"plan:{plan}")
            ours.recv()
            # The shop's clock runs at wall speed: the throttle waits are real seconds.
            client = ShopifyClient(shop_domain=SHOP_DOMAIN, access_token=SHOP_TOKEN, api_root=info["shop_url"])
            print(f"Shop read under the {plan} plan's budget ({path}) ...", flush=True)
            before = counters()
            started = time.perf_counter()
            if path == "full read":
                read = sum(1 for _ in islice(client.orders_iter(created_since=first_created), args.plan_orders))
            else:
                read = sum(1 for body in bodies if client.order_from_webhook(body))
            wall = time.perf_counter() - started
            after = counters()
            points = (after["points_actual"] - before["points_actual"]) / max(read, 1)
            if path == "webhook body":
                points += listing["points"]  # and the sweep's listing of the order
            plans.append(
                {
                    "plan": plan,
                    "path": path,
                    "restore": PLAN_BUDGETS[plan].restore_rate,
                    "orders": read,
                    "queries": client.stats.requests,
                    "throttled": client.stats.throttled,
                    "points": points,
                    "waited": client.stats.waited_seconds,
                    "per_minute": read / wall * 60 if wall else 0.0,
                }
            )
    ours.send("stop")
    child.join(timeout=10)

    if naive_figures is not None:
        print(sensitivity_report(ours=ours_figures, naive=naive_figures, scale=args.scale), flush=True)
    if plans:
        print(plans_report(plans=plans, ours=ours_figures), flush=True)


def plans_report(*, plans: list[dict], ours: Figures) -> str:
    """The shop's side per plan and read path: counted points per order, the read's measured rate on
    the shop clock, and the modelled rate the plan's restore rate allows (restore / points)."""
    bc_side = ours.per_minute
    lines = [
        "",
        "Shop side. Counted: actual points per order at the simulator (webhook body: the body's complement",
        "  read plus the sweep's listing of the order). Measured: orders per minute in wall time, the shop's",
        "  clock at wall speed, the bucket empty at the start, throttle waits included. Modelled: the",
        "  plan's restore rate / points per order (the bucket size is an assumption and does not enter it).",
        f"  {'plan':<9} {'read path':<13} {'points/s':>9} {'points/order':>13} {'queries':>8} {'THROTTLED':>10} "
        f"{'waited s':>9} {'orders/min measured':>20} {'orders/min modelled':>20} {'binds':>6}",
    ]
    for plan in plans:
        modelled = plan["restore"] * 60 / max(plan["points"], 1e-9)
        binds = "shop" if modelled < bc_side else "BC"
        lines.append(
            f"  {plan['plan']:<9} {plan['path']:<13} {plan['restore']:>9,.0f} {plan['points']:>13.1f} "
            f"{plan['queries']:>8,} {plan['throttled']:>10,} {plan['waited']:>9,.0f} {plan['per_minute']:>20,.0f} "
            f"{modelled:>20,.0f} {binds:>6}"
        )
    lines.append(
        f"  (BC side, product, {PER_REQUEST * 1000:.0f} + {PER_OPERATION * 1000:.0f} ms: {bc_side:,.0f} per minute)"
    )
    return "\n".join(lines)


def sensitivity_report(*, ours: Figures, naive: Figures, scale: float) -> str:
    """Counted figures first; then the modelled orders per minute under several latency splits."""
    ours_per_order = ours.requests / max(ours.synced, 1)
    naive_per_order = naive.requests / max(naive.synced, 1)
    lines = [
        "",
        "Counted: product vs naive",
        f"  BC requests per order {ours_per_order:.3f} vs {naive_per_order:.3f} "
        f"({naive_per_order / max(ours_per_order, 1e-9):.0f}x fewer); operations per order "
        f"{ours.operations / max(ours.synced, 1):.2f} vs {naive.operations / max(naive.synced, 1):.2f}",
        f"Modelled (assumed latency; processing measured: product {ours.processing_seconds:,.0f} s, "
        f"naive {naive.processing_seconds:,.0f} s; BC clock x{scale:g}): orders per minute",
        f"  {'ms/request + ms/operation':<26} {f'product ({ours.lanes} lanes)':>18} {'naive':>9} {'ratio':>7} "
        f"{f'ceiling ({BC_SLOTS_PER_USER} slots)':>18}",
    ]
    for per_request, per_operation in LATENCY_SPLITS:
        product = ours.modelled_per_minute(per_request=per_request, per_operation=per_operation)
        baseline = naive.modelled_per_minute(per_request=per_request, per_operation=per_operation)
        ceiling = ours.modelled_per_minute(
            per_request=per_request, per_operation=per_operation, slots=BC_SLOTS_PER_USER
        )
        split = f"{per_request * 1000:.0f} + {per_operation * 1000:.0f}"
        lines.append(
            f"  {split:<26} {product:>18,.0f} {baseline:>9,.0f} {product / max(baseline, 1e-9):>6.1f}x "
            f"{ceiling:>18,.0f}"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
