"""Benchmark (not a test): orders-sync throughput with 1, 2 and 4 workers at once.

    .venv/bin/python -m bench.order_workers [--orders 500] [--workers 1,2,4] [--scale 20]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jbc_workers .venv/bin/python -m bench.order_workers

Each worker is a process, as a django-q worker is. It runs the real executor (``sync_run_execute``
and the orders flow) for its own integration: its own merchant, BC tenant and user (so BC's
per-user limits apply per worker) and its own Shopify shop. The worker's BC and shop simulators
run in a child process of their own and are served over loopback HTTP. One BC simulator per
worker (not one shared) because the simulator handles every request behind one data lock; BC
online serves different tenants side by side. Each round starts with fresh simulators and
``--orders`` new paid orders per shop, synced as a backfill by creation date (pages of 100).

The set-up is the one of ``bench/orders_sync.py``, so the figures compare:

- BC's limits are on (6,000 requests per 5 minutes and 5 at once, per user) and its latency is
  120 ms per request plus 15 ms per operation. The BC clock runs ``--scale`` times faster than
  wall time: latency sleeps are short and the throttle window slides on the same clock.
- The shop's cost throttle is opened wide: the shop side is not what is measured. The clients
  sleep on clocks that run at their simulator's speed (the BC client's retry waits on BC time).
- BC time is computed per worker as orders_sync.py does: the worker's wall time plus its BC
  latency in BC seconds (requests x 120 ms + operations x 15 ms, the part already slept counted
  once). Workers run side by side, so a round's BC time is that of its slowest worker.

Runs on PostgreSQL when DATABASE_URL is set (the database is created when missing and reused) and
on a throwaway SQLite file otherwise (SQLite lets one writer at a time in, so it is not a fair
test of several workers).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.orders_sync import COUNTRIES, PER_OPERATION, PER_REQUEST, PRODUCT_COMPANY  # noqa: E402

SHOP_SCALE = 1.0  # the Shopify simulator's clock runs at wall speed (its throttle is open anyway)


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _machine_busy_seconds() -> float:
    """CPU seconds the whole machine has been busy (all processes, ours and others')."""
    with open("/proc/stat") as stat:
        fields = [int(value) for value in stat.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def _db_backend_cpu() -> float | None:
    """CPU seconds of this connection's PostgreSQL backend, when the server runs on this machine."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


# --- one worker's simulators (a child process) ------------------------------------------------------


def _simulators(conn, *, n: int, orders: int, scale: float) -> None:
    """Serve worker ``n``'s BC and shop until told to stop; answer counter requests over ``conn``."""
    from simulators.businesscentral import BusinessCentralSimulator
    from simulators.server import serve
    from simulators.shopify import ShopifySimulator
    from simulators.shopify.clock import SimClock as ShopClock

    token, shop_domain, shop_token = f"bench-token-{n}", f"bench-{n}.myshopify.com", f"shpat_bench_{n}"
    # A tenant of its own: the seeded company ids derive from the environment and company names.
    bc = BusinessCentralSimulator(accepted_tokens={token: f"bench-user-{n}"}, tenant_id=str(uuid.uuid4()))
    shop = ShopifySimulator(shop_domain=shop_domain, access_token=shop_token, seed=42 + n,
                            clock=ShopClock(scale=SHOP_SCALE))  # fmt: skip
    shop.set_throttle(maximum=1e12, restore_rate=1e12)
    first_created = shop.clock.now()
    shop.generate_orders(orders, seed=7 + n)
    bc.throttle.configure(enabled=True, requests_per_window=6000, window_seconds=300, max_concurrent=5)
    bc.latency.configure(per_request=PER_REQUEST, per_operation=PER_OPERATION)
    bc.clock.scale = scale
    with serve(bc) as bc_server, serve(shop) as shop_server:
        conn.send(
            {
                "bc_url": bc_server.url,
                "shop_url": shop_server.url,
                "tenant_id": bc.tenant_id,
                "company_id": bc.company_id("sandbox", PRODUCT_COMPANY),
                "token": token,
                "shop_domain": shop_domain,
                "shop_token": shop_token,
                "first_created": first_created.isoformat(),
            }
        )
        while (command := conn.recv()) != "stop":
            if command == "counters":
                answered = [entry for entry in bc.request_log if entry.status != 429]
                conn.send(
                    {
                        "requests": bc.request_count,
                        "operations": bc.operation_count,
                        # Latency is only slept for requests that got past the throttle.
                        "latency_seconds": sum(PER_REQUEST + e.operations * PER_OPERATION for e in answered),
                        "throttled": bc.throttle.rejected,
                        "invoices": len(bc.company("sandbox", PRODUCT_COMPANY).rows("salesInvoices")),
                        "cpu": _cpu_seconds(),
                    }
                )


# --- the product's side ----------------------------------------------------------------------------


def _integration(*, info: dict, label: str):
    from integrations.models import Integration, ShippingMethodMapping
    from tests import factories as f

    tenant = f.TenantFactory(name=f"Bench {label}", slug=f"bench-workers-{label}")
    integration = f.IntegrationFactory(
        tenant=tenant,
        name=f"Bench {label}",
        status=Integration.Status.LIVE,
        allow_writes=True,
        base_currency="SEK",
        gift_card_gl_account="2420",
    )
    f.BusinessCentralConnectionFactory(
        integration=integration,
        entra_tenant_id=info["tenant_id"],
        environment_name="sandbox",
        company_id=info["company_id"],
        company_name=PRODUCT_COMPANY,
        api_root_override=info["bc_url"],
    )
    f.ShopConnectionFactory(integration=integration, shop_domain=info["shop_domain"], access_token=info["shop_token"])
    for country, (group, customer, currency) in COUNTRIES.items():
        f.CountryMappingFactory(
            integration=integration,
            country_code=country,
            vat_business_group=group,
            collective_customer_number=customer,
            currency_code=currency,
        )
    for code in ("postnord-standard", "dhl-express"):
        f.ShippingMethodMappingFactory(
            integration=integration,
            shop_shipping_code=code,
            bc_shipment_method_code="",
            line_type=ShippingMethodMapping.LineType.ACCOUNT,
            line_number="3540",
            vat_product_group="STANDARD",
        )
    return integration


# Integration pk -> its simulators' addresses and worker number; filled per round, read by the hooks.
INFOS: dict[int, dict] = {}


def _bench_hooks(*, scale: float, total: int) -> None:
    """Point the flow at the simulators and print progress (bench only: installed once, inherited by
    the forked workers)."""
    from integrations.connectors.businesscentral import client_for_connection
    from integrations.connectors.shopify import ShopifyClient
    from simulators.businesscentral.clock import SimClock as BCClock
    from simulators.shopify.clock import SimClock as ShopClock
    from syncs.services.orders import sync as orders_service

    original_sync = orders_service.orders_sync

    def clients(*, integration):
        info = INFOS[integration.pk]
        # Clocks running at the simulators' speed, so any wait costs simulated time, not wall time.
        bc_clock, shop_clock = BCClock(scale=scale), ShopClock(scale=SHOP_SCALE)
        return orders_service.FlowClients(
            bc=client_for_connection(integration.bc_connection, token_provider=lambda: info["token"],
                                     sleep=bc_clock.sleep, clock=bc_clock.timestamp),
            shop=ShopifyClient(shop_domain=info["shop_domain"], access_token=info["shop_token"],
                               api_root=info["shop_url"], sleep=shop_clock.sleep, clock=shop_clock.timestamp),
        )  # fmt: skip

    def orders_sync_with_progress(*, integration, on_page=None, **kwargs):
        done, started = 0, time.perf_counter()

        def page(result) -> None:
            nonlocal done
            done += result.seen
            elapsed = time.perf_counter() - started
            print(f"    worker {INFOS[integration.pk]['n']}: {done:,} / {total:,} orders "
                  f"({elapsed:,.0f} s wall)", flush=True)  # fmt: skip
            if on_page is not None:
                on_page(result)

        return original_sync(integration=integration, on_page=page, **kwargs)

    orders_service.flow_clients_build = clients
    orders_service.orders_sync = orders_sync_with_progress


def _worker(*, run_id: int, n: int, barrier, results) -> None:
    from django.db import connections

    from syncs.services.runs import sync_run_execute

    db_cpu = _db_backend_cpu()  # connects before the start: the connection is not what is measured
    barrier.wait()
    started, cpu = time.perf_counter(), _cpu_seconds()
    try:
        sync_run_execute(run_id=run_id)
    finally:
        wall, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
        db_after = _db_backend_cpu() if db_cpu is not None else None
        db_cpu = db_after - db_cpu if db_after is not None else None
        results.put({"n": n, "wall": wall, "cpu": cpu, "db_cpu": db_cpu})
        connections.close_all()


def measure(*, workers: int, orders: int, scale: float, label: str) -> dict:
    import multiprocessing

    from django.db import connections

    from integrations.models import Flow
    from syncs.models import RecordLink, SyncRun

    fork = multiprocessing.get_context("fork")
    connections.close_all()  # nothing open crosses a fork
    pipes, simulators = [], []
    for n in range(workers):
        ours, theirs = fork.Pipe()
        child = fork.Process(target=_simulators, args=(theirs,), kwargs={"n": n, "orders": orders, "scale": scale},
                             daemon=True)  # fmt: skip
        child.start()
        pipes.append(ours)
        simulators.append(child)
    runs = []
    for n, pipe in enumerate(pipes):
        info = pipe.recv() | {"n": n}
        integration = _integration(info=info, label=f"{label}-{workers}w{n}")
        INFOS[integration.pk] = info
        runs.append(
            SyncRun.objects.create(
                integration=integration,
                flow=Flow.ORDERS,
                trigger=SyncRun.Trigger.COMMAND,
                # A backfill by creation date: the generated orders, streamed page by page.
                parameters={"created_from": info["first_created"]},
            )
        )

    def counters() -> list[dict]:
        for pipe in pipes:
            pipe.send("counters")
        return [pipe.recv() for pipe in pipes]

    before = counters()
    barrier, results = fork.Barrier(workers + 1), fork.Queue()
    connections.close_all()
    children = [
        fork.Process(target=_worker, kwargs={"run_id": run.pk, "n": n, "barrier": barrier, "results": results})
        for n, run in enumerate(runs)
    ]
    for child in children:
        child.start()
    barrier.wait()
    started, busy = time.perf_counter(), _machine_busy_seconds()
    done = sorted((results.get() for _ in children), key=lambda r: r["n"])
    wall, busy = time.perf_counter() - started, _machine_busy_seconds() - busy
    for child in children:
        child.join()
    after = counters()
    for pipe, child in zip(pipes, simulators, strict=True):
        pipe.send("stop")
        child.join(timeout=10)

    per_worker = []
    for n in range(workers):
        delta = {key: after[n][key] - before[n][key] for key in ("requests", "operations", "latency_seconds",
                                                                  "throttled", "cpu")}  # fmt: skip
        # orders_sync.py's BC time: wall (processing + latency already slept at 1/scale) + the rest of the latency.
        bc_seconds = done[n]["wall"] + delta["latency_seconds"] * (1 - 1 / scale)
        per_worker.append(
            delta
            | {
                "wall": done[n]["wall"],
                "bc_seconds": bc_seconds,
                "product_cpu": done[n]["cpu"],
                "db_cpu": done[n]["db_cpu"],
            }
        )
    integrations = [run.integration_id for run in runs]
    links = RecordLink.objects.filter(integration_id__in=integrations)
    bc_seconds = max(w["bc_seconds"] for w in per_worker)
    synced = links.filter(state=RecordLink.State.SYNCED).count()
    return {
        "workers": workers,
        "orders": workers * orders,
        "synced": synced,
        "failed": links.filter(state=RecordLink.State.FAILED).count(),
        "invoices": sum(a["invoices"] for a in after),
        "wall": wall,
        "bc_minutes": bc_seconds / 60,
        "per_min": synced / bc_seconds * 60 if bc_seconds else 0.0,
        "requests": sum(w["requests"] for w in per_worker),
        "operations": sum(w["operations"] for w in per_worker),
        "throttled": sum(w["throttled"] for w in per_worker),
        "product_cpu": sum(w["product_cpu"] for w in per_worker),
        "simulator_cpu": sum(w["cpu"] for w in per_worker),
        "db_cpu": None if any(w["db_cpu"] is None for w in per_worker) else sum(w["db_cpu"] for w in per_worker),
        "cores_busy": busy / wall if wall else 0.0,
        "per_worker": per_worker,
        "runs": sorted(SyncRun.objects.filter(pk__in=[r.pk for r in runs]).values_list("status", flat=True)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=500, help="new paid orders per worker's shop")
    parser.add_argument("--workers", default="1,2,4", help="worker counts, one round each")
    parser.add_argument("--scale", type=float, default=20.0, help="BC seconds per wall second")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "junipeer_bc.settings_test")
    database_url = os.environ.get("DATABASE_URL", "")
    if database_url:
        from bench.admin_changelist import _ensure_database

        _ensure_database(database_url)
    else:
        os.environ["SQLITE_PATH"] = str(Path(tempfile.mkdtemp(prefix="bench-")) / "bench.sqlite3")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    _bench_hooks(scale=args.scale, total=args.orders)
    label = uuid.uuid4().hex[:8]  # a reused database keeps earlier runs' merchants
    print(f"Database: {connection.vendor}. BC limits on per user (6,000 requests / 5 min, 5 at once); latency "
          f"{PER_REQUEST * 1000:.0f} ms/request + {PER_OPERATION * 1000:.0f} ms/operation; BC clock x{args.scale:g}; "
          f"shop throttle open; {args.orders:,} orders per worker; {os.cpu_count()} CPUs.", flush=True)  # fmt: skip
    rows = []
    for workers in [int(w) for w in args.workers.split(",")]:
        print(f"{workers} worker(s): {workers * args.orders:,} orders ...", flush=True)
        r = measure(workers=workers, orders=args.orders, scale=args.scale, label=label)
        rows.append(r)
        for n, w in enumerate(r["per_worker"]):
            print(f"  worker {n}: wall {w['wall']:,.1f} s, BC time {w['bc_seconds'] / 60:,.2f} min "
                  f"({w['latency_seconds'] / 60:,.2f} min latency), {w['requests']:,} requests, "
                  f"{w['operations']:,} operations, CPU {w['product_cpu']:,.1f} s product + "
                  f"{'-' if w['db_cpu'] is None else format(w['db_cpu'], ',.1f')} s database + "
                  f"{w['cpu']:,.1f} s simulators", flush=True)  # fmt: skip
        print(f"  runs {r['runs']}; {r['synced']:,} synced, {r['failed']:,} failed, {r['invoices']:,} BC invoices; "
              f"machine CPU busy {r['cores_busy']:.2f} cores", flush=True)  # fmt: skip

    base = rows[0]["per_min"] / rows[0]["workers"] if rows and rows[0]["per_min"] else 0.0
    print()
    print("| workers | orders synced | wall s | BC min | orders/min (BC time) | BC requests/order | 429s "
          "| scaling vs 1 worker | CPU ms/order (product + DB + sims) | cores busy |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        n = max(r["synced"], 1)
        scaling = r["per_min"] / base if base else 0.0
        db = "-" if r["db_cpu"] is None else f"{r['db_cpu'] / n * 1000:.1f}"
        print(f"| {r['workers']} | {r['synced']:,} of {r['orders']:,} | {r['wall']:,.1f} | {r['bc_minutes']:,.2f} "
              f"| {r['per_min']:,.0f} | {r['requests'] / n:.3f} | {r['throttled']:,} | {scaling:.2f}x "
              f"| {r['product_cpu'] / n * 1000:.1f} + {db} + {r['simulator_cpu'] / n * 1000:.1f} | "
              f"{r['cores_busy']:.2f} |")  # fmt: skip


if __name__ == "__main__":
    main()
