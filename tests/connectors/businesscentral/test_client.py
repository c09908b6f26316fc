import re
from datetime import date
from decimal import Decimal

import pytest

from integrations.connectors.businesscentral import (
    BatchOperation,
    BCConflict,
    BCError,
    BCNotFound,
    BCPagingLimitExceeded,
    BCValidationError,
    PageNotPublished,
    client_for_connection,
    entities,
    odata,
)
from integrations.connectors.businesscentral.payloads import NewCustomerPayment, NewSalesInvoice, NewSalesLine
from integrations.models import BusinessCentralConnection
from tests.connectors.businesscentral.fakes import (
    API,
    COMPANY,
    COMPANY_ID,
    ROOT,
    TENANT,
    TOKEN,
    Reply,
    envelope,
    mounted_session,
)

CUSTOMER_ID = "cccccccc-0000-0000-0000-000000000001"
INVOICE_ID = "dddddddd-0000-0000-0000-000000000001"


def path(suffix: str) -> str:
    return re.escape(COMPANY + suffix)


def page(rows, next_link=None):
    body = {"value": rows}
    if next_link:
        body["@odata.nextLink"] = next_link
    return Reply(200, body)


# --- URLs and reads ----------------------------------------------------------------------------


def test_urls_are_built_from_root_tenant_environment_and_company(client):
    assert client.api_url == f"{ROOT}/v2.0/{TENANT}/sandbox/api/v2.0"
    assert client.entity_path(entities.ITEM_VARIANTS, parent=(entities.ITEMS, CUSTOMER_ID)) == (
        f"companies({COMPANY_ID})/items({CUSTOMER_ID})/itemVariants"
    )
    with pytest.raises(ValueError):
        client.entity_path(entities.CUSTOMERS, id="1 or 1=1")


def test_companies_need_no_company_and_send_the_bearer_token(fake_bc, make_client):
    fake_bc.on("GET", re.escape(f"{API}/companies"), page([{"id": COMPANY_ID, "name": "CRONUS Sverige AB"}]))
    client = make_client(company_id="")

    companies = client.list_companies()

    assert [(c.id, c.name) for c in companies] == [(COMPANY_ID, "CRONUS Sverige AB")]
    assert fake_bc.seen[0].headers["Authorization"] == f"Bearer {TOKEN}"
    with pytest.raises(ValueError, match="company"):
        client.list_records(entities.CUSTOMERS)


def test_paging_follows_next_link_verbatim_and_keeps_unknown_fields(fake_bc, client):
    first_next = f"{ROOT}{COMPANY}/customers?$filter=blocked%20eq%20'%20'&$skiptoken=abc"
    second_next = f"{ROOT}{COMPANY}/customers?$filter=blocked%20eq%20'%20'&$skiptoken=def"
    fake_bc.on(
        "GET",
        path("/customers"),
        page([{"id": "1", "number": "C1", "customField": "x"}], first_next),
        page([{"id": "2", "number": "C2", "balanceDue": 12.5}], second_next),
        page([{"id": "3", "number": "C3"}]),
    )

    customers = list(client.iter_records(entities.CUSTOMERS, filter=odata.eq("blocked", " "), page_size=1))

    assert [c.number for c in customers] == ["C1", "C2", "C3"]
    assert customers[0].raw["customField"] == "x"
    assert customers[1].balance_due == Decimal("12.5")
    assert fake_bc.seen[0].query == {"$filter": "blocked eq ' '"}
    assert fake_bc.seen[1].query == {"$filter": "blocked eq ' '", "$skiptoken": "abc"}
    assert fake_bc.seen[2].query["$skiptoken"] == "def"
    assert all(s.headers["Prefer"] == "odata.maxpagesize=1" for s in fake_bc.seen)
    assert client.stats.requests == 3


def test_paging_is_lazy(fake_bc, client):
    fake_bc.on("GET", path("/customers"), page([{"id": "1"}], f"{ROOT}{COMPANY}/customers?$skiptoken=1"))
    iterator = client.iter_records(entities.CUSTOMERS)
    next(iterator)
    assert len(fake_bc.seen) == 1


