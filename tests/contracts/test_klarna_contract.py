"""The Klarna connector and simulator against Klarna's Settlements API facts (klarna-settlements-v1.json)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import requests

from integrations.connectors.http import RetryPolicy
from integrations.connectors.klarna import HOSTS, SIGN, KlarnaBadRequest, KlarnaNotFound, Transport, base_url
from integrations.connectors.klarna.client import PAGE_SIZE, KlarnaClient
from integrations.connectors.klarna.exceptions import KlarnaAuthError
from simulators.klarna import KlarnaSimulator
from simulators.klarna.app import SIGN as SIM_SIGN
from simulators.server import serve
from syncs.errors import classify_exception
from syncs.models import PayoutTransaction
from syncs.payouts.providers import klarna as klarna_provider
from tests.contracts.reference import load_json

REF = load_json("klarna-settlements-v1.json")
SCHEMAS = REF["schemas"]
NO_RETRY = RetryPolicy(max_attempts=1, max_seconds=1, base_delay=0)


def _client(url: str, *, username=KlarnaSimulator.USERNAME, password=KlarnaSimulator.PASSWORD) -> KlarnaClient:
    transport = Transport(username=username, password=password, retry_policy=NO_RETRY, timeout=(2, 5))
    return KlarnaClient(transport=transport, region="EU", environment="playground", api_root=url)


@pytest.fixture
def klarna():
    sim = KlarnaSimulator()
    with serve(sim) as running:
        yield sim, running.url


def _conforms(obj: dict, schema: str) -> None:
    properties = SCHEMAS[schema]["properties"]
    assert set(obj) <= set(properties), set(obj) - set(properties)
    required = {name for name, spec in properties.items() if spec.get("required")}
    assert required <= set(obj), required - set(obj)
    for name, value in obj.items():
        if "enum" in properties[name]:
            assert value in properties[name]["enum"], (name, value)


def test_regional_hosts_and_url_composition_are_klarnas():
    assert REF["base_urls"]["hosts"] == HOSTS
    assert base_url(region="NA", environment="playground") + "/payouts" == (
        "https://api-na.playground.klarna.com/settlements/v1/payouts"
    )
    assert base_url(region="EU") == REF["base_urls"]["spec_servers"][0]
    assert REF["api"]["path_prefix"] == "/settlements/v1"


def test_the_sign_of_every_transaction_type_follows_klarnas_settlement_table():
    types = set(REF["enums"]["transaction_type"]["values"])
    assert set(SIGN) == types and SIM_SIGN == SIGN
    for term in REF["settlement_amount_formula"]["terms"]:
        kind = term["transaction_type"]
        if kind and kind != "COMMISSION" or (kind == "COMMISSION" and term["field"] == "total_commission_amount"):
            assert SIGN[kind] == (1 if term["sign"] == "+" else -1), kind
    assert SIGN["REVERSAL_MERCHANT_PROTECTION"] == 1  # "counted with + sign" in the same table


def test_every_klarna_transaction_type_has_a_booking_category():
    for kind in REF["enums"]["transaction_type"]["values"] + REF["enums"]["transaction_type_sdk_2020"]["values"]:
        assert klarna_provider.category_of(kind) != PayoutTransaction.Category.UNKNOWN, kind
    assert klarna_provider.category_of("SALE") == PayoutTransaction.Category.CHARGE
    assert klarna_provider.category_of("RETURN") == PayoutTransaction.Category.REFUND
    assert klarna_provider.category_of("CORRECTION", "CORRECTION_DISPUTE") == PayoutTransaction.Category.DISPUTE
    assert set(klarna_provider.CATEGORY_BY_DETAILED_TYPE) <= set(REF["enums"]["transaction_detailed_type"]["values"])


def test_the_simulator_answers_in_klarnas_schemas(klarna):
    sim, url = klarna
    merchant = sim.merchant
    merchant.transaction("SALE", 49900, order_reference="#5001")
    merchant.transaction("RETURN", 9900, order_reference="#5001")
    merchant.transaction("FEE", 1250, detailed_type="PURCHASE_FEE_PERCENTAGE")
    payout = merchant.payout_create()
    auth = (KlarnaSimulator.USERNAME, KlarnaSimulator.PASSWORD)

    listed = requests.get(f"{url}/settlements/v1/payouts", auth=auth, timeout=5).json()
    assert set(listed) == set(SCHEMAS["PayoutCollection"]["properties"])
    _conforms(listed["payouts"][0], "Payout")
    _conforms(listed["payouts"][0]["totals"], "Totals")
    _conforms(listed["pagination"], "Pagination")
    one = requests.get(f"{url}/settlements/v1/payouts/{payout['payment_reference']}", auth=auth, timeout=5).json()
    _conforms(one, "Payout")
    assert one["transactions"].endswith(f"/transactions?payment_reference={payout['payment_reference']}")
    transactions = requests.get(
        f"{url}/settlements/v1/transactions",
        params={"payment_reference": payout["payment_reference"]},
        auth=auth,
        timeout=5,
    ).json()
    assert set(transactions) == set(SCHEMAS["TransactionCollection"]["properties"])
    for txn in transactions["transactions"]:
        _conforms(txn, "Transaction")
    summary = requests.get(
        f"{url}/settlements/v1/payouts/summary",
        params={"start_date": "2026-11-01T00:00:00Z", "end_date": "2026-12-01T00:00:00Z"},
        auth=auth,
        timeout=5,
    ).json()
    _conforms(summary[0], "PayoutSummary")
    assert summary[0]["summary_total_settlement_amount"] == 49900 - 9900 - 1250

    for path, params, status in [
        ("/payouts/XISA_NOPE", {}, 404),
        ("/payouts", {"size": 501}, 400),
        ("/payouts/summary", {}, 400),
    ]:
        response = requests.get(f"{url}/settlements/v1{path}", params=params, auth=auth, timeout=5)
        assert response.status_code == status
        _conforms(response.json(), "ErrorResponse")
    assert requests.get(f"{url}/settlements/v1/payouts", auth=("x", "y"), timeout=5).status_code == 401


def test_the_client_pages_with_size_and_offset_and_signs_amounts(klarna):
    sim, url = klarna
    merchant = sim.merchant
    for n in range(PAGE_SIZE + 1):
        merchant.transaction("SALE", 1000, order_reference=f"#{6000 + n}")
    merchant.transaction("FEE", 500)
    merchant.transaction("HOLDBACK", 2000)
    payout = merchant.payout_create()
    client = _client(url)

    listed = list(client.payouts_iter(start=dt.datetime(2026, 11, 1, tzinfo=dt.UTC)))
    transactions = client.transactions(payment_reference=payout["payment_reference"])

    assert [p.payment_reference for p in listed] == [payout["payment_reference"]]
    assert len(transactions) == PAGE_SIZE + 3
    assert sum((t.amount for t in transactions), Decimal("0")) == listed[0].settlement_amount
    assert listed[0].settlement_amount == Decimal(PAGE_SIZE + 1) * 10 - 5 - 20
    pages = [r for r in sim.requests if r.startswith("GET /settlements/v1/transactions")]
    assert len(pages) == 2 and "size=500" in pages[0] and "offset=500" in pages[1]


def test_client_errors_are_the_connectors_own(klarna):
    _sim, url = klarna
    with pytest.raises(KlarnaAuthError) as refused:
        list(_client(url, password="wrong").payouts_iter())
    assert "wrong" not in str(refused.value)
    with pytest.raises(KlarnaNotFound):
        _client(url).payout("XISA_NOPE")
    transport = Transport(
        username=KlarnaSimulator.USERNAME, password=KlarnaSimulator.PASSWORD, retry_policy=NO_RETRY, timeout=(2, 5)
    )
    with pytest.raises(KlarnaBadRequest) as bad:
        transport.get(f"{url}/settlements/v1/payouts/summary")  # start_date and end_date are required
    assert bad.value.status == 400 and bad.value.correlation_id


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (KlarnaAuthError("refused", status=401), "PAY-101"),
        (KlarnaBadRequest("bad size", status=400), "PAY-103"),
        (KlarnaNotFound("no payout", status=404), "PAY-103"),
    ],
)
def test_klarna_errors_have_product_codes_not_business_central_ones(error, code):
    classified = classify_exception(error)
    assert classified.code == code and str(error.message) in classified.message


def test_a_throttled_read_is_retried_after_retry_after_and_counted():
    answers = [(429, {"Retry-After": "0"}), (503, {}), (200, {})]
    slept: list[float] = []

    def app(environ, start_response):
        status, headers = answers.pop(0)
        body = b'{"payouts": [], "pagination": {"count": 0}}' if status == 200 else b"{}"
        start_response(f"{status} X", [("Content-Type", "application/json"), *headers.items()])
        return [body]

    with serve(app) as running:
        transport = Transport(
            username="u",
            password="p",
            retry_policy=RetryPolicy(max_attempts=3, max_seconds=5, base_delay=0.01),
            sleep=slept.append,
            timeout=(2, 5),
        )
        client = KlarnaClient(transport=transport, api_root=running.url)
        assert list(client.payouts_iter()) == []
    assert client.stats.as_dict() | {"by_method": None} == {
        "requests": 3,
        "operations": 1,
        "retries": 2,
        "throttled": 1,
        "by_method": None,
    }
    assert slept[0] == 0.0 and len(slept) == 2
