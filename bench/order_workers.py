"""Benchmark (not a test): orders throughput with 1, 2 and 4 django-q2 clusters on Redis and PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jbc_workers REDIS_URL=redis://127.0.0.1:6379/12 \\
        .venv/bin/python -m bench.order_workers [--orders 200] [--workers 1,2,4] [--timeout 600]

Each round starts ``N`` real ``manage.py qcluster`` child processes (``Q_WORKERS=1`` each, so ``N``
task workers), one integration per cluster and ``--orders`` new paid orders in each integration's
shop. The bench then does what a schedule tick does (``syncs.tasks.scheduled_flow_task`` ->
``scheduled_flow_enqueue`` -> ``flow_enqueue`` -> ``async_task(flow_run_task)`` on Redis) for every
integration at once and waits until every run has finished. Nothing in the product is replaced:
each worker builds its clients from the integration's configuration as in production.

- **BC.** One BC simulator per integration, each in a process of its own and reached over loopback
  HTTP through the connection's API root (the support-only override). Limits on (6,000 requests per
  5 minutes and 5 at once per user) and latency on (120 ms per request + 15 ms per operation, slept
  on a real clock). The BC sign-in is the real one: Microsoft's sign-in through the identity
  simulator (HTTPS), the token cache stored encrypted on the connection, refreshed by the workers.
- **Shopify.** One Shopify simulator per shop, all served by one process (the product has one
  Shopify API root), reached with the connection's stored access token; the cost throttle is open.
- **Clocks.** Real: nothing is scaled, so the run takes the time it takes.

Counted per round: orders, wall seconds (from the enqueue to the last run's end), BC requests,
operations and 429 answers (at the BC simulators' HTTP layer), duplicates (BC invoices sharing an
external document number: must be 0). Orders per minute depend on the modelled BC latency (an
assumption: Microsoft publishes limits, not answer times) and on the machine.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PER_REQUEST, PER_OPERATION = 0.120, 0.015  # seconds slept by the BC simulator (as orders_sync.py)
COMPANY = "CRONUS Sverige AB"
ORGANISATION = "contoso.example"  # the identity simulator's tenant that owns the BC environments
USERNAME = "admin@contoso.example"  # a seeded user with a BC licence
CLIENT_ID, CLIENT_SECRET = "bench-client-id", "bench-client-secret"  # noqa: S105 - the simulator's app
SITE_URL = "http://127.0.0.1:8000"
# From the BC simulator's seed: VAT business posting group, collective customer and currency.
COUNTRIES = {
    "SE": ("DOMESTIC", "10000", ""),
    "DE": ("OSS-DE", "10010", "EUR"),
    "FI": ("OSS-FI", "10020", "EUR"),
    "DK": ("OSS-DK", "10030", "DKK"),
    "FR": ("OSS-FR", "10040", "EUR"),
    "NL": ("OSS-NL", "10050", "EUR"),
}


def _refuse(message: str) -> None:
    print(message, file=sys.stderr)
    sys.exit(2)


# --- simulators (child processes, forked before Django starts) -----------------------------------------


def _bc(conn, *, identity) -> None:
    """One integration's BC until told to stop; counters over ``conn``."""
    from simulators.businesscentral import BusinessCentralSimulator
    from simulators.server import serve

    # BC accepts the tokens the identity simulator issues (its signing key came along with the fork).
    bc = BusinessCentralSimulator(accepted_tokens={}, token_validator=identity.bc_token_validator)
    bc.throttle.configure(enabled=True, requests_per_window=6000, window_seconds=300, max_concurrent=5)
    bc.latency.configure(per_request=PER_REQUEST, per_operation=PER_OPERATION)
    with serve(bc) as server:
        conn.send({"bc_url": server.url, "company_id": bc.company_id("sandbox", COMPANY)})
        while conn.recv() != "stop":
            invoices = bc.company("sandbox", COMPANY).rows("salesInvoices")
            numbers = collections.Counter(row.get("externalDocumentNumber") for row in invoices)
            conn.send(
                {
                    "requests": bc.request_count,
                    "operations": bc.operation_count,
                    "throttled": bc.throttle.rejected,
                    "invoices": len(invoices),
                    "duplicates": sum(count - 1 for number, count in numbers.items() if number and count > 1),
                }
            )