def test_paging_stops_at_the_page_cap(fake_bc, make_client):
    fake_bc.on("GET", path("/customers"), page([{"id": "1"}], f"{ROOT}{COMPANY}/customers?$skiptoken=1"))
    client = make_client(max_pages=3)

    with pytest.raises(BCPagingLimitExceeded):
        client.list_records(entities.CUSTOMERS)
    assert len(fake_bc.seen) == 3


def test_next_link_to_another_host_is_refused(fake_bc, client):
    fake_bc.on("GET", path("/customers"), page([{"id": "1"}], "https://evil.example/steal?$skiptoken=1"))

    with pytest.raises(BCError, match="another host"):
        client.list_records(entities.CUSTOMERS)
    assert len(fake_bc.seen) == 1


def test_select_and_expand_parse_lines(fake_bc, client):
    fake_bc.on(
        "GET",
        path(f"/salesInvoices({INVOICE_ID})"),
        Reply(
            200,
            {
                "id": INVOICE_ID,
                "@odata.etag": 'W/"JzE7Jw=="',
                "invoiceDate": "2025-01-15",
                "totalAmountIncludingTax": 205.88,
                "salesInvoiceLines": [{"sequence": 10000, "quantity": 3, "unitPrice": 54.9}],
            },
        ),
    )

    invoice = client.get_record(
        entities.SALES_INVOICES, INVOICE_ID, select=["id", "invoiceDate"], expand="salesInvoiceLines"
    )

    assert fake_bc.seen[0].query == {"$select": "id,invoiceDate", "$expand": "salesInvoiceLines"}
    assert invoice.etag == 'W/"JzE7Jw=="'
    assert invoice.invoice_date == date(2025, 1, 15)
    assert invoice.lines[0].unit_price == Decimal("54.9")


def test_singletons(fake_bc, client):
    fake_bc.on("GET", path("/generalLedgerSetup"), page([{"localCurrencyCode": "SEK"}]))
    fake_bc.on("GET", path("/companyInformation"), page([]))

    assert client.general_ledger_setup().local_currency_code == "SEK"
    with pytest.raises(BCNotFound):
        client.company_information()


def test_lookup_by_external_document_number_batches_values_into_or_filters(fake_bc, client):
    numbers = [f"#{n}'X" for n in range(120)]

    def answer(seen):
        wanted = re.findall(r"externalDocumentNumber eq '((?:[^']|'')*)'", seen.query["$filter"])
        found = [v.replace("''", "'") for v in wanted if v.endswith("7''X")]
        return Reply(200, {"value": [{"id": INVOICE_ID, "externalDocumentNumber": v} for v in found]})

    fake_bc.on("GET", path("/salesInvoices"), answer)

    found = client.find_by_external_document_numbers(entities.SALES_INVOICES, [*numbers, numbers[0]])

    assert sorted(found) == sorted(n for n in numbers if n.endswith("7'X"))
    assert 1 < len(fake_bc.seen) <= 5
    for seen in fake_bc.seen:
        assert " and " not in seen.query["$filter"]
        assert len(seen.query["$filter"]) < 1500
    asked = [v for s in fake_bc.seen for v in re.findall(r"eq '((?:[^']|'')*)'", s.query["$filter"])]
    assert len(asked) == 120  # every number asked once, duplicates dropped


# --- Writes ------------------------------------------------------------------------------------


def test_deep_insert_sends_lines_under_the_navigation_property(fake_bc, client):
    fake_bc.on("POST", path("/salesInvoices"), Reply(201, {"id": INVOICE_ID, "number": "S-INV-1", "status": "Draft"}))
    document = NewSalesInvoice(
        customer_number="10000",
        external_document_number="SHOP-1001",
        invoice_date=date(2025, 1, 15),
        currency_code="EUR",
        lines=[
            NewSalesLine(line_type="Item", line_object_number="1928-S", quantity=Decimal(3), unit_price=Decimal("54.9"))
        ],
        extra={"shortcutDimension1Code": "WEB"},
    )

    invoice = client.create_sales_invoice(document)

    assert fake_bc.seen[0].body == {
        "customerNumber": "10000",
        "externalDocumentNumber": "SHOP-1001",
        "invoiceDate": "2025-01-15",
        "currencyCode": "EUR",
        "shortcutDimension1Code": "WEB",
        "salesInvoiceLines": [{"lineType": "Item", "lineObjectNumber": "1928-S", "quantity": 3, "unitPrice": 54.9}],
    }
    assert fake_bc.seen[0].headers["Content-Type"] == "application/json"
    assert invoice.id == INVOICE_ID and invoice.status == "Draft"


