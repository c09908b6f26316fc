"""$batch, throttling, fault injection, ODataV4 pages, the admin center and the HTML overview."""

from __future__ import annotations

import pytest
import requests

from tests.simulators.conftest import error_of


def _create_customer(cid, name, request_id):
    return {"id": request_id, "method": "POST", "url": f"companies({cid})/customers",
            "headers": {"Content-Type": "application/json"}, "body": {"displayName": name}}  # fmt: skip


def test_batch_runs_each_operation_on_its_own(bc):
    cid = bc.sim.company_id()
    body = {"requests": [
        _create_customer(cid, "Batch One", "1"),
        {"id": "2", "method": "POST", "url": f"companies({cid})/customers", "body": {"email": "no-name@x.example"}},
        _create_customer(cid, "Batch Three", "3"),
        {"id": "4", "method": "GET", "url": f"companies({cid})/customers?$filter=startswith(displayName,'Batch')"},
    ]}  # fmt: skip
    response = bc.session.post(f"{bc.root}/$batch", json=body, timeout=10)
    assert response.status_code == 200
    results = {r["id"]: r for r in response.json()["responses"]}
    assert [results[i]["status"] for i in "1234"] == [201, 400, 201, 200]
    assert results["2"]["body"]["error"]["code"] == "Application_DialogException"
    assert [c["displayName"] for c in results["4"]["body"]["value"]] == ["Batch One", "Batch Three"]
    assert bc.sim.request_count == 1 and bc.sim.operation_count == 4


def test_snapshot_isolation_rolls_back_everything_on_failure(bc):
    cid = bc.sim.company_id()
    body = {"requests": [
        _create_customer(cid, "Atomic One", "1"),
        {"id": "2", "method": "POST", "url": f"companies({cid})/salesInvoices",
         "body": {"customerNumber": "10060", "salesInvoiceLines": [{"lineObjectNumber": "1002", "quantity": 1}]}},
    ]}  # fmt: skip
    response = bc.session.post(f"{bc.root}/$batch", json=body, headers={"Isolation": "snapshot"}, timeout=10)
    statuses = [r["status"] for r in response.json()["responses"]]
    assert statuses == [201, 404]
    assert bc.get("customers?$filter=displayName eq 'Atomic One'").json()["value"] == []
    assert bc.sim.company().number_series["CUST"].lines[0].last_no_used == ""  # the number is given back
    # Without the header the good operation stays.
    bc.session.post(f"{bc.root}/$batch", json=body, timeout=10)
    assert len(bc.get("customers?$filter=displayName eq 'Atomic One'").json()["value"]) == 1


def test_batch_over_100_operations_is_rejected(bc):
    cid = bc.sim.company_id()
    body = {"requests": [_create_customer(cid, f"C{i}", str(i)) for i in range(101)]}
    response = bc.session.post(f"{bc.root}/$batch", json=body, timeout=10)
    assert response.status_code == 400
    assert "at most 100 operations" in error_of(response)[1]
    assert bc.get("customers?$filter=displayName eq 'C0'").json()["value"] == []


def test_per_user_throttle_returns_429_and_window_slides(bc):
    bc.sim.throttle.configure(enabled=True, requests_per_window=3)
    assert [bc.get("items?$top=1").status_code for _ in range(3)] == [200, 200, 200]
    throttled = bc.get("items?$top=1")
    assert throttled.status_code == 429
    assert error_of(throttled)[0] == "Application_TooManyRequests"
    other_user = requests.get(f"{bc.company_url}/items?$top=1", headers={"Authorization": "Bearer other"}, timeout=10)
    assert other_user.status_code == 401  # unknown token: not counted against anyone
    bc.sim.accepted_tokens["token-2"] = "user-2"
    assert requests.get(f"{bc.company_url}/items?$top=1", headers={"Authorization": "Bearer token-2"},
                        timeout=10).status_code == 200  # fmt: skip
    bc.sim.clock.advance(301)
    assert bc.get("items?$top=1").status_code == 200


def test_fault_injection_nth_call_storm_and_gateway_timeout(bc):
    bc.sim.faults.fail_nth(2, status=503, retry_after=7)
    assert bc.get("items?$top=1").status_code == 200
    failed = bc.get("items?$top=1")
    assert (failed.status_code, failed.headers["Retry-After"]) == (503, "7")
    bc.sim.faults.storm_429(2)
    assert [bc.get("items?$top=1").status_code for _ in range(3)] == [429, 429, 200]
    bc.sim.faults.gateway_timeout_nth(1)
    assert bc.get("items?$top=1").status_code == 504


def test_committed_write_with_lost_response(bc):
    bc.sim.faults.drop_response_after_commit(1)
    with pytest.raises(requests.exceptions.ConnectionError):
        bc.post("customers", json={"displayName": "Lost Ack AB"})
    # The write happened: a client that looks it up before retrying finds it.
    assert len(bc.get("customers?$filter=displayName eq 'Lost Ack AB'").json()["value"]) == 1