class _Shops:
    """Several shops behind one API root: ``/{shop domain}/admin/...`` goes to that shop's simulator."""

    def __init__(self, shops: dict) -> None:
        self.shops = shops

    def __call__(self, environ, start_response):
        domain = environ.get("PATH_INFO", "").lstrip("/").split("/", 1)[0]
        shop = self.shops.get(domain)
        if shop is None:
            start_response("404 Not Found", [("Content-Type", "application/json")])
            return [b'{"errors": "Not Found"}']
        return shop(environ, start_response)


def _shops(conn, *, domains: list[str], token: str, orders: int) -> None:
    from simulators.server import serve
    from simulators.shopify import ShopifySimulator
    from simulators.shopify.clock import SimClock

    shops = {}
    for n, domain in enumerate(domains):
        # Shop time is wall time: the new orders fall inside the first scheduled sweep's window.
        shop = ShopifySimulator(shop_domain=domain, access_token=token, seed=42 + n,
                                clock=SimClock(start=dt.datetime.now(dt.UTC)))  # fmt: skip
        shop.set_throttle(maximum=1e12, restore_rate=1e12)
        shop.generate_orders(orders, seed=7 + n)
        shops[domain] = shop
    with serve(_Shops(shops)) as server:
        conn.send({"shop_url": server.url})
        while conn.recv() != "stop":
            conn.send({"requests": sum(shop.stats["requests"] for shop in shops.values())})


# --- the product's side ----------------------------------------------------------------------------


def _integration(*, label: str, bc: dict, shop_domain: str, shop_token: str, identity):
    from django.urls import reverse

    from integrations.models import BusinessCentralConnection, Integration, ShippingMethodMapping
    from integrations.services.bc_auth import bc_signin_complete, bc_signin_start
    from tests import factories as f

    tenant = f.TenantFactory(name=f"Bench {label}", slug=f"bench-workers-{label}")
    integration = f.IntegrationFactory(
        tenant=tenant,
        name=f"Bench {label}",
        status=Integration.Status.LIVE,
        live_mode=True,
        orders_enabled=True,
        allow_writes=True,
        base_currency="SEK",
        gift_card_gl_account="2420",
    )
    # Microsoft's sign-in, as the merchant does it in the wizard (the identity simulator's page).
    session: dict = {}
    redirect_uri = SITE_URL + reverse("merchant:bc_callback")
    auth_uri = bc_signin_start(integration=integration, redirect_uri=redirect_uri, session=session,
                               organisation=ORGANISATION)  # fmt: skip
    answer = dict(_query(identity.sign_in(auth_uri, username=USERNAME)))
    bc_signin_complete(integration=integration, request_params=answer, session=session)
    # The company, and this integration's own BC (support's API root override).
    BusinessCentralConnection.objects.filter(integration=integration).update(
        environment_name="sandbox", company_id=bc["company_id"], company_name=COMPANY, api_root_override=bc["bc_url"]
    )
    f.ShopConnectionFactory(integration=integration, shop_domain=shop_domain, access_token=shop_token)
    for country, (group, customer, currency) in COUNTRIES.items():
        f.CountryMappingFactory(integration=integration, country_code=country, vat_business_group=group,
                                collective_customer_number=customer, currency_code=currency)  # fmt: skip
    for code in ("postnord-standard", "dhl-express"):
        f.ShippingMethodMappingFactory(integration=integration, shop_shipping_code=code, bc_shipment_method_code="",
                                       line_type=ShippingMethodMapping.LineType.ACCOUNT, line_number="3540",
                                       vat_product_group="STANDARD")  # fmt: skip
    return integration


def _query(url: str) -> list[tuple[str, str]]:
    from urllib.parse import parse_qsl, urlsplit

    return parse_qsl(urlsplit(url).query)


def _shop_requests(pipe) -> int:
    pipe.send("counters")
    return pipe.recv()["requests"]


def _clusters_idle(pids: set[int], *, deadline: float) -> None:
    """Wait until each of these qcluster processes reports idle (django-q2's stats on the broker)."""
    from django_q.status import Stat

    while time.monotonic() < deadline:
        if pids <= {s.pid for s in Stat.get_all() if s.status == "Idle"}:
            return
        time.sleep(0.5)
    raise SystemExit(f"{len(pids)} qcluster(s) did not come up in time; see their output.")