@pytest.mark.parametrize(
    ("call", "expected_path"),
    [
        (lambda c: c.post_sales_invoice(INVOICE_ID), f"/salesInvoices({INVOICE_ID})/Microsoft.NAV.post"),
        (
            lambda c: c.ship_and_invoice_sales_order(INVOICE_ID),
            f"/salesOrders({INVOICE_ID})/Microsoft.NAV.shipAndInvoice",
        ),
        (lambda c: c.post_sales_credit_memo(INVOICE_ID), f"/salesCreditMemos({INVOICE_ID})/Microsoft.NAV.post"),
        (lambda c: c.post_journal(INVOICE_ID), f"/journals({INVOICE_ID})/Microsoft.NAV.post"),
    ],
)
def test_bound_actions_post_an_empty_body(fake_bc, client, call, expected_path):
    fake_bc.on("POST", path(expected_path), Reply(204))

    assert call(client) is None
    assert fake_bc.seen[0].body is None
    assert client.stats.by_method["POST"] == 1


def test_action_error_surfaces_with_bc_code(fake_bc, client):
    message = "The action can be applied to a draft invoice only."
    fake_bc.on(
        "POST",
        path(f"/salesInvoices({INVOICE_ID})/Microsoft.NAV.post"),
        Reply(400, envelope("Application_DialogException", message)),
    )

    with pytest.raises(BCValidationError) as caught:
        client.post_sales_invoice(INVOICE_ID)
    assert (caught.value.code, caught.value.message) == ("Application_DialogException", message)


def test_patch_and_delete_send_if_match(fake_bc, client):
    fake_bc.on(
        "PATCH",
        path(f"/customers({CUSTOMER_ID})"),
        Reply(200, {"id": CUSTOMER_ID, "@odata.etag": "W/2", "email": "n@x.se"}),
    )
    fake_bc.on("DELETE", path(f"/customers({CUSTOMER_ID})"), Reply(204))

    updated = client.update_record(entities.CUSTOMERS, CUSTOMER_ID, etag="W/1", changes={"email": "n@x.se"})
    client.delete_record(entities.CUSTOMERS, CUSTOMER_ID, etag="*")

    assert fake_bc.seen[0].headers["If-Match"] == "W/1"
    assert fake_bc.seen[0].body == {"email": "n@x.se"}
    assert updated.etag == "W/2"
    assert fake_bc.seen[1].headers["If-Match"] == "*"
    with pytest.raises(ValueError, match="etag"):
        client.update_record(entities.CUSTOMERS, CUSTOMER_ID, etag="", changes={})


def test_stale_etag_raises_conflict(fake_bc, client):
    fake_bc.on(
        "PATCH",
        path(f"/customers({CUSTOMER_ID})"),
        Reply(409, envelope("Request_EntityChanged", "Another user has already changed the record.")),
    )

    with pytest.raises(BCConflict):
        client.update_record(entities.CUSTOMERS, CUSTOMER_ID, etag="W/old", changes={"email": "a@x.se"})


def test_conflict_is_merged_once_with_a_fresh_etag(fake_bc, client):
    conflict = Reply(409, envelope("Request_EntityChanged", "Another user has already changed the record."))
    fake_bc.on(
        "PATCH", path(f"/customers({CUSTOMER_ID})"), conflict, Reply(200, {"id": CUSTOMER_ID, "@odata.etag": "W/3"})
    )
    fake_bc.on(
        "GET",
        path(f"/customers({CUSTOMER_ID})"),
        Reply(200, {"id": CUSTOMER_ID, "@odata.etag": "W/2", "phoneNumber": "070"}),
    )

    def merge(current, changes):
        return {**changes, "phoneNumber": current.phone_number + "-1"}

    result = client.update_record_merging(
        entities.CUSTOMERS, CUSTOMER_ID, etag="W/1", changes={"email": "a@x.se"}, merge=merge
    )

    patches = [s for s in fake_bc.seen if s.method == "PATCH"]
    assert [p.headers["If-Match"] for p in patches] == ["W/1", "W/2"]
    assert patches[1].body == {"email": "a@x.se", "phoneNumber": "070-1"}
    assert result.etag == "W/3"


