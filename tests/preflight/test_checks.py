"""The checks as pure functions over typed inputs."""

from __future__ import annotations

import datetime as dt

from syncs.preflight.checks import (
    connection,
    currencies,
    mappings,
    number_series,
    payment_journal,
    vat,
    vat_customers,
)
from syncs.preflight.runner import checks_run
from syncs.preflight.types import (
    BankAccount,
    BCSnapshot,
    GLAccount,
    IntegrationFacts,
    JournalBatch,
    JournalTemplate,
    PayoutConfig,
    PermissionProbe,
    Series,
    SeriesLine,
    Status,
)

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


def test_payout_accounts_per_provider_market_and_currency():
    klarna_se = payout_config(provider="klarna", market="SE", currency="SEK")
    f = facts(
        payouts_enabled=True,
        payout_configs=[klarna_se],
        provider_connections=[
            ("klarna", "SE", frozenset({"SEK"}), "Klarna"),
            ("klarna", "FI", frozenset({"EUR"}), "Klarna"),
        ],
    )
    result = only(payment_journal.check_payout_accounts(f, snapshot()))
    assert (result.error_code, result.objects) == (
        "PAY-013",
        [{"provider": "klarna", "market": "FI", "currency": "EUR"}],
    )
    assert "Klarna FI in EUR" in result.message


def payout_config(**overrides) -> PayoutConfig:
    values = dict(
        label="Shopify Payments SEK", provider="shopify_payments", market="", currency="SEK",
        journal_template="CASHRCPT", journal_batch="SHOPIFY", general_batch="GENERAL",
        clearing_account="1581", fee_account="6064", bank_account="BANK1", disputes_account="",
    )  # fmt: skip
    return PayoutConfig(**{**values, **overrides})


def payout_snapshot(**overrides) -> BCSnapshot:
    return snapshot(
        journal_batches=[JournalBatch("SHOPIFY", "", "1581", id="b1"), JournalBatch("GENERAL", "GENERAL", "", id="g1")],
        journal_templates={
            "CASHRCPT": JournalTemplate("CASHRCPT", "Cash Receipts"),
            "INBET-EU": JournalTemplate("INBET-EU", "Cash Receipts"),
            "GENERAL": JournalTemplate("GENERAL", "General"),
        },
        all_batches=[JournalBatch("SHOPIFY", "CASHRCPT", "1581"), JournalBatch("KLARNA-EU", "INBET-EU", "1582")],
        gl_accounts={
            "1581": GLAccount("1581", "Posting"),
            "6064": GLAccount("6064", "Posting"),
            "1500": GLAccount("1500", "Heading"),
            "3999": GLAccount("3999", "Posting", blocked=True),
        },
        bank_accounts={"BANK1": BankAccount("BANK1", ""), "BANK2": BankAccount("BANK2", "EUR")},
        **overrides,
    )


def run_payout_checks(config: PayoutConfig, snap: BCSnapshot | None = None) -> dict:
    f = facts(payouts_enabled=True, payout_configs=[config])
    snap = snap or payout_snapshot()
    results = [
        *payment_journal.check_journal_batch(f, snap),
        *payment_journal.check_balancing_account(f, snap),
        *payment_journal.check_general_batch(f, snap),
        *payment_journal.check_payout_accounts_in_bc(f, snap),
    ]
    return {r.name: r.error_code for r in results if r.status != Status.PASS}


def test_healthy_payout_configuration_passes():
    assert run_payout_checks(payout_config()) == {}


