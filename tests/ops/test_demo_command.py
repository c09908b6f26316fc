"""`manage.py demo`: the newcomer's first command, checked end to end in a subprocess."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from simulators.adyen import AdyenSimulator
from simulators.businesscentral import BusinessCentralSimulator
from simulators.businesscentral.html_page import render
from simulators.klarna import KlarnaSimulator
from syncs.demo.config import (
    MERCHANT_PASSWORD,
    MERCHANT_USERNAME,
    PAYMENT_JOURNAL_BATCH,
    PAYOUT_FEE_RATE,
    PAYOUT_FIXED_FEE,
    SHOP_ACCESS_TOKEN,
    SHOP_DOMAIN,
    STRIPE_SECRET_KEY,
    SUPPORT_PASSWORD,
    SUPPORT_USERNAME,
    DemoConfig,
    demo_environment,
)
from syncs.demo.sims import DemoSimulators, bc_payout_journal_ensure

PORT_OPTIONS = [
    "--port=0",
    "--bc-port=0",
    "--identity-port=0",
    "--shopify-port=0",
    "--stripe-port=0",
    "--woo-port=0",
    "--klarna-port=0",
    "--adyen-port=0",
]


def run_demo(var_dir: Path, *options: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "JBC_"))}
    env["DJANGO_DEBUG"] = "1"
    manage = str(Path(settings.BASE_DIR) / "manage.py")
    return subprocess.run(
        [sys.executable, manage, "demo", f"--var-dir={var_dir}", *PORT_OPTIONS, *options],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )


@pytest.mark.slow
def test_demo_check_starts_everything_goes_live_and_books_an_invoice_and_a_payout(tmp_path):
    result = run_demo(tmp_path, "--check", "--autopilot")

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    out = result.stdout
    assert out.rstrip().endswith("OK")
    for credential in (MERCHANT_USERNAME, MERCHANT_PASSWORD, SUPPORT_USERNAME, SUPPORT_PASSWORD):
        assert credential in out
    for wizard_value in (SHOP_DOMAIN, "Install app", STRIPE_SECRET_KEY, "admin@contoso.example"):
        assert wizard_value in out
    assert SHOP_ACCESS_TOKEN not in out  # Shopify is connected through the app install, not a pasted token
    words = " ".join(out.split())
    assert "BC invoices from shop orders 3" in words  # the checked order and two more in SEK
    # A Shopify Payments payout of the first, a Klarna payout of the second and an Adyen batch of the
    # third were booked and posted: each invoice Paid, each clearing account at 0 in BC's ledger.
    for provider in ("Shopify Payments", "Klarna", "Adyen"):
        assert f"BC payout reconciled ({provider}) 1" in words
    # The demo wrote its own database and key under the var dir, never the project's.
    with sqlite3.connect(tmp_path / "demo.sqlite3") as db:
        assert db.execute("select status, allow_writes from integrations_integration").fetchall() == [("live", 1)]
        # The autopilot installed the app: an expiring token with its refresh token.
        shop = "select install_mode, access_token_expires_at is not null, refresh_token != '' from {}"
        assert db.execute(shop.format("integrations_shopconnection")).fetchall() == [("app", 1, 1)]
        assert db.execute("select count(*) from auth_user where is_superuser").fetchone() == (1,)
        payouts = "select provider, booking_state, clearing_ledger_balance from syncs_payout order by provider"
        assert db.execute(payouts).fetchall() == [
            ("adyen", "posted", 0),
            ("klarna", "posted", 0),
            ("shopify_payments", "posted", 0),
        ]
    assert (tmp_path / "demo-field-encryption.key").read_text().strip()


@pytest.mark.slow
def test_demo_check_recreates_the_database_unless_kept(tmp_path):
    first = run_demo(tmp_path, "--check", "--no-worker")
    assert first.returncode == 0, first.stdout[-2000:] + first.stderr[-2000:]
    key = (tmp_path / "demo-field-encryption.key").read_text()
    with sqlite3.connect(tmp_path / "demo.sqlite3") as db:
        db.execute(
            "insert into integrations_tenant (name, slug, contact_email, created_at, updated_at) "
            "values ('Marker', 'marker', '', '2025-01-01', '2025-01-01')"
        )

    kept = run_demo(tmp_path, "--check", "--no-worker", "--keep")
    assert kept.returncode == 0, kept.stdout[-2000:] + kept.stderr[-2000:]
    with sqlite3.connect(tmp_path / "demo.sqlite3") as db:
        assert db.execute("select count(*) from integrations_tenant where slug = 'marker'").fetchone() == (1,)

    fresh = run_demo(tmp_path, "--check", "--no-worker")
    assert fresh.returncode == 0, fresh.stdout[-2000:] + fresh.stderr[-2000:]
    with sqlite3.connect(tmp_path / "demo.sqlite3") as db:
        assert db.execute("select count(*) from integrations_tenant where slug = 'marker'").fetchone() == (0,)
    # The key survives restarts, so a kept database stays readable.
    assert (tmp_path / "demo-field-encryption.key").read_text() == key


def test_print_env_points_every_system_at_the_simulators(tmp_path, capsys):
    call_command("demo", "--print-env", f"--var-dir={tmp_path}", "--port=8123", "--bc-port=8124")

    out = capsys.readouterr().out
    assert f"export SQLITE_PATH='{tmp_path / 'demo.sqlite3'}'" in out
    assert "export BC_API_ROOT='http://127.0.0.1:8124'" in out
    assert "export SITE_URL='http://127.0.0.1:8123'" in out
    assert "export REDIS_URL=''" in out
    assert "JBC_DEMO" not in out  # the marker would stop a later demo from preparing its files


def test_demo_environment_keeps_one_key_across_starts(tmp_path):
    config = DemoConfig.from_options({"var_dir": str(tmp_path), "port": 8000})

    first = demo_environment(config)
    second = demo_environment(config)

    assert first["FIELD_ENCRYPTION_KEYS"] == second["FIELD_ENCRYPTION_KEYS"]
    assert first["DATABASE_URL"] == f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    assert first["ENTRA_AUTHORITY_HOST"].startswith("https://localhost:")


def test_demo_payouts_are_served_like_shopify_payments_payouts(shopify_server, shopify_client):
    sims = DemoSimulators(bc=None, identity=None, shopify=shopify_server.sim, stripe=None)
    order_ids = shopify_server.sim.generate_orders(6, seed=7)
    orders = [shopify_server.sim.store.orders[order_id] for order_id in order_ids]
    # Only Shopify Payments orders in SEK: a charge of a EUR invoice could not be applied (PAY-002).
    payable = {
        order["name"]: Decimal(order["totalPriceSet"]["shopMoney"]["amount"])
        for order in orders
        if order["presentmentCurrencyCode"] == "SEK"
        and any(tx["gateway"] == "shopify_payments" for tx in order["transactions"])
    }
    assert payable, "the seed should give at least one payable order"

    created = sims.payout_for_orders(order_ids)

    today = shopify_server.sim.clock.now().date()
    [payout] = [p for p in shopify_client.payouts_iter(since=today) if p.id == created["id"]]
    assert payout.status == "PAID"
    listed = shopify_client.payout_balance_transactions(payout.id)
    [transfer] = [bt for bt in listed if bt.type == "TRANSFER"]  # the payout's own row
    assert transfer.net.amount == -payout.net.amount
    transactions = [bt for bt in listed if bt.type != "TRANSFER"]
    assert {bt.order_name: bt.amount.amount for bt in transactions} == payable
    assert {bt.type for bt in transactions} == {"CHARGE"}
    for bt in transactions:
        assert bt.fee.amount == (bt.amount.amount * PAYOUT_FEE_RATE + PAYOUT_FIXED_FEE).quantize(Decimal("0.01"))
    assert payout.net.amount == sum(bt.net.amount for bt in transactions) == -transfer.amount.amount
    assert sims.payout_for_orders(order_ids) is None  # paid out once


def test_bc_page_shows_invoices_journals_and_clearing_accounts():
    bc = BusinessCentralSimulator(accepted_tokens={})
    assert bc_payout_journal_ensure(bc) is True
    assert bc_payout_journal_ensure(bc) is False  # idempotent
    assert bc.company("sandbox").find("journals", code=PAYMENT_JOURNAL_BATCH) is not None

    status, page = render(bc, f"/_sim/sandbox/{bc.company_id()}")

    assert status == 200 and "<script" not in page
    for heading in ("Sales invoices", "Payment journal lines", "Posted payment journal lines", "Clearing accounts"):
        assert heading in page
    assert "1581" in page and "Clearing Shopify Payments" in page


def test_demo_klarna_and_adyen_pay_out_the_first_two_orders_in_sek_once(shopify_sim):
    sims = DemoSimulators(
        bc=None, identity=None, shopify=shopify_sim, stripe=None, klarna=KlarnaSimulator(), adyen=AdyenSimulator()
    )
    order_ids = sims.orders_in_shop_currency(3, seed=7)
    assert len(order_ids) == 3
    assert {shopify_sim.store.orders[o]["presentmentCurrencyCode"] for o in order_ids} == {"SEK"}

    used = sims._provider_payouts(order_ids)

    assert used == order_ids[:2]
    (first_name, first_total), (second_name, second_total) = (sims.order_total(o) for o in used)
    [klarna] = sims.klarna.merchant.payouts.values()
    sale = next(t for t in sims.klarna.merchant.transactions if t["type"] == "SALE")
    assert (sale["merchant_reference1"], sale["amount"]) == (first_name, int(first_total * 100))
    assert klarna["totals"]["settlement_amount"] == int((first_total - Decimal("9.90")) * 100)
    [report] = sims.adyen.account("JunipeerSE").reports.values()
    assert second_name in report and "MerchantPayout" in report
    assert sims._provider_payouts(order_ids[2:]) == []  # one order in SEK is not enough for two payouts