def test_second_conflict_is_raised(fake_bc, client):
    conflict = Reply(409, envelope("Request_EntityChanged", "Another user has already changed the record."))
    fake_bc.on("PATCH", path(f"/customers({CUSTOMER_ID})"), conflict)
    fake_bc.on("GET", path(f"/customers({CUSTOMER_ID})"), Reply(200, {"id": CUSTOMER_ID, "@odata.etag": "W/2"}))

    with pytest.raises(BCConflict):
        client.update_record_merging(entities.CUSTOMERS, CUSTOMER_ID, etag="W/1", changes={"email": "a@x.se"})
    assert len([s for s in fake_bc.seen if s.method == "PATCH"]) == 2


def test_customer_payment_goes_under_its_journal(fake_bc, client):
    fake_bc.on(
        "POST", path(f"/customerPaymentJournals({INVOICE_ID})/customerPayments"), Reply(201, {"id": "p", "amount": 10})
    )

    payment = client.create_customer_payment(
        journal_id=INVOICE_ID,
        payment=NewCustomerPayment(
            customer_number="10000", amount=Decimal("10.00"), applies_to_invoice_number="103001"
        ),
    )

    assert payment.amount == Decimal("10")
    assert fake_bc.seen[0].body == {"customerNumber": "10000", "amount": 10.0, "appliesToInvoiceNumber": "103001"}


# --- $batch ------------------------------------------------------------------------------------


def batch_echo(fail_ids=()):
    def answer(seen):
        responses = []
        for op in seen.body["requests"]:
            if op["id"] in fail_ids:
                responses.append(
                    {"id": op["id"], "status": 400, "body": envelope("Application_DialogException", "Bad line.")}
                )
            else:
                responses.append(
                    {"id": op["id"], "status": 201, "body": {"id": op["id"], "displayName": op["body"]["displayName"]}}
                )
        return Reply(200, {"responses": list(reversed(responses))})

    return answer


def test_batch_chunks_to_100_and_counts_requests_and_operations(fake_bc, client):
    fake_bc.on("POST", re.escape(f"{API}/$batch"), batch_echo(fail_ids={"57"}))
    ops = [client.batch_create(entities.CUSTOMERS, {"displayName": f"C{n}"}) for n in range(250)]

    results = client.batch(ops)

    assert [len(s.body["requests"]) for s in fake_bc.seen] == [100, 100, 50]
    assert fake_bc.seen[0].body["requests"][0] == {
        "id": "1",
        "method": "POST",
        "url": f"companies({COMPANY_ID})/customers",
        "headers": {"Content-Type": "application/json"},
        "body": {"displayName": "C0"},
    }
    assert len(results) == 250
    assert [r.record(entities.CUSTOMERS.record).display_name for r in results[:3]] == ["C0", "C1", "C2"]
    failed = [r for r in results if not r.ok]
    assert [f.id for f in failed] == ["57"]
    assert isinstance(failed[0].error, BCValidationError)
    assert failed[0].error.message == "Bad line."
    assert client.stats.requests == 3
    assert client.stats.operations == 250
    assert "Isolation" not in fake_bc.seen[0].headers


def test_snapshot_batch_sends_isolation_and_refuses_over_100(fake_bc, client):
    fake_bc.on("POST", re.escape(f"{API}/$batch"), batch_echo())
    ops = [client.batch_create(entities.CUSTOMERS, {"displayName": "A"})]

    client.batch(ops, isolation_snapshot=True)

    assert fake_bc.seen[0].headers["Isolation"] == "snapshot"
    with pytest.raises(ValueError):
        client.batch(ops * 101, isolation_snapshot=True)


def test_batch_operation_without_an_answer_is_an_error_result(fake_bc, client):
    fake_bc.on("POST", re.escape(f"{API}/$batch"), Reply(200, {"responses": []}))

    (result,) = client.batch([BatchOperation("GET", f"companies({COMPANY_ID})/customers", id="x")])

    assert not result.ok and result.status == 0 and result.error is not None


