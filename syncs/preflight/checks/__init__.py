"""Preflight checks: pure functions ``(facts, snapshot) -> list[CheckResult]``, one module per topic."""

from syncs.preflight.checks import (
    connection,
    currencies,
    documents,
    environment,
    mappings,
    number_series,
    payment_journal,
    stock,
    vat,
    vat_customers,
)

# Run order = display order. Connection first: when BC is unreachable the BC checks are skipped.
BC_CHECKS = (
    number_series.check_available,
    number_series.check_overlap,
    number_series.check_manual_numbering,
    vat.check_vat_posting_setup,
    currencies.check_currencies_exist,
    currencies.check_exchange_rates,
    currencies.check_local_currency,
    payment_journal.check_journal_batch,
    payment_journal.check_balancing_account,
    payment_journal.check_general_batch,
    payment_journal.check_payout_accounts_in_bc,
    vat_customers.check_customer_vat_groups,
    documents.check_dimensions,
    documents.check_salesperson,
    documents.check_location,
    stock.check_stock_locations,
)
LOCAL_CHECKS = (
    payment_journal.check_payout_accounts,
    mappings.check_payment_methods,
    mappings.check_shipping_methods,
    mappings.check_countries,
    mappings.check_collective_customers,
    environment.check_sandbox_tested,
    documents.check_number_prefix,
)
CONNECTION_CHECKS = (connection.check_connection,)
