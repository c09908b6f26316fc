"""Admin changelist load time on big tables (PostgreSQL).

Fills SyncLogEntry and RecordLink with ROWS rows each (default 1,000,000; server-side
generate_series, so seeding takes seconds, not hours), then loads the support team's changelists
as a superuser through Django's test client and prints the median and worst time and the number
of SQL queries per page.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jbc_bench .venv/bin/python -m bench.admin_changelist [--rows N]

The database is created when missing and reused between runs (rows are only added up to N).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from urllib.parse import urlsplit

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/jbc_bench"


def _ensure_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def _seed(rows: int) -> None:
    from django.db import connection

    from integrations.models import Integration, Tenant
    from syncs.models import RecordLink, SyncLogEntry

    tenant, _ = Tenant.objects.get_or_create(slug="bench", defaults={"name": "Bench merchant"})
    integrations = list(Integration.objects.filter(tenant=tenant).order_by("pk"))
    while len(integrations) < 20:
        integrations.append(Integration.objects.create(tenant=tenant, name=f"Bench shop {len(integrations)}"))
    ids = [i.pk for i in integrations]
    id_array = "ARRAY[" + ",".join(str(i) for i in ids) + "]::bigint[]"

    have_logs = SyncLogEntry.objects.count()
    have_links = RecordLink.objects.count()
    with connection.cursor() as cursor:
        if have_logs < rows:
            print(f"seeding {rows - have_logs:,} sync log entries ...", flush=True)
            started = time.perf_counter()
            cursor.execute(
                f"""
                INSERT INTO syncs_synclogentry (integration_id, flow, level, error_code, message, details, created_at)
                SELECT ({id_array})[1 + (mod(g, {len(ids)}))],
                       (ARRAY['orders','refunds','customers','products','stock','payouts'])[1 + (mod(g, 6))],
                       CASE WHEN mod(g, 10) = 0 THEN 'error' WHEN mod(g, 10) = 1 THEN 'warning' ELSE 'info' END,
                       CASE WHEN mod(g, 10) = 0 THEN (ARRAY['MAP-001','BC-101','BC-201'])[1 + (mod(g, 3))]
                            ELSE '' END,
                       'Order #' || g || ' synced to BC invoice PS-INV' || g,
                       '{{}}'::jsonb,
                       now() - (g || ' seconds')::interval
                FROM generate_series(%s, %s) AS g
                """,
                [have_logs + 1, rows],
            )
            print(f"  done in {time.perf_counter() - started:.1f} s", flush=True)
        if have_links < rows:
            print(f"seeding {rows - have_links:,} record links ...", flush=True)
            started = time.perf_counter()
            cursor.execute(
                f"""
                INSERT INTO syncs_recordlink (integration_id, entity_type, source_system, source_id,
                    source_reference, target_id, target_number, target_etag, state, payload_digest,
                    last_error_code, last_error_message, attempts, details, created_at, updated_at)
                SELECT ({id_array})[1 + (mod(g, {len(ids)}))], 'order', 'shopify', 'gid://shopify/Order/' || g,
                       '#' || g, md5(g::text), 'PS-INV' || g, '',
                       CASE WHEN mod(g, 50) = 0 THEN 'failed' ELSE 'synced' END,
                       md5(g::text), CASE WHEN mod(g, 50) = 0 THEN 'MAP-001' ELSE '' END, '', 1, '{{}}'::jsonb,
                       now() - (g || ' seconds')::interval, now() - (g || ' seconds')::interval
                FROM generate_series(%s, %s) AS g
                """,
                [have_links + 1, rows],
            )
            print(f"  done in {time.perf_counter() - started:.1f} s", flush=True)
        cursor.execute("ANALYZE syncs_synclogentry; ANALYZE syncs_recordlink;")


def _measure(client, url: str, repeats: int) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings = []
    queries = 0
    for _ in range(repeats):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        queries = len(captured)
    return statistics.median(timings), max(timings), queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    url = os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    if not url.startswith("postgres"):
        raise SystemExit("This benchmark needs PostgreSQL: set DATABASE_URL=postgres://...")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "junipeer_bc.settings_test")
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    _ensure_database(url)

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    _seed(args.rows)

    user, _ = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    pages = [
        ("sync logs", "/admin/syncs/synclogentry/"),
        ("sync logs, level=error", "/admin/syncs/synclogentry/?level__exact=error"),
        ("sync logs, error code", "/admin/syncs/synclogentry/?error_code=BC-101"),
        ("sync logs, integration", "/admin/syncs/synclogentry/?integration=5"),
        ("sync logs, page 200", "/admin/syncs/synclogentry/?p=200"),
        ("record links", "/admin/syncs/recordlink/"),
        ("record links, failed", "/admin/syncs/recordlink/?state__exact=failed"),
        ("record links, search #4242", "/admin/syncs/recordlink/?q=%234242"),
        ("record links, BC number", "/admin/syncs/recordlink/?q=PS-INV777"),
    ]
    print(f"\nAdmin changelists with {args.rows:,} rows per table (PostgreSQL), {args.repeats} loads each:")
    print(f"{'page':34} {'median ms':>10} {'worst ms':>10} {'queries':>8}")
    for label, page in pages:
        _measure(client, page, 1)  # warm-up
        median, worst, queries = _measure(client, page, args.repeats)
        print(f"{label:34} {median:10.1f} {worst:10.1f} {queries:8d}")


if __name__ == "__main__":
    main()
