"""The demo's child processes (web server, worker) and the checks that everything answers."""

from __future__ import annotations

import base64
import os
import signal
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from integrations.connectors.shopify.version import SHOPIFY_API_VERSION
from syncs.demo.config import (
    SHOP_ACCESS_TOKEN,
    SHOP_DOMAIN,
    STRIPE_SECRET_KEY,
    WOO_CONSUMER_KEY,
    WOO_CONSUMER_SECRET,
    DemoConfig,
)

STOP_GRACE_SECONDS = 10


class DemoChildDied(Exception):
    def __init__(self, name: str, returncode: int) -> None:
        super().__init__(f"The {name} process stopped unexpectedly (exit code {returncode}).")
        self.name, self.returncode = name, returncode


@dataclass
class Children:
    env: dict[str, str]
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def start(self, name: str, *args: str) -> subprocess.Popen:
        manage = str(Path(settings.BASE_DIR) / "manage.py")
        # Own process group: Ctrl-C reaches only the demo, which then stops the children in order.
        process = subprocess.Popen(  # noqa: S603 - our own manage.py with fixed arguments
            [sys.executable, manage, *args], env=self.env, start_new_session=True
        )
        self.processes[name] = process
        return process

    def raise_if_dead(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                raise DemoChildDied(name, process.returncode)

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@dataclass(frozen=True)
class Endpoint:
    name: str
    url: str
    expect: tuple[int, ...] = (200,)
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None


def _basic(user: str, password: str) -> str:
    return base64.b64encode(f"{user}:{password}".encode()).decode()


def demo_endpoints(config: DemoConfig) -> list[Endpoint]:
    shop_query = b'{"query": "{ shop { name currencyCode } }"}'
    return [
        Endpoint("product login page", f"{config.site_url}/accounts/login/"),
        # The admin answers 302 to its login page (followed here, so 200 in the end).
        Endpoint("admin", f"{config.site_url}/admin/", expect=(200, 302)),
        Endpoint("Business Central simulator", f"{config.bc_url}/_sim/"),
        Endpoint("identity simulator", f"{config.identity_url}/organizations/v2.0/.well-known/openid-configuration"),
        Endpoint(
            "Shopify simulator",
            f"{config.shopify_url}/{SHOP_DOMAIN}/admin/api/{SHOPIFY_API_VERSION}/graphql.json",
            headers={"X-Shopify-Access-Token": SHOP_ACCESS_TOKEN, "Content-Type": "application/json"},
            body=shop_query,
        ),
        Endpoint(
            "Stripe simulator",
            f"{config.stripe_url}/v1/account",
            headers={"Authorization": f"Bearer {STRIPE_SECRET_KEY}"},
        ),
        Endpoint(
            "WooCommerce simulator",
            f"{config.woo_url}/wp-json/wc/v3/orders?per_page=1",
            headers={"Authorization": f"Basic {_basic(WOO_CONSUMER_KEY, WOO_CONSUMER_SECRET)}"},
        ),
    ]


def endpoint_status(endpoint: Endpoint, *, cafile: Path) -> int | None:
    """The HTTP status, or None when nothing answers (yet)."""
    # Loopback http(s) URLs built above, never user input.
    request = urllib.request.Request(endpoint.url, data=endpoint.body, headers=endpoint.headers)  # noqa: S310
    context = ssl.create_default_context(cafile=str(cafile)) if endpoint.url.startswith("https") else None
    try:
        with urllib.request.urlopen(request, timeout=10, context=context) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def endpoints_wait(
    config: DemoConfig, children: Children, *, timeout_seconds: float
) -> list[tuple[Endpoint, int | None]]:
    """Poll until every endpoint answers as expected (or the time is up); a dead child ends it early."""
    deadline = time.monotonic() + timeout_seconds
    pending = demo_endpoints(config)
    results: dict[str, tuple[Endpoint, int | None]] = {}
    while pending:
        children.raise_if_dead()
        still = []
        for endpoint in pending:
            status = endpoint_status(endpoint, cafile=config.cert_file)
            results[endpoint.name] = (endpoint, status)
            if status not in endpoint.expect:
                still.append(endpoint)
        pending = still
        if not pending or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    return list(results.values())


def worker_check(*, integration_id: int, children: Children, timeout_seconds: float, flow: str = "") -> str:
    """Hand the worker one run of ``flow`` (default: orders) and wait for it to finish; returns the
    run's final status."""
    from integrations.models import Flow
    from syncs.models import SyncRun
    from syncs.services.dispatch import flow_enqueue

    flow = flow or Flow.ORDERS
    deadline = time.monotonic() + timeout_seconds
    status = SyncRun.Status.QUEUED
    while time.monotonic() < deadline:
        # Going live queues a run of its own: when ours is skipped because that one is still
        # running, wait for it to end and hand the worker ours again, so ours sees every order.
        run = flow_enqueue(integration_id=integration_id, flow=flow, trigger=SyncRun.Trigger.MANUAL)
        while time.monotonic() < deadline:
            children.raise_if_dead()
            status = SyncRun.objects.filter(pk=run.pk).values_list("status", flat=True).get()
            if status not in (SyncRun.Status.QUEUED, SyncRun.Status.RUNNING):
                break
            time.sleep(0.5)
        if status != SyncRun.Status.SKIPPED:
            break
        while (
            time.monotonic() < deadline
            and SyncRun.objects.filter(integration_id=integration_id, flow=flow, status=SyncRun.Status.RUNNING).exists()
        ):
            children.raise_if_dead()
            time.sleep(0.5)
    return status
