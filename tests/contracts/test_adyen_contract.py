"""The Adyen connector, simulator and webhook against Adyen's settlement facts (adyen-settlement.json)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
import requests

from integrations.connectors.adyen import (
    AdyenAuthError,
    AdyenReportFormatError,
    AdyenReportNotFound,
    AdyenReportsClient,
    AdyenTransportError,
    Transport,
    hmac_signature,
    notification_verify,
    parse_report,
    signing_string,
)
from integrations.connectors.http import RetryPolicy
from integrations.models import PaymentProviderConnection
from simulators.adyen import AdyenSimulator, sign
from simulators.adyen.app import COLUMNS
from simulators.server import serve
from syncs.errors import classify_exception
from syncs.models import PayoutTransaction, SourceSystem, WebhookEvent
from syncs.payouts.providers import adyen as adyen_provider
from tests.contracts.reference import load_json
from tests.factories import IntegrationFactory, PaymentProviderConnectionFactory

REF = load_json("adyen-settlement.json")
REPORT = REF["settlement_details_report"]
HOOK = REF["report_available_webhook"]
HMAC = REF["hmac_signature"]
NO_RETRY = RetryPolicy(max_attempts=1, max_seconds=1, base_delay=0)


def _item_from_signing_string(text: str) -> dict:
    psp, original, merchant, reference, value, currency, event, success = text.split(":")
    return {
        "pspReference": psp,
        "originalReference": original or None,
        "merchantAccountCode": merchant,
        "merchantReference": reference,
        "amount": {"value": int(value), "currency": currency},
        "eventCode": event,
        "success": success,
    }


@pytest.mark.parametrize("vector", HMAC["test_vectors"], ids=lambda v: v["src"].split(" ")[0])
def test_hmac_test_vectors(vector):
    item = vector.get("item") or _item_from_signing_string(vector["signing_string"])
    assert signing_string(item) == vector["signing_string"]
    assert hmac_signature(item, hmac_key_hex=vector["hmac_key_hex"]) == vector["expected"]
    assert sign(item, vector["hmac_key_hex"]) == vector["expected"]  # the simulator signs the same way
    signed = {**item, "additionalData": {"hmacSignature": vector["expected"]}}
    assert notification_verify(signed, hmac_key_hex=vector["hmac_key_hex"])
    assert not notification_verify({**signed, "merchantReference": "tampered"}, hmac_key_hex=vector["hmac_key_hex"])
    assert not notification_verify(signed, hmac_key_hex="00" * 32)
    assert not notification_verify(item, hmac_key_hex=vector["hmac_key_hex"])  # no signature at all


def test_the_simulators_notification_is_adyens_report_available_item():
    sim = AdyenSimulator()
    name = sim.account().batch_close()
    envelope = sim.notification(merchant_account="JunipeerSE", file_name=name, root="https://ca-test.adyen.com")
    assert set(envelope) == set(HOOK["envelope"]) - {"src"}
    item = envelope["notificationItems"][0]["NotificationRequestItem"]
    assert set(HOOK["item_required"]) <= set(item) <= set(HOOK["item_fields"])
    assert item["eventCode"] in HOOK["item_fields"]["eventCode"]["enum"]
    assert set(item["amount"]) == set(HOOK["amount"]["fields"]) and item["success"] == "true"
    assert item["pspReference"] == REPORT["file_name"]["default_pattern"].format(batchNumber=1)
    assert notification_verify(item, hmac_key_hex=AdyenSimulator.HMAC_KEY)


def test_report_layout_record_types_and_download_url_are_adyens():
    assert list(COLUMNS) == REPORT["columns"]["new_platform_default_layout"]["columns"]
    assert list(COLUMNS[:3]) == REPORT["format"]["first_header_cells"]
    types = set(REPORT["record_types"]["values"])
    assert set(adyen_provider.CATEGORY_BY_TYPE) == types
    assert all(adyen_provider.category_of(kind) != PayoutTransaction.Category.UNKNOWN for kind in types)
    client = AdyenReportsClient(transport=Transport(api_key="k"), merchant_account="{merchantAccount}")
    example = REPORT["download"]["example"]
    assert client.report_url("settlement_detail_report_batch_4.csv").replace("%7B", "{").replace("%7D", "}") == example


def test_the_legacy_layout_parses_by_header_name():
    legacy = [column["name"] for column in REPORT["columns"]["legacy_standard_layout"]]
    assert len(legacy) == REPORT["columns"]["legacy_standard_layout_count"]
    values = dict.fromkeys(legacy, "")
    values.update(
        {
            "Merchant Account": "JunipeerSE",
            "Psp Reference": "8815000000000001",
            "Merchant Reference": "#7001",
            "Type": "Settled",
            "Creation Date": "2026-11-20 10:00:00",
            "Gross Currency": "SEK",
            "Gross Credit (GC)": "5.00",
            "Net Currency": "SEK",
            "Net Credit (NC)": "4.88",
            "Commission (NC)": "0.04",
            "Markup (NC)": "0.01",
            "Scheme Fees (NC)": "0.07",
        }
    )
    text = ",".join(legacy) + "\n" + ",".join(values[name] for name in legacy) + "\n"
    (line,) = parse_report(text)
    # the doc's sample: Net Credit = Gross Credit - (Commission + Markup + Scheme Fees + Interchange)
    assert (line.net, line.fees, line.gross, line.merchant_reference) == (
        Decimal("4.88"),
        Decimal("0.12"),
        Decimal("5.00"),
        "#7001",
    )


def test_downloads_take_basic_auth_or_an_api_key_and_404_until_the_batch_closes():
    sim = AdyenSimulator()
    account = sim.account()
    account.line("Settled", "100.00", merchant_reference="#7002", commission="1.20")
    with serve(sim) as running:
        basic = AdyenReportsClient(
            transport=Transport(username=sim.USERNAME, password=sim.PASSWORD, retry_policy=NO_RETRY),
            merchant_account="JunipeerSE",
            root=running.url,
        )
        with pytest.raises(AdyenReportNotFound):
            basic.settlement_report("settlement_detail_report_batch_1.csv")
        name = account.batch_close()
        lines = basic.settlement_report(name)
        keyed = AdyenReportsClient(
            transport=Transport(api_key=sim.API_KEY, retry_policy=NO_RETRY),
            merchant_account="JunipeerSE",
            root=running.url,
        )
        assert keyed.settlement_report(name) == lines
        wrong = AdyenReportsClient(
            transport=Transport(api_key="nope", retry_policy=NO_RETRY), merchant_account="JunipeerSE", root=running.url
        )
        with pytest.raises(AdyenAuthError) as refused:
            wrong.settlement_report(name)
        assert "nope" not in str(refused.value)
        assert (
            requests.get(running.url + "/reports/download/MerchantAccount/JunipeerSE/x.csv", timeout=5).status_code
            == 401
        )
    assert [line.record_type for line in lines] == ["Settled", "MerchantPayout"]
    assert lines[1].net == -lines[0].net == Decimal("-98.80")


@pytest.mark.django_db
def test_the_report_available_webhook_verifies_the_hmac_and_stores_once(client):
    integration = IntegrationFactory()
    PaymentProviderConnectionFactory(
        integration=integration,
        provider=PaymentProviderConnection.Provider.ADYEN,
        account_id="JunipeerSE",
        webhook_hmac_key=AdyenSimulator.HMAC_KEY,
    )
    sim = AdyenSimulator()
    name = sim.account().batch_close()
    envelope = sim.notification(merchant_account="JunipeerSE", file_name=name, root="https://ca-test.adyen.com")
    url = f"/hooks/adyen/{integration.pk}/"

    tampered = json.loads(json.dumps(envelope))
    tampered["notificationItems"][0]["NotificationRequestItem"]["pspReference"] = "settlement_detail_report_batch_9.csv"
    assert client.post(url, json.dumps(tampered), content_type="application/json").status_code == 401
    other_key = sim.notification(merchant_account="JunipeerSE", file_name=name, root="x", hmac_key="11" * 32)
    assert client.post(url, json.dumps(other_key), content_type="application/json").status_code == 401
    assert client.post(url, "not json", content_type="application/json").status_code == 400
    assert not WebhookEvent.objects.exists()

    for _ in range(2):  # Adyen redelivers; one event is kept
        response = client.post(url, json.dumps(envelope), content_type="application/json")
        assert (response.status_code, response.content) == (200, b"[accepted]")
    event = WebhookEvent.objects.get()
    assert (event.source_system, event.topic, event.payload["pspReference"]) == (
        SourceSystem.ADYEN,
        "REPORT_AVAILABLE",
        name,
    )
    assert (
        client.post(
            f"/hooks/adyen/{integration.pk + 1}/", json.dumps(envelope), content_type="application/json"
        ).status_code
        == 404
    )


def test_adyen_errors_have_product_codes():
    assert classify_exception(AdyenAuthError("refused", status=401)).code == "PAY-101"
    assert classify_exception(AdyenTransportError("Adyen answered HTTP 503.", status=503)).code == "PAY-102"
    with pytest.raises(AdyenReportFormatError) as unreadable:
        parse_report("a,b\n1,2\n")
    assert classify_exception(unreadable.value).code == "PAY-104"