def test_each_payout_misconfiguration_is_named():
    cases = {
        "batch missing": (payout_config(journal_batch="NOPE"), {"payment_journal.batch": "BC-501"}),
        "template not cash receipts": (payout_config(journal_template="GENERAL"), {"payment_journal.batch": "BC-501"}),
        "batch of another template": (
            payout_config(journal_template="INBET-EU", journal_batch="KLARNA-EU"),
            {"payment_journal.batch": "BC-503"},
        ),
        "balancing differs": (payout_config(clearing_account="6064"), {"payment_journal.balancing_account": "PAY-006"}),
        "general batch missing": (payout_config(general_batch="SHOPIFY"), {"payment_journal.general_batch": "BC-501"}),
        "heading account": (payout_config(fee_account="1500"), {"payment_journal.accounts": "BC-505"}),
        "blocked account": (payout_config(disputes_account="3999"), {"payment_journal.accounts": "BC-506"}),
        "unknown account": (payout_config(fee_account="9999"), {"payment_journal.accounts": "BC-504"}),
        "bank in another currency": (payout_config(bank_account="BANK2"), {"payment_journal.accounts": "BC-507"}),
    }
    for case, (config, expected) in cases.items():
        assert run_payout_checks(config) == expected, case


def test_a_bank_account_without_a_currency_takes_a_payout_in_any_currency():
    assert run_payout_checks(payout_config(currency="EUR", bank_account="BANK1")) == {}


def test_balancing_account_empty_fails():
    snap = payout_snapshot()
    snap.journal_batches[0] = JournalBatch("SHOPIFY", "", "", id="b1")
    assert run_payout_checks(payout_config(), snap) == {"payment_journal.balancing_account": "BC-502"}


def test_no_batch_required_when_payouts_are_off():
    f = facts(payouts_enabled=False, payout_configs=[payout_config(journal_batch="")])
    assert only(payment_journal.check_journal_batch(f, snapshot())).status == Status.PASS


def test_collective_customer_with_another_vat_group_fails_and_matched_one_warns():
    f = facts(
        country_vat_groups={"SE": "DOMESTIC", "DE": "OSS-DE"},
        collective_customers={"SE": "10000", "DE": "10010"},
        matched_customers={"20010": "DE"},
    )
    snap = snapshot(
        customers={"10000": "", "10010": "", "20010": ""},
        customer_vat_groups={"10000": "DOMESTIC", "10010": "DOMESTIC", "20010": "EU"},
    )
    result = only(vat_customers.check_customer_vat_groups(f, snap))
    assert (result.status, result.error_code) == (Status.FAIL, "MAP-027")
    assert [o["customer"] for o in result.objects] == ["10010", "20010"]
    assert "Customer 10010" in result.message and "DOMESTIC" in result.message and "OSS-DE" in result.message


def test_item_series_is_checked_only_when_items_are_created():
    snap = snapshot(
        number_series={
            "S-INV": Series("S-INV", False, (SeriesLine("1001", "1999", "1500"),)),
            "ITEM": Series("ITEM", False, (SeriesLine("1100", "1199", "1199"),)),
        }
    )
    assert only(number_series.check_available(facts(), snap)).status == Status.PASS
    result = only(number_series.check_available(facts(creates_items=True), snap))
    assert (result.status, result.error_code, result.objects[0]["series"]) == (Status.FAIL, "BC-201", "ITEM")


def test_next_number_follows_the_series():
    series = Series("CUST", True, (SeriesLine("C00010", "C99990", "C00120", increment_by=10),))
    assert number_series.next_number(series) == "C00130"
    assert number_series.next_number(Series("CUST", True, (SeriesLine("C00010", "C99990", ""),))) == "C00010"


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


def test_series_line_without_digits_to_count_from_is_not_a_crash():
    # A line with a blank starting number and none used yet: nothing to count from, so no verdict.
    blank = SeriesLine("", "1999", "")
    snap = snapshot(number_series={"S-INV": Series("S-INV", False, (blank,))}, numbers_by_purpose={"salesInvoices": []})
    assert number_series.remaining(blank) is None
    assert only(number_series.check_available(facts(), snap)).status == Status.PASS
    # A last number used without digits: no record can be "ahead" of it.
    odd = SeriesLine("1001", "1999", "MANUAL")
    snap = snapshot(
        number_series={"S-INV": Series("S-INV", False, (odd,))}, numbers_by_purpose={"salesInvoices": ["1600"]}
    )
    assert only(number_series.check_overlap(facts(), snap)).status == Status.PASS
