"""Routing, authentication, the OData query engine, paging and etags, over real HTTP."""

from __future__ import annotations

import requests

from tests.simulators.conftest import error_of


def test_missing_or_unknown_token_is_rejected_with_bc_envelope(bc_server):
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic dXNlcjpwYXNz"}):
        response = requests.get(f"{bc_server.url}/companies", headers=headers, timeout=10)
        assert response.status_code == 401
        assert error_of(response) == (
            "Authentication_InvalidCredentials",
            "The server has rejected the client credentials.",
        )
    assert bc_server.sim.request_count == 0


def test_token_validator_supplies_the_principal(bc_sim):
    from simulators.businesscentral import BusinessCentralSimulator
    from simulators.inprocess import WSGIAdapter

    sim = BusinessCentralSimulator(accepted_tokens={}, token_validator=lambda t: "app@tenant" if t == "jwt" else None)
    session = requests.Session()
    session.mount("http://bc.sim", WSGIAdapter(sim))
    url = f"http://bc.sim/v2.0/{sim.tenant_id}/sandbox/api/v2.0/companies"
    assert session.get(url, headers={"Authorization": "Bearer jwt"}).status_code == 200
    assert session.get(url, headers={"Authorization": "Bearer test-token"}).status_code == 401
    assert [entry.principal for entry in sim.request_log] == ["app@tenant"]


def test_companies_listed_per_environment(bc, bc_server):
    names = [c["name"] for c in bc.get(f"{bc.root}/companies").json()["value"]]
    assert names == ["CRONUS Sverige AB", "My Company"]
    production = bc.get(f"{bc_server.environment_url('production')}/api/v2.0/companies").json()["value"]
    assert [c["name"] for c in production] == ["CRONUS Sverige AB"]
    assert production[0]["id"] == bc.sim.company_id("production")
    assert production[0]["id"] != bc.sim.company_id("sandbox")


def test_unknown_routes_are_404_not_found(bc, bc_server):
    unknown_environment = f"{bc_server.base_url}/v2.0/{bc.sim.tenant_id}/nosuchenv/api/v2.0/companies"
    for url in (f"{bc.company_url}/unicorns", unknown_environment, f"{bc_server.base_url}/something/else"):
        response = bc.get(url)
        assert response.status_code == 404
        code, message = error_of(response)
        assert code == "BadRequest_NotFound"
        assert message.startswith("No HTTP resource was found that matches the request URI")


def test_paging_follows_next_link_verbatim_over_many_pages(bc):
    bc.sim.page_size = 2
    seen, pages, url = [], 0, "customers?$select=number,displayName"
    while url:
        body = bc.get(url).json()
        pages += 1
        seen += [row["number"] for row in body["value"]]
        assert all(set(row) == {"@odata.etag", "number", "displayName"} for row in body["value"])
        url = body.get("@odata.nextLink")
        if url:
            assert "$skiptoken=" in url and "$select=number,displayName" in url
    assert pages == 6  # 11 customers, 2 per page
    assert seen == sorted(seen) and len(set(seen)) == 11


def test_maxpagesize_preference_and_top(bc):
    response = bc.get("items", headers={"Prefer": "odata.maxpagesize=4"})
    assert len(response.json()["value"]) == 4
    assert response.headers["Preference-Applied"] == "odata.maxpagesize=4"
    assert "@odata.nextLink" in response.json()
    top = bc.get("items?$top=3").json()
    assert len(top["value"]) == 3 and "@odata.nextLink" not in top


def test_filter_orderby_and_or_rules(bc):
    rows = bc.get(
        "items?$filter=unitPrice gt 300 and blocked eq false and startswith(number,'100')&$orderby=unitPrice desc"
    ).json()["value"]
    assert [r["number"] for r in rows] == ["1008", "1004", "1005", "1006"]
    same_field = bc.get("customers?$filter=number eq '10000' or number eq '20000'").json()["value"]
    assert [r["number"] for r in same_field] == ["10000", "20000"]
    response = bc.get("customers?$filter=number eq '10000' or displayName eq 'x'")
    assert response.status_code == 400
    assert error_of(response)[1] == "The 'OR' operator is not supported on distinct fields on an OData filter."
    starts = bc.get("customers?$filter=startswith(displayName,'Webshop')").json()["value"]
    assert len(starts) == 6
    bad_field = bc.get("customers?$filter=nope eq 1")
    assert bad_field.status_code == 404 and "nope" in error_of(bad_field)[1]


