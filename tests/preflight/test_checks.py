"""The checks as pure functions over typed inputs."""

from __future__ import annotations

import datetime as dt

from syncs.preflight.checks import connection, currencies, mappings, number_series, payment_journal, vat
from syncs.preflight.runner import checks_run
from syncs.preflight.types import BCSnapshot, IntegrationFacts, PermissionProbe, Series, SeriesLine, Status

TODAY = dt.date(2026, 3, 1)


def facts(**overrides) -> IntegrationFacts:
    base = IntegrationFacts(base_currency="SEK", country_vat_groups={"SE": "DOMESTIC"}, tax_class_vat_groups={"STD"})
    for key, value in overrides.items():
        setattr(base, key, value)
    return base


def snapshot(**overrides) -> BCSnapshot:
    snap = BCSnapshot(
        environment_name="sandbox",
        environment_type="Sandbox",
        environment_status="Active",
        company_name="CRONUS",
        company_reachable=True,
        local_currency="SEK",
        currencies={"EUR"},
        latest_rates={"EUR": TODAY},
        vat_setup={("DOMESTIC", "STD"): False},
        number_series={"S-INV": Series("S-INV", False, (SeriesLine("1001", "1999", "1500"),))},
        journal_batches=[],
    )
    for key, value in overrides.items():
        setattr(snap, key, value)
    return snap


def only(results):
    assert len(results) == 1
    return results[0]


def test_permission_denied_on_write_names_entity():
    snap = snapshot(permissions=[PermissionProbe("salesInvoices", True, False), PermissionProbe("items", True, True)])
    result = next(r for r in connection.check_connection(facts(), snap) if r.name == "connection.permissions")
    assert (result.status, result.error_code) == (Status.FAIL, "BC-004")
    assert "salesInvoices" in result.message and "write" in result.message
    assert result.objects == [{"entity": "salesInvoices", "missing": ["write"]}]


def test_environment_not_active():
    snap = snapshot(environment_status="Upgrading")
    result = next(r for r in connection.check_connection(facts(), snap) if r.name == "connection.environment")
    assert (result.status, result.error_code) == (Status.FAIL, "BC-001")
    assert "Upgrading" in result.message


def test_series_near_end_warns(settings):
    settings.PREFLIGHT_SERIES_WARN_REMAINING = 100
    line = SeriesLine("1001", "1999", "1950")
    snap = snapshot(number_series={"S-INV": Series("S-INV", False, (line,))}, numbers_by_purpose={"salesInvoices": []})
    result = only(number_series.check_available(facts(), snap))
    assert (result.status, result.error_code) == (Status.WARN, "BC-204")
    assert "49" in result.message


def test_series_identified_from_record_numbers():
    snap = snapshot(
        number_series={
            "MY-INV": Series("MY-INV", False, (SeriesLine("INV00001", "INV00100", "INV00100", open=False),)),
            "S-INV": Series("S-INV", False, (SeriesLine("1001", "1999", "1500"),)),
        },
        numbers_by_purpose={"salesInvoices": ["INV00099", "INV00100"]},
    )
    result = only(number_series.check_available(facts(), snap))
    assert (result.status, result.error_code) == (Status.FAIL, "BC-201")
    assert "MY-INV" in result.message


def test_missing_exchange_rate_fails():
    result = only(
        currencies.check_exchange_rates(facts(shop_currencies={"EUR"}), snapshot(latest_rates={}), today=TODAY)
    )
    assert (result.status, result.error_code) == (Status.FAIL, "BC-301")


def test_lcy_is_not_a_foreign_currency():
    result = only(currencies.check_currencies_exist(facts(shop_currencies={"SEK"}), snapshot(currencies=set())))
    assert result.status == Status.PASS


def test_vat_combinations_use_items_sold_and_shipping():
    f = facts(order_skus={"1002"}, shipping_vat_groups={"FREIGHT"}, order_countries={"SE"})
    snap = snapshot(item_vat_groups={"1002": "LOW", "9999": "ZERO"})
    result = only(vat.check_vat_posting_setup(f, snap))
    assert result.error_code == "BC-101"
    named = {(o["vat_bus_posting_group"], o["vat_prod_posting_group"]) for o in result.objects}
    assert named == {("DOMESTIC", "LOW"), ("DOMESTIC", "FREIGHT")}  # ZERO item was not sold


def test_unmapped_shipping_and_country():
    f = facts(order_shipping_methods={"Express"}, order_countries={"SE", "NO"})
    shipping = only(mappings.check_shipping_methods(f, snapshot()))
    countries = only(mappings.check_countries(f, snapshot()))
    assert (shipping.error_code, shipping.objects) == ("MAP-004", ["Express"])
    assert (countries.error_code, countries.objects) == ("MAP-002", ["NO"])


def test_payout_accounts_per_provider_and_currency():
    f = facts(payouts_enabled=True, providers={"stripe": {"SEK", "EUR"}}, payout_accounts={("stripe", "SEK")})
    result = only(payment_journal.check_payout_accounts(f, snapshot()))
    assert (result.error_code, result.objects) == ("PAY-003", [{"provider": "stripe", "currency": "EUR"}])


def test_not_connected_runs_only_local_checks():
    results = checks_run(facts=facts(), snapshot=None)
    assert results[0].error_code == "BC-010"
    assert not any(r.name.startswith(("vat.", "number_series.", "currencies.")) for r in results)


def test_collective_customers_checked_against_bc_only_when_bc_was_read():
    configured = facts(collective_strategy=True, collective_customers={"SE": "10000"})

    assert only(mappings.check_collective_customers(configured, snapshot(customers=None))).status == Status.PASS
    missing = only(mappings.check_collective_customers(configured, snapshot(customers={"20000": ""})))
    assert (missing.status, missing.error_code, missing.objects) == (
        Status.FAIL,
        "BC-006",
        [{"country": "SE", "customer": "10000"}],
    )
    assert "10000" in missing.message


def test_mapping_checks_say_what_they_looked_at():
    before = only(mappings.check_countries(facts(), snapshot()))
    after = only(mappings.check_countries(facts(orders_looked_at=12, order_countries={"SE"}), snapshot()))

    assert before.status == Status.PASS and "No orders synced in the last 90 days yet" in before.message
    assert "All mapped: -" not in before.message
    assert after.message == "Looked at 12 synced order(s) of the last 90 days: all mapped (SE)."