def test_latency_and_scaled_clock_do_not_change_results(bc):
    bc.sim.clock.scale = 1000.0
    bc.sim.latency.configure(per_request=0.5, per_operation=0.1)
    assert bc.get("items?$top=2").json()["value"][0]["number"] == "1000"


def test_odatav4_pages_published_and_unpublished(bc, bc_server):
    base = f"{bc_server.environment_url()}/ODataV4/Company('CRONUS Sverige AB')"
    vat = bc.get(f"{base}/VATPostingSetup?$filter=VAT_Bus_Posting_Group eq 'OSS-FI'").json()["value"]
    assert {(r["VAT_Prod_Posting_Group"], r["VAT_Percent"]) for r in vat} == {
        ("STANDARD", 25.5), ("REDUCED", 14), ("LOW", 10), ("ZERO", 0), ("SERVICES", 25.5),
    }  # fmt: skip
    series = bc.get(f"{base}/NoSeries?$filter=Code eq 'S-INV'").json()["value"][0]
    assert (series["LastNoUsed"], series["EndNo"], series["Manual_Nos"]) == ("10200020", "10299999", False)
    lines = bc.get(f"{base}/NoSeriesLines?$filter=Series_Code eq 'S-INV%2B'").json()["value"]
    assert lines[0]["Last_No_Used"] == "10300015"
    bc.sim.company().unpublish_odatav4_pages("VATPostingSetup")
    hidden = bc.get(f"{base}/VATPostingSetup")
    assert hidden.status_code == 404
    code, message = error_of(hidden)
    assert code == "BadRequest_NotFound" and message.startswith("No HTTP resource was found")
    assert bc.get(f"{base}/NoSeries").status_code == 200


@pytest.mark.parametrize("path", ["/admin/v2.15/applications/BusinessCentral/environments",
                                  "/admin/v2.29/applications/environments"])  # fmt: skip
def test_admin_center_lists_environments(bc, bc_server, path):
    bc.sim.admin_principals.add("test-user")
    environments = bc.get(bc_server.base_url + path).json()["value"]
    assert {(e["name"], e["type"]) for e in environments} == {("sandbox", "Sandbox"), ("production", "Production")}
    sandbox = next(e for e in environments if e["name"] == "sandbox")
    assert sandbox["aadTenantId"] == bc.sim.tenant_id and sandbox["applicationFamily"] == "BusinessCentral"
    assert sandbox["webServiceUrl"] == bc_server.environment_url("sandbox")
    assert sandbox["countryCode"] == "SE" and sandbox["status"] == "Active"


def test_admin_center_needs_a_token_and_single_environment(bc, bc_server):
    bc.sim.admin_principals.add("test-user")
    url = f"{bc_server.base_url}/admin/v2.21/applications/BusinessCentral/environments/production"
    assert requests.get(url, timeout=10).status_code == 401
    assert bc.get(url).json()["type"] == "Production"


def test_admin_center_refuses_a_user_without_an_admin_role(bc, bc_server):
    refused = bc.get(f"{bc_server.base_url}/admin/v2.28/applications/BusinessCentral/environments")
    assert refused.status_code == 403 and refused.json()["code"] == "Unauthorized"


@pytest.mark.parametrize("version", ["v1.1", "v1.2"])
def test_connect_app_environments_for_any_user(bc, bc_server, version):
    environments = bc.get(f"{bc_server.base_url}/environments/{version}").json()["value"]
    assert {(e["name"], e["type"]) for e in environments} == {("sandbox", "Sandbox"), ("production", "Production")}
    sandbox = next(e for e in environments if e["name"] == "sandbox")
    fields = ["aadTenantId", "applicationFamily", "type", "name", "countryCode", "webServiceUrl", "webClientLoginUrl"]
    assert sorted(sandbox) == sorted(fields + (["ringName"] if version == "v1.2" else []))
    assert sandbox["aadTenantId"] == bc.sim.tenant_id and sandbox["applicationFamily"] == "BusinessCentral"
    assert sandbox["webServiceUrl"] == bc_server.environment_url("sandbox")


def test_html_overview_shows_created_documents_without_auth(bc, bc_server):
    invoice = bc.post("salesInvoices", json={"customerNumber": "10000", "externalDocumentNumber": "SHOP-42",
                                             "salesInvoiceLines": [{"lineObjectNumber": "1000"}]}).json()  # fmt: skip
    index = requests.get(f"{bc_server.base_url}/_sim/", timeout=10)
    assert index.status_code == 200 and "CRONUS Sverige AB" in index.text
    page = requests.get(f"{bc_server.base_url}/_sim/sandbox/{bc.sim.company_id()}", timeout=10).text
    assert invoice["number"] in page and "SHOP-42" in page and "186.25" in page