def test_batch_update_and_action_carry_etag_and_path(client):
    update = client.batch_update(entities.ITEMS, CUSTOMER_ID, etag="W/9", changes={"unitPrice": 5})
    action = client.batch_action(entities.SALES_INVOICES, INVOICE_ID, "post")
    get = client.batch_get(entities.SALES_INVOICES, filter=odata.eq("externalDocumentNumber", "A B"))

    assert update.headers == {"If-Match": "W/9"} and update.method == "PATCH"
    assert action.url == f"companies({COMPANY_ID})/salesInvoices({INVOICE_ID})/Microsoft.NAV.post"
    assert get.url == f"companies({COMPANY_ID})/salesInvoices?$filter=externalDocumentNumber%20eq%20'A%20B'"
    assert not get.is_write and action.is_write


# --- ODataV4 pages and the admin center ----------------------------------------------------------


def test_odatav4_page_by_company_name(fake_bc, client):
    fake_bc.on(
        "GET",
        re.escape(f"/v2.0/{TENANT}/sandbox/ODataV4/Company('CRONUS Sverige AB')/VATPostingSetup"),
        page(
            [{"VAT_Bus_Posting_Group": "EU", "VAT_Prod_Posting_Group": "STANDARD", "VAT_Percent": 25, "Blocked": False}]
        ),
    )

    (row,) = client.vat_posting_setup()

    assert (row.vat_bus_posting_group, row.vat_prod_posting_group, row.vat_percent) == ("EU", "STANDARD", Decimal(25))


def test_unpublished_page_raises_page_not_published(fake_bc, client):
    with pytest.raises(PageNotPublished) as caught:
        client.no_series()
    assert caught.value.page == "NoSeries"
    assert caught.value.status == 404
    assert "published" in caught.value.message


def test_list_environments(fake_bc, client):
    fake_bc.on(
        "GET",
        re.escape("/environments/v1.2"),
        page([{"name": "production", "type": "Production", "ringName": "PROD", "countryCode": "SE"}]),
    )

    (environment,) = client.list_environments()

    assert environment.name == "production" and environment.is_production and environment.ring_name == "PROD"
    assert [seen.path for seen in fake_bc.seen] == ["/environments/v1.2"]


def test_client_for_connection_uses_override_or_setting(settings, fake_bc):
    settings.BC_API_ROOT = "https://bc.example"
    connection = BusinessCentralConnection(
        entra_tenant_id=TENANT, environment_name="sandbox", company_id=COMPANY_ID, company_name="CRONUS Sverige AB"
    )

    online = client_for_connection(connection, token_provider=lambda: TOKEN)
    connection.api_root_override = ROOT + "/"
    on_premises = client_for_connection(connection, token_provider=lambda: TOKEN, session=mounted_session(fake_bc))

    assert online.api_url == f"https://bc.example/v2.0/{TENANT}/sandbox/api/v2.0"
    assert on_premises.api_url == f"{ROOT}/v2.0/{TENANT}/sandbox/api/v2.0"
    assert TOKEN not in repr(on_premises)


def test_default_session_uses_the_ca_bundle_setting(settings):
    settings.BC_CA_BUNDLE = "/etc/ssl/private-ca.pem"
    connection = BusinessCentralConnection(entra_tenant_id=TENANT, environment_name="sandbox")

    client = client_for_connection(connection, token_provider=lambda: TOKEN)

    assert client._transport.session.verify == "/etc/ssl/private-ca.pem"
    assert client._transport.session.trust_env is True
    assert client._transport.timeout == (settings.BC_HTTP_CONNECT_TIMEOUT, settings.BC_HTTP_READ_TIMEOUT)


def test_unknown_company_on_an_odatav4_page_is_not_reported_as_unpublished(fake_bc, client):
    fake_bc.on(
        "GET",
        r".*/ODataV4/.*",
        Reply(404, envelope("Internal_CompanyNotFound", "Cannot open company 'CRONUS Sverige AB'.")),
    )

    with pytest.raises(BCNotFound) as caught:
        client.no_series_lines()
    assert not isinstance(caught.value, PageNotPublished)
    assert caught.value.code == "Internal_CompanyNotFound"
