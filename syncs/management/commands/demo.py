"""`manage.py demo`: the product against the simulators, on a laptop, in one command.

The simulators (BC, Entra ID over TLS, Shopify, Stripe) run as loopback HTTP servers in threads of
this process; the web server (`runserver --noreload`) and the worker (`qcluster`) are child
processes that reach them over HTTP. The command first re-executes itself with the demo's
environment (its own SQLite file under var/, a demo encryption key, every API root pointed at a
simulator), so this process, the web server and the worker share exactly the same settings.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from integrations.connectors.shopify.version import SHOPIFY_API_VERSION
from syncs.demo.config import (
    ADYEN_MERCHANT_ACCOUNT,
    DEFAULT_PORTS,
    DEMO_INTERVAL_MINUTES,
    DEMO_MARKER,
    MERCHANT_PASSWORD,
    MERCHANT_USERNAME,
    MICROSOFT_PASSWORD,
    MICROSOFT_USERNAME,
    SHOP_DOMAIN,
    STRIPE_SECRET_KEY,
    SUPPORT_PASSWORD,
    SUPPORT_USERNAME,
    WOO_CONSUMER_KEY,
    WOO_CONSUMER_SECRET,
    DemoConfig,
    demo_environment,
)

SCHEDULES_REFRESH_SECONDS = 30
CHECK_TIMEOUT_SECONDS = 90
CHECK_ORDER_SEED = 2  # generates a domestic (SEK) order paid with Shopify Payments


def _interrupt(signum, frame):
    raise KeyboardInterrupt


class Command(BaseCommand):
    help = "Run the product against the simulators: seeded data, web server and worker (Ctrl-C stops it)."
    requires_system_checks = []  # nothing may open the database before the demo's own is in place

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, help=f"web server port (default {DEFAULT_PORTS['port']}; 0 = any)")
        for name in ("bc", "identity", "shopify", "stripe", "woo", "klarna", "adyen"):
            parser.add_argument(
                f"--{name}-port", type=int, help=f"{name} simulator port (default {DEFAULT_PORTS[f'{name}_port']})"
            )
        parser.add_argument("--var-dir", help="folder for the demo's database, key and certificate (default var/)")
        parser.add_argument("--keep", action="store_true", help="reuse the demo database instead of recreating it")
        parser.add_argument("--no-worker", action="store_true", help="do not start the django-q worker")
        parser.add_argument(
            "--autopilot", action="store_true", help="connect the demo merchant's integration and go live"
        )
        parser.add_argument(
            "--order-every", type=float, default=45.0, help="seconds between new shop orders (0 = none)"
        )
        parser.add_argument(
            "--payout-every",
            type=int,
            default=4,
            help="a Shopify Payments payout of every N new shop orders, paid out once booked (0 = none)",
        )
        parser.add_argument(
            "--check", action="store_true", help="start everything, verify each endpoint answers, print OK, exit"
        )
        parser.add_argument(
            "--print-env", action="store_true", help="print the demo's environment (to run other commands on it)"
        )

    def handle(self, *args, **options):
        config = DemoConfig.from_options(options)
        environment = demo_environment(config)
        if options["print_env"]:
            for name, value in environment.items():
                if name != DEMO_MARKER:
                    self.stdout.write(f"export {name}='{value}'")
            return
        if os.environ.get(DEMO_MARKER) != str(config.var_dir):
            self._reexec(config, environment, options)
        self._run(config, options)

    # --- stage 1: the demo's files and environment, then this command again inside it -------------
    def _reexec(self, config: DemoConfig, environment: dict[str, str], options: dict) -> None:
        config.var_dir.mkdir(parents=True, exist_ok=True)
        if not options["keep"]:
            # A fresh database every start, so it agrees with the fresh in-memory simulators.
            for suffix in ("", "-wal", "-shm"):
                Path(f"{config.database}{suffix}").unlink(missing_ok=True)
        argv = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "demo", *self._argv(config, options)]
        sys.stdout.flush()
        sys.stderr.flush()
        os.execve(sys.executable, argv, {**os.environ, **environment})  # noqa: S606 - this command again

    @staticmethod
    def _argv(config: DemoConfig, options: dict) -> list[str]:
        argv = [
            f"--var-dir={config.var_dir}",
            f"--order-every={options['order_every']}",
            f"--payout-every={options['payout_every']}",
        ]
        argv += [f"--{name.replace('_', '-')}={getattr(config, name)}" for name in DEFAULT_PORTS]
        argv += [f"--{flag.replace('_', '-')}" for flag in ("keep", "no_worker", "autopilot", "check") if options[flag]]
        return argv

    # --- stage 2: inside the demo environment ----------------------------------------------------
    def _run(self, config: DemoConfig, options: dict) -> None:
        from syncs.demo.autopilot import demo_autopilot
        from syncs.demo.processes import Children, DemoChildDied, endpoints_wait
        from syncs.demo.seed import demo_seed
        from syncs.demo.sims import simulators_start
        from syncs.services.schedules import schedules_sync

        # Ctrl-C and SIGTERM both end in the same clean stop (SIGINT may arrive ignored when started in
        # the background, and a bare SIGTERM would orphan the children in their own sessions).
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, _interrupt)
        try:
            sims = simulators_start(config)
        except OSError as error:
            raise CommandError(f"A simulator could not start ({error}). Is another demo running? Try --bc-port.")
        children = Children(env={**os.environ})
        try:
            self.stdout.write("Preparing the demo database ...")
            call_command("migrate", interactive=False, verbosity=0)
            call_command("createcachetable", verbosity=0)
            seeded = demo_seed()
            if options["autopilot"]:
                self.stdout.write("Autopilot: connecting the demo integration and going live ...")

                def sign_in(auth_uri: str) -> str:
                    return sims.identity.sign_in(auth_uri, username=MICROSOFT_USERNAME)

                demo_autopilot(
                    integration_id=seeded.integration_id, sign_in=sign_in, install_app=sims.shopify.app.approve_url
                )
            schedules_sync()
            children.start("web server", "runserver", "--noreload", f"127.0.0.1:{config.port}")
            if not options["no_worker"]:
                children.start("worker", "qcluster")
            if options["check"]:
                self._check(config, children, sims, seeded.integration_id, options)
                return
            sims.woo_activity_start(order_every=options["order_every"])
            sims.shop_activity_start(
                order_every=options["order_every"],
                payout_every=options["payout_every"],
                payout_delay=DEMO_INTERVAL_MINUTES * 60,  # one orders run later the invoice is in BC
            )
            endpoints_wait(config, children, timeout_seconds=CHECK_TIMEOUT_SECONDS)
            self._banner(config, options)
            self._supervise(children, schedules_sync)
        except KeyboardInterrupt:
            self.stdout.write("\nStopping the demo ...")
        except DemoChildDied as died:
            raise CommandError(f"{died} The demo stopped; its output above says why.") from None
        finally:
            children.stop()
            sims.stop()

    def _check(self, config: DemoConfig, children, sims, integration_id: int, options: dict) -> None:
        from syncs.demo.processes import endpoints_wait, worker_check

        results = endpoints_wait(config, children, timeout_seconds=CHECK_TIMEOUT_SECONDS)
        failed = [(endpoint, status) for endpoint, status in results if status not in endpoint.expect]
        for endpoint, status in results:
            self.stdout.write(f"  {endpoint.name:<28} {status or 'no answer'}  {endpoint.url}")
        if failed:
            names = ", ".join(endpoint.name for endpoint, _ in failed)
            raise CommandError(f"Demo check failed: {names} did not answer as expected.")
        if not options["no_worker"]:
            order_ids = []
            if options["autopilot"]:
                # One order after go-live, paid with Shopify Payments in SEK: the worker must book it;
                # two more in SEK for a Klarna and an Adyen payout.
                order_ids = sims.shopify.generate_orders(1, seed=CHECK_ORDER_SEED)
                order_ids += sims.orders_in_shop_currency(2, seed=CHECK_ORDER_SEED + 1)
            status = worker_check(
                integration_id=integration_id, children=children, timeout_seconds=CHECK_TIMEOUT_SECONDS
            )
            self.stdout.write(f"  {'worker (one orders run)':<28} {status}")
            if status in ("queued", "running"):
                raise CommandError("Demo check failed: the worker did not finish a run.")
            if options["autopilot"]:
                invoices = sims.shop_invoices_in_bc()
                self.stdout.write(f"  {'BC invoices from shop orders':<28} {invoices}")
                if not invoices:
                    raise CommandError("Demo check failed: the live integration booked no invoice in BC.")
                self._check_payout(children, sims, integration_id, order_ids)
        self._banner(config, options)
        self.stdout.write(self.style.SUCCESS("OK"))

    def _check_payout(self, children, sims, integration_id: int, order_ids: list[str]) -> None:
        """A Shopify Payments payout of the checked order, a Klarna payout and an Adyen batch of the
        two others, and one payouts run: each payout must be posted, its invoice Paid, and its clearing
        account back at zero in BC's ledger (as read back by the product and by this check)."""
        from integrations.models import Flow, PaymentProviderConnection
        from syncs.demo.autopilot import PAYOUT_ACCOUNTS
        from syncs.demo.processes import worker_check
        from syncs.models import Payout

        Provider = PaymentProviderConnection.Provider
        payout = sims.payout_for_orders(order_ids[:1])
        if payout is None:
            raise CommandError("Demo check failed: the checked order has no Shopify Payments charge to pay out.")
        if len(order_ids) < 3:
            raise CommandError("Demo check failed: the shop made no orders in SEK for Klarna and Adyen.")
        klarna = sims.klarna_payout_for_order(order_ids[1])
        adyen_number = sims.adyen_payout_for_order(order_ids[2]).rsplit("_", 1)[-1].removesuffix(".csv")
        expected = [
            (Provider.SHOPIFY_PAYMENTS, payout["id"], order_ids[0], PAYOUT_ACCOUNTS[Provider.SHOPIFY_PAYMENTS][0]),
            (Provider.KLARNA, klarna["payment_reference"], order_ids[1], PAYOUT_ACCOUNTS[Provider.KLARNA][0]),
            (
                Provider.ADYEN,
                f"{ADYEN_MERCHANT_ACCOUNT}-{adyen_number}",
                order_ids[2],
                PAYOUT_ACCOUNTS[Provider.ADYEN][0],
            ),
        ]
        status = worker_check(
            integration_id=integration_id,
            children=children,
            timeout_seconds=CHECK_TIMEOUT_SECONDS,
            flow=Flow.PAYOUTS,
        )
        self.stdout.write(f"  {'worker (one payouts run)':<28} {status}")
        for provider, payout_id, order_id, clearing_account in expected:
            staged = Payout.objects.filter(
                integration_id=integration_id, provider=provider, provider_payout_id=payout_id
            )
            posted = staged.filter(booking_state=Payout.BookingState.POSTED, clearing_ledger_balance=0).first()
            order_name = sims.shopify.store.orders[order_id]["name"]
            invoice_status = sims.invoice_status_in_bc(order_name)
            clearing = sims.gl_balance_in_bc(clearing_account)
            reconciled = int(posted is not None and invoice_status == "Paid" and clearing == 0)
            label = f"BC payout reconciled ({Provider(provider).label})"
            self.stdout.write(f"  {label:<28} {reconciled}")
            if not reconciled:
                found = staged.first()
                state = (
                    f"{found.booking_state} {found.last_error_code} {found.last_error_message}"
                    if found
                    else "not staged"
                )
                raise CommandError(
                    f"Demo check failed: {Provider(provider).label} payout {payout_id} is {state.strip()}; the "
                    f"invoice of {order_name} is {invoice_status or 'missing'} in BC; its clearing account "
                    f"{clearing_account} holds {clearing}."
                )

    def _supervise(self, children, schedules_sync) -> None:
        # New integrations (and changed settings) get their schedules without a restart.
        next_refresh = time.monotonic() + SCHEDULES_REFRESH_SECONDS
        while True:
            children.raise_if_dead()
            if time.monotonic() >= next_refresh:
                schedules_sync()
                next_refresh = time.monotonic() + SCHEDULES_REFRESH_SECONDS
            time.sleep(1)

    def _banner(self, config: DemoConfig, options: dict) -> None:
        api_version = SHOPIFY_API_VERSION
        lines = [
            "",
            "Junipeer BC demo is running (Ctrl-C stops everything).",
            "",
            f"  Product (merchant)       {config.site_url}/",
            f"  Admin (support)          {config.site_url}/admin/",
            f"  BC simulator (read-only) {config.bc_url}/_sim/",
            f"  Identity simulator       {config.identity_url}/organizations/v2.0/.well-known/openid-configuration",
            f"  Shopify simulator        {config.shopify_url}/{SHOP_DOMAIN}/admin/api/{api_version}/graphql.json",
            f"  Stripe simulator         {config.stripe_url}/v1/account",
            f"  WooCommerce simulator    {config.woo_url}/wp-json/wc/v3/orders (https, the demo's certificate)",
            f"  Klarna simulator         {config.klarna_url}/settlements/v1/payouts",
            f"  Adyen simulator          {config.adyen_url}/reports/download/MerchantAccount/JunipeerSE/",
            "",
            f"  Merchant login           {MERCHANT_USERNAME} / {MERCHANT_PASSWORD}",
            f"  Support login (admin)    {SUPPORT_USERNAME} / {SUPPORT_PASSWORD}",
            "",
            "  In the Get Started wizard:",
            f"    Microsoft sign-in      {MICROSOFT_USERNAME} / {MICROSOFT_PASSWORD}",
            "                           (the sign-in simulator serves https on localhost with the demo's own",
            "                           certificate: accept the browser's warning once; it is kept in var/)",
            "    BC environment         sandbox, company CRONUS Sverige AB",
            f"    Shopify shop domain    {SHOP_DOMAIN}",
            '                           (then "Install app" on the simulated Shopify page)',
            f"    Stripe secret key      {STRIPE_SECRET_KEY}",
            "    or, as the shop, WooCommerce:",
            f"      store address        {config.woo_url}",
            f"      consumer key         {WOO_CONSUMER_KEY}",
            f"      consumer secret      {WOO_CONSUMER_SECRET}",
            "",
            f"  Database {config.database} (recreated on every start; --keep reuses it)",
        ]
        if options["autopilot"]:
            lines.append("  Autopilot: the demo integration is live; invoices appear in the BC simulator.")
        if options["order_every"] > 0 and not options["check"]:
            every = options["order_every"]
            lines.append(f"  The shop gets a new order every {every:g} s; schedules tick every minute.")
            if options["payout_every"] > 0:
                lines.append(
                    f"  Every {options['payout_every']} orders Shopify Payments pays out their card payments (SEK);"
                    " the Payouts page shows them reconciled."
                )
        self.stdout.write("\n".join(lines) + "\n")