def measure(*, workers: int, orders: int, label: str, identity, env: dict, timeout: float) -> dict:
    import multiprocessing

    from django.db import connections, transaction

    from syncs.models import RecordLink, SyncRun
    from syncs.services.schedules import scheduled_flow_enqueue

    fork = multiprocessing.get_context("fork")
    connections.close_all()  # nothing open crosses a fork
    token = "shpat_bench_workers"  # noqa: S105 - the simulated shops' custom-app token
    domains = [f"bench-{label}-{workers}w{n}.myshopify.com" for n in range(workers)]
    bc_pipes, children = [], []
    for _ in range(workers):
        ours, theirs = fork.Pipe()
        child = fork.Process(target=_bc, args=(theirs,), kwargs={"identity": identity}, daemon=True)
        child.start()
        bc_pipes.append(ours)
        children.append(child)
    shop_pipe, theirs = fork.Pipe()
    shop_child = fork.Process(target=_shops, args=(theirs,), kwargs={"domains": domains, "token": token,
                                                                     "orders": orders}, daemon=True)  # fmt: skip
    shop_child.start()
    children.append(shop_child)
    bcs = [pipe.recv() for pipe in bc_pipes]
    shop_url = shop_pipe.recv()["shop_url"]
    # The product has one Shopify API root: the qclusters get it in their environment.
    cluster_env = env | {"SHOPIFY_API_ROOT": shop_url}
    integrations = [
        _integration(
            label=f"{label}-{workers}w{n}", bc=bcs[n], shop_domain=domains[n], shop_token=token, identity=identity
        )  # fmt: skip
        for n in range(workers)
    ]

    def counters() -> list[dict]:
        for pipe in bc_pipes:
            pipe.send("counters")
        return [pipe.recv() for pipe in bc_pipes]

    # Each cluster's output goes to a file that stays for reading after a failed round.
    logs = [tempfile.NamedTemporaryFile(prefix=f"qcluster-{workers}w{n}-", suffix=".log", delete=False)  # noqa: SIM115
            for n in range(workers)]  # fmt: skip
    clusters = [
        subprocess.Popen(
            [sys.executable, "manage.py", "qcluster"], cwd=ROOT, env=cluster_env, stdout=log, stderr=subprocess.STDOUT
        )  # fmt: skip
        for log in logs
    ]
    try:
        _clusters_idle({c.pid for c in clusters}, deadline=time.monotonic() + 60)
        before, shop_before = counters(), _shop_requests(shop_pipe)
        started = time.monotonic()
        # What each integration's schedule tick does (syncs.tasks.scheduled_flow_task).
        with transaction.atomic():
            run_ids = [scheduled_flow_enqueue(integration_id=i.pk, flow="orders") for i in integrations]
        if None in run_ids:
            raise SystemExit("A scheduled run was not enqueued (integration not live?).")
        finished = (SyncRun.Status.SUCCEEDED, SyncRun.Status.PARTIAL, SyncRun.Status.FAILED, SyncRun.Status.SKIPPED)
        while SyncRun.objects.filter(pk__in=run_ids).exclude(status__in=finished).exists():
            if time.monotonic() - started > timeout:
                raise SystemExit(f"Runs not finished after {timeout:.0f} s; qcluster output in {logs[0].name} ...")
            time.sleep(0.2)
        wall = time.monotonic() - started
        after, shop_after = counters(), _shop_requests(shop_pipe)
    finally:
        for cluster in clusters:
            cluster.terminate()
        for cluster in clusters:
            try:
                cluster.wait(timeout=30)
            except subprocess.TimeoutExpired:
                cluster.kill()
        for pipe in [*bc_pipes, shop_pipe]:
            pipe.send("stop")
        for child in children:
            child.join(timeout=10)
    runs = list(SyncRun.objects.filter(pk__in=run_ids).order_by("pk"))
    links = RecordLink.objects.filter(integration__in=integrations, entity_type="order")
    delta = {key: sum(a[key] - b[key] for a, b in zip(after, before, strict=True))
             for key in ("requests", "operations", "throttled")}  # fmt: skip
    per_run = [(r.finished_at - r.started_at).total_seconds() for r in runs if r.finished_at and r.started_at]
    return {
        "workers": workers,
        "orders": workers * orders,
        "synced": links.filter(state=RecordLink.State.SYNCED).count(),
        "failed": links.filter(state=RecordLink.State.FAILED).count(),
        "invoices": sum(a["invoices"] for a in after),
        "duplicates": sum(a["duplicates"] for a in after),
        "wall": wall,
        "run_seconds": per_run,
        "statuses": [r.status for r in runs],
        "shop_requests": shop_after - shop_before,
        **delta,
    }