def test_filter_by_last_modified_and_expand(bc):
    item = bc.get("items?$filter=number eq '1000'&$expand=itemVariants").json()["value"][0]
    assert [v["code"] for v in item["itemVariants"]] == ["RED", "BLUE"]
    stamp = max(row["lastModifiedDateTime"] for row in bc.get("items").json()["value"])
    bc.sim.clock.advance(5)
    bc.patch(f"items({item['id']})", json={"unitPrice": 159}, headers={"If-Match": item["@odata.etag"]})
    changed = bc.get(f"items?$filter=lastModifiedDateTime gt {stamp}").json()["value"]
    assert [r["number"] for r in changed] == ["1000"]


def test_etags_missing_stale_and_star(bc):
    customer = bc.get("customers?$filter=number eq '20000'").json()["value"][0]
    url = f"customers({customer['id']})"
    missing = bc.patch(url, json={"phoneNumber": "1"})
    assert missing.status_code == 400 and error_of(missing)[0] == "BadRequest_InvalidToken"
    first = bc.patch(url, json={"phoneNumber": "2"}, headers={"If-Match": customer["@odata.etag"]})
    assert first.status_code == 200 and first.json()["phoneNumber"] == "2"
    assert first.json()["@odata.etag"] != customer["@odata.etag"]
    stale = bc.patch(url, json={"phoneNumber": "3"}, headers={"If-Match": customer["@odata.etag"]})
    assert stale.status_code == 409
    assert error_of(stale) == ("Request_EntityChanged", "Another user has already changed the record.")
    assert bc.patch(url, json={"phoneNumber": "4"}, headers={"If-Match": "*"}).json()["phoneNumber"] == "4"
    assert bc.delete(url).status_code == 400
    assert bc.delete(url, headers={"If-Match": "*"}).status_code == 204
    assert bc.get(url).status_code == 404


def test_customer_create_numbering_and_validation(bc):
    created = bc.post("customers", json={"displayName": "Ny Kund AB", "currencyCode": "EUR"})
    assert created.status_code == 201
    assert created.json()["number"] == "C00010" and created.json()["currencyCode"] == "EUR"
    assert created.headers["ETag"] == created.json()["@odata.etag"]
    missing_name = bc.post("customers", json={"email": "a@b.example"})
    assert error_of(missing_name) == ("Application_DialogException", 'A "displayName" must be provided.')
    bad_terms = bc.post(
        "customers", json={"displayName": "X", "paymentTermsId": "11111111-1111-1111-1111-111111111111"}
    )
    assert error_of(bad_terms)[1] == 'The "paymentTermsId" does not match to a Payment Terms.'
    unknown_field = bc.post("customers", json={"displayName": "X", "colour": "red"})
    assert unknown_field.status_code == 400 and "colour" in error_of(unknown_field)[1]


def test_items_inventory_rules(bc):
    rejected = bc.post("items", json={"number": "2000", "displayName": "Ny", "inventory": 5})
    assert error_of(rejected) == ("Application_DialogException", "Inventory cannot be changed during on insert.")
    item = bc.post("items", json={"number": "2000", "displayName": "Ny", "taxGroupCode": "REDUCED"}).json()
    assert item["inventory"] == 0 and item["taxGroupCode"] == "REDUCED"
    adjusted = bc.patch(f"items({item['id']})", json={"inventory": 7}, headers={"If-Match": item["@odata.etag"]})
    assert adjusted.json()["inventory"] == 7
    ledger = bc.sim.company().item_ledger
    assert ledger[-1] == {
        "entryNo": len(ledger), "itemNumber": "2000", "variantCode": "", "entryType": "Positive Adjmt.",
        "postingDate": ledger[-1]["postingDate"], "documentNumber": "2000", "locationCode": "", "quantity": 7.0,
        "remainingQuantity": 7.0, "open": True,
    }  # fmt: skip


def test_read_only_entity_sets_refuse_writes(bc):
    response = bc.post("generalLedgerEntries", json={"description": "x"})
    assert response.status_code == 405 and error_of(response)[0] == "BadRequest_MethodNotAllowed"
    accounts = bc.get("accounts?$filter=number eq '1510'&$select=number,displayName,category,blocked").json()["value"]
    assert accounts[0] == {
        "@odata.etag": accounts[0]["@odata.etag"], "number": "1510", "displayName": "Kundfordringar",
        "category": "Assets", "blocked": False,
    }  # fmt: skip


def test_request_log_counts_per_path(bc):
    bc.get("customers")
    bc.get("items")
    bc.get("items")
    assert bc.sim.request_count == 3
    assert len(bc.sim.requests_to("GET", "/items")) == 2
