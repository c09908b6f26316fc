"""The reference facts are where the contract tests expect them (they never skip)."""

from tests.contracts.reference import load_json, reference_dir, shopify_versions


def test_contract_reference_is_present():
    assert (reference_dir() / "bc-api-v2.0.json").is_file()
    assert load_json("bc-api-v2.0.json")["pages"]["salesInvoices"]["entitySetName"] == "salesInvoices"
    assert shopify_versions(), "no Shopify Admin schema in the reference"