def _environment(*, identity_url: str, cert_file: Path) -> dict:
    from cryptography.fernet import Fernet

    return os.environ | {
        "DJANGO_SETTINGS_MODULE": "junipeer_bc.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or uuid.uuid4().hex,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": SITE_URL,
        "FIELD_ENCRYPTION_KEYS": os.environ.get("FIELD_ENCRYPTION_KEYS") or Fernet.generate_key().decode(),
        "EMAIL_URL": "consolemail://",
        # Its own queue: a developer's cluster on the same Redis never takes the bench's tasks.
        "Q_CLUSTER_NAME": f"bench-workers-{uuid.uuid4().hex[:8]}",
        "Q_WORKERS": "1",
        "Q_SYNC": "false",
        "ENTRA_AUTHORITY_HOST": identity_url,
        "ENTRA_CA_BUNDLE": str(cert_file),
        "ENTRA_CLIENT_ID": CLIENT_ID,
        "ENTRA_CLIENT_SECRET": CLIENT_SECRET,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=200, help="new paid orders per integration (per worker)")
    parser.add_argument("--workers", default="1,2,4", help="qcluster processes per round, comma-separated")
    parser.add_argument("--timeout", type=float, default=600, help="seconds a round may take")
    args = parser.parse_args()

    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        _refuse("This bench needs PostgreSQL: set DATABASE_URL=postgres://... (SQLite lets one writer in at a "
                "time, so it cannot show several workers).")  # fmt: skip
    if not os.environ.get("REDIS_URL", "").startswith("redis"):
        _refuse("This bench needs Redis as django-q2's broker: set REDIS_URL=redis://127.0.0.1:6379/<db> "
                "(a database number of its own).")  # fmt: skip

    from simulators.identity import IdentitySimulator, SimClient
    from simulators.server import serve
    from simulators.tls import make_loopback_certificate

    certificate = make_loopback_certificate(Path(tempfile.mkdtemp(prefix="bench-tls-")))
    identity = IdentitySimulator()
    identity.add_client(SimClient(CLIENT_ID, CLIENT_SECRET, redirect_uris=[f"{SITE_URL}/connect/microsoft/callback/"]))
    identity_server = serve(identity, tls=certificate.server_context())
    identity.base_url = identity_server.url
    env = _environment(identity_url=identity_server.url, cert_file=certificate.cert_file)
    os.environ.update(env)

    from bench.admin_changelist import _ensure_database

    _ensure_database(database_url)

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    label = uuid.uuid4().hex[:8]  # a reused database keeps earlier runs' merchants
    print(f"PostgreSQL, Redis; django-q2 clusters of 1 worker each; BC limits on per integration (6,000 requests "
          f"/ 5 min, 5 at once) and latency {PER_REQUEST * 1000:.0f} ms/request + {PER_OPERATION * 1000:.0f} "
          f"ms/operation on a real clock; shop throttle open; {args.orders:,} orders per worker; "
          f"{os.cpu_count()} CPUs.", flush=True)  # fmt: skip
    rows = []
    for workers in [int(w) for w in args.workers.split(",")]:
        print(f"{workers} qcluster(s): {workers * args.orders:,} orders ...", flush=True)
        r = measure(workers=workers, orders=args.orders, label=label, identity=identity, env=env,
                    timeout=args.timeout)  # fmt: skip
        rows.append(r)
        print(f"  runs {r['statuses']} in {', '.join(f'{s:.1f}' for s in r['run_seconds'])} s; {r['synced']:,} "
              f"synced, {r['failed']:,} failed, {r['invoices']:,} BC invoices", flush=True)  # fmt: skip
    identity_server.stop()

    print()
    print("| workers | orders synced | wall s | orders/min | BC requests | BC operations | 429s | duplicates "
          "| Shopify requests |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        per_min = r["synced"] / r["wall"] * 60 if r["wall"] else 0.0
        print(f"| {r['workers']} | {r['synced']:,} of {r['orders']:,} | {r['wall']:,.1f} | {per_min:,.0f} "
              f"| {r['requests']:,} | {r['operations']:,} | {r['throttled']:,} | {r['duplicates']} "
              f"| {r['shop_requests']:,} |")  # fmt: skip
    print("\nCounted: orders, wall seconds, BC requests, operations, 429s, duplicates, Shopify requests. Orders per "
          "minute depend on the modelled BC latency and on this machine.")  # fmt: skip


if __name__ == "__main__":
    main()
